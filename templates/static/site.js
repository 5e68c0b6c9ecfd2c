// wgindex: copy citation, recommendation filter, search. No external requests.
(function () {
  "use strict";
  function pageUrl(anchor) {
    var base = document.body.getAttribute("data-base-url");
    var loc = window.location;
    var url = loc.href.split("#")[0];
    if (base) {
      var root = document.body.getAttribute("data-root") || "";
      var here = new URL(loc.href);
      var rootUrl = new URL(root || "./", here);
      var rel = here.pathname.substring(rootUrl.pathname.length).replace(/index\.html$/, "");
      url = base.replace(/\/$/, "") + "/" + rel;
    } else {
      url = url.replace(/index\.html$/, "");
    }
    return anchor ? url + "#" + anchor : url;
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var ta = document.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "absolute"; ta.style.left = "-9999px";
    document.body.appendChild(ta); ta.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(ta); }
    return Promise.resolve();
  }
  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute("content") : "";
  }
  // a paragraph's citation in the formats reference managers import (from the page's citation_* tags)
  function formats(cite, url, anchor) {
    var au = meta("citation_author"), d = meta("citation_publication_date"), sym = meta("citation_technical_report_number");
    var lang = meta("citation_language"), y = d.slice(0, 4);
    var key = ((sym || "doc") + "_" + (anchor || "")).replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "");
    var esc = function (s) { return s.replace(/([{}&%$#_])/g, "\\$1"); };
    var bib = "@techreport{" + key + ",\n  title = {" + esc(cite) + "},\n  author = {{" + esc(au) + "}},\n" +
      "  institution = {United Nations},\n" + (sym ? "  number = {" + esc(sym) + "},\n" : "") +
      (y ? "  year = {" + y + "},\n  date = {" + d + "},\n" : "") + (lang ? "  langid = {" + lang + "},\n" : "") +
      "  url = {" + url + "}\n}\n";
    var ris = ["TY  - RPRT", "TI  - " + cite, "AU  - " + au, "PB  - United Nations"]
      .concat(y ? ["PY  - " + y, "DA  - " + d.replace(/-/g, "/")] : [], sym ? ["SN  - " + sym] : [],
              lang ? ["LA  - " + lang] : [], ["UR  - " + url, "ER  - "]).join("\r\n") + "\r\n";
    var item = {id: key, type: "report", title: cite, author: [{literal: au}], publisher: "United Nations", URL: url};
    if (sym) item.number = sym;
    if (d) item.issued = {"date-parts": [d.split("-").map(Number)]};
    if (lang) item.language = lang;
    return {"BibTeX": bib, "RIS": ris, "CSL-JSON": JSON.stringify([item], null, 1) + "\n"};
  }
  function offerFormats(b, cite, url) {
    if (!meta("citation_title")) return;
    var old = document.querySelector(".cite-formats");
    if (old) old.remove();
    var box = document.createElement("span");
    box.className = "cite-formats"; box.setAttribute("role", "group"); box.setAttribute("aria-label", "复制为其他格式");
    var f = formats(cite, url, b.getAttribute("data-anchor"));
    Object.keys(f).forEach(function (name) {
      var x = document.createElement("button");
      x.type = "button"; x.className = "cite-format"; x.textContent = name; x.setAttribute("data-format", name);
      x.addEventListener("click", function () {
        copy(f[name]).then(function () { x.textContent = name + " 已复制"; x.classList.add("copied"); });
      });
      box.appendChild(x);
    });
    b.insertAdjacentElement("afterend", box);
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("button.cite");
    if (!b) return;
    var href = b.getAttribute("data-href");
    var url = href ? new URL(href, window.location.href).href.replace(/index\.html(?=#|$)/, "") : pageUrl(b.getAttribute("data-anchor"));
    var text = b.getAttribute("data-cite") + " " + url;
    offerFormats(b, b.getAttribute("data-cite"), url);
    copy(text).then(function () {
      var old = b.textContent; b.textContent = "已复制"; b.classList.add("copied");
      setTimeout(function () { b.textContent = old; b.classList.remove("copied"); }, 1500);
    });
  });
  // recommendations filter
  var f = document.getElementById("rec-filter"), sel = document.getElementById("rec-meeting");
  if (f && sel) {
    var out = document.getElementById("rec-count");
    var apply = function () {
      var q = f.value.trim(), m = sel.value, shown = 0;
      document.querySelectorAll("section.recgroup").forEach(function (sec) {
        var okM = !m || sec.getAttribute("data-meeting") === m, any = false;
        sec.querySelectorAll("li.rec-item").forEach(function (li) {
          var ok = okM && (!q || li.textContent.indexOf(q) >= 0);
          li.hidden = !ok; if (ok) { any = true; shown++; }
        });
        sec.hidden = !any;
      });
      out.textContent = "显示 " + shown + " 项建议";
    };
    f.addEventListener("input", apply); sel.addEventListener("change", apply); apply();
  }
  if (window.wgindexSearch) window.wgindexSearch();
})();
// --- search: bigram shards fetched on demand, matches checked against the text ---------------
(function () {
  "use strict";
  var results = document.getElementById("search-results");
  if (!results) return;
  var status = document.getElementById("search-status");
  var input = document.getElementById("q2");
  var root = document.body.getAttribute("data-root") || "";
  var params = new URLSearchParams(window.location.search);
  var query = params.get("q") || "";
  input.value = query;
  if (window.location.protocol === "file:") {
    status.textContent = "搜索需要通过 HTTP 访问本网站（浏览器不允许从本地文件读取索引）。请在网站所在目录运行 “wgindex serve site” 或 “python3 -m http.server”，然后打开 http://127.0.0.1:8000/search/。";
    return;
  }
  function norm(s) { return s.replace(/\s+/g, " ").trim().toLowerCase(); }
  function shardOf(g) { return (g.charCodeAt(0) * 31 + g.charCodeAt(1)) % 64; }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  function get(path) { return fetch(root + path).then(function (r) { if (!r.ok) throw new Error(path); return r.json(); }); }
  function escapeHtml(s) { return s.replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }
  function snippet(text, q) {
    var t = text.replace(/\s+/g, " "), i = t.toLowerCase().indexOf(q);
    if (i < 0) return escapeHtml(t.slice(0, 120));
    var a = Math.max(0, i - 40), b = Math.min(t.length, i + q.length + 60);
    return (a > 0 ? "…" : "") + escapeHtml(t.slice(a, i)) + "<mark>" + escapeHtml(t.slice(i, i + q.length)) + "</mark>" + escapeHtml(t.slice(i + q.length, b)) + (b < t.length ? "…" : "");
  }
  var q = norm(query);
  if (!q) { status.textContent = "输入要查找的文字（至少两个字符）。"; return; }
  if (q.length < 2) { status.textContent = "请输入至少两个字符。"; return; }
  status.textContent = "正在搜索……";
  var grams = {};
  for (var i = 0; i + 1 < q.length; i++) grams[q.slice(i, i + 2)] = true;
  grams = Object.keys(grams).sort();
  get("search/meta.json").then(function (meta) {
    return Promise.all(grams.map(function (g) { return get("search/idx/" + pad(shardOf(g), 2) + ".json").then(function (s) { return s[g] || []; }); }))
      .then(function (lists) {
        var cand = null;
        lists.forEach(function (deltas) {
          var ids = new Set(), acc = 0;
          deltas.forEach(function (d) { acc += d; ids.add(acc); });
          cand = cand === null ? ids : new Set([...cand].filter(function (x) { return ids.has(x); }));
        });
        var ids = [...(cand || [])].sort(function (a, b) { return a - b; });
        var chunks = {};
        ids.forEach(function (id) { chunks[Math.floor(id / meta.chunk)] = true; });
        var keys = Object.keys(chunks);
        return Promise.all(keys.map(function (k) { return get("search/text/" + pad(k, 4) + ".json"); })).then(function (loaded) {
          var byChunk = {};
          keys.forEach(function (k, j) { byChunk[k] = loaded[j]; });
          return ids.map(function (id) { return byChunk[Math.floor(id / meta.chunk)][id % meta.chunk]; })
                    .filter(function (e) { return norm(e.x + " " + e.t).indexOf(q) >= 0; });
        });
      });
  }).then(function (hits) {
    status.textContent = hits.length ? "找到 " + hits.length + " 处：" + query : "没有找到：" + query;
    results.innerHTML = hits.map(function (e) {
      return '<li><a href="' + escapeHtml(root + e.u.replace(/\/(#|$)/, "/index.html$1")) + '">' + escapeHtml(e.t) + "</a>" +
             (e.m ? ' <span class="small">' + escapeHtml(e.m) + "</span>" : "") +
             "<p>" + snippet(e.x, q) + "</p></li>";
    }).join("");
  }).catch(function (err) { status.textContent = "搜索索引无法读取（" + err.message + "）。"; });
})();
