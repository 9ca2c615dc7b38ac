"""HTML building blocks for notebook outputs: headings, text, notices, tables, charts.

Every string that may come from data is escaped here. Notebooks display these blocks;
the review renders them with the code hidden.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from IPython.display import HTML

from analysis.present.text import t

if TYPE_CHECKING:  # matplotlib and pandas are imported where a chart or table is made, not by every reader of the blocks
    import matplotlib.pyplot as plt
    import pandas as pd


def joined(blocks: Iterable[HTML]) -> HTML:
    """The blocks as one block: a notebook shows each section as one output, not one per block (every
    output cost the kernel and papermill about 1.5 ms of CPU, and a review had 220)."""
    return HTML("".join(block.data for block in blocks))


def esc(value: object) -> str:
    """HTML-escape any value (data strings are never trusted)."""
    return html.escape("" if value is None else str(value), quote=True)


def heading(text: str, level: int = 2) -> HTML:
    """A heading ``<h{level}>``; the review keeps one ``h1`` and an ordered hierarchy."""
    if not 1 <= level <= 6:
        raise ValueError("heading level must be 1-6")
    return HTML(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: str) -> HTML:
    """A paragraph of plain text."""
    return HTML(f"<p>{esc(text)}</p>")


def bullets(items: Iterable[str]) -> HTML:
    """An unordered list of plain-text items."""
    return HTML("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")


def notice(text: str, kind: str = "missing", lang: str = "fi") -> HTML:
    """A boxed notice with a visible label: ``missing`` data, ``example`` data or a ``caveat``."""
    if kind not in ("missing", "example", "caveat"):
        raise ValueError("kind must be missing, example or caveat")
    label = t(f"common.notice_{kind}", lang)
    return HTML(
        f'<div class="notice notice-{kind}" role="note"><strong>{esc(label)}:</strong> {esc(text)}</div>'
    )


_NUMBER_START = re.compile(r"^[+\u2212\-±<]?\d")
_UNITS = re.compile(r"%[-\u2011]yks\.|procentenheter|pp")
_LETTER = re.compile(r"[^\W\d_]")


def _cell(value: object) -> str:
    """A data cell; numbers (and the missing marks "–", "..") are right-aligned."""
    text = esc(value)
    raw = str(value)
    numeric = raw in ("–", "..", "-") or (
        _NUMBER_START.match(raw) is not None and _LETTER.search(_UNITS.sub("", raw)) is None)
    return f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>"


def table_html(frame: pd.DataFrame, caption: str, index: bool = False) -> str:
    """An accessible HTML table (caption, header cells with scope); every cell escaped.

    Format numbers before calling (see ``present.fmt``), so the table shows exactly what
    the reader should read.
    """
    data = frame.reset_index() if index else frame
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in data.columns)
    rows = []
    for record in data.itertuples(index=False):
        cells = [f'<th scope="row">{esc(record[0])}</th>'] + [_cell(v) for v in record[1:]]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    # A wide table scrolls inside a focusable region, so keyboard users can scroll it too.
    return (
        f'<div class="table-wrap" role="region" tabindex="0" aria-label="{esc(caption)}">'
        f'<table class="data"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def table(frame: pd.DataFrame, caption: str, index: bool = False) -> HTML:
    """:func:`table_html` as a displayable block."""
    return HTML(table_html(frame, caption, index))


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


def figure(fig: plt.Figure, alt: str, caption: str, data: pd.DataFrame | None = None,
           lang: str = "fi") -> HTML:
    """A chart with alt text and caption, followed by its numbers in a table.

    Every chart in the review carries ``alt`` text and its numbers, so neither the picture
    nor colour is the only carrier of information.
    """
    parts = [
        f'<figure><img src="{svg_data_uri(fig)}" alt="{esc(alt)}">'
        f"<figcaption>{esc(caption)}</figcaption></figure>"
    ]
    if data is not None:
        parts.append(
            f"<details><summary>{esc(t('common.chart_numbers', lang))}</summary>"
            f"{table_html(data, caption)}</details>"
        )
    return HTML("".join(parts))


def shared_block(name: str, inputs: Iterable[str], build: Callable[[], HTML]) -> HTML:
    """A block that several areas show alike (the regions' ranking is the same for every area of a
    region): built once for its ``inputs`` (texts that determine every pixel and word of it) and the
    code, then read from the cache, so a run of every area draws it once, not once an area."""
    from analysis import cache

    block, _hit = cache.cached("blocks", name, (*inputs, cache.code_digest()), build)
    return block
