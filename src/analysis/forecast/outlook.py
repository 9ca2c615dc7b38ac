"""Skills-needs outlook: which occupation groups will be short of workers six months ahead.

What it predicts
----------------
For each occupation group (two-digit groups, and the one-digit main groups) the **tightness class six
months ahead**: shortage / balance / surplus of StatFin 12ti's month-end open vacancies per unemployed
jobseeker, with the thresholds of :mod:`analysis.indicators.skills` (shortage: at least one vacancy per
jobseeker; surplus: four or more jobseekers per vacancy; balance in between; related to the five steps
of the Occupational Barometer, whose two "pula" steps are our shortage and two "ylitarjonta" steps our
surplus). A realised class is one whose suppression bounds agree and whose group holds at least
``skills.MIN_CLASS_SIZE`` persons and jobs (:func:`realised_class`); other months are not scored.

The model (one global model across groups and regions)
-------------------------------------------------------
Let ``z = log((V + 0.5) / (U + 0.5))`` be a group's log tightness in a month (V vacancies, U unemployed;
where suppressed cells make a month's count uncertain the middle of its published bounds is used as the
model's input, never shown as data). One pooled least-squares regression over every group and area of
the training data predicts ``z`` six months ahead from :data:`FEATURES`: the group's own tightness now,
6, 12, 18 and 24 months earlier (the target month's season a year and two years before), its 12-month
mean and its long-run mean (so a sparse group borrows the common dynamics and keeps its own level),
and the whole area's log tightness now, 6 and 12 months earlier (the labour-market cycle shared by all
groups). A feature a group lacks is filled with the group's tightness now. The spread of the forecast
grows as the group gets smaller: ``log |residual|`` is regressed on ``log(1 + U + V)``. The forecast of
``z`` with this spread (normal) gives the probability of each class; the predicted class is the largest
probability after the class weights :data:`CLASS_WEIGHTS` (macro-F1 rewards finding the rarer shortage
and surplus months; the weights were chosen with the features, see below).

How the rules were chosen
-------------------------
On the six development regions of ``benchmarks/data`` (not Keski-Pohjanmaa) with origins 2009-01 …
2014-12 only; the candidate feature sets and weights, and each one's development macro-F1, are listed
in ``docs/outlook_method.md``. Keski-Pohjanmaa and every origin from 2015 on were not looked at. The
backtest (:func:`backtest`) refits the model each January on the pairs whose target month is known by
then, so no origin uses later data. Persistence (today's class six months later) is the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analysis.indicators import skills

HORIZON = 6
"""Months ahead: the outlook is for the month six months after the latest month of the data."""
CLASS_NAMES: tuple[str, ...] = ("shortage", "balance", "surplus")
FEATURES: tuple[str, ...] = ("z", "z_l6", "z_l12", "z_l18", "z_l24", "z_m12", "z_mean", "area_z", "area_z_l6",
                             "area_z_l12")
"""The model's inputs (see the module's docstring), chosen on the development regions before 2015."""
CLASS_WEIGHTS: tuple[float, float, float] = (1.5, 1.0, 0.8)
"""Weights of the shortage, balance and surplus probabilities when the class is chosen (development regions,
origins before 2015)."""
SMOOTH = 0.5
MIN_TRAINING_ROWS = 200
PANEL_START = "2007-01"


class NotEnoughData(ValueError):
    """Too few group-months to fit the model."""


def realised_class(lower_v: np.ndarray, upper_v: np.ndarray, lower_u: np.ndarray, upper_u: np.ndarray) -> np.ndarray:
    """Class code per month (0 shortage, 1 balance, 2 surplus, -1 not classified) from the published
    bounds of vacancies and unemployed: the class both bounds of the tightness give, only when the group
    holds at least ``skills.MIN_CLASS_SIZE`` persons and jobs."""
    def code(v: np.ndarray, u: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(u > 0, v / np.where(u > 0, u, 1.0), np.where(v > 0, np.inf, np.nan))
        return np.where(np.isnan(ratio), -1, np.where(ratio >= skills.SHORTAGE_AT, 0,
                                                      np.where(ratio < skills.SURPLUS_BELOW, 2, 1)))

    low, high = code(lower_v, upper_u), code(upper_v, lower_u)
    out = np.where(low == high, low, -1)
    return np.where(np.nan_to_num(lower_v + lower_u) < skills.MIN_CLASS_SIZE, -1, out)


def panel(series: pd.DataFrame, level: str = "2") -> pd.DataFrame:
    """One row per area, group and month of ``level`` (``"2"`` two-digit groups, ``"1"`` main groups)
    from :func:`analysis.indicators.skills.group_series` rows (several areas may be concatenated), with
    the realised class (``cls``), the model's inputs (:data:`FEATURES`) and the targets six months
    later (``target_z``, ``target_cls``)."""
    part = series[(series["level"] == level) & (series["period"] >= PANEL_START)]
    wide = part.pivot_table(index=["area_code", "group_code", "period"], columns="measure",
                            values=["value", "lower", "upper"], aggfunc="first")
    wide.columns = [f"{stat}_{'v' if measure == 'open_vacancies' else 'u'}" for stat, measure in wide.columns]
    out = wide.reset_index().sort_values(["area_code", "group_code", "period"], ignore_index=True)
    for side in ("u", "v"):
        estimate = (out[f"lower_{side}"] + out[f"upper_{side}"]) / 2
        out[side.upper()] = out[f"value_{side}"].fillna(estimate)
    out["cls"] = realised_class(*(out[f"{b}_{s}"].to_numpy(dtype=float) for s in ("v", "u") for b in ("lower", "upper")))
    out["z"] = np.log((out["V"] + SMOOTH) / (out["U"] + SMOOTH))
    out["volume"] = np.log1p(out["V"] + out["U"])
    groups = out.groupby(["area_code", "group_code"], sort=False)["z"]
    for lag in (6, 12, 18, 24):
        out[f"z_l{lag}"] = groups.shift(lag)
    out["z_m12"] = groups.transform(lambda s: s.rolling(12, min_periods=6).mean())
    out["z_mean"] = groups.transform(lambda s: s.expanding(12).mean())
    area = out.groupby(["area_code", "period"], sort=True)[["U", "V"]].sum().reset_index()
    area["area_z"] = np.log((area["V"] + SMOOTH) / (area["U"] + SMOOTH))
    for lag in (6, 12):
        area[f"area_z_l{lag}"] = area.groupby("area_code")["area_z"].shift(lag)
    out = out.merge(area[["area_code", "period", "area_z", "area_z_l6", "area_z_l12"]], on=["area_code", "period"],
                    how="left")
    groups = out.groupby(["area_code", "group_code"], sort=False)
    out["target_z"] = groups["z"].shift(-HORIZON)
    out["target_cls"] = groups["cls"].shift(-HORIZON)
    out["target_period"] = groups["period"].shift(-HORIZON)
    return out


def _design(rows: pd.DataFrame) -> np.ndarray:
    x = rows[list(FEATURES)].copy()
    for name in FEATURES:
        x[name] = x[name].fillna(rows["z"])
    return np.column_stack([np.ones(len(rows)), x.to_numpy(dtype=float), rows["volume"].to_numpy(dtype=float)])


@dataclass(frozen=True)
class OutlookModel:
    """A fitted outlook model: the regression of ``z`` six months ahead and of its spread."""

    coef: np.ndarray
    spread: np.ndarray  # log |residual| = spread[0] + spread[1] * volume
    scale: float
    trained_until: str  # the last target month in the training pairs
    rows: int


def fit(rows: pd.DataFrame, last_known: str) -> OutlookModel:
    """Fit on every pair of ``rows`` (a :func:`panel`) whose target month is ``last_known`` or earlier."""
    train = rows[(rows["target_period"] <= last_known) & rows["target_z"].notna() & rows["z"].notna()]
    if len(train) < MIN_TRAINING_ROWS:
        raise NotEnoughData(f"{len(train)} group-months to train on; the outlook needs {MIN_TRAINING_ROWS}")
    x = _design(train)
    coef, *_ = np.linalg.lstsq(x, train["target_z"].to_numpy(dtype=float), rcond=None)
    residual = train["target_z"].to_numpy(dtype=float) - x @ coef
    v = np.column_stack([np.ones(len(train)), train["volume"].to_numpy(dtype=float)])
    spread, *_ = np.linalg.lstsq(v, np.log(np.abs(residual) + 1e-3), rcond=None)
    scale = float(np.sqrt(np.mean(residual ** 2 / np.exp(2 * (v @ spread)))))
    return OutlookModel(coef, spread, scale, str(train["target_period"].max()), len(train))


def predict(model: OutlookModel, rows: pd.DataFrame) -> pd.DataFrame:
    """Class probabilities six months after each row's month, and the predicted class."""
    from scipy.stats import norm

    centre = _design(rows) @ model.coef
    spread = np.exp(model.spread[0] + model.spread[1] * rows["volume"].to_numpy(dtype=float)) * model.scale
    p_shortage = norm.sf((np.log(skills.SHORTAGE_AT) - centre) / spread)
    p_surplus = norm.cdf((np.log(skills.SURPLUS_BELOW) - centre) / spread)
    p_balance = np.clip(1 - p_shortage - p_surplus, 0, 1)
    probs = np.column_stack([p_shortage, p_balance, p_surplus])
    chosen = (probs * np.array(CLASS_WEIGHTS)).argmax(axis=1)
    return pd.DataFrame({"p_shortage": p_shortage, "p_balance": p_balance, "p_surplus": p_surplus,
                         "predicted": np.array(CLASS_NAMES)[chosen],
                         "ratio_expected": np.exp(centre)}, index=rows.index)


def outlook(rows: pd.DataFrame, area_code: str, origin: str) -> pd.DataFrame:
    """The outlook made at ``origin`` (the latest month the data hold) for every group of ``area_code``
    with data that month (jobseekers or vacancies): the model fitted on every area of ``rows`` with what was known at ``origin``.
    Columns: ``group_code``, ``period`` (the origin), ``target_period``, ``class_now`` (the realised
    class at the origin, or ``uncertain``/``small`` where not classified), the probabilities and the
    predicted class."""
    model = fit(rows, origin)
    now = rows[(rows["area_code"] == area_code) & (rows["period"] == origin) & rows["z"].notna()
               & (rows["U"] + rows["V"] > 0)]  # a group with neither jobseekers nor vacancies has no data
    out = predict(model, now)
    year, month = int(origin[:4]), int(origin[5:7]) + HORIZON
    target = f"{year + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}"
    return pd.DataFrame({
        "group_code": now["group_code"].to_numpy(), "period": origin, "target_period": target,
        "class_now": [CLASS_NAMES[c] if c >= 0 else "uncertain" for c in now["cls"].astype(int)],
        "vacancies": now["V"].to_numpy(), "unemployed": now["U"].to_numpy(),
        **{c: out[c].to_numpy() for c in out.columns},
    }).reset_index(drop=True)


def backtest(rows: pd.DataFrame, first_origin: str, last_origin: str, areas: list[str] | None = None) -> pd.DataFrame:
    """Rolling-origin cases: for every origin month in ``first_origin`` … ``last_origin`` and every group
    (of ``areas``, all when None) classified both at the origin and six months later, the predicted class
    and probabilities of a model refitted each January on the pairs known by then, the persistence
    class (the class at the origin) and the realised class."""
    scored = rows[(rows["period"] >= first_origin) & (rows["period"] <= last_origin) & (rows["cls"] >= 0)
                  & (rows["target_cls"] >= 0) & rows["z"].notna()]
    if areas is not None:
        scored = scored[scored["area_code"].isin(areas)]
    parts = []
    for year, part in scored.groupby(scored["period"].str[:4]):
        model = fit(rows, f"{year}-01")  # the year's first origin knows its own month
        predicted = predict(model, part)
        parts.append(pd.DataFrame({
            "area_code": part["area_code"].to_numpy(), "group_code": part["group_code"].to_numpy(),
            "origin": part["period"].to_numpy(), "realised": np.array(CLASS_NAMES)[part["target_cls"].astype(int)],
            "persistence": np.array(CLASS_NAMES)[part["cls"].astype(int)],
            **{c: predicted[c].to_numpy() for c in ("predicted", "p_shortage", "p_balance", "p_surplus")},
        }))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["area_code", "group_code", "origin", "realised", "persistence", "predicted", "p_shortage",
                 "p_balance", "p_surplus"])


def macro_f1(realised: pd.Series, predicted: pd.Series) -> float:
    """Mean over the three classes of F1 = 2 TP / (2 TP + FP + FN) (a class never predicted nor realised
    counts 0)."""
    scores = []
    for name in CLASS_NAMES:
        tp = int(((predicted == name) & (realised == name)).sum())
        wrong = int(((predicted == name) != (realised == name)).sum())
        scores.append(2 * tp / (2 * tp + wrong) if tp + wrong else 0.0)
    return float(np.mean(scores))


def scores(cases: pd.DataFrame) -> dict[str, float]:
    """Accuracy of :func:`backtest` cases against persistence: macro-F1 of both, precision and recall of
    "shortage", and the Brier score of "shortage" (persistence's probability is 1 or 0)."""
    shortage = (cases["realised"] == "shortage").astype(float)
    said = cases["predicted"] == "shortage"
    return {
        "outlook_macro_f1": macro_f1(cases["realised"], cases["predicted"]),
        "persistence_macro_f1": macro_f1(cases["realised"], cases["persistence"]),
        "shortage_precision": float((said & (shortage == 1)).sum() / max(int(said.sum()), 1)),
        "shortage_recall": float((said & (shortage == 1)).sum() / max(int(shortage.sum()), 1)),
        "brier_shortage": float(np.mean((cases["p_shortage"] - shortage) ** 2)),
        "brier_shortage_persistence": float(np.mean(((cases["persistence"] == "shortage").astype(float) - shortage) ** 2)),
        "cases": float(len(cases)),
    }


def area_outlook(store, area_code: str, origin: str) -> pd.DataFrame:
    """The outlook made at ``origin`` for every two-digit group and main group of ``area_code`` with data
    then (``level`` "2" or "1"): the model fitted, level by level, on the area's groups and the whole
    country's (``SSS``: the same groups, larger and steadier, lend the area's sparse groups their
    dynamics), with the data up to ``origin`` only."""
    areas = [area_code] if area_code == "SSS" else [area_code, "SSS"]
    series = pd.concat([skills.group_series(store, code) for code in areas], ignore_index=True)
    series = series[series["period"] <= origin]
    parts = []
    for level in ("2", "1"):
        made = outlook(panel(series, level), area_code, origin)
        made.insert(0, "level", int(level))
        parts.append(made)
    return pd.concat(parts, ignore_index=True)


def shift_month(month: str, months: int) -> str:
    """``month`` (YYYY-MM) moved by ``months``."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + months
    return f"{index // 12}-{index % 12 + 1:02d}"


FIRST_SCORED_ORIGIN = "2015-01"
"""The first origin the area's own accuracy counts (the rules were chosen on other regions before 2015)."""


@dataclass(frozen=True)
class AreaOutlook:
    """An area's outlook at ``origin`` and how the outlooks made before it fared.

    ``table``: :func:`area_outlook` with ``predicted_then`` (the class the outlook made six months
    earlier, at ``then``, gave for ``origin``; None where it made none) beside ``class_now`` (what
    happened). ``hits_then`` / ``scored_then``: two-digit groups whose class both then and now are
    known, and how many of them the outlook then got right. ``accuracy``: :func:`scores` of the area's
    two-digit cases whose outcome is known by ``origin`` (origins :data:`FIRST_SCORED_ORIGIN` …
    ``then``), None before there are any.
    """

    table: pd.DataFrame
    origin: str
    then: str
    hits_then: int
    scored_then: int
    accuracy: dict[str, float] | None
    first_scored: str | None
    last_scored: str | None
    by_origin: pd.DataFrame | None = None
    """The same cases per origin month: ``origin``, ``made`` (two-digit groups scored), ``hits`` (right class)
    and ``persistence_hits`` (today's class kept would have been right); None before there are any."""
    realised: pd.DataFrame | None = None
    """What happened at the target month, where the data already hold it (a past period's review):
    ``group_code`` and ``class_realised`` (a class, or ``uncertain``) of every two-digit group; None
    otherwise. Read from the data after the origin (:meth:`analysis.store.scope.Scope.later`), only to
    be shown beside the outlook: the outlook never reads it."""


def area_result(store, area_code: str, origin: str) -> AreaOutlook:
    """:class:`AreaOutlook` of ``area_code`` at ``origin``, from the data up to ``origin`` only."""
    table = area_outlook(store, area_code, origin)
    then = shift_month(origin, -HORIZON)
    areas = [area_code] if area_code == "SSS" else [area_code, "SSS"]
    series = pd.concat([skills.group_series(store, code) for code in areas], ignore_index=True)
    rows = panel(series[series["period"] <= origin], "2")
    try:
        earlier = outlook(rows, area_code, then)[["group_code", "predicted"]]
    except NotEnoughData:
        earlier = pd.DataFrame({"group_code": pd.Series(dtype=str), "predicted": pd.Series(dtype=str)})
    two = table[table["level"] == 2].merge(earlier.rename(columns={"predicted": "predicted_then"}), on="group_code",
                                          how="left")
    table = pd.concat([two, table[table["level"] == 1]], ignore_index=True)
    scored = two[two["class_now"].isin(CLASS_NAMES) & two["predicted_then"].notna()]
    hits = int((scored["predicted_then"] == scored["class_now"]).sum())
    accuracy = first = last = by_origin = None
    if then >= FIRST_SCORED_ORIGIN:
        cases = backtest(rows, FIRST_SCORED_ORIGIN, then, [area_code])
        if len(cases):
            accuracy = scores(cases)
            accuracy["hit_share"] = float((cases["predicted"] == cases["realised"]).mean())
            accuracy["persistence_hit_share"] = float((cases["persistence"] == cases["realised"]).mean())
            first, last = str(cases["origin"].min()), str(cases["origin"].max())
            by_origin = hits_by_origin(cases)
    return AreaOutlook(table, origin, then, hits, len(scored), accuracy, first, last, by_origin)


def hits_by_origin(cases: pd.DataFrame) -> pd.DataFrame:
    """:func:`backtest` cases counted per origin month: ``origin``, ``made`` (cases), ``hits`` (the
    outlook's class was the realised one) and ``persistence_hits`` (the class at the origin was)."""
    counted = cases.assign(hit=cases["predicted"] == cases["realised"],
                           persistence_hit=cases["persistence"] == cases["realised"])
    out = counted.groupby("origin", sort=True).agg(made=("hit", "size"), hits=("hit", "sum"),
                                                   persistence_hits=("persistence_hit", "sum"))
    return out.astype(int).reset_index()


def realised_classes(store, area_code: str, month: str) -> pd.DataFrame | None:
    """The realised class (:func:`realised_class`; ``uncertain`` where not classified) of every two-digit
    group of ``area_code`` in ``month`` from ``store``; None when ``store`` does not hold the month."""
    series = skills.group_series(store, area_code)
    series = series[(series["period"] == month) & (series["level"] == "2")]
    if series.empty:
        return None
    rows = panel(series, "2")
    return pd.DataFrame({"group_code": rows["group_code"].to_numpy(),
                         "class_realised": [CLASS_NAMES[c] if c >= 0 else "uncertain" for c in rows["cls"].astype(int)]})


def scope_result(scope) -> AreaOutlook | None:
    """:func:`area_result` of a review's scope at its last occupation month (StatFin 12ti), with what
    happened at the target month where the data already hold it (``realised``: a past period's review);
    None where the area has no occupation data or too little to fit."""
    from analysis.store.scope import OCCUPATION_TABLE

    origin = scope.month(OCCUPATION_TABLE)
    if scope.occupation_code is None or origin is None:
        return None
    try:
        result = area_result(scope.store, scope.occupation_code, origin)
    except NotEnoughData:
        return None
    target = shift_month(origin, HORIZON)
    later = scope.later(OCCUPATION_TABLE)
    if not (later.observations["period"] == target).any():
        return result
    return replace(result, realised=realised_classes(later, scope.occupation_code, target))


RECORD_MONTHS = 12
"""The main page's accuracy counts the outlooks made in the last 12 origin months whose outcome is known
(origins ``then`` - 11 … ``then``): a year of outlooks, recent enough to speak of the model as it is."""
SHORT_RECORD_CASES = 30
"""Fewer scored outlooks than this (or fewer than :data:`RECORD_MONTHS` origin months) is a short record:
the page says so instead of stating a share."""


@dataclass(frozen=True)
class GroupOutlook:
    """One two-digit group's outlook as the main page shows it."""

    code: str
    name_fi: str
    """The verified Finnish name ('' where none: the page shows the code)."""
    name_sv: str
    """Statistikcentralen's Swedish name ('' where none was found: the Swedish page shows the Finnish one)."""
    p_shortage: float
    """Probability (0–1) that the group is in shortage at the target month."""
    p_surplus: float
    """Probability (0–1) of surplus at the target month."""
    class_now: str
    """The class at the origin: shortage / balance / surplus, or ``uncertain`` where not classified."""
    predicted: str
    """The class the outlook gives (shortage / balance / surplus)."""
    realised: str | None = None
    """The class at the target month where the data already hold it (a past period), else None."""

    def name(self, lang: str) -> str:
        """The group's name in ``lang`` (the Finnish one where no Swedish name was found; '' without any)."""
        return (self.name_sv or self.name_fi) if lang == "sv" else self.name_fi


@dataclass(frozen=True)
class OutlookSummary:
    """The skills-needs outlook as the review's main page states it (one sentence and one chart), from
    :class:`AreaOutlook` (no second computation).

    ``groups``: every two-digit group with an outlook, surest shortage first. ``made`` / ``hits`` /
    ``persistence_hits``: the area's outlooks of the origins ``record_first`` … ``record_last`` (the last
    :data:`RECORD_MONTHS` origin months whose outcome is known by the origin), how many gave the realised
    class, and how many keeping today's class would have; 0 and None before there are any.
    """

    origin: str
    target: str
    groups: tuple[GroupOutlook, ...]
    made: int = 0
    hits: int = 0
    persistence_hits: int = 0
    record_first: str | None = None
    record_last: str | None = None
    record_months: int = 0

    @property
    def shortage(self) -> tuple[GroupOutlook, ...]:
        """The groups whose outlook is shortage, surest first."""
        return tuple(g for g in self.groups if g.predicted == "shortage")

    @property
    def surplus(self) -> tuple[GroupOutlook, ...]:
        """The groups whose outlook is surplus, surest first."""
        return tuple(sorted((g for g in self.groups if g.predicted == "surplus"), key=lambda g: -g.p_surplus))

    @property
    def short_record(self) -> bool:
        """Whether the accuracy record is too short to state a share (see :data:`SHORT_RECORD_CASES`)."""
        return self.made < SHORT_RECORD_CASES or self.record_months < RECORD_MONTHS

    @property
    def realised_held(self) -> bool:
        """Whether the data hold the target month's outcome (a past period's review)."""
        return any(g.realised is not None for g in self.groups)

    @property
    def realised_scored(self) -> tuple[GroupOutlook, ...]:
        """The groups whose class at the target month is known (classified, not uncertain)."""
        return tuple(g for g in self.groups if g.realised in CLASS_NAMES)


def summary(result: AreaOutlook | None) -> OutlookSummary | None:
    """:class:`OutlookSummary` of ``result`` (:func:`scope_result`); None without an outlook."""
    from analysis.names import finnish_only, group_names

    if result is None:
        return None
    fi = group_names("fi")
    in_finnish = set(finnish_only(list(fi), "sv"))
    sv = {code: name for code, name in group_names("sv").items() if code not in in_finnish}
    two = result.table[result.table["level"] == 2].sort_values(["p_shortage", "group_code"], ascending=[False, True])
    realised = ({} if result.realised is None else
                dict(zip(result.realised["group_code"], result.realised["class_realised"])))
    groups = tuple(GroupOutlook(str(r.group_code), fi.get(str(r.group_code), ""), sv.get(str(r.group_code), ""),
                                float(r.p_shortage), float(r.p_surplus), str(r.class_now), str(r.predicted),
                                realised.get(str(r.group_code)))
                   for r in two.itertuples())
    made = OutlookSummary(result.origin, shift_month(result.origin, HORIZON), groups)
    if result.by_origin is None or result.by_origin.empty:
        return made
    record = result.by_origin[result.by_origin["origin"] >= shift_month(result.then, 1 - RECORD_MONTHS)]
    if record.empty:
        return made
    return replace(made, made=int(record["made"].sum()), hits=int(record["hits"].sum()),
                   persistence_hits=int(record["persistence_hits"].sum()), record_first=str(record["origin"].min()),
                   record_last=str(record["origin"].max()), record_months=len(record))
