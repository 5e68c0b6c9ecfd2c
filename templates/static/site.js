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
})();
