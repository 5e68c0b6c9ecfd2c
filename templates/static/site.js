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
  // recommendations: combined filters with counts, state in the URL, CSV of the filtered set
  var form = document.getElementById("rec-filters");
  if (form) {
    var text = document.getElementById("rec-filter"), out = document.getElementById("rec-count");
    var selects = [].slice.call(form.querySelectorAll("select[data-facet]"));
    var items = [].slice.call(document.querySelectorAll("li.rec-item"));
    var csvData = JSON.parse(document.getElementById("rec-rows").textContent);
    var has = function (li, key, v) {
      var raw = li.getAttribute("data-" + key) || "";
      return key === "t" || key === "s" ? raw.split("|").indexOf(v) >= 0 : raw === v;
    };
    var passes = function (li, skip) {
      var q = text.value.trim();
      if (q && li.textContent.indexOf(q) < 0) return false;
      return selects.every(function (sel) {
        var key = sel.getAttribute("data-facet");
        return key === skip || !sel.value || has(li, key, sel.value);
      });
    };
    var field = function (v) { return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; };
    var csv = function (shown) {
      var rows = shown.map(function (li) { return +li.getAttribute("data-row"); }).sort(function (a, b) { return a - b; });
      return [csvData.header].concat(rows.map(function (n) { return csvData.rows[n]; }))
        .map(function (row) { return row.map(field).join(",") + "\n"; }).join("");
    };
    var link = document.getElementById("rec-csv"), blobUrl = null;
    var apply = function (push) {
      var shown = items.filter(function (li) { return passes(li, null); });
      items.forEach(function (li) { li.hidden = shown.indexOf(li) < 0; });
      document.querySelectorAll("section.recgroup").forEach(function (sec) {
        sec.hidden = !sec.querySelector("li.rec-item:not([hidden])");
      });
      selects.forEach(function (sel) {
        var key = sel.getAttribute("data-facet");
        [].forEach.call(sel.options, function (o) {
          if (!o.hasAttribute("data-label")) o.setAttribute("data-label", o.textContent);
          var n = items.filter(function (li) { return passes(li, key) && (!o.value || has(li, key, o.value)); }).length;
          o.textContent = o.getAttribute("data-label") + "（" + n + "）";
          o.disabled = !n && o.value !== sel.value;
        });
      });
      var filtered = text.value.trim() || selects.some(function (s) { return s.value; });
      out.textContent = "显示 " + shown.length + " / " + items.length + " 项建议";
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      blobUrl = URL.createObjectURL(new Blob([csv(shown)], {type: "text/csv;charset=utf-8"}));
      link.href = blobUrl;
      link.textContent = filtered ? "所筛选的 " + shown.length + " 项建议（CSV）" : "所显示的建议（CSV）";
      var p = new URLSearchParams();
      if (text.value.trim()) p.set("q", text.value.trim());
      selects.forEach(function (s) { if (s.value) p.set(s.getAttribute("data-facet"), s.value); });
      var url = window.location.pathname + (p.toString() ? "?" + p.toString() : "") + window.location.hash;
      if (push) history.replaceState(null, "", url);
    };
    var params = new URLSearchParams(window.location.search);
    text.value = params.get("q") || "";
    selects.forEach(function (s) { s.value = params.get(s.getAttribute("data-facet")) || ""; });
    text.addEventListener("input", function () { apply(true); });
    selects.forEach(function (s) { s.addEventListener("change", function () { apply(true); }); });
    document.getElementById("rec-clear").addEventListener("click", function () {
      text.value = ""; selects.forEach(function (s) { s.value = ""; }); apply(true);
    });
    apply(false);
  }
})();
