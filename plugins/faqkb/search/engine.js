/* faqkb search engine: the same steps, in the same order and with the same constants, as
 * plugins/faqkb/search/query.py, over the static index that export.py writes.
 *
 * No DOM and no network here: files come from the `load(path)` given to createEngine (fetch in
 * the browser, the file system in Node's tests, tests/js/engine.test.js). Runs in browsers and
 * in Node (module.exports). */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.faqkbEngine = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;

  // ---- text pipeline (search/text.py) ------------------------------------------------------------
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

  // NFKC, lower case, Traditional → Simplified (`t2s`: the characters looked up so far), 七天 → 7天.
  function normalize(text, meta, t2s) {
    text = text.normalize("NFKC").toLowerCase();
    text = Array.from(text).map(function (ch) { return t2s.get(ch) || ch; }).join("");
    if (!meta.numeral) {
      meta.numeral = new RegExp("([零〇一二两三四五六七八九十百千]+)(?=(" + meta.units.join("|") + "))", "g");
    }
    return text.replace(meta.numeral, function (all, numeral, unit) {
      if (numeral === "一" && meta.articleUnits.indexOf(unit) >= 0) return numeral;  // 换一个: the article "a"
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

  // What the text asks, as a bit mask over the kinds (text.intents): longest words first.
  // The words of normalised text that ask something: [start, end, kind] (text.intent_spans).
  function intentSpans(text, meta) {
    if (!meta.intentWord) {
      meta.intentKind = new Map(meta.intents);
      meta.intentWord = new RegExp(meta.intents.map(function (pair) {
        return pair[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      }).join("|"), "g");
    }
    var spans = [], match;
    meta.intentWord.lastIndex = 0;
    while ((match = meta.intentWord.exec(text)) !== null) {
      spans.push([match.index, match.index + match[0].length, meta.intentKind.get(match[0])]);
    }
    return spans;
  }

  // ---- query analysis and matching (search/query.py) ---------------------------------------------
  function analyze(query, meta, t2s) {
    var c = meta.constants;
    var text = Array.from(normalize(query, meta, t2s)).slice(0, c.queryMaxChars).join("");
    var cjk = [], ascii = [], units = new Map(), match;
    RUN.lastIndex = 0;
    while ((match = RUN.exec(text)) !== null) {
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
    var asking = intentSpans(text, meta), mask = 0;
    asking.forEach(function (span) { mask |= 1 << span[2]; });
    return { text: text, cjk: cjk, ascii: ascii, units: units, intents: mask, asking: asking };
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

  // export.unpack_terms: "退 款 货,..." → 退, 退款, 退货, ...
  function unpackTerms(packed) {
    var terms = [];
    packed.split(",").forEach(function (group) {
      if (group) group.slice(1).split(" ").forEach(function (rest) { terms.push(group[0] + rest); });
    });
    return terms;
  }

  function termKey(term) { return isCjk(term) ? "c" + term[0] : "a" + term.slice(0, 2); }

  // 32-bit FNV-1a of the UTF-8 bytes (export.fnv1a).
  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), value = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      value ^= bytes[i];
      value = Math.imul(value, 0x01000193) >>> 0;
    }
    return value >>> 0;
  }

  // [n, doc, score, doc-delta, score, ... (n pairs), shared score, doc, doc-delta, ...]
  // (export.encode_postings). Order does not matter to rank().
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

  function cjkWeight(length, c) { return length <= 3 ? c.cjkWeights[length] : c.cjkLongWeight; }

  // `length`: the whole word's, when the span is one of its two parts (splitTerms)
  function QueryTerm(term, weight, start, end, unigram, guess, length) {
    return { term: term, weight: weight, start: start, end: end, unigram: !!unigram, guess: !!guess, length: length || 0 };
  }

  // First round: every substring of a Han piece in the table; ASCII words, joins, pieces, prefixes.
  function matchTerms(analysis, meta, has, prefixTerms, prefix) {
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
      // A verb and its object said apart (付完款, 下了单, 开个票): the word they make, over all three.
      for (var k = 0; k + 2 < text.length; k++) {
        var word = text[k] + text[k + 2];
        if (c.separableInfixes.indexOf(text[k + 1]) >= 0 && has(word)) {
          found.push(QueryTerm(word, cjkWeight(2, c), start + k, start + k + 3, false));
        }
      }
    });
    splitTerms(analysis, c, has, found).forEach(function (t) { found.push(t); });
    var tokens = analysis.ascii;
    tokens.forEach(function (item, index) {
      var token = item[0], start = item[1], end = start + token.length;
      if (has(token)) found.push(QueryTerm(token, c.asciiWeight, start, end));
      else asciiPieces(token, start, c, has).forEach(function (t) { found.push(t); });
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

  // The query's Han pieces grouped by the run they come from (query.clauses).
  function clauses(analysis) {
    var grouped = [], end = -1;
    analysis.cjk.forEach(function (piece) {
      var between = analysis.text.slice(end, piece[1]);
      if (grouped.length && Array.from(between).every(function (ch) { return isCjk(ch); })) grouped[grouped.length - 1].push(piece);
      else grouped.push([piece]);
      end = piece[1] + piece[0].length;
    });
    return grouped;
  }

  // Words of the table that a clause says in two parts, at most splitGap characters apart or the
  // other way round (密码换个: 换个密码); a part of one character inside a longer word of the query
  // is not one (query.split_terms).
  function splitTerms(analysis, c, has, words) {
    var inWords = new Set(), lookedUp = new Map(), found = [];
    words.forEach(function (t) { if (!t.unigram) for (var p = t.start; p < t.end; p++) inWords.add(p); });
    clauses(analysis).forEach(function (clause) {
      var parts = [];
      clause.forEach(function (piece) {
        var text = piece[0], start = piece[1];
        for (var i = 0; i < text.length; i++) {
          for (var length = 1; length <= Math.min(c.splitPartMax, text.length - i); length++) {
            if (length > 1 || !inWords.has(start + i)) parts.push([start + i, start + i + length]);
          }
        }
      });
      parts.forEach(function (a) {
        parts.forEach(function (b) {
          var gap = b[0] >= a[1] ? b[0] - a[1] : a[0] - b[1], size = a[1] - a[0] + b[1] - b[0];
          if (gap < 0 || gap > c.splitGap || b[0] === a[1] || size < 3 || size > c.maxTermLength ||
              Math.max(a[1] - a[0], b[1] - b[0]) < 2) return;
          var word = analysis.text.slice(a[0], a[1]) + analysis.text.slice(b[0], b[1]);
          if (!lookedUp.has(word)) lookedUp.set(word, has(word));
          if (lookedUp.get(word)) {
            var weight = c.splitFactor * cjkWeight(size, c);
            found.push(QueryTerm(word, weight, a[0], a[1], false, false, size));
            found.push(QueryTerm(word, weight, b[0], b[1], false, false, size));
          }
        });
      });
    });
    return found;
  }

  // Cover an unknown ASCII token with the longest known pieces, left to right (zmtk → tk).
  function asciiPieces(token, start, c, has) {
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

  // Han positions that no matched term of two or more characters explains.
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

  // Second round: pinyin spellings of 2–3 character stretches made only of weak positions, and of
  // one or two weak characters typed against a word of letters (发piao, tui款), joined.
  function typoCandidates(analysis, found, meta, readingsOf) {
    var weak = weakPositions(analysis, found, meta), seen = new Set(), out = [];
    var limit = meta.constants.pinyinReadings;
    function allWeak(start, end) {
      for (var p = start; p < end; p++) if (!weak.has(p)) return false;
      return true;
    }
    // Every combination of the characters' readings, then those with one reading confused
    // (query.typo_candidates): [spelling, fuzzy].
    function spellings(start, end) {
      var options = [];
      for (var p = start; p < end; p++) options.push((readingsOf(analysis.text[p]) || []).slice(0, limit));
      if (options.some(function (o) { return o.length === 0; })) return [];
      var all = product(options).map(function (combo) { return [combo.join(""), false]; });
      options.forEach(function (choices, i) {
        var confused = [];
        choices.forEach(function (reading) { confused = confused.concat(fuzzySpellings(reading, i > 0, meta.constants)); });
        var mixed = options.slice(0, i).concat([confused], options.slice(i + 1));
        product(mixed).forEach(function (combo) { all.push([combo.join(""), true]); });
      });
      return all;
    }
    function add(spelling, start, end, fuzzy) {
      var key = spelling + "\u0000" + start + "\u0000" + end;
      if (!seen.has(key)) { seen.add(key); out.push([spelling, start, end, fuzzy]); }
    }
    analysis.cjk.forEach(function (piece) {
      var text = piece[0], start = piece[1];
      [2, 3].forEach(function (length) {
        for (var i = 0; i + length <= text.length; i++) {
          if (!allWeak(start + i, start + i + length)) continue;
          spellings(start + i, start + i + length).forEach(function (s) { add(s[0], start + i, start + i + length, s[1]); });
        }
      });
    });
    analysis.ascii.forEach(function (tokenAt) {
      var token = tokenAt[0], start = tokenAt[1], end = start + token.length;
      if (!LETTERS.test(token)) return;
      meta.constants.mixedHanLengths.forEach(function (length) {
        if (allWeak(start - length, start)) {
          spellings(start - length, start).forEach(function (s) { add(s[0] + token, start - length, end, s[1]); });
        }
        if (allWeak(end, end + length)) {
          spellings(end, end + length).forEach(function (s) { add(token + s[0], start, end + length, s[1]); });
        }
      });
    });
    return out;
  }

  var LETTERS = /^[a-z]+$/;  // a token that may be pinyin (query.py: str.isalpha on [a-z0-9] runs)

  // Whether a typo round can guess anything: two weak characters, or one next to a word of letters.
  function hasGuesses(analysis, weak) {
    return weak.size > 1 || analysis.ascii.some(function (tokenAt) {
      return LETTERS.test(tokenAt[0]) && (weak.has(tokenAt[1] - 1) || weak.has(tokenAt[1] + tokenAt[0].length));
    });
  }

  // A syllable as an accent or a slip spells it (query.fuzzy_spellings): its final swapped
  // (an/ang, en/eng, in/ing) and, when `initial`, its initial (zh/z, ch/c, sh/s, n/l, h/f).
  function fuzzySpellings(reading, initial, constants) {
    var out = [];
    function push(v) { if (v !== reading && out.indexOf(v) < 0) out.push(v); }
    function endsWith(s, t) { return s.length >= t.length && s.slice(s.length - t.length) === t; }
    constants.fuzzyFinals.forEach(function (pair) {
      [[pair[0], pair[1]], [pair[1], pair[0]]].forEach(function (ab) {
        var a = ab[0], b = ab[1];
        if (endsWith(reading, a) && !(a === "an" && endsWith(reading, "ang")) &&
            !(a === "en" && endsWith(reading, "eng")) && !(a === "in" && endsWith(reading, "ing"))) {
          push(reading.slice(0, reading.length - a.length) + b);
        }
      });
    });
    if (initial) {
      constants.fuzzyInitials.forEach(function (pair) {
        [[pair[0], pair[1]], [pair[1], pair[0]]].forEach(function (ab) {
          var a = ab[0], b = ab[1];
          if (reading.slice(0, a.length) === a && !(a.length === 1 && reading.charAt(1) === "h" && "zcs".indexOf(a) >= 0)) {
            push(b + reading.slice(a.length));
          }
        });
      });
    }
    return out;
  }

  function product(options) {
    return options.reduce(function (acc, choices) {
      var next = [];
      acc.forEach(function (prefix) { choices.forEach(function (ch) { next.push(prefix.concat([ch])); }); });
      return next;
    }, [[]]);
  }

  // Positions that count toward coverage: particles count only inside a longer matched word.
  function coverageUnits(analysis, found, meta) {
    var byWords = new Set(), units = new Map();
    found.forEach(function (t) { if (!t.unigram) for (var p = t.start; p < t.end; p++) byWords.add(p); });
    analysis.units.forEach(function (unit, p) {
      if (meta.particles.indexOf(analysis.text[p]) < 0 || byWords.has(p)) units.set(p, unit);
    });
    return units;
  }

  function sortedKeys(map) { return Array.from(map.keys()).sort(function (a, b) { return a - b; }); }

  // [doc number, score, matched terms, share of the query], best first (query.rank).
  function rank(analysis, found, meta, postings, limit) {
    var c = meta.constants, units = coverageUnits(analysis, found, meta), total = 0;
    sortedKeys(units).forEach(function (p) { total += units.get(p); });
    if (total <= 0) return [];
    // per entry and query position, the best credit of the terms it matches there
    var credit = new Map(), cover = new Map(), matched = new Map(), characters = new Map(), wordCharacters = new Map();
    var anyWord = found.some(function (t) { return !t.unigram && !t.guess; });
    found.forEach(function (term) {
      var fullValue = term.unigram ? c.unigramCover : 1.0, length = term.length || term.end - term.start;
      var listed = postings(term.term), best = 0, floor = -1;
      listed.forEach(function (posting) { if (posting[1] > best) best = posting[1]; });
      if (listed.length > c.scoredPostings) {
        floor = Infinity;
        listed.forEach(function (posting) { if (posting[1] < floor) floor = posting[1]; });
      }
      var termCharacters = [];
      for (var q = term.start; q < term.end; q++) if (isCjk(analysis.text[q])) termCharacters.push(analysis.text[q]);
      listed.forEach(function (posting) {
        // a faint match (the word only in an answer) covers less (query.FAINT_SHARE); the lowest
        // score of a long list is that of the entries holding the term in their question
        var faint = posting[1] < c.faintShare * best && posting[1] !== floor;
        var value = faint ? fullValue * c.faintCover : fullValue;
        var number = posting[0], perPosition = term.weight * posting[1] / Math.sqrt(length);
        if (!cover.has(number)) { cover.set(number, new Map()); credit.set(number, new Map()); matched.set(number, []); }
        var docCover = cover.get(number), docCredit = credit.get(number);
        for (var p = term.start; p < term.end; p++) {
          if ((docCredit.get(p) || 0.0) < perPosition) docCredit.set(p, perPosition);
          if (units.has(p) && (docCover.get(p) || 0.0) < value) docCover.set(p, value);
        }
        // characters held one by one, or only through a word matched well (said with a synonym)
        var heldBy = term.unigram || term.guess ? characters
          : !term.length && posting[1] >= c.wordHeldShare * best ? wordCharacters : null;
        if (heldBy) {
          if (!heldBy.has(number)) heldBy.set(number, new Set());
          var heldSet = heldBy.get(number);
          termCharacters.forEach(function (ch) { heldSet.add(ch); });
        }
        if (matched.get(number).indexOf(term.term) < 0) matched.get(number).push(term.term);
      });
    });
    var ranked = [];
    credit.forEach(function (docCredit, number) {
      var docCover = cover.get(number), share = 0, score = 0;
      sortedKeys(docCredit).forEach(function (p) { score += docCredit.get(p); });
      if (!anyWord && docCover.size < units.size - c.weakMisses) return;
      var size = meta.questionSizes.charCodeAt(number) - meta.questionCode;
      var shared = analysis.intents & (meta.questionIntents.charCodeAt(number) - meta.questionCode);
      // an entry that asks what the query asks answers the words that ask it (几天 for 多久)
      var asked = new Set();
      analysis.asking.forEach(function (span) {
        if (shared >> span[2] & 1) for (var p = span[0]; p < span[1]; p++) asked.add(p);
      });
      sortedKeys(units).forEach(function (p) {
        if (asked.has(p)) share += units.get(p);
        else if (docCover.has(p)) share += units.get(p) * docCover.get(p);
      });
      share = share / total;
      if (share < c.minCoverage) return;
      var bonus = 0;
      meta.intentScores.forEach(function (value, kind) { if (shared >> kind & 1) bonus += value; });
      score += c.intentWeight * bonus;
      var own = characters.get(number) || new Set(), byWord = 0;
      (wordCharacters.get(number) || new Set()).forEach(function (ch) { if (!own.has(ch)) byWord += 1; });
      var held = size && analysis.cjk.length ? Math.min(1.0, (own.size + c.wordHeld * byWord) / size) : 1.0;
      var questionCover = c.questionCoverFloor + (1 - c.questionCoverFloor) * held;
      ranked.push([number, score * share * share * questionCover, matched.get(number), share]);
    });
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return ranked.slice(0, limit);
  }

  // ---- an engine over one index: what it has loaded, and the search -----------------------------
  /** createEngine({format, load}): `load(path)` resolves to the parsed JSON of a file of the index
   * folder; files of another format than `format` are refused. */
  function createEngine(options) {
    var format = options.format, load = options.load;
    var cache = {};
    var lexicon = new Set();    // every term of the lexicon files loaded so far
    var postingsOf = new Map(); // term -> its encoded postings, decoded on first use
    var t2s = new Map();        // Traditional -> Simplified, for the characters looked up so far
    var readings = new Map();   // character -> pinyin readings, for the characters looked up so far
    var charsSeen = new Set();  // characters whose readings and Simplified form were looked up
    var allReadings = false;    // pinyin.json loaded (highlighting pinyin matches needs every reading)
    var carried = new Map();    // doc number -> [id, question, category], from postings files
    var hanFile = new Map();    // Han term -> the number of the file of its postings (han/N.json)

    function fetchJson(path) {
      if (!cache[path]) {
        cache[path] = Promise.resolve(load(path)).then(function (data) {
          if (data.v !== format) throw new Error("faqkb: index format " + data.v + ", expected " + format);
          return data;
        });
        cache[path].catch(function () { delete cache[path]; });
      }
      return cache[path];
    }

    // meta.json: what every query needs, the Han terms to know of before fetching included: per
    // file of postings, its characters and lone words (export.listed_terms, export.pack_terms).
    function loadMeta() {
      return fetchJson("meta.json").then(function (meta) {
        if (!meta.termsLoaded) {
          meta.termsLoaded = true;
          meta.terms.forEach(function (packed, file) {
            unpackTerms(packed).forEach(function (term) { lexicon.add(term); hanFile.set(term, file); });
          });
        }
        return meta;
      });
    }

    // Files are named by a hash of a key: lexicon by termKey, postings by "t" + term, character
    // tables by "h" + character (export.py). Each resolves when its tables are merged.
    function loadHashed(folder, count, keys, merge) {
      var wanted = new Set(keys.map(function (key) { return fnv1a(key) % count; }));
      return Promise.all(Array.from(wanted).map(function (n) {
        return fetchJson(folder + "/" + n + ".json").then(function (file) {
          if (!file.merged) { file.merged = true; merge(file.t, file); }
        });
      }));
    }

    // Han keys ("c" + character) are in meta.json: only spellings' keys have shards to fetch.
    function loadKeys(keys, meta) {
      keys = keys.filter(function (key) { return key[0] !== "c"; });
      return loadHashed("lexicon", meta.lexicon, keys, function (table) {
        Object.keys(table).forEach(function (key) { table[key].forEach(function (term) { lexicon.add(term); }); });
      });
    }

    // Han terms' postings are in the file meta.json names (han/N.json), spellings' by hash.
    function loadPostings(found, meta) {
      var wanted = found.map(function (t) { return t.term; }).filter(function (term) { return !postingsOf.has(term); });
      return loadHanOrHashed(wanted, "postings", "t", meta.postings, mergePostings);
    }

    // What is in a Han file (han/N.json) comes from it, the rest from the files hashed by prefix + name.
    function loadHanOrHashed(names, folder, prefix, count, merge) {
      var hanFiles = new Set(), keys = [];
      names.forEach(function (name) {
        if (hanFile.has(name)) hanFiles.add(hanFile.get(name));
        else keys.push(prefix + name);
      });
      return Promise.all(Array.from(hanFiles).map(loadHan).concat([loadHashed(folder, count, keys, merge)]));
    }

    function mergePostings(table, file) {
      Object.keys(table).forEach(function (term) { if (!postingsOf.has(term)) postingsOf.set(term, table[term]); });
      Object.keys(file.d || {}).forEach(function (number) { carried.set(Number(number), file.d[number]); });
    }

    // han/N.json: Han terms' postings, the documents of their best entries, their characters' readings.
    // Its words that meta.json does not list become known here (export.listed_terms).
    function loadHan(n) {
      return fetchJson("han/" + n + ".json").then(function (file) {
        if (file.merged) return;
        file.merged = true;
        Object.keys(file.t).forEach(function (term) {
          if (!lexicon.has(term)) { lexicon.add(term); hanFile.set(term, n); }
        });
        mergePostings(file.t, file);
        Object.keys(file.r).forEach(function (ch) {
          charsSeen.add(ch);
          if (!allReadings) readings.set(ch, file.r[ch].split(" "));
        });
      });
    }

    // A character of the Han lexicon has its readings in its postings file (a query fetches that
    // file anyway); any other, in the character tables, with its Simplified form if it has one.
    function loadChars(chars, meta) {
      var wanted = Array.from(new Set(chars)).filter(function (ch) { return !charsSeen.has(ch); });
      return loadHanOrHashed(wanted, "chars", "h", meta.chars, function (table) {
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

    function prefixTerms(prefix) {
      var out = [];
      lexicon.forEach(function (term) {
        if (!isCjk(term) && term !== prefix && term.slice(0, prefix.length) === prefix) out.push(term);
      });
      return out.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0); });
    }

    function readingsOf(ch) { return readings.get(ch); }

    function unknownCharacters(analysis, meta) {
      var out = [];
      analysis.cjk.forEach(function (piece) {
        Array.from(piece[0]).forEach(function (ch) { if (meta.particles.indexOf(ch) < 0 && !has(ch)) out.push(ch); });
      });
      return out;
    }

    function charactersAt(analysis, positions) {
      return Array.from(positions).map(function (p) { return analysis.text[p]; });
    }

    // Han terms are all in meta.json, so what a query's Han pieces need can be requested at once,
    // while the lexicon shards of its spellings load: the readings of characters no word explains
    // first (the typo round waits on them, then on more files), then the postings of the Han terms
    // (HTTP/1.1 opens 6 connections to a host; the rest queue in the order asked).
    // Not when a character is unknown: the query may be Traditional and is analysed again.
    function prefetchHan(analysis, meta) {
      if (unknownCharacters(analysis, meta).length) return;
      var han = matchTerms(analysis, meta, has, prefixTerms, false).filter(function (t) { return isCjk(t.term); });
      var weak = weakPositions(analysis, han, meta);
      if (hasGuesses(analysis, weak)) loadChars(charactersAt(analysis, weak), meta).catch(function () {});
      loadPostings(han, meta).catch(function () {});
    }

    /** Every step of a query, for the search and for tests: {analysis, found, ranked}. */
    function steps(query, limit, prefix) {
      return loadMeta().then(function (meta) {
        var analysis = analyze(query, meta, t2s);
        var lexiconLoaded = loadKeys(shardKeys(analysis), meta);
        prefetchHan(analysis, meta);
        return lexiconLoaded.then(function () {
          // Characters the index has never seen may be Traditional: look them up and start again.
          var unknown = unknownCharacters(analysis, meta);
          if (!unknown.length) return analysis;
          return loadChars(unknown, meta).then(function () {
            var again = analyze(query, meta, t2s);
            return loadKeys(shardKeys(again), meta).then(function () { return again; });
          });
        }).then(function (analysis) {
          // The files of the Han terms known so far hold the words meta.json does not list.
          var known = matchTerms(analysis, meta, has, prefixTerms, prefix);
          return loadPostings(known, meta).then(function () { return analysis; });
        }).then(function (analysis) {
          var found = matchTerms(analysis, meta, has, prefixTerms, prefix);
          var weak = weakPositions(analysis, found, meta);
          if (!hasGuesses(analysis, weak)) return [analysis, found];
          // Pinyin guesses for characters no word explains (homophone typos): their readings first.
          var readingsLoaded = loadChars(charactersAt(analysis, weak), meta);
          // The guesses only add terms: the postings of those found so far load meanwhile.
          loadPostings(found, meta).catch(function () {});
          return readingsLoaded.then(function () {
            var candidates = typoCandidates(analysis, found, meta, readingsOf);
            return loadKeys(candidates.map(function (cand) { return termKey(cand[0]); }), meta).then(function () {
              candidates.forEach(function (cand) {
                if (has(cand[0])) {
                  var weight = meta.constants.typoFactor * cjkWeight(cand[2] - cand[1], meta.constants) *
                    (cand[3] ? meta.constants.fuzzyFactor : 1);
                  found.push(QueryTerm(cand[0], weight, cand[1], cand[2], false, true));
                }
              });
              return [analysis, found];
            });
          });
        }).then(function (done) {
          var analysis = done[0], found = done[1];
          return loadPostings(found, meta).then(function () {
            return { meta: meta, analysis: analysis, found: found, ranked: rank(analysis, found, meta, postings, limit) };
          });
        });
      });
    }

    // Results with what the page shows of them: most documents came with the postings; the chunks
    // of the others are loaded, all at once.
    function describe(ranked, meta) {
      function docOf(number) {
        if (carried.has(number)) return Promise.resolve(carried.get(number));
        return fetchJson("docs/" + Math.floor(number / meta.docChunk) + ".json").then(function (chunk) {
          return chunk.d[number % meta.docChunk];
        });
      }
      return Promise.all(ranked.map(function (r) {
        return docOf(r[0]).then(function (doc) {
          return { id: doc[0], question: doc[1], breadcrumb: meta.categories[doc[2]].slice(), score: r[1],
                   matched: r[2].slice(), weak: r[3] < meta.constants.weakShare };
        });
      }));
    }

    /** search(query, {limit, prefix}) → Promise of [{id, question, breadcrumb, score, matched}]. */
    function search(query, searchOptions) {
      searchOptions = searchOptions || {};
      var limit = Math.max(1, Math.min(100, searchOptions.limit || 10));
      return steps(String(query == null ? "" : query), limit, !!searchOptions.prefix).then(function (done) {
        return describe(done.ranked, done.meta);
      });
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

    return {
      format: format,
      meta: loadMeta,
      /** What every query needs, fetched ahead of the first (meta.json); resolves when loaded. */
      prefetch: loadMeta,
      steps: function (query, stepOptions) {
        stepOptions = stepOptions || {};
        return steps(String(query), stepOptions.limit || 10, !!stepOptions.prefix);
      },
      search: search,
      loadAllReadings: loadAllReadings,
      hasAllReadings: function () { return allReadings; },
      simplified: function (ch) { return t2s.get(ch) || ch; },
      readingsOf: readingsOf,
    };
  }

  return {
    createEngine: createEngine,
    isCjk: isCjk,
    numeralValue: numeralValue,
    fnv1a: fnv1a,
    decodePostings: decodePostings,
    termKey: termKey,
    unpackTerms: unpackTerms,
  };
});
