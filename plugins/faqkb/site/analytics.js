/* faqkb analytics: what shoppers search for, open, and think of an answer, sent as GET requests to
 * the endpoint set in mkdocs.yml (faqkb: analytics: endpoint), so that any web server's or CDN's
 * access log collects them (deploy/nginx.conf); `faqkb insights` reads that log. The build loads
 * this script only when the endpoint is set, with PROTOCOL (site/analytics.py: event version,
 * vote reasons; search/mask.py: the masking rules) written in before it (site/scripts.py).
 *
 * No cookies, no identifiers: a request carries only v, e, q, n, id, rank, vote and reason. A query
 * is masked (phone numbers, e-mail addresses, order numbers, runs of digits) and capped before it
 * leaves the page. With Global Privacy Control or Do Not Track on, nothing is sent and no vote is
 * asked for.
 *
 * The search box (search-ui.js) reports what happens as DOM events on document: faqkb:results and
 * faqkb:open. A query counts once it has settled: on Enter (the results page), on a result opened,
 * or after PROTOCOL.settleMs without typing; never per keystroke, never twice in a row. */
(function () {
  "use strict";

  var SPACES = new RegExp(PROTOCOL.mask.spaces, "g");
  var MASKS = PROTOCOL.mask.rules.map(function (rule) { return { pattern: new RegExp(rule[0], "g"), replacement: rule[1] }; });

  /** The query as it may leave the page: search/mask.py's mask_query, step for step. */
  function maskQuery(text) {
    var out = String(text).normalize("NFKC").replace(SPACES, " ").replace(/^ +| +$/g, "");
    MASKS.forEach(function (rule) { out = out.replace(rule.pattern, function () { return rule.replacement; }); });
    return Array.from(out).slice(0, PROTOCOL.mask.cap).join("").replace(/ +$/, "");
  }

  if (typeof module === "object" && module.exports) {  // Node's tests (tests/js/mask.test.js)
    module.exports = { maskQuery: maskQuery, PROTOCOL: PROTOCOL };
    return;
  }

  var config = document.querySelector('meta[name="faqkb-analytics"]');
  var declined = navigator.globalPrivacyControl === true
    || ["1", "yes"].indexOf(String(navigator.doNotTrack || window.doNotTrack || navigator.msDoNotTrack)) >= 0;
  if (!config || declined) return;
  var endpoint = new URL(config.content, location.href);

  function send(fields) {
    var url = new URL(endpoint.href);
    url.searchParams.set("v", PROTOCOL.version);
    Object.keys(fields).forEach(function (name) {
      if (fields[name] != null && fields[name] !== "") url.searchParams.set(name, fields[name]);
    });
    // keepalive: the request outlives the page that is being left (a click on a result).
    if (typeof fetch === "function") {
      fetch(url.href, { keepalive: true, mode: "no-cors", credentials: "omit", cache: "no-store",
                        referrerPolicy: "no-referrer" }).catch(function () {});
    } else {
      var image = new Image();
      image.crossOrigin = "anonymous";  // no cookies
      image.referrerPolicy = "no-referrer";
      image.src = url.href;
    }
  }

  // Storage may be refused (private modes, blocked cookies); the page then remembers for itself.
  function storage(kind) {
    try {
      var store = window[kind], probe = "faqkb-probe";
      store.setItem(probe, probe);
      store.removeItem(probe);
      return store;
    } catch (error) {
      var memory = {};
      return { getItem: function (key) { return key in memory ? memory[key] : null; },
               setItem: function (key, value) { memory[key] = String(value); } };
    }
  }
  var session = storage("sessionStorage");
  var local = storage("localStorage");

  // ---- searches and opened results ----------------------------------------------------------------
  var settling = null;

  function searched(query, count) {
    var q = maskQuery(query);
    if (!q || session.getItem("faqkb-last-search") === q) return q;  // the results page after Enter, a reload
    session.setItem("faqkb-last-search", q);
    send({ e: "search", q: q, n: count });
    return q;
  }

  document.addEventListener("faqkb:results", function (event) {
    var detail = event.detail;
    clearTimeout(settling);
    if (detail.source === "page") {
      searched(detail.query, detail.count);
    } else {
      settling = setTimeout(function () { searched(detail.query, detail.count); }, PROTOCOL.settleMs);
    }
  });

  document.addEventListener("faqkb:open", function (event) {
    var detail = event.detail;
    clearTimeout(settling);
    var q = searched(detail.query, detail.count);
    if (q && detail.id) send({ e: "click", q: q, id: detail.id, rank: detail.rank });
  });

  // ---- question pages: a view, and the vote ---------------------------------------------------------
  var answer = document.querySelector(".faqkb-answer[data-faqkb-id]");

  function viewed() {
    send({ e: "view", id: answer.getAttribute("data-faqkb-id") });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function choice(label, value) {
    var button = element("button", "faqkb-vote-choice", label);
    button.type = "button";
    button.value = value;
    button.setAttribute("aria-pressed", "false");
    return button;
  }

  /** 这个回答对您有帮助吗？ 有帮助 / 没帮助, then the reasons after 没帮助; one vote per page per browser.
   * Buttons stay where they are after a choice (aria-disabled, the chosen one pressed), so keyboard
   * focus is never lost; the polite status line says what happened. */
  function voteBox(id) {
    var key = "faqkb-vote:" + id;
    var box = element("section", "faqkb-vote");
    box.setAttribute("aria-labelledby", "faqkb-vote-title");
    var title = element("h2", "faqkb-vote-title", "这个回答对您有帮助吗？");
    title.id = "faqkb-vote-title";
    var votes = element("div", "faqkb-vote-choices");
    votes.appendChild(choice("有帮助", "up"));
    votes.appendChild(choice("没帮助", "down"));
    var reasons = element("div", "faqkb-vote-reasons");
    reasons.setAttribute("role", "group");
    reasons.setAttribute("aria-labelledby", "faqkb-vote-reasons-title");
    reasons.hidden = true;
    var reasonsTitle = element("p", "faqkb-vote-reasons-title", "哪里没帮到您？（可选）");
    reasonsTitle.id = "faqkb-vote-reasons-title";
    reasons.appendChild(reasonsTitle);
    PROTOCOL.reasons.forEach(function (reason) { reasons.appendChild(choice(reason[1], reason[0])); });
    var status = element("p", "faqkb-vote-status");
    status.setAttribute("role", "status");  // a polite live region: screen readers announce its changes
    status.setAttribute("aria-live", "polite");
    box.appendChild(title);
    box.appendChild(votes);
    box.appendChild(reasons);
    box.appendChild(status);

    var pending = null;  // a 没帮助 waiting for its reason: sent with it, or as it is when the page is left

    function settle(group, value) {
      Array.prototype.forEach.call(group.querySelectorAll("button"), function (button) {
        button.setAttribute("aria-pressed", String(button.value === value));
        button.setAttribute("aria-disabled", "true");
      });
    }
    function thank(vote) {
      box.classList.add("faqkb-vote-done");
      status.textContent = vote === "up" ? "感谢您的反馈！" : "感谢您的反馈，我们会改进这个回答。";
    }
    function flush() {
      if (!pending) return;
      send(pending);
      pending = null;
    }
    function leave() {  // the page is hidden or left before a reason was chosen: the vote goes without one
      if (!pending) return;
      flush();
      settle(reasons, "");
      thank("down");
    }

    var earlier = local.getItem(key);
    if (earlier) {
      settle(votes, earlier.split(":")[0]);
      thank(earlier.split(":")[0]);
    }
    votes.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || button.getAttribute("aria-disabled") === "true") return;
      settle(votes, button.value);
      local.setItem(key, button.value);
      if (button.value === "up") {
        send({ e: "vote", id: id, vote: "up" });
        thank("up");
      } else {
        pending = { e: "vote", id: id, vote: "down" };
        reasons.hidden = false;
        status.textContent = "已记下。可以选择没帮到您的原因，帮助我们改进。";
      }
    });
    reasons.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || button.getAttribute("aria-disabled") === "true" || !pending) return;
      settle(reasons, button.value);
      local.setItem(key, "down:" + button.value);
      pending.reason = button.value;
      flush();
      thank("down");
    });
    addEventListener("pagehide", leave);
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") leave(); });
    return box;
  }

  if (answer) {
    // A page the browser prerenders may never be seen: it counts when it is shown.
    if (document.prerendering) document.addEventListener("prerenderingchange", viewed, { once: true });
    else viewed();
    var after = answer.nextElementSibling && answer.nextElementSibling.classList.contains("faqkb-updated")
      ? answer.nextElementSibling : answer;
    after.insertAdjacentElement("afterend", voteBox(answer.getAttribute("data-faqkb-id")));
  }
})();
