"""Render executed notebooks to self-contained HTML pages with the code hidden.

nbconvert's plain ``HTMLExporter`` renders the cells with the readers' template
(``present/templates/nbconvert/readers``, extending ``basic``), which shows only what the notebooks
display: no code, no analysts' markdown notes, no stream text; nbconvert's own
``TagRemovePreprocessor`` drops the cells tagged :data:`HIDDEN_TAGS`. :func:`page` wraps the result
in one accessible page from the template ``page.html.j2``: ``lang`` attribute, one ``h1``, the CSS
of ``review.css`` embedded, images embedded, no scripts, opens offline.
"""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Sequence
from datetime import datetime, timezone
from functools import lru_cache
from typing import TYPE_CHECKING

import nbformat

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

HIDDEN_TAGS = ("parameters", "injected-parameters", "analyst")
"""Cells with one of these tags are left out of readers' pages: papermill's parameter cells, and the
cells that show analysts the frames behind a section (tag ``analyst``)."""

READERS_TEMPLATE = "readers"
"""The nbconvert template of readers' pages, in ``TEMPLATES / "nbconvert"``."""

_PAGE = re.compile(r'<section data-page="(?P<name>[a-z0-9-]+\.html)" data-title="(?P<title>[^"]*)">(?P<body>.*?)</section>',
                   re.DOTALL)
"""A page in a notebook's HTML output (its blocks never hold a ``section`` element: data is escaped)."""


def split_pages(nb: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
    """The pages a notebook marked in its HTML output, in order: each between a
    ``<section data-page=… data-title=…>`` and its ``</section>``, in one output or across several.
    Returns (file name, title, body HTML) each."""
    text = "".join("".join(output.get("data", {}).get("text/html", "")) for output in _readers_outputs(nb))
    out = []
    for page in _PAGE.finditer(text):
        page_nb = nbformat.v4.new_notebook()
        page_nb.metadata = copy.deepcopy(nb.metadata)
        cell = nbformat.v4.new_code_cell("", id=page["name"].removesuffix(".html"))  # the same page, the same HTML
        cell["outputs"] = [nbformat.v4.new_output("display_data", data={"text/html": page["body"]})]
        page_nb.cells.append(cell)
        out.append((page["name"], html.unescape(page["title"]), body_html([page_nb])))
    return out


def made_at_words(lang: str, now: datetime | None = None) -> str:
    """When the review was made, in the reader's local time: "1.12.2026 klo 20.57" / "1.12.2026 kl. 20.57"."""
    from analysis.present.fmt import fmt_moment

    return fmt_moment(now or datetime.now(timezone.utc), lang)


def _readers_outputs(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The outputs readers see, in order: those a code cell displays, in the cells nbconvert's
    ``TagRemovePreprocessor`` keeps (as the readers' exporter does)."""
    from nbconvert.preprocessors import TagRemovePreprocessor

    shown = nbformat.v4.new_notebook(cells=list(nb.cells), metadata=nb.metadata)  # the preprocessor sets its cells
    kept, _ = TagRemovePreprocessor(remove_cell_tags=HIDDEN_TAGS).preprocess(shown, {})
    return [output for cell in kept.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
            if output.get("output_type") in ("display_data", "execute_result")]


@lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """nbconvert's HTML exporter with the readers' template, configured as its documentation shows
    (``TemplateExporter.exclude_input``, ``TagRemovePreprocessor.remove_cell_tags``)."""
    # imported when the first page is rendered: the runner starts its kernels before (a third of a second)
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from analysis.present.html import TEMPLATES

    config = Config({
        "TemplateExporter": {"exclude_input": True, "exclude_input_prompt": True, "exclude_output_prompt": True},
        "TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": list(HIDDEN_TAGS)},
    })
    return HTMLExporter(config=config, template_name=READERS_TEMPLATE,
                        extra_template_basedirs=[str(TEMPLATES / "nbconvert")])


def body_html(notebooks: Sequence[nbformat.NotebookNode]) -> str:
    """The readers' content of ``notebooks``, in order, as one HTML fragment."""
    combined = nbformat.v4.new_notebook()
    combined.metadata = copy.deepcopy(notebooks[0].metadata) if notebooks else {}
    for nb in notebooks:
        combined.cells.extend(nb.cells)  # the exporter renders a copy
    body, _ = _exporter().from_notebook_node(combined)
    return body


def page(title: str, body: str, lang: str, meta_lines: Sequence[str], footer_lines: Sequence[str],
         banner: str | None = None, alternates: Sequence[tuple[str, str]] = ()) -> str:
    """A complete, self-contained HTML page with one ``h1`` (``title``), from the template ``page.html.j2``.

    ``body`` is HTML made by :func:`body_html`, :func:`split_pages` or a template, and is not escaped;
    every other value is text, and is. ``alternates``: the page in each language, ``(lang, href)``
    (``<link rel="alternate" hreflang=…>``).
    """
    from markupsafe import Markup

    from analysis.present.html import render as render_template  # jinja2, once the kernels have started
    from analysis.present.text import t

    printed = made_at_words(lang).split(" ")[0]
    return render_template("page.html.j2", title=title, body=Markup(body), lang=lang, meta_lines=meta_lines,
                           footer_lines=footer_lines, banner=banner, alternates=alternates,
                           running_title=Markup(css_string(title)), printed_on=Markup(css_string(printed)),
                           page_word=Markup(css_string(t("review.pdf_page", lang))))


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string for the print margins (the running title, the page word): letters,
    digits, spaces and plain punctuation as they are, every other character as a CSS hex escape, so no
    text can end the string or the style element."""
    safe = " -–.,:()"
    return '"' + "".join(c if c.isalnum() or c in safe else f"\\{ord(c):x} " for c in text) + '"'
