"""How the outlook's rules were chosen: every candidate feature set and class weighting, scored on the
six development regions with origins 2009-01 … 2014-12 only (Keski-Pohjanmaa and later origins are not
read). The best development macro-F1 is the rule of :mod:`analysis.forecast.outlook`.

Usage: ``python benchmarks/outlook_selection.py`` (about a minute); docs/outlook_method.md quotes its output.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from forecast_accuracy import DEV_AREAS, DEV_FILE, build_store  # noqa: E402

OWN = ("z", "z_l6", "z_l12", "z_m12")
CANDIDATES: dict[str, tuple[str, ...]] = {
    "own lags": OWN,
    "own lags + area cycle change": (*OWN, "area_dz"),
    "own lags + area cycle": (*OWN, "area_z", "area_z_l6", "area_z_l12"),
    "own long lags + level": (*OWN, "z_l18", "z_l24", "z_mean"),
    "own long lags + level + area cycle change": (*OWN, "z_l18", "z_l24", "z_mean", "area_dz"),
    "own long lags + level + area cycle": (*OWN, "z_l18", "z_l24", "z_mean", "area_z", "area_z_l6", "area_z_l12"),
}
WEIGHTS = [(s, 1.0, u) for s in (1.0, 1.5, 2.0, 2.5, 3.0) for u in (0.8, 1.0, 1.25, 1.5)]


def main() -> int:
    from analysis.forecast import outlook
    from analysis.indicators import skills

    store = build_store([DEV_FILE], list(DEV_AREAS))
    rows = outlook.panel(pd.concat([skills.group_series(store, a) for a in DEV_AREAS], ignore_index=True))
    rows = rows[rows["period"] <= "2015-06"]  # nothing after the last development target is read
    rows["area_dz"] = rows["area_z"] - rows["area_z_l12"]
    best = None
    for name, features in CANDIDATES.items():
        outlook.FEATURES = features
        scored = []
        for weights in WEIGHTS:
            outlook.CLASS_WEIGHTS = weights
            f1 = outlook.scores(outlook.backtest(rows, "2009-01", "2014-12"))["outlook_macro_f1"]
            scored.append((f1, weights))
        f1, weights = max(scored)
        print(f"{name:45} macro-F1 {f1:.4f} with weights {weights}")
        if best is None or f1 > best[0]:
            best = (f1, name, weights)
    print(f"chosen: {best[1]}, weights {best[2]} (development macro-F1 {best[0]:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
