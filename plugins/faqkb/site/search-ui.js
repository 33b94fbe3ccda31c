/* faqkb search box and results page: the shopper's side of the search, over search/engine.js.
 * The build concatenates the two into assets/faqkb/search.js, with FORMAT (the index format,
 * search/version.py) set before them (site/scripts.py).
 * Everything shown to the shopper is built with textContent: no query or answer text is ever
 * parsed as HTML. */
(function () {
  "use strict";

  var config = document.querySelector('meta[name="faqkb-search"]');
  if (!config) return;
  var indexUrl = new URL(config.content, location.href);
  var rootUrl = new URL(config.getAttribute("data-root"), location.href);
  var engine = faqkbEngine.createEngine({
    format: FORMAT,
    load: function (path) {
      return fetch(new URL(path, indexUrl).href).then(function (response) {
        if (!response.ok) throw new Error("faqkb: " + path + " " + response.status);
        return response.json();
      });
    },
  });

  // What every query needs (meta.json: the ranking's facts and the Han lexicon) is fetched before
  // the first query, so that typing waits only for the postings and documents it matches: when
  // the page is idle, or as soon as a search box gets focus or a pointer. The engine fetches it
  // once; a failure is retried by the query itself.
  function prefetch() { engine.prefetch().catch(function () {}); }

  function prefetchWhenIdle() {
    var idle = window.requestIdleCallback || function (callback) { return setTimeout(callback, 200); };
    if (document.readyState === "complete") idle(prefetch);
    else window.addEventListener("load", function () { idle(prefetch); });
  }

  function withUrl(result) {
    return {
      id: result.id,
      url: new URL("q/" + encodeURIComponent(result.id) + "/", rootUrl).href,
      question: result.question,
      breadcrumb: result.breadcrumb,
      score: result.score,
      matched: result.matched,
      weak: result.weak,  // no entry answers the query well: the closest are shown, with a notice
    };
  }

  /** Public API: window.faqkb.search(query, {limit}) → Promise of [{id, url, question, breadcrumb, score}]. */
  function search(query, options) {
    return engine.search(query, options).then(function (results) { return results.map(withUrl); });
  }

  /** Results matched by a spelling (pinyin) are shown at once; their titles' pinyin matches are
   * highlighted once every reading is loaded (pinyin.json): `rehighlight(results)` is called then. */
  function searchForDisplay(query, limit, prefix, rehighlight) {
    return search(query, { limit: limit, prefix: prefix }).then(function (results) {
      var spelled = results.some(function (r) { return r.matched.some(function (t) { return !faqkbEngine.isCjk(t); }); });
      if (spelled && !engine.hasAllReadings()) engine.loadAllReadings().then(function () { rehighlight(results); }, function () {});
      return results;
    });
  }

  /** The titles of `results`, shown in `container` in the same order, highlighted again. */
  function highlightAgain(container, results) {
    container.querySelectorAll(".faqkb-result-question").forEach(function (title, i) {
      if (!results[i]) return;
      title.textContent = "";
      title.appendChild(highlighted(results[i].question, results[i].matched));
    });
  }

  // ---- highlighting --------------------------------------------------------------------------
  function highlighted(text, matched) {
    var chars = Array.from(text), normalized = "", owner = [];
    chars.forEach(function (ch, index) {
      var n = ch.normalize("NFKC").toLowerCase();
      n = Array.from(n).map(engine.simplified).join("");
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
    if (engine.hasAllReadings()) markPinyin(chars, marked, matched);
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
    var spelled = matched.filter(function (t) { return !faqkbEngine.isCjk(t); });
    if (!spelled.length) return;
    for (var i = 0; i < chars.length; i++) {
      for (var length = 2; length <= 4 && i + length <= chars.length; length++) {
        var options = chars.slice(i, i + length).map(function (ch) { return (engine.readingsOf(ch) || []).slice(0, 1); });
        if (options.some(function (o) { return !o.length; })) break;
        var full = options.map(function (o) { return o[0]; }).join("");
        var initials = options.map(function (o) { return o[0][0]; }).join("");
        if (spelled.indexOf(full) >= 0 || spelled.indexOf(initials) >= 0) {
          for (var k = i; k < i + length; k++) marked[k] = true;
        }
      }
    }
  }

  // ---- what the shopper does, for other scripts ------------------------------------------------
  // site/analytics.js (loaded only when analytics are configured) listens on document to
  //   faqkb:results {query, count, source: "box" | "page"}: the results a query showed;
  //   faqkb:open {query, id, rank, count}: a result opened (rank from 1) by click or Enter.
  // Nothing is sent from here.
  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent("faqkb:" + name, { detail: detail }));
  }

  function announceOpen(container, link, query) {
    var all = Array.prototype.slice.call(container.querySelectorAll(".faqkb-result"));
    announce("open", { query: query, id: link.getAttribute("data-id"), rank: all.indexOf(link) + 1, count: all.length });
  }

  function announceClicks(container, query) {
    container.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".faqkb-result");
      if (link && container.contains(link)) announceOpen(container, link, query());
    });
  }

  // ---- user interface ------------------------------------------------------------------------
  var uid = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // In the box's popup a result is an option of its listbox; on the results page, a plain link.
  function resultItem(result, id, option) {
    var link = element("a", "faqkb-result");
    link.href = result.url;
    link.id = id;
    link.setAttribute("data-id", result.id);
    if (option) link.setAttribute("role", "option");
    var title = element("span", "faqkb-result-question");
    title.appendChild(highlighted(result.question, result.matched));
    link.appendChild(title);
    link.appendChild(element("span", "faqkb-result-breadcrumb", result.breadcrumb.join(" › ")));
    return link;
  }

  function searchPageUrl(query) {
    var url = new URL("search/", rootUrl);
    // Only what the search reads: servers answer a pasted page of text in the address with 414.
    url.searchParams.set("q", Array.from(query).slice(0, QUERY_MAX_CHARS).join(""));
    return url.href;
  }

  // The WAI-ARIA combobox pattern (APG): the input controls a listbox of options inside a popup
  // that also holds the "no results" text and the link to every result; a polite live region
  // says how many were found.
  function attachBox(form, input, options) {
    var popup = element("div", "faqkb-results");
    popup.hidden = true;
    var list = element("div", "faqkb-options");
    list.id = "faqkb-results-" + (++uid);
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "搜索结果");
    var status = element("div", "faqkb-sr-only");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    popup.appendChild(list);
    form.appendChild(popup);
    form.appendChild(status);
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
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }
    function open() {
      popup.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function show(results, query, note) {
      list.textContent = "";
      Array.prototype.slice.call(popup.querySelectorAll(".faqkb-results-empty, .faqkb-results-more"))
        .forEach(function (node) { node.remove(); });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      results.forEach(function (result, i) { list.appendChild(resultItem(result, list.id + "-" + i, true)); });
      if (note) popup.insertBefore(element("div", "faqkb-results-empty", note), list);
      if (results.length) {
        var more = element("a", "faqkb-results-more", "查看全部结果");
        more.href = searchPageUrl(query);
        popup.appendChild(more);
      }
      status.textContent = !results.length ? note
        : (note ? "没有找到完全匹配的问题，有 " : "找到 ") + results.length + " 个" + (note ? "可能" : "")
          + "相关问题，按上下方向键选择。";
      popup.setAttribute("data-query", query);  // which query the list shows (results arrive per keystroke)
      open();
    }
    function update() {
      var query = input.value, mine = ++generation;
      if (!query.trim()) { list.textContent = ""; status.textContent = ""; close(); return; }
      searchForDisplay(query, options.limit, true, function (results) {
        if (mine === generation) highlightAgain(list, results);
      }).then(function (results) {
        if (mine !== generation) return;
        var note = !results.length ? "没有找到相关问题。按回车查看热门问题和客服联系方式。"
          : results[0].weak ? "没有找到完全匹配的问题，下面是可能相关的问题：" : "";
        show(results, query, note);
        announce("results", { query: query, count: results.length, source: "box" });
      }).catch(function (error) {
        if (mine !== generation) return;
        show([], query, "搜索暂时不可用，请稍后再试。");
        if (window.console) console.error(error);
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 40);
    });
    input.addEventListener("focus", function () {
      prefetch();
      if (input.value.trim() && popup.hasAttribute("data-query")) open();
    });
    input.addEventListener("pointerdown", prefetch);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (popup.hidden) update(); else setActive(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); setActive(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        var all = items();
        if (active >= 0 && all[active]) {
          announceOpen(list, all[active], popup.getAttribute("data-query"));
          location.href = all[active].href;
        } else if (input.value.trim()) {
          location.href = searchPageUrl(input.value);
        }
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.value.trim()) location.href = searchPageUrl(input.value);
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) close(); });
    announceClicks(list, function () { return popup.getAttribute("data-query"); });
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
    announceClicks(list, function () { return query; });
    searchForDisplay(query, 50, false, function (results) { highlightAgain(list, results); }).then(function (results) {
      list.textContent = "";
      announce("results", { query: query, count: results.length, source: "page" });
      if (!results.length) {
        heading.textContent = "没有找到与“" + query + "”相关的问题。";
        empty.hidden = false;
        return;
      }
      empty.hidden = true;
      heading.textContent = results[0].weak
        ? "没有找到完全匹配“" + query + "”的问题，下面是可能相关的 " + results.length + " 个问题："
        : "找到 " + results.length + " 个与“" + query + "”相关的问题：";
      results.forEach(function (result, i) {
        var item = element("li");
        item.appendChild(resultItem(result, "faqkb-page-result-" + i, false));
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
    prefetchWhenIdle();
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
