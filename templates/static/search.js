// wgindex search: bigram shards fetched on demand, every candidate checked against its text.
// Two tiers: exact matches (the query as typed; recall 100%) and near matches (the query's
// pieces close together: 证人保护 finds 给予证人特别保护).  Results are grouped by document,
// ranked (symbol/title matches, then recommendations, then the rest, near matches last),
// filtered by working group, year and kind, and paged; query, filters and page live in the URL.
(function () {
  "use strict";
  var results = document.getElementById("search-results");
  if (!results) return;
  var status = document.getElementById("search-status");
  var facetsEl = document.getElementById("search-facets");
  var pagerEl = document.getElementById("search-pages");
  var input = document.getElementById("q2");
  var root = document.body.getAttribute("data-root") || "";
  var params = new URLSearchParams(window.location.search);
  var query = params.get("q") || "";
  var PER_PAGE = Math.min(100, Math.max(1, parseInt(params.get("n") || "10", 10) || 10)), SHOWN = 3;
  var KINDS = {doc: "文件", rec: "建议", para: "段落", item: "议程项目", fn: "脚注", row: "索引行", topic: "专题", entity: "国家和组织"};
  // topics and states are pages of their own; their hits are shown together, under their index
  var SHELVES = {topic: ["topics/", "专题"], entity: ["states/", "国家和组织"]};
  var KIND_ORDER = ["doc", "rec", "para", "item", "fn", "row", "topic", "entity"];
  input.value = query;
  if (window.location.protocol === "file:") {
    status.textContent = "搜索需要通过 HTTP 访问本网站（浏览器不允许从本地文件读取索引）。请在网站所在目录运行 “wgindex serve site” 或 “python3 -m http.server”，然后打开 http://127.0.0.1:8000/search/。";
    return;
  }
  function norm(s) { return s.replace(/\s+/g, " ").trim().toLowerCase(); }
  function shardOf(g) { return (g.charCodeAt(0) * 31 + g.charCodeAt(1)) % 64; }
  function pad(n, w) { n = String(n); while (n.length < w) n = "0" + n; return n; }
  function get(path) { return fetch(root + path).then(function (r) { if (!r.ok) throw new Error(path); return r.json(); }); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]; }); }
  function bigrams(s) { var o = {}; for (var i = 0; i + 1 < s.length; i++) o[s.slice(i, i + 2)] = true; return Object.keys(o); }
  // the same rules as wgindex.site.search.pieces and .near
  function pieces(q) {
    var out = [];
    q.split(" ").forEach(function (w) {
      if (w.length < 2) return;
      if (/[\u2e80-\uffff]/.test(w)) {
        for (var k = 0; k + 1 < w.length; k += 2) out.push(w.slice(k, k + 2));
        if (w.length % 2 && w.length > 2) out.push(w.slice(-2));
      } else out.push(w);
    });
    return out.length > 1 ? out : [];
  }
  function nearSpan(text, parts, q) {
    var limit = Math.max(3 * q.length, q.length + 6), hits = [];
    for (var n = 0; n < parts.length; n++) {
      var k = text.indexOf(parts[n]);
      if (k < 0) return null;
      while (k >= 0) { hits.push([k, k + parts[n].length, n]); k = text.indexOf(parts[n], k + 1); }
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    var need = new Set(parts.map(function (_, i) { return i; })).size, have = {}, count = 0, lo = 0;
    for (var hi = 0; hi < hits.length; hi++) {
      var m = hits[hi][2];
      if (!have[m]) count++;
      have[m] = (have[m] || 0) + 1;
      while (count === need) {
        var end = 0;
        for (var j = lo; j <= hi; j++) end = Math.max(end, hits[j][1]);
        if (end - hits[lo][0] <= limit) return [hits[lo][0], end];
        var x = hits[lo][2];
        have[x]--; if (!have[x]) count--;
        lo++;
      }
    }
    return null;
  }
  function snippet(text, span) {
    var t = text.replace(/\s+/g, " ");
    if (!span) return esc(t.slice(0, 120)) + (t.length > 120 ? "…" : "");
    var a = Math.max(0, span[0] - 40), b = Math.min(t.length, span[1] + 60);
    return (a > 0 ? "…" : "") + esc(t.slice(a, span[0])) + "<mark>" + esc(t.slice(span[0], span[1])) + "</mark>" + esc(t.slice(span[1], b)) + (b < t.length ? "…" : "");
  }
  function href(u) { return root + u.replace(/\/(#|$)/, "/index.html$1"); }
  function withParams(changes) {
    var p = new URLSearchParams(window.location.search);
    Object.keys(changes).forEach(function (k) { if (changes[k] === null || changes[k] === "") p.delete(k); else p.set(k, changes[k]); });
    if (!("p" in changes)) p.delete("p");
    return "?" + p.toString();
  }
  function postings(grams) {
    return Promise.all(grams.map(function (g) {
      return get("search/idx/" + pad(shardOf(g), 2) + ".json").then(function (s) { return s[g] || []; });
    })).then(function (lists) {
      var cand = null;
      lists.forEach(function (deltas) {
        var ids = new Set(), acc = 0;
        deltas.forEach(function (d) { acc += d; ids.add(acc); });
        cand = cand === null ? ids : new Set([...cand].filter(function (x) { return ids.has(x); }));
      });
      return cand || new Set();
    });
  }
  var q = norm(query);
  if (!q) { status.textContent = "输入要查找的文字（至少两个字符）。"; return; }
  if (q.length < 2) { status.textContent = "请输入至少两个字符。"; return; }
  document.title = query + " · 搜索 · wgindex";
  status.textContent = "正在搜索……";
  var parts = pieces(q);
  var nearGrams = [];
  parts.forEach(function (x) { nearGrams = nearGrams.concat(bigrams(x)); });
  get("search/meta.json").then(function (meta) {
    return Promise.all([postings(bigrams(q)), parts.length ? postings(nearGrams.filter(function (g, i) { return nearGrams.indexOf(g) === i; })) : Promise.resolve(new Set())])
      .then(function (sets) {
        var ids = [...new Set([...sets[0], ...sets[1]])].sort(function (a, b) { return a - b; });
        var chunks = {};
        ids.forEach(function (id) { chunks[Math.floor(id / meta.chunk)] = true; });
        var keys = Object.keys(chunks);
        return Promise.all(keys.map(function (k) { return get("search/text/" + pad(k, 4) + ".json"); })).then(function (loaded) {
          var byChunk = {}, hits = [];
          keys.forEach(function (k, j) { byChunk[k] = loaded[j]; });
          ids.forEach(function (id) {
            var e = byChunk[Math.floor(id / meta.chunk)][id % meta.chunk];
            var text = norm(e.x + " " + e.t), k = text.indexOf(q), span = null, isNear = false;
            if (k >= 0) {
              var kx = norm(e.x).indexOf(q);
              span = kx >= 0 ? [kx, kx + q.length] : null;
            } else if (parts.length && (span = nearSpan(text, parts, q))) {
              isNear = true;
              span = nearSpan(norm(e.x), parts, q);
            } else return;
            var kind = e.k === "symbol" ? "doc" : e.k;
            var tier = isNear ? 4 : kind === "doc" && (norm(e.d) === q || norm(e.t) === q) ? 0
                     : kind === "doc" && (norm(e.d).indexOf(q) >= 0 || norm(e.t).indexOf(q) >= 0) ? 1
                     : kind === "rec" ? 2 : 3;
            hits.push({id: id, e: e, kind: kind, near: isNear, tier: tier, span: span,
                       page: SHELVES[kind] ? SHELVES[kind][0] : e.u.split("#")[0], group: e.g || "", year: e.y ? String(e.y) : ""});
          });
          return hits;
        });
      });
  }).then(function (hits) {
    var want = {g: params.get("g") || "", y: params.get("y") || "", k: params.get("k") || ""};
    var field = {g: "group", y: "year", k: "kind"};
    function passes(h, skip) {
      return Object.keys(want).every(function (f) { return f === skip || !want[f] || h[field[f]] === want[f]; });
    }
    var shown = hits.filter(function (h) { return passes(h, null); });
    // facets: the counts of each value among the hits that pass the other filters
    var facetHtml = [["k", "类别"], ["g", "工作组"], ["y", "年份"]].map(function (fl) {
      var f = fl[0], counts = {};
      hits.forEach(function (h) { if (passes(h, f)) { var v = h[field[f]]; counts[v] = (counts[v] || 0) + 1; } });
      var values = Object.keys(counts).filter(function (v) { return v !== ""; });
      if (f === "k") values.sort(function (a, b) { return KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b); });
      else if (f === "y") values.sort(function (a, b) { return b - a; });
      else values.sort();
      if (!values.length) return "";
      var total = Object.keys(counts).reduce(function (s, v) { return s + counts[v]; }, 0);
      var items = ['<li><a href="' + esc(withParams({[f]: null})) + '"' + (want[f] ? "" : ' aria-current="true"') + ">全部 <span class=\"n\">" + total + "</span></a></li>"];
      values.forEach(function (v) {
        var label = f === "k" ? KINDS[v] || v : v;
        items.push('<li><a href="' + esc(withParams({[f]: v})) + '" data-facet="' + f + '" data-value="' + esc(v) + '"' + (want[f] === v ? ' aria-current="true"' : "") + ">" + esc(label) + ' <span class="n">' + counts[v] + "</span></a></li>");
      });
      return '<div class="facet"><h2 id="facet-' + f + '">' + fl[1] + '</h2><ul aria-labelledby="facet-' + f + '">' + items.join("") + "</ul></div>";
    }).join("");
    // on a phone the filters fold away above the results (open when one is in use)
    var narrow = window.matchMedia("(max-width: 600px)").matches;
    var active = want.g || want.y || want.k;
    facetsEl.innerHTML = narrow
      ? '<details class="facets-fold"' + (active ? " open" : "") + "><summary>筛选结果（类别、工作组、年份）" + (active ? "：已筛选" : "") + "</summary>" + facetHtml + "</details>"
      : facetHtml;
    facetsEl.hidden = !facetHtml;
    // groups: one per page (document, topic, state), ranked by their best hit
    var groups = {}, order = [];
    shown.forEach(function (h) {
      var g = groups[h.page];
      if (!g) { g = groups[h.page] = {page: h.page, hits: [], best: 9, first: h.id, doc: null}; order.push(g); }
      g.hits.push(h);
      g.best = Math.min(g.best, h.tier);
      if (h.kind === "doc") g.doc = h.e;
    });
    order.sort(function (a, b) { return a.best - b.best || b.hits.length - a.hits.length || a.first - b.first; });
    order.forEach(function (g) { g.hits.sort(function (a, b) { return a.tier - b.tier || a.id - b.id; }); });
    var exact = shown.filter(function (h) { return !h.near; }).length, nearN = shown.length - exact;
    var pages = Math.max(1, Math.ceil(order.length / PER_PAGE));
    var pageNo = Math.min(pages, Math.max(1, parseInt(params.get("p") || "1", 10) || 1));
    var filtered = want.g || want.y || want.k ? "（已筛选）" : "";
    status.textContent = shown.length
      ? "“" + query + "”：" + exact + " 处完全匹配" + (nearN ? "，另有 " + nearN + " 处相近匹配" : "") + "，在 " + order.length + " 个文件或索引中" + filtered + (pages > 1 ? "；第 " + pageNo + "/" + pages + " 页" : "") + "。"
      : "没有找到：" + query + filtered;
    results.innerHTML = order.slice((pageNo - 1) * PER_PAGE, pageNo * PER_PAGE).map(function (g) {
      var first = g.hits[0].e;
      var shelf = SHELVES[g.hits[0].kind];
      var name = shelf ? shelf[1] : g.doc ? g.doc.d || g.doc.t : first.d || first.t;
      var title = g.doc && g.doc.t.indexOf(name) < 0 ? g.doc.t : "";  // not the name again
      var li = function (h) {
        var own = h.kind === "doc" && h.e.u === g.page;  // the document's own entry: its page
        var label = own ? "文件页面" : h.e.t.indexOf(name + "，") === 0 || h.e.t.indexOf(name + "：") === 0 ? h.e.t.slice(name.length + 1) : h.e.t;
        return '<li class="hit' + (h.near ? " near" : "") + '"><a href="' + esc(href(h.e.u)) + '">' + esc(label) + "</a>" +
               ' <span class="kind">' + esc(KINDS[h.kind] || "") + "</span>" +
               (h.near ? ' <span class="badge">相近匹配</span>' : "") +
               "<p>" + (own ? esc(h.e.t) : snippet(h.e.x, h.span)) + "</p></li>";
      };
      var head = g.hits.slice(0, SHOWN).map(li).join(""), rest = g.hits.slice(SHOWN);
      return '<li class="group"><h2><a href="' + esc(href(g.page)) + '">' + esc(name) + "</a>" +
             (title ? ' <span class="small">' + esc(title) + "</span>" : "") +
             (first.m && !shelf ? ' <span class="small">' + esc(first.m) + "</span>" : "") +
             ' <span class="count">' + g.hits.length + " 处</span></h2>" +
             '<ol class="hits">' + head + "</ol>" +
             (rest.length ? '<details class="more"><summary>其余 ' + rest.length + " 处</summary><ol class=\"hits\">" + rest.map(li).join("") + "</ol></details>" : "") +
             "</li>";
    }).join("");
    if (pages > 1) {
      var links = [];
      if (pageNo > 1) links.push('<a rel="prev" href="' + esc(withParams({p: pageNo - 1})) + '">上一页</a>');
      for (var n = 1; n <= pages; n++) {
        if (n !== 1 && n !== pages && Math.abs(n - pageNo) > 2) { if (links[links.length - 1] !== "…") links.push("…"); continue; }
        links.push(n === pageNo ? '<a aria-current="page" href="' + esc(withParams({p: n})) + '">' + n + "</a>" : '<a href="' + esc(withParams({p: n})) + '">' + n + "</a>");
      }
      if (pageNo < pages) links.push('<a rel="next" href="' + esc(withParams({p: pageNo + 1})) + '">下一页</a>');
      pagerEl.innerHTML = links.join(" ");
      pagerEl.hidden = false;
    }
  }).catch(function (err) { status.textContent = "搜索索引无法读取（" + err.message + "）。"; });
})();
