// The browser's search engine (plugins/faqkb/search/engine.js) against the Python reference
// (search/query.py), step by step, without a browser: tests/test_engine_js.py writes the index of
// the sample content and, for every query, what Python computes at each step, then runs this file
// with `node --test`.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const dir = process.env.FAQKB_VECTORS;
const engineModule = require(path.resolve(process.env.FAQKB_ENGINE));
const vectors = JSON.parse(fs.readFileSync(path.join(dir, "vectors.json"), "utf8"));

function newEngine(log) {
  return engineModule.createEngine({
    format: vectors.format,
    load: (file) => {
      if (log) log.push(file);
      return JSON.parse(fs.readFileSync(path.join(dir, "index", file), "utf8"));
    },
  });
}

function stepsOf(done) {
  const analysis = done.analysis;
  return {
    analysis: { text: analysis.text, cjk: analysis.cjk, ascii: analysis.ascii, intents: analysis.intents, asking: analysis.asking },
    found: done.found.map((t) => [t.term, t.weight, t.start, t.end, t.unigram, t.guess, t.length]),
    ranked: done.ranked,
  };
}

test("FNV-1a hashes file keys like export.fnv1a", () => {
  for (const [key, hash] of vectors.hashes) assert.equal(engineModule.fnv1a(key), hash, key);
});

test("postings decode like export.decode_postings", () => {
  for (const [flat, pairs] of vectors.postings) {
    const sorted = (list) => list.slice().sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    assert.deepEqual(sorted(engineModule.decodePostings(flat)), pairs);
  }
});

test("files of another format are refused", async () => {
  const engine = engineModule.createEngine({ format: vectors.format + 1, load: () => ({ v: vectors.format }) });
  await assert.rejects(engine.search("退款"), /index format/);
});

for (const [index, vector] of vectors.queries.entries()) {
  test(`query ${index}: ${JSON.stringify(vector.q).slice(0, 40)}`, async () => {
    const done = await newEngine().steps(vector.q, { limit: vector.limit, prefix: vector.prefix });
    const got = stepsOf(done);
    assert.deepEqual(got.analysis, vector.analysis, "analysis");
    assert.deepEqual(got.found, vector.found, "matched terms");
    assert.deepEqual(got.ranked, vector.ranked, "ranking");
  });
}

test("one engine answering every query in turn (a shopper's session) ranks the same", async () => {
  const engine = newEngine();
  for (const vector of vectors.queries) {
    const results = await engine.search(vector.q, { limit: vector.limit, prefix: vector.prefix });
    assert.deepEqual(results.map((r) => [r.id, r.score]), vector.results, vector.q);
  }
});

test("a query loads only the files it needs", async () => {
  const loaded = [];
  await newEngine(loaded).search(vectors.queries[0].q);
  assert.ok(loaded.length < vectors.files / 10, `${loaded.length} of ${vectors.files} files`);
  assert.equal(new Set(loaded).size, loaded.length, "a file loaded twice");
});

// What a query waits on: on HTTP/1.1 a phone opens 6 connections to a host and a round trip costs
// 150 ms or more, so what is asked first and what waits on what decide how long a query takes.
function heldEngine() {
  const asked = [], pending = [];
  const engine = engineModule.createEngine({
    format: vectors.format,
    load: (file) => {
      asked.push(file);
      return new Promise((resolve) => pending.push(() => resolve(JSON.parse(fs.readFileSync(path.join(dir, "index", file), "utf8")))));
    },
  });
  const releaseAll = () => { while (pending.length) pending.shift()(); };
  return { engine, asked, releaseAll };
}

async function settle() { for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve)); }

// A query started once meta.json is in, with every file it asks for held back: what it asked for
// at once, and its results once everything is let through.
async function askedAtOnce(query) {
  const { engine, asked, releaseAll } = heldEngine();
  const meta = engine.meta();
  releaseAll();
  const loaded = await meta;
  const before = asked.length;
  const search = engine.search(query);
  await settle();  // nothing answered yet: what is asked now is asked at once
  const first = asked.slice(before);
  for (let i = 0; i < 10; i++) { releaseAll(); await settle(); }
  return { first, meta: loaded, results: await search };
}

test("a mixed query asks for its Han postings without waiting for its spelling's lexicon shard", async () => {
  const { first, results } = await askedAtOnce("App怎么开发票");
  assert.ok(first.some((f) => f.startsWith("lexicon/")), first.join(" "));
  assert.ok(first.some((f) => f.startsWith("han/")), first.join(" "));
  assert.ok(results.length > 0);
});

// meta.json lists no word filed with one of its characters (export.listed_terms), so before the
// first files arrive every character may be a typo's: their files, which hold their readings, are
// all asked at once.
test("a typo's readings are asked for at once with the postings of the rest of the query", async () => {
  const { first, meta, results } = await askedAtOnce("订单怎么取效");  // no word explains 取 and 效 (quxiao, meant 取消)
  const files = meta.terms.map((packed) => engineModule.unpackTerms(packed));
  const fileOf = (ch) => "han/" + files.findIndex((terms) => terms.includes(ch)) + ".json";
  for (const ch of "取效") assert.ok(first.includes(fileOf(ch)), first.join(" "));
  assert.ok(first.includes(fileOf("订")), first.join(" "));  // the rest is asked at once too
  assert.equal(results[0].id, "cancel-order");
});
