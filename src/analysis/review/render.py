"""Render executed notebooks to self-contained HTML pages with the code hidden.

nbconvert's ``basic`` template renders the cells; this module drops everything that is
not for managers (code, the parameters cells, analysts' markdown notes, stream output) and
wraps the result in one accessible page: ``lang`` attribute, one ``h1``, embedded CSS and
images, no scripts, opens offline.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Sequence
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import nbformat

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

HIDDEN_TAGS = {"parameters", "injected-parameters"}

CSS = """
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b5394; --bg-note: #f3f6fa; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       max-width: 62rem; margin: 0 auto; padding: 1.5rem; line-height: 1.5; background: #fff; }
header { border-bottom: 3px solid var(--accent); margin-bottom: 1.5rem; }
h1 { font-size: 1.9rem; margin: .3rem 0 .8rem; }
h2 { font-size: 1.45rem; margin-top: 2.4rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.15rem; margin-top: 1.6rem; }
h4 { font-size: 1rem; }
.meta { color: var(--muted); margin: 0; }
a { color: var(--accent); }
.table-wrap { max-width: 100%; overflow-x: auto; margin: .8rem 0 1.2rem; }
.table-wrap:focus { outline: 2px solid var(--accent); }
table.data { border-collapse: collapse; margin: .8rem 0 1.2rem; font-size: .92rem; }
table.data caption { text-align: left; font-weight: 600; padding: .3rem 0; caption-side: top; }
table.data th, table.data td { border: 1px solid var(--line); padding: .25rem .55rem; vertical-align: top; }
table.data thead th { background: #eef1f5; text-align: left; }
table.data td { text-align: left; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tbody th { text-align: left; font-weight: normal; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .92rem; }
details { margin: .3rem 0 1.2rem; }
summary { cursor: pointer; color: var(--accent); }
.notice { border-left: 5px solid var(--accent); background: var(--bg-note); padding: .6rem .9rem; margin: .9rem 0; }
.notice-example { border-left-color: #8a4b00; background: #fff4e5; }
.notice-missing { border-left-color: #5b5b5b; }
.example-banner { background: #fff4e5; border: 2px solid #8a4b00; padding: .5rem .9rem; font-weight: 600; }
.status { white-space: nowrap; }
footer { margin-top: 3rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .88rem; }
.jp-Cell, .jp-OutputArea-output { margin: 0; padding: 0; }
.lead { font-size: 1.3rem; line-height: 1.4; margin: .4rem 0 .8rem; }
.story p { margin: .35rem 0; max-width: 48rem; }
.note-missing { color: var(--muted); font-size: .92rem; border-left: 4px solid var(--line); padding-left: .6rem; }
.toc ul { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; list-style: none; padding: 0; margin: .8rem 0; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(13.5rem, 1fr)); gap: .7rem; margin: .8rem 0; }
.tile { border: 1px solid var(--line); border-top: 4px solid var(--accent); padding: .5rem .7rem; background: #fafbfd; }
.tile h3 { font-size: .95rem; margin: 0 0 .2rem; }
.tile-value { font-size: 1.7rem; font-weight: 700; margin: 0; white-space: nowrap; }
.tile-period { margin: 0 0 .3rem; color: var(--muted); font-size: .88rem; }
.tile dl { display: grid; grid-template-columns: 1fr auto; gap: 0 .6rem; margin: 0; font-size: .88rem; }
.tile dd { margin: 0; text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.first-screen { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.2rem; align-items: start; }
.plan { border: 2px solid var(--accent); background: var(--bg-note); padding: .1rem .9rem .5rem; font-size: .95rem; }
.plan h2 { font-size: 1.1rem; margin: .6rem 0 .3rem; border: none; }
.plan p { margin: .35rem 0; }
.source-line { color: var(--muted); font-size: .9rem; border-top: 1px solid var(--line); padding-top: .4rem; }
figure img { max-width: 100%; }
@media (max-width: 760px) {
  .first-screen { display: block; }
  .plan { margin: 1rem 0; }
}
@media (max-width: 600px) {
  body { padding: .8rem; }
  h1 { font-size: 1.45rem; }
  .lead { font-size: 1.12rem; }
  .tiles { grid-template-columns: 1fr 1fr; gap: .5rem; }
  .tile-value { font-size: 1.35rem; }
  table.data { font-size: .85rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  .toc, details, .screen-only { display: none; }
  figure img { max-height: 9cm; width: auto; }
  .tiles { grid-template-columns: repeat(3, 1fr); }
  .tile, figure, .plan { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


_PAGE = re.compile(r'<section data-page="(?P<name>[a-z0-9-]+\.html)" data-title="(?P<title>[^"]*)">(?P<body>.*?)</section>',
                   re.DOTALL)
"""A page in a notebook's HTML output (its blocks never hold a ``section`` element: data is escaped)."""


def split_pages(nb: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
    """The pages a notebook marked in its HTML output, in order: each between a
    ``<section data-page=… data-title=…>`` and its ``</section>``, in one output or across several.
    Returns (file name, title, body HTML) each."""
    text = "".join("".join(output.get("data", {}).get("text/html", ""))
                   for cell in _for_readers(nb).cells for output in cell.get("outputs", []))
    out = []
    for page in _PAGE.finditer(text):
        page_nb = nbformat.v4.new_notebook()
        page_nb.metadata = copy.deepcopy(nb.metadata)
        cell = nbformat.v4.new_code_cell("")
        cell["outputs"] = [nbformat.v4.new_output("display_data", data={"text/html": page["body"]})]
        page_nb.cells.append(cell)
        out.append((page["name"], html.unescape(page["title"]), body_html([page_nb])))
    return out


def made_at_words(lang: str, now: datetime | None = None) -> str:
    """When the review was made, in the reader's local time: "1.12.2026 klo 20.57" / "1.12.2026 kl. 20.57"."""
    now = (now or datetime.now(timezone.utc)).astimezone(ZoneInfo("Europe/Helsinki"))
    clock = "klo" if lang == "fi" else "kl."
    return f"{now.day}.{now.month}.{now.year} {clock} {now.hour}.{now.minute:02d}"


def _for_readers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without code, parameter cells, analysts' markdown and stream or error text."""
    out = copy.deepcopy(nb)
    cells = []
    for cell in out.cells:
        if cell.cell_type != "code":
            continue  # markdown cells are notes for analysts; readers' text comes from strings
        if HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        cell["outputs"] = [o for o in cell.get("outputs", []) if o.get("output_type") in
                           ("display_data", "execute_result")]
        if cell["outputs"]:
            cells.append(cell)
    out.cells = cells
    return out


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    # imported when the first page is rendered: the runner starts its kernels before (a third of a second)
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from nbconvert.preprocessors import TagRemovePreprocessor

    class ReadersExporter(HTMLExporter):
        """nbconvert's HTML exporter without the pass it ends with, which parses the finished HTML with
        BeautifulSoup to give images without alt text a placeholder and the lab template's cells a
        tab stop: every chart of the review has its own alt text (``html.figure``), the basic
        template has no such cells, and the pass parsed each page again, a megabyte of embedded
        charts (half of the time a page took). The filters the template uses are registered as
        :meth:`HTMLExporter.from_notebook_node` registers them."""

        def from_notebook_node(self, nb, resources=None, **kw):  # noqa: ANN001, ANN003, ANN201 (nbconvert's signature)
            lang_info = nb.metadata.get("language_info", {})
            lexer = lang_info.get("pygments_lexer", lang_info.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources)
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    exporter = ReadersExporter(template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS), enabled=True)
    return exporter


def body_html(notebooks: Sequence[nbformat.NotebookNode]) -> str:
    """The readers' content of ``notebooks``, in order, as one HTML fragment."""
    combined = nbformat.v4.new_notebook()
    combined.metadata = copy.deepcopy(notebooks[0].metadata) if notebooks else {}
    for nb in notebooks:
        combined.cells.extend(_for_readers(nb).cells)
    body, _ = _exporter().from_notebook_node(combined)
    return body


def page(title: str, body: str, lang: str, meta_lines: Sequence[str], footer_lines: Sequence[str],
         banner: str | None = None) -> str:
    """A complete, self-contained HTML page with one ``h1`` (``title``)."""
    esc = html.escape
    meta = "".join(f'<p class="meta">{esc(m)}</p>' for m in meta_lines)
    foot = "".join(f"<p>{esc(f)}</p>" for f in footer_lines)
    banner_html = f'<p class="example-banner" role="note">{esc(banner)}</p>' if banner else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<header>{meta}<h1>{esc(title)}</h1>{banner_html}</header>\n"
        f"<main>\n{body}\n</main>\n<footer>{foot}</footer>\n</body>\n</html>\n"
    )
