"""HTML building blocks for notebook outputs: headings, text, notices, tables, charts.

Every block is made by a Jinja2 template of ``templates/`` with autoescape on, so a string that comes
from data is always escaped; a block is a :class:`Block`, which a template takes as HTML without
escaping it again. Notebooks display these blocks; the review renders them with the code hidden.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from IPython.display import HTML

from analysis.present.text import t

if TYPE_CHECKING:  # matplotlib and pandas are imported where a chart or table is made, not by every reader of the blocks
    import matplotlib.pyplot as plt
    import pandas as pd

TEMPLATES = Path(__file__).parent / "templates"
"""The review's templates: the blocks' macros, the page shell, its CSS and nbconvert's readers' template."""

ENVIRONMENT = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                 keep_trailing_newline=True)
"""The one Jinja2 environment of the review's HTML: every value is escaped (autoescape for every template)."""


class Block(HTML):
    """A displayable block of HTML made by a template. It is trusted: a template that holds it takes it as
    HTML (``__html__``), where any other value is escaped."""

    def __html__(self) -> str:
        return self.data


def macro(template: str, name: str, **values: object) -> Block:
    """The block made by the macro ``name`` of ``template`` (in :data:`TEMPLATES`) from ``values``.

    Jinja2 keeps each template compiled, and compiles it again once its file has changed (a template
    edited in JupyterLab is used at the next call)."""
    return Block(str(getattr(ENVIRONMENT.get_template(template).module, name)(**values)))


def render(template: str, **values: object) -> str:
    """The text of ``template`` (in :data:`TEMPLATES`) rendered with ``values``."""
    return ENVIRONMENT.get_template(template).render(**values)


def joined(blocks: Iterable[HTML]) -> Block:
    """The blocks as one block: a notebook shows each section as one output, not one per block (every
    output cost the kernel and papermill about 1.5 ms of CPU, and a review had 220)."""
    return Block("".join(block.data for block in blocks))


def heading(text: str, level: int = 2, anchor: str | None = None) -> Block:
    """A heading ``<h{level}>`` (with the ``id`` ``anchor``, a link's target); the review keeps one ``h1`` and an
    ordered hierarchy."""
    if not 1 <= level <= 6:
        raise ValueError("heading level must be 1-6")
    return macro("blocks.html.j2", "heading", text=text, level=level, anchor=anchor)


def paragraph(text: str, css_class: str | None = None) -> Block:
    """A paragraph of plain text."""
    return macro("blocks.html.j2", "paragraph", text=text, css_class=css_class)


def link(href: str, text: str, css_class: str | None = None) -> Block:
    """A paragraph holding one link."""
    return macro("blocks.html.j2", "link", href=href, text=text, css_class=css_class)


def bullets(items: Iterable[str]) -> Block:
    """An unordered list of plain-text items."""
    return macro("blocks.html.j2", "bullets", items=list(items))


def definitions(items: Iterable[tuple[str, str]]) -> Block:
    """A definition list of (term, definition) pairs."""
    return macro("blocks.html.j2", "definitions", items=list(items))


def notice(text: str, kind: str = "missing", lang: str = "fi") -> Block:
    """A boxed notice with a visible label: ``missing`` data, ``example`` data or a ``caveat``."""
    if kind not in ("missing", "example", "caveat"):
        raise ValueError("kind must be missing, example or caveat")
    return macro("blocks.html.j2", "notice", kind=kind, label=t(f"common.notice_{kind}", lang), text=text)


_NUMBER_START = re.compile(r"^[+\u2212\-±<]?\d")
_UNITS = re.compile(r"%[-\u2011]yks\.|procentenheter|pp")
_LETTER = re.compile(r"[^\W\d_]")


def _cell(value: object) -> tuple[str, bool]:
    """A data cell's text, and whether it is a number (or one of the missing marks "–", ".."), right-aligned."""
    raw = "" if value is None else str(value)
    numeric = raw in ("–", "..", "-") or (
        _NUMBER_START.match(raw) is not None and _LETTER.search(_UNITS.sub("", raw)) is None)
    return raw, numeric


def table(frame: pd.DataFrame, caption: str, index: bool = False) -> Block:
    """An accessible HTML table (header cells with scope; its caption above the scrolling box that holds it,
    naming the table by ``aria-labelledby``); every cell escaped.

    Format numbers before calling (see ``present.fmt``), so the table shows exactly what
    the reader should read.
    """
    data = frame.reset_index() if index else frame
    rows = [("" if record[0] is None else str(record[0]), [_cell(v) for v in record[1:]])
            for record in data.itertuples(index=False)]
    columns = [str(c) for c in data.columns]
    return macro("blocks.html.j2", "table", caption=caption, columns=columns, rows=rows,
                 anchor=table_anchor(caption, columns, rows))


def table_anchor(caption: str, columns: list[str], rows: list) -> str:
    """The id of a table's caption: a digest of the caption and every cell, so it is the same for the same
    table wherever and whenever it is made (sections are built apart and cached) and differs between two
    tables of a page unless they are the same table."""
    digest = hashlib.sha256(repr((caption, columns, rows)).encode("utf-8")).hexdigest()[:12]
    return f"table-{digest}"


def table_html(frame: pd.DataFrame, caption: str, index: bool = False) -> str:
    """The HTML text of :func:`table`."""
    return table(frame, caption, index).data


CHART_PX_PER_INCH = 110
"""The shown size of a chart: 110 CSS pixels per inch of figure (the size its PNG at 110 dpi had)."""
SVG_SETTINGS = {"svg.fonttype": "none", "svg.hashsalt": "analysis"}
"""A chart's SVG keeps its text as text (a third of the bytes of glyphs drawn as paths, and sharp at any
zoom) and has the same bytes for the same chart (its ids are hashed with a fixed salt)."""
_SVG_SIZE = re.compile(rb'width="([\d.]+)pt" height="([\d.]+)pt"')


def svg_data_uri(fig: plt.Figure) -> str:
    """The figure as an embedded SVG data URI, cut to its drawn content (as ``bbox_inches="tight"``) and
    sized at :data:`CHART_PX_PER_INCH`; the figure is closed.

    The content's box is measured with the SVG renderer itself, so the bytes are those of
    ``savefig(format="svg", bbox_inches="tight")`` (tests/test_present.py), without that call's second,
    layout-only drawing of every artist (a third of a chart's time; a figure with a layout engine
    still gets it, as the engine lays the figure out then). An SVG chart took half the time of the
    PNG it replaces and half its bytes.
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_svg import RendererSVG

    buffer = io.BytesIO()
    with matplotlib.rc_context(SVG_SETTINGS):
        if fig.get_layout_engine() is None:
            fig.set_dpi(72)  # the SVG backend's (savefig sets it too)
            width, height = fig.get_size_inches() * 72
            box = fig.get_tightbbox(RendererSVG(width, height, io.StringIO())).padded(
                matplotlib.rcParams["savefig.pad_inches"])
        else:
            box = "tight"
        fig.savefig(buffer, format="svg", bbox_inches=box, metadata={"Date": None})
    plt.close(fig)

    def shown(size: re.Match) -> bytes:
        w, h = (float(v) / 72 * CHART_PX_PER_INCH for v in size.groups())
        return f'width="{w:.0f}" height="{h:.0f}"'.encode()

    svg = _SVG_SIZE.sub(shown, buffer.getvalue(), count=1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


TALL_CHART_INCHES = 5.0
"""A chart drawn higher than this (a bar chart of many regions or groups) may stand taller on a printed page
than the others (review.css: ``img.tall``), so its text is not shrunk below a readable size."""


def figure(fig: plt.Figure, alt: str, caption: str, data: pd.DataFrame | None = None,
           lang: str = "fi") -> Block:
    """A chart with alt text and caption, followed by its numbers in a table.

    Every chart in the review carries ``alt`` text and its numbers, so neither the picture
    nor colour is the only carrier of information.
    """
    numbers = table(data, caption) if data is not None else None
    tall = bool(fig.get_size_inches()[1] > TALL_CHART_INCHES)
    return macro("blocks.html.j2", "figure", src=svg_data_uri(fig), alt=alt, caption=caption,
                 numbers_label=t("common.chart_numbers", lang), numbers=numbers, tall=tall)


def shared_block(name: str, inputs: Iterable[str], build: Callable[[], Block]) -> Block:
    """A block that several areas show alike (the regions' ranking is the same for every area of a
    region): built once for its ``inputs`` (texts that determine every pixel and word of it) and the
    code, then read from the cache, so a run of every area draws it once, not once an area."""
    from analysis import cache

    block, _hit = cache.cached("blocks", name, (*inputs, cache.code_digest()), build)
    return block
