"""Chart style: seaborn with a colour-blind-safe palette and Finnish/Swedish number formats."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from analysis.present.fmt import fmt_int, fmt_pct  # noqa: E402

PALETTE: list[tuple[float, float, float]] = sns.color_palette("colorblind")
"""Okabe–Ito-like palette that stays distinct for the common colour-vision deficiencies."""
LINESTYLES = ["-", "--", ":", "-."]
MARKERS = ["o", "s", "^", "D", "v", "P"]


def setup_style() -> None:
    """Apply the house style (call once per notebook or process)."""
    sns.set_theme(style="whitegrid", palette=PALETTE, context="notebook")
    plt.rcParams.update({"figure.figsize": (8, 4), "axes.titleweight": "bold", "figure.dpi": 100})


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
