"""Foreign-language speakers' unemployment and employment (action plan goal 1.5).

Definitions (never mixed; see ``docs/foreign_language_tables.md``):

- foreign-language speaker (*vieraskielinen*): registered mother tongue other than Finnish,
  Swedish or Sámi; StatFin language code ``02``.
- foreign national (*ulkomaan kansalainen*): 12r5 ``TYOTTOMATULK`` -> ``unemployed_foreign_nationals``.
- foreign background (*ulkomaalaistaustainen*): not used here.

Every function is pure: a :class:`~analysis.schema.Store` and an area in, a tidy frame out.
Missing stays missing (NaN); nothing is imputed. Area figures are sums of member counts
(``store.aggregate_areas``: a period with any member missing is NaN); rates are computed from
summed counts, never averaged. There is no area share from 159t, which has shares only.
"""

from __future__ import annotations

import math

import pandas as pd

from analysis.schema import TOTAL
from analysis.sources.language_tables import (
    LANGUAGE_FINNISH,
    LANGUAGE_FOREIGN,
    LANGUAGE_SWEDISH,
)
from analysis.store import aggregate_areas
from analysis.store.scope import Scope

METRIC_NAME_FI = "Vieraskielisten työttömyys- ja työllisyysaste"
"""The action plan's metric name (goal 1.5); the KPI scorecard matches on it."""

GROUPS: tuple[str, ...] = (LANGUAGE_FOREIGN, LANGUAGE_FINNISH, LANGUAGE_SWEDISH)
"""Language groups shown side by side: foreign languages, Finnish, Swedish (StatFin codes)."""

SHARE_MEASURE = "foreign_language_share_pct"
POPULATION = "population"
UNEMPLOYED = "unemployed_jobseekers"
LABOUR_FORCE = "labour_force"
EMPLOYMENT_RATE = "employment_rate_pct"
FOREIGN_NATIONALS = "unemployed_foreign_nationals"

MIN_LABOUR_FORCE_FOR_RATE = 50
"""A rate on a labour force under 50 persons is flagged as unreliable (disclosure re-exports it)."""

UNIT_PCT = "%"


def _codes(scope: Scope) -> list[str]:
    return list(scope.members)


def _language_table_ids(scope: Scope, measure: str) -> list[str]:
    """Tables that hold ``measure`` broken down by language (some row with language != SSS)."""
    obs = scope.store.observations
    mask = (obs["measure"] == measure) & (obs["language"] != TOTAL)
    return sorted(obs.loc[mask, "table_id"].unique())


def _language_rows(scope: Scope, measure: str, codes: list[str]) -> pd.DataFrame:
    """Rows of ``measure`` from the tables with a language breakdown, for ``codes`` (total rows too)."""
    tables = _language_table_ids(scope, measure)
    obs = scope.store.observations
    mask = (obs["measure"] == measure) & obs["table_id"].isin(tables) & obs["area_code"].isin(codes)
    return obs.loc[mask].reset_index(drop=True)


def _with_area_sum(rows: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """``rows`` for the members plus their sum as area ``scope.area.slug`` (counts only)."""
    if rows.empty:
        return rows
    summed = aggregate_areas(rows, scope.members, scope.area.slug)
    return pd.concat([summed, rows], ignore_index=True)


# --- availability -----------------------------------------------------------------------------


def availability(scope: Scope) -> dict[str, bool]:
    """Which foreign-language measures the store holds for the area's members (or region).

    Keys: ``share`` (159t), ``population_by_language``, ``unemployed_by_language``,
    ``labour_force_by_language``, ``employment_rate_by_language``, ``foreign_nationals``.
    """
    codes = [*_codes(scope), scope.region]

    def has_lang(measure: str) -> bool:
        rows = _language_rows(scope, measure, codes)
        return bool(rows.loc[rows["language"] != TOTAL, "value"].notna().any())

    return {
        "share": scope.store.has(SHARE_MEASURE, area_codes=_codes(scope)),
        "population_by_language": has_lang(POPULATION),
        "unemployed_by_language": has_lang(UNEMPLOYED),
        "labour_force_by_language": has_lang(LABOUR_FORCE),
        "employment_rate_by_language": has_lang(EMPLOYMENT_RATE),
        "foreign_nationals": scope.store.has(FOREIGN_NATIONALS, area_codes=codes),
    }


# --- 159t: share of foreign-language speakers (embedded) ---------------------------------------


def municipal_share(scope: Scope) -> pd.DataFrame:
    """Share of foreign-language speakers in each member municipality's population, % (31 Dec).

    Columns ``period`` (year), ``area_code``, ``value``; empty when the store lacks 159t.
    Published by Statistics Finland (159t, ``vaesto_kieli_ulk_p``); no area total is formed.
    """
    if not scope.store.has(SHARE_MEASURE, area_codes=_codes(scope)):
        return pd.DataFrame({"period": pd.Series(dtype="str"), "area_code": pd.Series(dtype="str"),
                             "value": pd.Series(dtype="float64")})
    rows = scope.store.select(SHARE_MEASURE, area_codes=_codes(scope), language=TOTAL)
    out = rows[["period", "area_code", "value"]].sort_values(["area_code", "period"])
    return out.reset_index(drop=True)


def share_overview(scope: Scope) -> pd.DataFrame:
    """Per member: first and latest share (%), the year before the latest, and changes (pp).

    Columns ``area_code``, ``first_period``, ``first_value``, ``previous_period``,
    ``previous_value``, ``latest_period``, ``latest_value``, ``change_pp`` (latest - previous)
    and ``change_since_first_pp``. A missing year gives NaN, never 0.
    """
    shares = municipal_share(scope)
    rows = []
    for code, grp in shares.groupby("area_code", sort=False):
        grp = grp.dropna(subset=["value"]).sort_values("period")
        if grp.empty:
            continue
        latest, first = grp.iloc[-1], grp.iloc[0]
        prev_period = str(int(latest["period"]) - 1)
        prev = grp.loc[grp["period"] == prev_period, "value"]
        prev_value = float(prev.iloc[0]) if len(prev) else math.nan
        rows.append({
            "area_code": code,
            "first_period": first["period"], "first_value": float(first["value"]),
            "previous_period": prev_period, "previous_value": prev_value,
            "latest_period": latest["period"], "latest_value": float(latest["value"]),
            "change_pp": float(latest["value"]) - prev_value,
            "change_since_first_pp": float(latest["value"]) - float(first["value"]),
        })
    order = {c: i for i, c in enumerate(scope.members)}
    out = pd.DataFrame(rows, columns=["area_code", "first_period", "first_value", "previous_period",
                                      "previous_value", "latest_period", "latest_value", "change_pp",
                                      "change_since_first_pp"])
    return out.sort_values("area_code", key=lambda s: s.map(order)).reset_index(drop=True)


# --- population by language (11rm / 11rl, fetched) ----------------------------------------------


def population_by_language(scope: Scope) -> pd.DataFrame:
    """Population 31 Dec by language and its share of all residents, % (from counts).

    Columns ``period``, ``area_code`` (members, the area slug as their sum, and the region when
    the store holds it), ``language``, ``population``, ``share_pct`` (= language / total x 100).
    Empty when the store has no population by language.
    """
    rows = _language_rows(scope, POPULATION, [*_codes(scope), scope.region])
    if rows.empty:
        return pd.DataFrame(columns=["period", "area_code", "language", "population", "share_pct"])
    member_rows = rows[rows["area_code"].isin(_codes(scope))]
    region_rows = rows[(rows["area_code"] == scope.region) & (scope.region not in scope.members)]
    both = pd.concat([_with_area_sum(member_rows, scope), region_rows], ignore_index=True)
    wide = both.pivot_table(index=["period", "area_code"], columns="language", values="value",
                            aggfunc="first", dropna=False)
    out = []
    for lang in [c for c in wide.columns if c != TOTAL]:
        part = wide[[lang]].rename(columns={lang: "population"}).reset_index()
        part["language"] = lang
        total = wide[TOTAL] if TOTAL in wide.columns else pd.Series(math.nan, index=wide.index)
        part["share_pct"] = (wide[lang] / total * 100).to_numpy()
        out.append(part)
    result = pd.concat(out, ignore_index=True)
    return result[["period", "area_code", "language", "population", "share_pct"]].sort_values(
        ["area_code", "language", "period"]).reset_index(drop=True)


# --- unemployment by language (tyonv by language, fetched) ---------------------------------------


def _totals_for(scope: Scope, lang_rows: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """All-language unemployed for ``codes``: the language table's own total rows, else 12r5."""
    own = lang_rows[lang_rows["language"] == TOTAL]
    if own["value"].notna().any():
        return own
    if not scope.store.has(UNEMPLOYED, table_id="12r5", area_codes=codes):
        return own
    return scope.store.select(UNEMPLOYED, table_id="12r5", area_codes=codes, language=TOTAL,
                        occupation_code=TOTAL, age_group=TOTAL, sex=TOTAL)


def unemployment_by_language(scope: Scope) -> pd.DataFrame:
    """Unemployed jobseekers by language: count, share of all unemployed (%), unemployment rate (%).

    Columns ``period`` (month), ``area_code`` (the area slug = sum of members, then each member),
    ``language``, ``unemployed``, ``total_unemployed``, ``share_of_unemployed_pct``
    (= language / all x 100), ``labour_force`` (same language group), ``unemployment_rate_pct``
    (= unemployed / labour force x 100, as 12r5 TYOTOSUUS is defined) and ``rate_unreliable``
    (labour force under 50 or missing). A labour force published per year is matched to the
    months of that same year only; a missing year leaves the rate missing.
    """
    cols = ["period", "area_code", "language", "unemployed", "total_unemployed",
            "share_of_unemployed_pct", "labour_force", "unemployment_rate_pct", "rate_unreliable"]
    codes = _codes(scope)
    rows = _language_rows(scope, UNEMPLOYED, codes)
    by_lang = rows[rows["language"] != TOTAL]
    if by_lang.empty:
        return pd.DataFrame(columns=cols)
    totals = _totals_for(scope, rows, codes)
    unemp = _with_area_sum(by_lang, scope)[["period", "area_code", "language", "value"]]
    unemp = unemp.rename(columns={"value": "unemployed"})
    tot = _with_area_sum(totals, scope)[["period", "area_code", "value"]]
    tot = tot.rename(columns={"value": "total_unemployed"}).drop_duplicates(["period", "area_code"])
    out = unemp.merge(tot, on=["period", "area_code"], how="left")
    out["share_of_unemployed_pct"] = out["unemployed"] / out["total_unemployed"] * 100

    lf_rows = _language_rows(scope, LABOUR_FORCE, codes)
    lf_rows = lf_rows[lf_rows["language"] != TOTAL]
    if lf_rows.empty:
        out["labour_force"] = math.nan
    else:
        lf = _with_area_sum(lf_rows, scope)[["period", "area_code", "language", "value"]]
        lf = lf.rename(columns={"value": "labour_force"})
        monthly = lf["period"].str.len() == 7
        exact = out.merge(lf[monthly], on=["period", "area_code", "language"], how="left")
        yearly = lf[~monthly].rename(columns={"period": "year", "labour_force": "labour_force_year"})
        exact["year"] = exact["period"].str[:4]
        exact = exact.merge(yearly, on=["year", "area_code", "language"], how="left")
        exact["labour_force"] = exact["labour_force"].fillna(exact["labour_force_year"])
        out = exact.drop(columns=["year", "labour_force_year"])
    out["unemployment_rate_pct"] = out["unemployed"] / out["labour_force"] * 100
    out["rate_unreliable"] = ~(out["labour_force"] >= MIN_LABOUR_FORCE_FOR_RATE)
    order = {c: i for i, c in enumerate([scope.area.slug, *scope.members])}
    out = out.sort_values(["area_code", "language", "period"],
                          key=lambda s: s.map(order) if s.name == "area_code" else s)
    return out[cols].reset_index(drop=True)


def language_summary(scope: Scope) -> pd.DataFrame:
    """For the area at the quarter's reference month, one row per language group (02, fi, sv).

    Columns ``language``, ``month``, ``unemployed``, ``share_of_unemployed_pct``,
    ``labour_force``, ``unemployment_rate_pct``, ``rate_unreliable``, ``month_year_ago``,
    ``unemployed_year_ago``, ``change`` (persons), ``change_pct`` (%),
    ``unemployment_rate_year_ago_pct``, ``rate_change_pp``. Empty when not available.
    """
    cols = ["language", "month", "unemployed", "share_of_unemployed_pct", "labour_force",
            "unemployment_rate_pct", "rate_unreliable", "month_year_ago", "unemployed_year_ago",
            "change", "change_pct", "unemployment_rate_year_ago_pct", "rate_change_pp"]
    series = unemployment_by_language(scope)
    series = series[series["area_code"] == scope.area.slug]
    month = scope.pick_month(series["period"].unique())
    if month is None:
        return pd.DataFrame(columns=cols)
    ago = scope.year_ago(month)
    rows = []
    for lang in GROUPS:
        cur = series[(series["period"] == month) & (series["language"] == lang)]
        old = series[(series["period"] == ago) & (series["language"] == lang)]
        if cur.empty:
            continue
        c = cur.iloc[0]
        o_unemp = float(old["unemployed"].iloc[0]) if len(old) else math.nan
        o_rate = float(old["unemployment_rate_pct"].iloc[0]) if len(old) else math.nan
        rows.append({
            "language": lang, "month": month,
            "unemployed": c["unemployed"], "share_of_unemployed_pct": c["share_of_unemployed_pct"],
            "labour_force": c["labour_force"], "unemployment_rate_pct": c["unemployment_rate_pct"],
            "rate_unreliable": bool(c["rate_unreliable"]), "month_year_ago": ago,
            "unemployed_year_ago": o_unemp, "change": c["unemployed"] - o_unemp,
            "change_pct": (c["unemployed"] - o_unemp) / o_unemp * 100 if o_unemp else math.nan,
            "unemployment_rate_year_ago_pct": o_rate,
            "rate_change_pp": c["unemployment_rate_pct"] - o_rate,
        })
    return pd.DataFrame(rows, columns=cols)


# --- employment rate by language (tyokay by language, fetched) ----------------------------------


def employment_rate_by_language(scope: Scope) -> pd.DataFrame:
    """Employment rate by language, % as Statistics Finland publishes it (age band kept).

    Columns ``period``, ``area_code`` (members, and the region as context), ``language``,
    ``age_group`` (the band the table defines, e.g. ``20-64``), ``value``. Rates are not
    summed or averaged over areas.
    """
    rows = _language_rows(scope, EMPLOYMENT_RATE, [*_codes(scope), scope.region])
    rows = rows[rows["language"] != TOTAL]
    return rows[["period", "area_code", "language", "age_group", "value"]].sort_values(
        ["area_code", "language", "period"]).reset_index(drop=True)


# --- foreign nationals (12r5 TYOTTOMATULK, fetched) ---------------------------------------------


def foreign_nationals(scope: Scope) -> pd.DataFrame:
    """Unemployed jobseekers who are foreign nationals (12r5 TYOTTOMATULK), end of month.

    Columns ``period``, ``area_code`` (area slug = sum of members, then members), ``value``.
    Foreign nationals are not foreign-language speakers: a Finnish citizen with a foreign
    mother tongue is not counted here, and a foreign national may speak Swedish.
    """
    codes = _codes(scope)
    if not scope.store.has(FOREIGN_NATIONALS, area_codes=codes):
        return pd.DataFrame(columns=["period", "area_code", "value"])
    rows = scope.store.select(FOREIGN_NATIONALS, area_codes=codes, language=TOTAL)
    out = _with_area_sum(rows, scope)
    return out[["period", "area_code", "value"]].sort_values(["area_code", "period"]).reset_index(drop=True)


# --- KPI scorecard and front page ---------------------------------------------------------------

KPI_COLUMNS = ["metric_name_fi", "period", "area_code", "value", "unit", "available", "note", "component"]

NOTE_MISSING_UNEMPLOYMENT = (
    "Ei saatavilla: vieraskielisiä työttömiä työnhakijoita ja työvoimaa kielen mukaan ei julkaista "
    "StatFinin työnvälitystilastossa (tyonv), joten python -m analysis fetch ei voi ladata niitä "
    "(ks. docs/foreign_language_tables.md)."
)
NOTE_MISSING_EMPLOYMENT = (
    "Ei saatavilla: työllisyysaste kielen mukaan puuttuu aineistosta. Työssäkäyntitilaston (tyokay) "
    "kielen mukainen taulukko 115g on vain koko maan tasolla, eikä python -m analysis fetch vielä lataa sitä."
)


def kpi_values(scope: Scope) -> pd.DataFrame:
    """The action plan metric "Vieraskielisten työttömyys- ja työllisyysaste" for the KPI scorecard.

    Columns ``metric_name_fi`` (always :data:`METRIC_NAME_FI`), ``period``, ``area_code``,
    ``value`` (%), ``unit``, ``available`` (bool), ``note`` (Finnish) and ``component``
    (``unemployment_rate`` = foreign-language unemployed / foreign-language labour force x 100,
    monthly, area sum; ``employment_rate`` = Statistics Finland's rate, annual, for the member
    municipalities and the region, age band in the note). When a component is missing from the
    store, one row says so (``available`` False, ``value`` NaN, ``period`` empty).
    """
    rows: list[dict[str, object]] = []
    unemp = unemployment_by_language(scope)
    unemp = unemp[(unemp["area_code"] == scope.area.slug) & (unemp["language"] == LANGUAGE_FOREIGN)]
    unemp = unemp[unemp["unemployment_rate_pct"].notna()]
    if unemp.empty:
        rows.append({"period": "", "area_code": scope.area.slug, "value": math.nan, "unit": UNIT_PCT,
                     "available": False, "note": NOTE_MISSING_UNEMPLOYMENT,
                     "component": "unemployment_rate"})
    for rec in unemp.itertuples(index=False):
        note = "Työttömyysaste: vieraskieliset työttömät / vieraskielinen työvoima x 100."
        if rec.rate_unreliable:
            note += " Epäluotettava: työvoima alle 50."
        rows.append({"period": rec.period, "area_code": scope.area.slug, "value": float(rec.unemployment_rate_pct),
                     "unit": UNIT_PCT, "available": True, "note": note, "component": "unemployment_rate"})
    emp = employment_rate_by_language(scope)
    emp = emp[(emp["language"] == LANGUAGE_FOREIGN) & emp["value"].notna()]
    if emp.empty:
        rows.append({"period": "", "area_code": scope.area.slug, "value": math.nan, "unit": UNIT_PCT,
                     "available": False, "note": NOTE_MISSING_EMPLOYMENT, "component": "employment_rate"})
    for rec in emp.itertuples(index=False):
        where = "maakunta" if rec.area_code == scope.region else "kunta"
        rows.append({"period": rec.period, "area_code": rec.area_code, "value": float(rec.value),
                     "unit": UNIT_PCT, "available": True,
                     "note": f"Työllisyysaste, ikäryhmä {rec.age_group} ({where}); Tilastokeskuksen määritelmä.",
                     "component": "employment_rate"})
    out = pd.DataFrame(rows)
    out.insert(0, "metric_name_fi", METRIC_NAME_FI)
    out["available"] = out["available"].astype(bool)
    out["value"] = out["value"].astype("float64")
    return out[KPI_COLUMNS].reset_index(drop=True)




