/* faqkb browser search: the same steps, in the same order and with the same constants, as
 * plugins/faqkb/search.py, over the static index that plugins/faqkb/export.py writes.
 * Everything shown to the shopper is built with textContent: no query or answer text is ever
 * parsed as HTML. */
(function () {
  "use strict";

  var FORMAT = 4;
  var CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;
  var config = document.querySelector('meta[name="faqkb-search"]');
  if (!config) return;
  var indexUrl = new URL(config.content, location.href);
  var rootUrl = new URL(config.getAttribute("data-root"), location.href);

  var cache = {};
  var lexicon = new Set();    // every term of the lexicon files loaded so far
  var postingsOf = new Map(); // term -> its encoded postings, decoded on first use
  var t2s = new Map();        // Traditional -> Simplified, for the characters looked up so far
  var readings = new Map();   // character -> pinyin readings, for the characters looked up so far
  var charsSeen = new Set();  // characters whose readings and Simplified form were looked up
  var allReadings = false;    // pinyin.json loaded (highlighting pinyin matches needs every reading)

  function fetchJson(path) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, indexUrl).href).then(function (response) {
        if (!response.ok) throw new Error("faqkb: " + path + " " + response.status);
        return response.json();
      }).then(function (data) {
        if (data.v !== FORMAT) throw new Error("faqkb: index format " + data.v + ", expected " + FORMAT);
        return data;
      });
      cache[path].catch(function () { delete cache[path]; });
    }
    return cache[path];
  }

  function loadMeta() { return fetchJson("meta.json"); }

  // ---- text pipeline (plugins/faqkb/text.py) ------------------------------------------------
  function isCjk(text) { return text.length > 0 && text[0] >= "\u3400" && text[0] <= "\ufaff"; }

  var numeralDigits = { "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9 };
  var numeralScales = { "十": 10, "百": 100, "千": 1000 };

  function numeralValue(text) {
    var chars = Array.from(text);
    if (chars.every(function (ch) { return ch in numeralDigits; })) {
      return String(BigInt(chars.map(function (ch) { return numeralDigits[ch]; }).join("")));
    }
    var total = 0, digit = null;
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      if (ch in numeralDigits) {
        if (numeralDigits[ch] === 0) continue;
        if (digit !== null) return null;
        digit = numeralDigits[ch];
      } else {
        total += (digit !== null ? digit : 1) * numeralScales[ch];
        digit = null;
      }
    }
    return String(total + (digit || 0));
  }

  function normalize(text, meta) {
    text = text.normalize("NFKC").toLowerCase();
    text = Array.from(text).map(function (ch) { return t2s.get(ch) || ch; }).join("");
    if (!meta.numeral) {
      meta.numeral = new RegExp("([零〇一二两三四五六七八九十百千]+)(?=(?:" + meta.units.join("|") + "))", "g");
    }
    return text.replace(meta.numeral, function (all, numeral) {
      var value = numeralValue(numeral);
      return value === null ? numeral : value;
    });
  }

  function splitStopWords(run, meta) {
    if (!meta.stopSet) meta.stopSet = new Set(meta.stop);
    var longest = meta.stop[0].length, pieces = [], start = 0, index = 0;
    while (index < run.length) {
      var matched = 0;
      for (var size = Math.min(longest, run.length - index); size > 0; size--) {
        if (meta.stopSet.has(run.substr(index, size))) { matched = size; break; }
      }
      if (matched) {
        if (index > start) pieces.push([run.slice(start, index), start]);
        index += matched;
        start = index;
      } else {
        index += 1;
      }
    }
    if (start < run.length) pieces.push([run.slice(start), start]);
    return pieces;
  }

  // ---- query analysis and matching (plugins/faqkb/search.py) ---------------------------------
  function analyze(query, meta) {
    var c = meta.constants;
    var text = Array.from(normalize(query, meta)).slice(0, c.queryMaxChars).join("");
    var cjk = [], ascii = [], units = new Map(), match;
    CJK_RUN.lastIndex = 0;
    while ((match = CJK_RUN.exec(text)) !== null) {
      var run = match[0], start = match.index;
      if (isCjk(run)) {
        splitStopWords(run, meta).forEach(function (piece) {
          cjk.push([piece[0], start + piece[1]]);
          for (var i = 0; i < piece[0].length; i++) units.set(start + piece[1] + i, 1.0);
        });
      } else {
        var token = run.slice(0, c.asciiTokenMax);
        ascii.push([token, start]);
        for (var j = 0; j < token.length; j++) units.set(start + j, 2.0 / token.length);
      }
    }
    return { text: text, cjk: cjk, ascii: ascii, units: units, intents: intents(text, meta) };
  }

  // What the text asks, as a bit mask over the kinds (text.intents): longest words first.
  function intents(text, meta) {
    if (!meta.intentWord) {
      meta.intentKind = new Map(meta.intents);
      meta.intentWord = new RegExp(meta.intents.map(function (pair) {
        return pair[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }).join("|"), "g");
    }
    var mask = 0, match;
    meta.intentWord.lastIndex = 0;
    while ((match = meta.intentWord.exec(text)) !== null) mask |= 1 << meta.intentKind.get(match[0]);
    return mask;
  }

  function shardKeys(analysis) {
    var keys = [];
    analysis.cjk.forEach(function (piece) {
      for (var i = 0; i < piece[0].length; i++) keys.push("c" + piece[0][i]);
    });
    analysis.ascii.forEach(function (token) {
      for (var i = 0; i < Math.max(1, token[0].length - 1); i++) keys.push("a" + token[0].substr(i, 2));
    });
    return Array.from(new Set(keys));
  }

  function termKey(term) { return isCjk(term) ? "c" + term[0] : "a" + term.slice(0, 2); }

  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), value = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      value ^= bytes[i];
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return value >>> 0;
  }

  // [n, doc, score, doc-delta, score, ... (n pairs), shared score, doc, doc-delta, ...]
  // (encode_postings in plugins/faqkb/export.py). Order does not matter to rank().
  function decodePostings(flat) {
    var postings = [], number = 0, scoredEnd = 1 + 2 * flat[0], i;
    for (i = 1; i < scoredEnd; i += 2) {
      number += flat[i];
      postings.push([number, flat[i + 1]]);
    }
    number = 0;
    for (i = scoredEnd + 1; i < flat.length; i++) {
      number += flat[i];
      postings.push([number, flat[scoredEnd]]);
    }
    return postings;
  }

  // Files are named by a hash of a key: lexicon by term_key, postings by "t" + term, character
  // tables by "h" + character (plugins/faqkb/export.py). Each returns when its tables are merged.
  function loadHashed(folder, count, keys, merge) {
    var wanted = new Set(keys.map(function (key) { return fnv1a(key) % count; }));
    return Promise.all(Array.from(wanted).map(function (n) {
      return fetchJson(folder + "/" + n + ".json").then(function (file) {
        if (!file.merged) { file.merged = true; merge(file.t); }
      });
    }));
  }

  function loadKeys(keys, meta) {
    return loadHashed("lexicon", meta.lexicon, keys, function (table) {
      Object.keys(table).forEach(function (key) { table[key].forEach(function (term) { lexicon.add(term); }); });
    });
  }

  function loadPostings(found, meta) {
    var wanted = found.map(function (t) { return t.term; }).filter(function (term) { return !postingsOf.has(term); });
    return loadHashed("postings", meta.postings, wanted.map(function (term) { return "t" + term; }), function (table) {
      Object.keys(table).forEach(function (term) { if (!postingsOf.has(term)) postingsOf.set(term, table[term]); });
    });
  }

  function loadChars(chars, meta) {
    var wanted = Array.from(new Set(chars)).filter(function (ch) { return !charsSeen.has(ch); });
    return loadHashed("chars", meta.chars, wanted.map(function (ch) { return "h" + ch; }), function (table) {
      Object.keys(table).forEach(function (ch) {
        charsSeen.add(ch);
        if (table[ch].r && !allReadings) readings.set(ch, table[ch].r.split(" "));
        if (table[ch].s) t2s.set(ch, table[ch].s);
      });
    }).then(function () { wanted.forEach(function (ch) { charsSeen.add(ch); }); });
  }

  function postings(term) {
    var value = postingsOf.get(term);
    if (!value) return [];
    if (!value.decoded) {
      value = decodePostings(value);
      value.decoded = true;
      postingsOf.set(term, value);
    }
    return value;
  }

  function has(term) { return lexicon.has(term); }

  function cjkWeight(length, c) { return length <= 3 ? c.cjkWeights[length] : c.cjkLongWeight; }

  function prefixTerms(prefix) {
    var out = [];
    lexicon.forEach(function (term) {
      if (!isCjk(term) && term !== prefix && term.slice(0, prefix.length) === prefix) out.push(term);
    });
    return out.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0); });
  }

  function QueryTerm(term, weight, start, end, unigram, guess) {
    return { term: term, weight: weight, start: start, end: end, unigram: !!unigram, guess: !!guess };
  }

  function matchTerms(analysis, meta, prefix) {
    var c = meta.constants, found = [], particles = meta.particles;
    analysis.cjk.forEach(function (piece) {
      var text = piece[0], start = piece[1];
      for (var i = 0; i < text.length; i++) {
        for (var length = 1; length <= Math.min(c.maxTermLength, text.length - i); length++) {
          var sub = text.substr(i, length);
          if (length === 1 && particles.indexOf(sub) >= 0) continue;
          if (has(sub)) found.push(QueryTerm(sub, cjkWeight(length, c), start + i, start + i + length, length === 1));
        }
      }
    });
    var tokens = analysis.ascii;
    tokens.forEach(function (item, index) {
      var token = item[0], start = item[1], end = start + token.length;
      if (has(token)) found.push(QueryTerm(token, c.asciiWeight, start, end));
      else asciiPieces(token, start, c).forEach(function (t) { found.push(t); });
      if (index + 1 < tokens.length) {
        var following = tokens[index + 1], joined = token + following[0];
        if (/^ *$/.test(analysis.text.slice(end, following[1])) && has(joined)) {
          found.push(QueryTerm(joined, c.asciiJoinedWeight, start, following[1] + following[0].length));
        }
      }
      if (prefix && index === tokens.length - 1 && token.length >= 2 && end === analysis.text.length) {
        prefixTerms(token).slice(0, c.asciiPrefixLimit).forEach(function (term) {
          found.push(QueryTerm(term, c.asciiPrefixWeight, start, end));
        });
      }
    });
    return found;
  }

  function asciiPieces(token, start, c) {
    var pieces = [], i = 0;
    while (i < token.length - 1) {
      var length;
      for (length = token.length - i; length > 1; length--) {
        var sub = token.substr(i, length);
        if (has(sub)) { pieces.push(QueryTerm(sub, c.asciiPieceWeight, start + i, start + i + length)); break; }
      }
      i += length > 1 ? length : 1;
    }
    return pieces;
  }

  function weakPositions(analysis, found, meta) {
    var strong = new Set(), weak = new Set();
    found.forEach(function (t) {
      if (!t.unigram && isCjk(t.term)) for (var p = t.start; p < t.end; p++) strong.add(p);
    });
    analysis.cjk.forEach(function (piece) {
      for (var i = 0; i < piece[0].length; i++) {
        var p = piece[1] + i;
        if (!strong.has(p) && meta.particles.indexOf(piece[0][i]) < 0) weak.add(p);
      }
    });
    return weak;
  }

  function typoCandidates(analysis, found, meta) {
    var weak = weakPositions(analysis, found, meta), seen = new Set(), out = [];
    var limit = meta.constants.pinyinReadings;
    analysis.cjk.forEach(function (piece) {
      var text = piece[0], start = piece[1];
      [2, 3].forEach(function (length) {
        for (var i = 0; i + length <= text.length; i++) {
          var ok = true;
          for (var k = 0; k < length; k++) if (!weak.has(start + i + k)) ok = false;
          if (!ok) continue;
          var options = [];
          for (var m = 0; m < length; m++) {
            options.push((readings.get(text[i + m]) || []).slice(0, limit));
          }
          if (options.some(function (o) { return o.length === 0; })) continue;
          product(options).forEach(function (combo) {
            var spelling = combo.join(""), key = spelling + "\u0000" + (start + i) + "\u0000" + (start + i + length);
            if (!seen.has(key)) { seen.add(key); out.push([spelling, start + i, start + i + length]); }
          });
        }
      });
    });
    return out;
  }

  function product(options) {
    return options.reduce(function (acc, choices) {
      var next = [];
      acc.forEach(function (prefix) { choices.forEach(function (ch) { next.push(prefix.concat([ch])); }); });
      return next;
    }, [[]]);
  }

  function coverageUnits(analysis, found, meta) {
    var byWords = new Set(), units = new Map();
    found.forEach(function (t) { if (!t.unigram) for (var p = t.start; p < t.end; p++) byWords.add(p); });
    analysis.units.forEach(function (unit, p) {
      if (meta.particles.indexOf(analysis.text[p]) < 0 || byWords.has(p)) units.set(p, unit);
    });
    return units;
  }

  function sortedKeys(map) { return Array.from(map.keys()).sort(function (a, b) { return a - b; }); }

  function rank(analysis, found, meta, limit) {
    var c = meta.constants, units = coverageUnits(analysis, found, meta), total = 0;
    sortedKeys(units).forEach(function (p) { total += units.get(p); });
    if (total <= 0) return [];
    var scores = new Map(), cover = new Map(), matched = new Map(), characters = new Map();
    var anyWord = found.some(function (t) { return !t.unigram && !t.guess; });
    found.forEach(function (term) {
      var value = term.unigram ? c.unigramCover : 1.0;
      postings(term.term).forEach(function (posting) {
        var number = posting[0];
        scores.set(number, (scores.get(number) || 0.0) + term.weight * posting[1]);
        if (!cover.has(number)) { cover.set(number, new Map()); matched.set(number, []); }
        var docCover = cover.get(number);
        for (var p = term.start; p < term.end; p++) {
          if (units.has(p) && (docCover.get(p) || 0.0) < value) docCover.set(p, value);
        }
        if (term.unigram || term.guess) {
          if (!characters.has(number)) characters.set(number, new Set());
          for (var q = term.start; q < term.end; q++) characters.get(number).add(analysis.text[q]);
        }
        if (matched.get(number).indexOf(term.term) < 0) matched.get(number).push(term.term);
      });
    });
    var ranked = [];
    scores.forEach(function (score, number) {
      var docCover = cover.get(number), share = 0;
      if (!anyWord && docCover.size < units.size - c.weakMisses) return;
      sortedKeys(docCover).forEach(function (p) { share += units.get(p) * docCover.get(p); });
      share = share / total;
      if (share < c.minCoverage) return;
      var question = meta.questions[number], size = question >> meta.intentBits;
      var shared = analysis.intents & question & ((1 << meta.intentBits) - 1);
      var bonus = 0;
      meta.intentScores.forEach(function (value, kind) { if (shared >> kind & 1) bonus += value; });
      score += c.intentWeight * bonus;
      var held = size && analysis.cjk.length ? Math.min(1.0, (characters.has(number) ? characters.get(number).size : 0) / size) : 1.0;
      var questionCover = c.questionCoverFloor + (1 - c.questionCoverFloor) * held;
      ranked.push([number, score * share * share * questionCover, matched.get(number)]);
    });
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return ranked.slice(0, limit);
  }

  function loadAllReadings() {
    return fetchJson("pinyin.json").then(function (data) {
      if (!allReadings) {
        var map = new Map();
        Object.keys(data.p).sort().forEach(function (key) {
          var order = Number(key[0]), reading = key.slice(1);
          Array.from(data.p[key]).forEach(function (ch) {
            if (!map.has(ch)) map.set(ch, []);
            map.get(ch)[order] = reading;
          });
        });
        map.forEach(function (list) { for (var i = 0; i < list.length; i++) if (!list[i]) list.splice(i--, 1); });
        readings = map;
        allReadings = true;
      }
    });
  }

  function unknownCharacters(analysis, meta) {
    var out = [];
    analysis.cjk.forEach(function (piece) {
      Array.from(piece[0]).forEach(function (ch) { if (meta.particles.indexOf(ch) < 0 && !has(ch)) out.push(ch); });
    });
    return out;
  }

  function runQuery(query, limit, prefix) {
    return loadMeta().then(function (meta) {
      var analysis = analyze(query, meta);
      return loadKeys(shardKeys(analysis), meta).then(function () {
        // Characters the index has never seen may be Traditional: look them up and start again.
        var unknown = unknownCharacters(analysis, meta);
        if (!unknown.length) return analysis;
        return loadChars(unknown, meta).then(function () {
          var again = analyze(query, meta);
          return loadKeys(shardKeys(again), meta).then(function () { return again; });
        });
      }).then(function (analysis) {
        var found = matchTerms(analysis, meta, prefix);
        var weak = weakPositions(analysis, found, meta);
        if (weak.size <= 1) return [analysis, found];
        // Pinyin guesses for characters no word explains (homophone typos): their readings first.
        return loadChars(Array.from(weak).map(function (p) { return analysis.text[p]; }), meta).then(function () {
          var candidates = typoCandidates(analysis, found, meta);
          return loadKeys(candidates.map(function (cand) { return termKey(cand[0]); }), meta).then(function () {
            candidates.forEach(function (cand) {
              if (has(cand[0])) found.push(QueryTerm(cand[0], meta.constants.typoFactor * cjkWeight(cand[2] - cand[1], meta.constants), cand[1], cand[2], false, true));
            });
            return [analysis, found];
          });
        });
      }).then(function (done) {
        var analysis = done[0], found = done[1];
        return loadPostings(found, meta).then(function () { return describe(rank(analysis, found, meta, limit), meta); });
      });
    });
  }

  function describe(ranked, meta) {
    var chunks = Array.from(new Set(ranked.map(function (r) { return Math.floor(r[0] / meta.docChunk); })));
    return Promise.all(chunks.map(function (n) { return fetchJson("docs/" + n + ".json"); })).then(function () {
      return Promise.all(ranked.map(function (r) {
        return fetchJson("docs/" + Math.floor(r[0] / meta.docChunk) + ".json").then(function (chunk) {
          var doc = chunk.d[r[0] % meta.docChunk];
          return {
            id: doc[0],
            url: new URL("q/" + encodeURIComponent(doc[0]) + "/", rootUrl).href,
            question: doc[1],
            breadcrumb: meta.categories[doc[2]].slice(),
            score: r[1],
            matched: r[2].slice(),
          };
        });
      }));
    });
  }

  /** Public API: window.faqkb.search(query, {limit}) → Promise of [{id, url, question, breadcrumb, score}]. */
  function search(query, options) {
    options = options || {};
    var limit = Math.max(1, Math.min(100, options.limit || 10));
    return runQuery(String(query == null ? "" : query), limit, !!options.prefix);
  }

  /** Search, and make sure what highlighting needs is loaded (pinyin matches need the readings). */
  function searchForDisplay(query, limit, prefix) {
    return search(query, { limit: limit, prefix: prefix }).then(function (results) {
      var spelled = results.some(function (r) { return r.matched.some(function (t) { return !isCjk(t); }); });
      return spelled && !allReadings ? loadAllReadings().then(function () { return results; }) : results;
    });
  }

  // ---- highlighting --------------------------------------------------------------------------
  function highlighted(text, matched, meta) {
    var chars = Array.from(text), normalized = "", owner = [];
    chars.forEach(function (ch, index) {
      var n = ch.normalize("NFKC").toLowerCase();
      n = Array.from(n).map(function (x) { return t2s.get(x) || x; }).join("");
      for (var k = 0; k < n.length; k++) owner.push(index);
      normalized += n;
    });
    var marked = new Array(chars.length).fill(false);
    function mark(from, to) { for (var i = from; i < to; i++) marked[owner[i]] = true; }
    matched.forEach(function (term) {
      if (term.length === 0) return;
      var at = normalized.indexOf(term);
      while (at >= 0) { mark(at, at + term.length); at = normalized.indexOf(term, at + term.length); }
    });
    if (allReadings) markPinyin(chars, marked, matched);
    var fragment = document.createDocumentFragment(), i = 0;
    while (i < chars.length) {
      var j = i;
      while (j < chars.length && marked[j] === marked[i]) j++;
      var part = chars.slice(i, j).join("");
      if (marked[i]) {
        var m = document.createElement("mark");
        m.textContent = part;
        fragment.appendChild(m);
      } else {
        fragment.appendChild(document.createTextNode(part));
      }
      i = j;
    }
    return fragment;
  }

  function markPinyin(chars, marked, matched) {
    var spelled = matched.filter(function (t) { return !isCjk(t); });
    if (!spelled.length) return;
    for (var i = 0; i < chars.length; i++) {
      for (var length = 2; length <= 4 && i + length <= chars.length; length++) {
        var options = chars.slice(i, i + length).map(function (ch) { return (readings.get(ch) || []).slice(0, 1); });
        if (options.some(function (o) { return !o.length; })) break;
        var full = options.map(function (o) { return o[0]; }).join("");
        var initials = options.map(function (o) { return o[0][0]; }).join("");
        if (spelled.indexOf(full) >= 0 || spelled.indexOf(initials) >= 0) {
          for (var k = i; k < i + length; k++) marked[k] = true;
        }
      }
    }
  }

  // ---- user interface ------------------------------------------------------------------------
  var uid = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function resultItem(result, meta, id) {
    var link = element("a", "faqkb-result");
    link.href = result.url;
    link.id = id;
    link.setAttribute("role", "option");
    var title = element("span", "faqkb-result-question");
    title.appendChild(highlighted(result.question, result.matched, meta));
    link.appendChild(title);
    link.appendChild(element("span", "faqkb-result-breadcrumb", result.breadcrumb.join(" › ")));
    return link;
  }

  function searchPageUrl(query) {
    var url = new URL("search/", rootUrl);
    url.searchParams.set("q", query);
    return url.href;
  }

  function attachBox(form, input, options) {
    var list = element("div", "faqkb-results");
    list.id = "faqkb-results-" + (++uid);
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索结果");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var active = -1, generation = 0, timer = null;

    function items() { return Array.prototype.slice.call(list.querySelectorAll(".faqkb-result")); }
    function setActive(index) {
      var all = items();
      active = all.length ? (index + all.length) % all.length : -1;
      all.forEach(function (node, i) { node.setAttribute("aria-selected", String(i === active)); });
      if (active >= 0) {
        input.setAttribute("aria-activedescendant", all[active].id);
        all[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }
    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function update() {
      var query = input.value, mine = ++generation;
      if (!query.trim()) { list.textContent = ""; close(); return; }
      Promise.all([loadMeta(), searchForDisplay(query, options.limit, true)]).then(function (done) {
        if (mine !== generation) return;
        var meta = done[0], results = done[1];
        list.textContent = "";
        active = -1;
        if (!results.length) {
          list.appendChild(element("div", "faqkb-results-empty", "没有找到相关问题。按回车查看热门问题和客服联系方式。"));
        }
        results.forEach(function (result, i) { list.appendChild(resultItem(result, meta, list.id + "-" + i)); });
        if (results.length) {
          var more = element("a", "faqkb-results-more", "查看全部结果");
          more.href = searchPageUrl(query);
          list.appendChild(more);
        }
        list.setAttribute("data-query", query);  // which query the list shows (results arrive per keystroke)
        open();
      }).catch(function (error) {
        if (mine !== generation) return;
        list.textContent = "";
        list.appendChild(element("div", "faqkb-results-empty", "搜索暂时不可用，请稍后再试。"));
        open();
        if (window.console) console.error(error);
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 40);
    });
    input.addEventListener("focus", function () { if (input.value.trim() && list.childNodes.length) open(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) update(); else setActive(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); setActive(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        var all = items();
        if (active >= 0 && all[active]) location.href = all[active].href;
        else if (input.value.trim()) location.href = searchPageUrl(input.value);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.value.trim()) location.href = searchPageUrl(input.value);
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) close(); });
    return { update: update };
  }

  function headerBox() {
    var inner = document.querySelector(".md-header__inner");
    if (!inner) return null;
    var form = element("form", "faqkb-search");
    form.setAttribute("role", "search");
    form.action = new URL("search/", rootUrl).href;
    var input = element("input", "faqkb-search-input");
    input.type = "search";
    input.name = "q";
    input.placeholder = "搜索问题";
    input.setAttribute("aria-label", "搜索问题");
    input.autocomplete = "off";
    input.setAttribute("enterkeyhint", "search");
    form.appendChild(input);
    var title = inner.querySelector(".md-header__title");
    inner.insertBefore(form, title ? title.nextSibling : null);
    return { form: form, input: input, box: attachBox(form, input, { limit: 8 }) };
  }

  function resultsPage(container, query) {
    var heading = container.querySelector(".faqkb-search-status");
    var list = container.querySelector(".faqkb-search-list");
    var empty = container.querySelector(".faqkb-search-empty");
    var input = container.querySelector("input[name=q]");
    if (input) input.value = query;
    if (!query.trim()) { heading.textContent = "请输入问题或关键词。"; return; }
    heading.textContent = "正在搜索……";
    Promise.all([loadMeta(), searchForDisplay(query, 50, false)]).then(function (done) {
      var meta = done[0], results = done[1];
      list.textContent = "";
      if (!results.length) {
        heading.textContent = "没有找到与“" + query + "”相关的问题。";
        empty.hidden = false;
        return;
      }
      empty.hidden = true;
      heading.textContent = "找到 " + results.length + " 个与“" + query + "”相关的问题：";
      results.forEach(function (result, i) {
        var item = element("li");
        item.appendChild(resultItem(result, meta, "faqkb-page-result-" + i));
        list.appendChild(item);
      });
    }).catch(function (error) {
      heading.textContent = "搜索暂时不可用，请稍后再试。";
      if (window.console) console.error(error);
    });
  }

  function start() {
    var query = new URLSearchParams(location.search).get("q") || "";
    var header = headerBox();
    document.querySelectorAll(".faqkb-hero-search").forEach(function (form) {
      var input = form.querySelector("input[name=q]");
      if (input) attachBox(form, input, { limit: 8 });
    });
    var page = document.getElementById("faqkb-search-page");
    if (page) {
      resultsPage(page, query);
    } else if (query && header) {
      header.input.value = query;
      header.box.update();
    }
  }

  window.faqkb = { search: search, version: FORMAT };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
