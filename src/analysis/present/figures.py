"""Chart style: seaborn's whitegrid theme with its colour-blind-safe palette, Finnish/Swedish number formats.

The theme is seaborn's ``set_theme(style="whitegrid", palette="colorblind", context="notebook")``, held
here as the matplotlib settings it makes (tests/test_present.py checks them against seaborn itself):
importing seaborn costs every process that draws a chart a second (it imports scipy.stats), and the
review uses nothing else of it. An analyst who wants seaborn's plots imports it as usual.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

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
