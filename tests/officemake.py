"""Fixture PDFs made the way the UN makes its PDFs: a word-processor document exported by a
real office suite (LibreOffice headless, Debian's CJK fonts).

A seed text becomes a flat ODT (``.fodt``) with a masthead table (the symbol in the top-right
cell, optionally wrapped after ``CTOC/COP/``), justified paragraphs whose numbers hang before
a tab stop, real tables with a header row that repeats on every page, a running header with
the symbol and a footer with the job number, date stamps and barcode; ``soffice
--convert-to pdf`` lays it out.  PDFs are cached by the content hash of the ODT, so the suite
converts each variant once per machine.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import sys

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from wgindex.text.layout import join_lines  # noqa: E402
from wgindex.text.read import read_text  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "wgindex-office-fixtures"
NUM_RE = re.compile(r"^(\d{1,3})\.\s*(.*)$")

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="CJK" svg:font-family="'{font}'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:text-align="justify" style:punctuation-wrap="simple"/>
  <style:text-properties style:font-name="CJK" style:font-name-asian="CJK" fo:font-size="{size}pt"
   style:font-size-asian="{size}pt" fo:language="zh" fo:country="CN"/>
 </style:default-style>
 <style:style style:name="Num" style:family="paragraph">
  <style:paragraph-properties fo:text-align="justify" fo:margin-left="0.8cm" fo:text-indent="-0.8cm"
   fo:margin-bottom="0.2cm"><style:tab-stops><style:tab-stop style:position="0cm"/></style:tab-stops>
  </style:paragraph-properties>
 </style:style>
 <style:style style:name="Body" style:family="paragraph">
  <style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.2cm"/>
 </style:style>
 <style:style style:name="Small" style:family="paragraph">
  <style:text-properties fo:font-size="8pt" style:font-size-asian="8pt"/>
 </style:style>
 <style:style style:name="Big" style:family="paragraph">
  <style:paragraph-properties fo:text-align="end"/>
  <style:text-properties fo:font-size="16pt" style:font-size-asian="16pt" fo:font-weight="bold"/>
 </style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="PL"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
   fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="{left}cm" fo:margin-right="{right}cm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0.8cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.8cm"/></style:footer-style>
 </style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="PL">
  <style:header><text:p text:style-name="Small">{header}</text:p></style:header>
  <style:footer><text:p text:style-name="Small">{job}</text:p><text:p text:style-name="Small">{barcode}</text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
{body}
</office:text></office:body></office:document>
"""


def _p(text: str, style: str = "Body") -> str:
    return f'<text:p text:style-name="{style}">{escape(text)}</text:p>'


def _table(rows: list[list[str]]) -> str:
    ncols = max(len(r) for r in rows)
    out = [f'<table:table table:name="T{id(rows)}"><table:table-column table:number-columns-repeated="{ncols}"/>']
    out.append("<table:table-header-rows>")
    for k, r in enumerate(rows):
        if k == 1:
            out.append("</table:table-header-rows>")
        out.append("<table:table-row>" + "".join(
            f"<table:table-cell>{_p(c)}</table:table-cell>" for c in r + [""] * (ncols - len(r)))
            + "</table:table-row>")
    if len(rows) == 1:
        out.append("</table:table-header-rows>")
    out.append("</table:table>")
    return "".join(out)


def _paragraphs(text: str):
    """The paragraphs of the document a seed was extracted from.  A seed's line breaks are
    its extractor's (some seeds are hard-wrapped, some cut a paragraph in mid-sentence across
    a blank line); its paragraphs are the blocks the text reader joins, which the seed facts
    check on the text itself.  Runs of table rows become one table."""
    doc = read_text(text.encode("utf-8"), "seed.txt", "")
    out: list[tuple[str, object]] = []
    for b in join_lines(doc.lines, doc.wrap_width if doc.wrap_width else -1):
        if b.table:
            cells = [c.strip() for c in b.text.split("\t")]
            if out and out[-1][0] == "table":
                out[-1][1].append(cells)
            else:
                out.append(("table", [cells]))
        else:
            out.append(("line", b.text.strip()))
    return out


def text_to_fodt(text: str, *, symbol: str | None = None, wrap_symbol: bool = False,
                 font: str = "AR PL UMing CN", size: float = 11, left: float = 2.5,
                 right: float = 2.5, job: str = "V.22-01234 (C)    160322    170322") -> str:
    body: list[str] = []
    if symbol:
        shown = symbol.replace("CTOC/COP/", "CTOC/COP/\n", 1) if wrap_symbol else symbol
        cell = "".join(_p(x, "Big") for x in shown.split("\n"))
        body.append('<table:table table:name="Masthead"><table:table-column table:number-columns-repeated="2"/>'
                    f'<table:table-row><table:table-cell>{_p("联合国")}</table:table-cell>'
                    f'<table:table-cell>{cell}</table:table-cell></table:table-row></table:table>')
    for kind, value in _paragraphs(text):
        if kind == "table":
            body.append(_table(value))
        elif value:
            m = NUM_RE.match(value)
            body.append(f'<text:p text:style-name="Num">{m.group(1)}.<text:tab/>{escape(m.group(2))}</text:p>'
                        if m else _p(value))
    barcode = "*" + re.sub(r"\D", "", job.split()[0])[:7] + "*"
    return FODT.format(font=escape(font), size=size, left=left, right=right, header=escape(symbol or ""),
                       job=escape(job), barcode=barcode, body="\n".join(body))


def office_pdf(text: str, out: Path, **kw) -> Path:
    """The seed ``text`` laid out by LibreOffice as ``out`` (cached by the ODT's hash)."""
    fodt = text_to_fodt(text, **kw)
    key = hashlib.sha256(fodt.encode("utf-8")).hexdigest()[:20]
    CACHE.mkdir(parents=True, exist_ok=True)
    cached = CACHE / f"{key}.pdf"
    if not cached.exists():
        work = Path(tempfile.mkdtemp(prefix="wgodt-"))
        src = work / f"{key}.fodt"
        src.write_text(fodt, encoding="utf-8")
        subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(work), str(src)],
                       check=True, capture_output=True, timeout=180)
        shutil.move(str(work / f"{key}.pdf"), cached)
        shutil.rmtree(work, ignore_errors=True)
    shutil.copy(cached, out)
    return out


def available() -> bool:
    return shutil.which("soffice") is not None
