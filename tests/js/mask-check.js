// The page's query masking (site/analytics.js, with search/mask.py's rules written in by
// site/scripts.py) against mask_query in Python, on the inputs tests/test_mask.py writes.
// Run by tests/test_mask.py as `node --test tests/js/mask-check.js` (named so that the engine's
// `node --test tests/js` run does not pick it up without its inputs).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const analytics = require(path.resolve(process.env.FAQKB_ANALYTICS_SCRIPT));
const vectors = JSON.parse(fs.readFileSync(process.env.FAQKB_MASK_VECTORS, "utf8"));

test("the page masks every query exactly as mask_query does", () => {
  const wrong = vectors.filter(([query, masked]) => analytics.maskQuery(query) !== masked);
  assert.deepEqual(wrong.slice(0, 5).map(([query, masked]) => [query, masked, analytics.maskQuery(query)]), []);
});

test("the script carries the rules of search/mask.py", () => {
  assert.ok(analytics.PROTOCOL.mask.rules.length >= 4);
  assert.equal(analytics.PROTOCOL.mask.cap, 64);
});
