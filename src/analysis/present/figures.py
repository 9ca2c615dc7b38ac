"""Chart style: seaborn's whitegrid theme with its colour-blind-safe palette, Finnish/Swedish number formats.

The theme is seaborn's ``set_theme(style="whitegrid", palette="colorblind", context="notebook")``, held
here as the matplotlib settings it makes (tests/test_present.py checks them against seaborn itself):
importing seaborn costs every process that draws a chart a second (it imports scipy.stats), and the
review uses nothing else of it. An analyst who wants seaborn's plots imports it as usual.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from analysis.present.fmt import fmt_int, fmt_pct  # noqa: E402

PALETTE_HEX: tuple[str, ...] = ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#fbafe4",
                                "#949494", "#ece133", "#56b4e9")
"""seaborn's ``colorblind`` palette: Okabe–Ito-like colours that stay distinct for the common
colour-vision deficiencies."""
PALETTE: list[tuple[float, float, float]] = [tuple(int(h[k:k + 2], 16) / 255 for k in (1, 3, 5)) for h in PALETTE_HEX]
LINESTYLES = ["-", "--", ":", "-."]
MARKERS = ["o", "s", "^", "D", "v", "P"]

THEME: dict[str, object] = {
    # seaborn.axes_style("whitegrid")
    "axes.axisbelow": True, "axes.edgecolor": ".8", "axes.grid": True, "axes.labelcolor": ".15",
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "grid.color": ".8", "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True,
    "text.color": ".15", "xtick.bottom": False, "xtick.color": ".15", "ytick.color": ".15", "ytick.left": False,
    # seaborn.plotting_context("notebook")
    "axes.labelsize": 12.0, "axes.linewidth": 1.25, "axes.titlesize": 12.0, "font.size": 12.0,
    "grid.linewidth": 1.0, "legend.fontsize": 11.0, "legend.title_fontsize": 12.0, "xtick.labelsize": 11.0,
    "xtick.major.size": 6.0, "xtick.major.width": 1.25, "xtick.minor.size": 4.0, "xtick.minor.width": 1.0,
    "ytick.labelsize": 11.0, "ytick.major.size": 6.0, "ytick.major.width": 1.25, "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
    # the house's own
    "axes.prop_cycle": cycler("color", PALETTE), "figure.figsize": (8, 4), "axes.titleweight": "bold",
    "figure.dpi": 100,
    # a title sits at the top of its axes: matplotlib's default (None) searches every tick label of the
    # axes for labels above it at every draw (an eighth of the charts' time); no chart has any there,
    # so the title sits where the search puts it
    "axes.titley": 1.0,
}
"""The matplotlib settings of the house style (seaborn's theme, then the house's own four)."""


PHONE_CHART_WIDTH = 4.8
"""The width (inches) of every chart of the review, the main page's, the municipality pages' and the appendix's:
at 110 px an inch (528 px, :data:`analysis.present.html.CHART_PX_PER_INCH`) a 390 px phone (about 364 px of
content) shows a chart at 0.69 of its size, so 11 pt text (16.8 px) is 11.6 px; on a 1280 px screen the chart
stands at its own size (text 16.8 px) and in print at most 9 cm high. A chart drawn wider is shrunk more on the
phone: an 8-inch chart's 8 pt labels were 4–5 px."""
SMALLEST_TEXT = 11.0
"""Points: the smallest text of a chart (tick labels, legends, the values written at bars or points). Every
text is at least this size: at :data:`PHONE_CHART_WIDTH` it is at least 11 px on a 390 px screen, as long as
nothing sticks out of the figure (a chart's box, not the figure, is fitted to the screen)."""
BAR_ROW = 0.3
"""Inches per bar of a horizontal bar chart whose names stand beside the bars (11 pt text with air)."""


def setup_style() -> None:
    """Apply the house style (call once per notebook or process)."""
    plt.rcParams.update(THEME)


def new_figure(width: float = 8, height: float = 4) -> tuple[plt.Figure, plt.Axes]:
    """A figure and axes in the house style."""
    setup_style()
    return plt.subplots(figsize=(width, height))


def int_axis(ax: plt.Axes, lang: str = "fi", axis: str = "y") -> None:
    """Format an axis as whole numbers with the locale's grouping ("2 307")."""
    formatter = FuncFormatter(lambda v, _pos: fmt_int(v, lang))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def pct_axis(ax: plt.Axes, lang: str = "fi", axis: str = "y", decimals: int = 0) -> None:
    """Format an axis as percent values ("7 %", "7,5 %")."""
    formatter = FuncFormatter(lambda v, _pos: fmt_pct(v, decimals, lang))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def phone_figure(height: float) -> tuple[plt.Figure, plt.Axes]:
    """A figure :data:`PHONE_CHART_WIDTH` wide and ``height`` inches high in the house style."""
    return new_figure(PHONE_CHART_WIDTH, height)


def fit(fig: plt.Figure, pad: float = 0.3) -> None:
    """Lay the figure out so that everything drawn (long names beside bars, a legend below) stays inside its
    width: a chart wider than :data:`PHONE_CHART_WIDTH` would be shrunk on the phone. matplotlib's
    ``tight_layout`` once, then no layout engine, so the chart is drawn once more only to be saved."""
    fig.tight_layout(pad=pad)
    fig.set_layout_engine(None)


def bars_height(n: int, row: float = BAR_ROW, frame: float = 0.9) -> float:
    """The height (inches) of a horizontal bar chart of ``n`` bars: ``row`` a bar and ``frame`` for the axis."""
    return row * n + frame


def wrap_label(text: str, width: int = 22, lines: int = 2) -> str:
    """A long category name for a chart's axis: wrapped at ``width`` characters into at most ``lines`` lines,
    the rest shortened with "…" (the chart's table keeps the full name)."""
    wrapped = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if len(wrapped) > lines:
        rest = " ".join(wrapped[lines - 1:])
        wrapped = [*wrapped[:lines - 1], textwrap.shorten(rest, width, placeholder=" …")]
    return "\n".join(wrapped)


def bar_values(ax: plt.Axes, bars: BarContainer, labels: Sequence[str], bold: Sequence[bool] | None = None,
               italic: Sequence[bool] | None = None) -> None:
    """Write each bar's value at its end (:data:`SMALLEST_TEXT`) and leave room for the longest on the right."""
    for i, (bar, label) in enumerate(zip(bars, labels)):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, " " + label, va="center",
                fontsize=SMALLEST_TEXT, fontweight="bold" if bold is not None and bold[i] else "normal",
                style="italic" if italic is not None and italic[i] else "normal")
    widest = max((bar.get_width() for bar in bars), default=0) or 1
    ax.set_xlim(0, widest * 1.22)


def labels_above_bars(ax: plt.Axes, labels: Sequence[str]) -> None:
    """For horizontal bars at 0, 1, … (the first on top): each name written on its own line above its bar from
    the axes' left edge, so a long name keeps the chart's whole width (no names beside the bars)."""
    at_left = ax.get_yaxis_transform()  # x in axes units, y in data units
    for i, label in enumerate(labels):
        ax.text(0, i - 0.27, label, transform=at_left, ha="left", va="bottom", fontsize=SMALLEST_TEXT)
    ax.set_yticks([])
    ax.set_ylim(len(labels) - 0.6, -0.95)


def month_axis(ax: plt.Axes, months: tuple[int, ...] = (1, 7)) -> None:
    """Dates on the x axis as month/year ("7/23") at the given months of each year: no ISO dates for readers,
    few enough labels for a phone."""
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=months))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-m/%y"))


def few_ticks(ax: plt.Axes, axis: str = "y", n: int = 5, integer: bool = False) -> None:
    """At most about ``n`` tick labels on an axis (a phone's width holds five)."""
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(MaxNLocator(n, integer=integer))


def legend_below(ax: plt.Axes, ncol: int = 1, gap: float = 0.12) -> None:
    """The legend under the axes (no line hidden behind it), in ``ncol`` columns, without a frame."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -gap), ncol=ncol, frameon=False)


def spread(values: Sequence[float], gap: float, low: float | None = None, high: float | None = None) -> list[float]:
    """Positions for labels at ``values`` that are at least ``gap`` apart (in the values' units): labels that
    would overlap form a group centred on its values' mean, kept within ``low``–``high`` where given;
    returned in the input order."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    groups: list[list[float]] = []  # each group: its values, sorted

    def start(group: list[float]) -> float:
        """Where a group's first label stands: the group centred on its values' mean."""
        return sum(group) / len(group) - (len(group) - 1) * gap / 2

    for i in order:
        groups.append([float(values[i])])
        while len(groups) > 1 and start(groups[-2]) + len(groups[-2]) * gap > start(groups[-1]):
            last = groups.pop()
            groups[-1] += last
    pos = [start(group) + k * gap for group in groups for k in range(len(group))]
    if high is not None and pos and pos[-1] > high:
        pos = [min(p, high - (len(pos) - 1 - k) * gap) for k, p in enumerate(pos)]
    if low is not None and pos and pos[0] < low:
        pos = [max(p, low + k * gap) for k, p in enumerate(pos)]
    out = [0.0] * len(values)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out
