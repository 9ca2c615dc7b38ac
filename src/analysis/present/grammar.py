"""A small sentence grammar for the review's Finnish and Swedish text.

Sentences are built from parts that know their case, never by gluing strings: months in the case the
sentence needs ("syyskuussa 2023", "syyskuun 2023 lopussa", "heinä–syyskuussa 2023"), numbers with their
unit word in that case ("5,2 prosentista", "7,6 %:n", "175 työtöntä työnhakijaa", "1 henkilö") and
municipality and region names in the genitive and the local cases ("Lestijärven", "Halsualla").

Place-name forms come from a cited table (``data/reference/municipality_name_cases_fi.csv``, sources in
``data/reference/README.md``). Finnish place names take the inner (-ssa) or the outer (-lla) local cases by
local custom, which no rule predicts, so a form is never derived: a name without a cited form gives
``None`` and the sentence helpers switch to a frame that keeps the name in the nominative. Swedish names
take "i" and do not inflect. The words and frames themselves are in ``strings/<lang>/grammar.yaml``.
Numbers are formatted by :mod:`analysis.present.fmt` (babel: "2 307", "7,6").
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from analysis.config import DATA_DIR, parse_period
from analysis.present.fmt import fmt_dec, fmt_int, fmt_signed
from analysis.present.text import t

Case = Literal["nominative", "partitive", "genitive", "elative", "illative", "inessive", "adessive"]
PlaceCase = Literal["nominative", "genitive", "locative", "lative", "separative"]
Unit = Literal["person", "unemployed", "percent", "percentage_point"]
MonthCase = Literal["nominative", "genitive", "inessive", "illative", "elative"]

MUNICIPALITY_TABLE = DATA_DIR / "reference" / "municipality_name_cases_fi.csv"
REGION_TABLE = DATA_DIR / "reference" / "region_name_cases_fi.csv"
AREA_CODES = DATA_DIR / "reference" / "statfin_area_codes_2026.csv"
PLACE_COLUMNS = ("code", "name_fi", "name_sv", "series", "genitive", "locative", "lative", "separative")
UNIT_DECIMALS: dict[str, int] = {"person": 0, "unemployed": 0, "percent": 1, "percentage_point": 1}
NUMBER_COMMA_TRAP = re.compile(r"\d, \d")  # "80, 7" reads as the decimal 80,7


# --------------------------------------------------------------------------- place names


@dataclass(frozen=True)
class PlaceName:
    """A municipality or region with its cited Finnish forms.

    ``series`` is ``inner`` (Kokkolassa, Kokkolaan, Kokkolasta), ``outer`` (Halsualla, Halsualle, Halsualta),
    with ``-plural`` for the -inen names inflected in the plural (Paraisilla), or empty. ``locative`` is the
    inessive or adessive form ("where"), ``lative`` the illative or allative ("to where"), ``separative`` the
    elative or ablative ("from where"); any of them is ``None`` when no source gives it.
    """

    code: str
    name_fi: str
    name_sv: str
    series: str
    genitive: str | None
    locative: str | None
    lative: str | None
    separative: str | None

    def name(self, lang: str = "fi") -> str:
        """The name in the nominative: Finnish, or Swedish where the code list has a Swedish name."""
        return (self.name_sv or self.name_fi) if lang == "sv" else self.name_fi

    def form(self, case: PlaceCase) -> str | None:
        """The Finnish form in ``case``; ``None`` if no cited form exists (phrase with the nominative)."""
        return self.name_fi if case == "nominative" else getattr(self, case)


def _read_places(path: Path) -> dict[str, PlaceName]:
    """The table at ``path``; a broken row is a fault of the shipped table (ValueError naming row and column)."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in PLACE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        places: dict[str, PlaceName] = {}
        for row_number, row in enumerate(reader, start=2):
            code = row["code"].strip()
            if not code or code in places:
                raise ValueError(f"{path}, row {row_number}, column 'code': empty or repeated code {code!r}")
            if not row["name_fi"].strip():
                raise ValueError(f"{path}, row {row_number}, column 'name_fi': no Finnish name")
            places[code] = PlaceName(code, row["name_fi"].strip(), row["name_sv"].strip(), row["series"].strip(),
                                     *(row[c].strip() or None for c in ("genitive", "locative", "lative", "separative")))
    return places


@functools.lru_cache(maxsize=1)
def municipalities() -> dict[str, PlaceName]:
    """Every municipality of 2025/2026 by StatFin code (``KU272``), read once from the cited table."""
    return _read_places(MUNICIPALITY_TABLE)


@functools.lru_cache(maxsize=1)
def regions() -> dict[str, PlaceName]:
    """The regions (maakunnat) by StatFin code (``MK16``); forms only where a source gives them."""
    return _read_places(REGION_TABLE)


WHOLE_COUNTRY = "SSS"


def _whole_country() -> PlaceName:
    forms = [t(f"grammar.whole_country.{case}", "fi") for case in ("genitive", "locative", "lative", "separative")]
    return PlaceName(WHOLE_COUNTRY, t("grammar.whole_country.nominative", "fi"),
                     t("grammar.whole_country.nominative", "sv"), "inner", *forms)


def place(code: str) -> PlaceName:
    """The municipality, region or whole country ``code`` (``KU272``, ``MK16``, ``SSS``: "koko maassa" /
    "i hela landet", a common noun that inflects regularly); any other code is an error."""
    if code == WHOLE_COUNTRY:
        return _whole_country()
    table = regions() if code.startswith("MK") else municipalities()
    if code not in table:
        raise KeyError(f"no place name for area code {code!r} in {MUNICIPALITY_TABLE.name} or {REGION_TABLE.name}")
    return table[code]


def place_case(code: str, case: PlaceCase, lang: str = "fi") -> str | None:
    """The name of ``code`` in ``case``: Finnish from the cited table (``None`` where no form is cited);
    Swedish names do not inflect, so ``sv`` gives the Swedish name itself (the frame supplies "i"), ``None``
    for a region whose Swedish name the table does not hold (never the Finnish name in a Swedish sentence)."""
    p = place(code)
    return (p.name_sv or None) if lang == "sv" else p.form(case)


def in_place(code: str, lang: str = "fi") -> str | None:
    """Where: "Lestijärvellä", "Kokkolassa" / "i Lestijärvi", "i Karleby"; ``None`` if Finnish has no cited form."""
    where = place_case(code, "locative", lang)
    return None if where is None else t("grammar.in_place", lang, place=where)


def places_phrase(codes: list[str], lang: str = "fi") -> str | None:
    """Several places where: "Kokkolassa, Kannuksessa ja Kaustisella" / "i Karleby, Kannus och Kaustby";
    ``None`` if any Finnish form is missing."""
    if lang == "sv":
        return t("grammar.in_place", lang, place=join_and([place(c).name("sv") for c in codes], lang))
    forms = [place_case(c, "locative", lang) for c in codes]
    return None if any(f is None for f in forms) else join_and([f for f in forms if f], lang)


def in_employment_area(region_code: str, lang: str = "fi") -> str | None:
    """The employment area named after a region: "Keski-Pohjanmaan työllisyysalueella" /
    "i sysselsättningsområdet Mellersta Österbotten"; ``None`` without a cited genitive or Swedish name."""
    p = place(region_code)
    region = p.name_sv if lang == "sv" else p.genitive
    return t("grammar.in_employment_area", lang, region=region) if region else None


@functools.lru_cache(maxsize=1)
def _subregion_names() -> dict[str, str]:
    """Sub-region code -> its name as StatFin labels it (``SK161`` -> "Kaustinen")."""
    with open(AREA_CODES, encoding="utf-8", newline="") as fh:
        return {r["area_code"]: r["label_en"].split(" ", 1)[1] for r in csv.DictReader(fh)
                if r["area_code"].startswith("SK") and " " in r["label_en"]}


def in_subregion(code: str, lang: str = "fi") -> str | None:
    """A sub-region named after its municipality, as official sub-region names are ("Oulun seutukunta", Kotus):
    "Kaustisen seutukunnassa" / "i Kaustby ekonomiska region"; ``None`` when the name is not a municipality's
    with a cited genitive (Järviseutu, Suupohja …: phrase with the nominative)."""
    name = _subregion_names().get(code)
    match = [p for p in municipalities().values() if p.name_fi == name]
    if not match or (lang == "fi" and not match[0].genitive):
        return None
    return t("grammar.in_subregion", lang, name=match[0].name("sv") if lang == "sv" else match[0].genitive)


# --------------------------------------------------------------------------- months and periods


def month_case(month: int, case: MonthCase, lang: str = "fi") -> str:
    """The month ``1..12`` in ``case``: 9 -> "syyskuu", "syyskuun", "syyskuussa", "syyskuuhun", "syyskuusta";
    Swedish "september" in every case (lower case, as Swedish writes month names)."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1..12")
    stem = t("common.month_stems", lang).split(",")[month - 1]
    return t(f"grammar.month.{case}", lang, stem=stem)


def _split(month: str) -> tuple[int, str]:
    months = parse_period(month).months
    if len(months) != 1:
        raise ValueError(f"{month!r} is not a month YYYY-MM")
    return int(months[0][5:]), months[0][:4]


def month_with_year(month: str, case: MonthCase = "nominative", lang: str = "fi") -> str:
    """A month ``YYYY-MM`` with its year in ``case``: "syyskuu 2023", "syyskuun 2023" / "september 2023"."""
    number, year = _split(month)
    return t("grammar.month_name", lang, month=month_case(number, case, lang), year=year)


def in_month(month: str, lang: str = "fi") -> str:
    """In a month ``YYYY-MM``: "syyskuussa 2023" / "i september 2023"."""
    number, year = _split(month)
    return t("grammar.in_month", lang, month=month_case(number, "inessive", lang), year=year)


def month_end(month: str, lang: str = "fi", with_year: bool = True) -> str:
    """At the end of a month, the counting day of the employment service statistics: "syyskuun 2023 lopussa"
    / "i slutet av september 2023"; without the year "syyskuun lopussa" (as the monthly releases write)."""
    number, year = _split(month)
    genitive = month_case(number, "genitive", lang)
    if not with_year:
        return t("grammar.month_end_no_year", lang, month=genitive)
    return t("grammar.month_end", lang, month=genitive, year=year)


def since_month(month: str, lang: str = "fi") -> str:
    """From a month on: "syyskuusta 2023 alkaen" / "från och med september 2023" (never "syyskuu 2023 alkaen")."""
    number, year = _split(month)
    return t("grammar.since_month", lang, month=month_case(number, "elative", lang), year=year)


def until_month(month: str, lang: str = "fi") -> str:
    """Up to a month: "syyskuuhun 2023 asti" / "till och med september 2023" (never "syyskuu 2023 asti")."""
    number, year = _split(month)
    return t("grammar.until_month", lang, month=month_case(number, "illative", lang), year=year)


def forecast_made(month: str, lang: str = "fi") -> str:
    """The forecast made in a month: "syyskuussa 2023 tehty ennuste" / "prognosen från september 2023"."""
    number, year = _split(month)
    return t("grammar.forecast_made", lang, month=month_case(number, "inessive", lang), year=year)


def in_period(period: str, lang: str = "fi") -> str:
    """In a reporting period: a quarter "heinä–syyskuussa 2023" / "i juli–september 2023", a month as
    :func:`in_month`. The dash is an en dash with a word joiner, so the range is never broken."""
    months = parse_period(period).months
    if len(months) == 1:
        return in_month(months[0], lang)
    first = t("common.month_stems", lang).split(",")[int(months[0][5:]) - 1]
    last = month_case(int(months[-1][5:]), "inessive", lang)
    return t("grammar.in_months", lang, first=first, last=last, year=months[-1][:4])


def in_months_of_year(first: int, last: int, lang: str = "fi") -> str:
    """In months of any year: "tammi–maaliskuussa" / "i januari–mars"; one month "helmikuussa" / "i februari"."""
    if first == last:
        return t("grammar.in_month_of_year", lang, month=month_case(first, "inessive", lang))
    stem = t("common.month_stems", lang).split(",")[first - 1]
    return t("grammar.in_months_of_year", lang, first=stem, last=month_case(last, "inessive", lang))


def month_span(first: str, last: str, lang: str = "fi") -> str:
    """A span of months ``YYYY-MM`` as a caption names it: "lokakuu 2018 – syyskuu 2023" / "oktober 2018 –
    september 2023" (spaced dash between parts that hold spaces); in one year "tammi–syyskuu 2023"."""
    f_number, f_year = _split(first)
    l_number, l_year = _split(last)
    if first == last:
        return t("grammar.month_name", lang, month=month_case(f_number, "nominative", lang), year=f_year)
    if f_year == l_year:
        stem = t("common.month_stems", lang).split(",")[f_number - 1]
        return t("grammar.months_span_year", lang, first=stem, last=month_case(l_number, "nominative", lang),
                 year=l_year)
    return t("grammar.months_span", lang, first=month_case(f_number, "nominative", lang), first_year=f_year,
             last=month_case(l_number, "nominative", lang), last_year=l_year)


# --------------------------------------------------------------------------- numbers


def number_text(value: float, unit: Unit, lang: str = "fi") -> str:
    """The number as the reviews print it (space as thousands separator, decimal comma): the unit decides
    the decimals (persons 0, percent and percentage points 1)."""
    decimals = UNIT_DECIMALS[unit]
    return fmt_dec(value, decimals, lang) if decimals else fmt_int(value, lang)


def count_word(value: float, case: Case = "nominative", lang: str = "fi") -> str:
    """A count as running text writes it: exactly one in words, in the case the sentence needs ("yksi",
    "yhden", "yhdellä" / "en"), any other count in figures ("2", "1 711"). Kielitoimisto writes the small
    numbers in words in running text but keeps figures where numbers are compared side by side, as the
    reviews' counts are; a lone "1 henkilöllä" is the one that reads as a slip."""
    number = fmt_int(value, lang)
    return t(f"grammar.one.{case}", lang) if number == "1" else number


def quantity(value: float, unit: Unit, case: Case = "nominative", lang: str = "fi") -> str:
    """A number with its unit word in ``case``: (5.2, percent, elative) -> "5,2 prosentista", (10, percent,
    illative) -> "10,0 prosenttiin", (0.6, percentage_point) -> "0,6 prosenttiyksikköä", (175, person) ->
    "175 henkilöä", (1, person, adessive) -> "yhdellä henkilöllä" / "en person". In the nominative Finnish
    puts the word after any number but exactly 1 in the partitive; Swedish takes the singular after 1 and the
    plural otherwise, in every case. One person is written in words (:func:`count_word`); a measure keeps its
    figure ("1,0 prosenttiyksikkö")."""
    number = number_text(value, unit, lang)
    one = number == "1"
    if lang == "sv":
        form = "nominative" if one else "partitive"
    else:
        form = case if case != "nominative" else ("nominative" if one else "partitive")
    if one and unit in ("person", "unemployed"):
        number = count_word(value, case, lang)
    return f"{number}\u00a0{t(f'grammar.unit.{unit}.{form}', lang)}"


def ordinal(rank: int, lang: str = "fi") -> str:
    """An ordinal in figures: Finnish "16." ; Swedish "16:e", "1:a", "2:a", "21:a" (":a" after a last digit 1 or 2,
    but 11 and 12 take ":e")."""
    if lang != "sv":
        return f"{rank}."
    return f"{rank}:a" if rank % 10 in (1, 2) and rank % 100 not in (11, 12) else f"{rank}:e"


def percent_sign(value: float, case: Case = "nominative", lang: str = "fi") -> str:
    """A percentage with the % sign and, in Finnish, its case ending after a colon: "7,6 %:n", "7,6 %:iin"."""
    return f"{fmt_dec(value, 1, lang)}\u00a0{t(f'grammar.percent_sign.{case}', lang)}"


def change_phrase(change: int, lang: str = "fi") -> str:
    """A change of a count from a year earlier: "175 enemmän kuin vuotta aiemmin" / "175 fler än ett år
    tidigare"; a fall "12 vähemmän …" / "12 färre …"; one "yksi enemmän …" / "en fler …"; none "yhtä monta …" /
    "lika många …"."""
    if change == 0:
        return t("grammar.change_same", lang)
    key = "grammar.change_more" if change > 0 else "grammar.change_fewer"
    return t(key, lang, n=count_word(abs(change), "nominative", lang))


def rate_change_phrase(pp: float, lang: str = "fi") -> str:
    """A change of a rate from a year earlier: "0,6 prosenttiyksikköä korkeampi kuin vuotta aiemmin" /
    "0,6 procentenheter högre än ett år tidigare"; a change that rounds to 0,0 is "sama …" / "samma …"."""
    if number_text(abs(pp), "percentage_point", lang) == number_text(0, "percentage_point", lang):
        return t("grammar.rate_same", lang)
    key = "grammar.rate_higher" if pp > 0 else "grammar.rate_lower"
    return t(key, lang, pp=quantity(abs(pp), "percentage_point", "nominative", lang))


def count_with_change(count: int, change: int, lang: str = "fi", unit: Unit = "unemployed") -> str:
    """A count and its change kept apart by words, never "80, 7": "80 työtöntä työnhakijaa, mikä on 7 enemmän
    kuin vuotta aiemmin" / "80 arbetslösa arbetssökande, vilket är 7 fler än ett år tidigare"."""
    return t("grammar.count_with_change", lang, count=quantity(count, unit, "nominative", lang),
             change=change_phrase(change, lang))


def number_comma_traps(text: str) -> list[str]:
    """Every place where a number, a comma and a space run into another number ("80, 7"), which a reader
    takes for a decimal; a sentence template must produce none."""
    return [text[max(m.start() - 10, 0):m.end() + 10] for m in NUMBER_COMMA_TRAP.finditer(text)]


# --------------------------------------------------------------------------- lists and sentences


def join_and(items: list[str], lang: str = "fi") -> str:
    """A list joined with "ja" / "och" and no comma before it: "Kokkola, Kannus ja Perho"."""
    if not items:
        raise ValueError("an empty list cannot be joined")
    if len(items) == 1:
        return items[0]
    return t("grammar.and", lang, items=", ".join(items[:-1]), last=items[-1])


def list_item(name: str) -> str:
    """A common-noun label inside a sentence starts in lower case in both languages
    ("Rakennustyöntekijät ym." -> "rakennustyöntekijät ym.", "Byggnadsarbetare" -> "byggnadsarbetare");
    an abbreviation such as "ICT-asiantuntijat" keeps its capitals."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def sentence(text: str) -> str:
    """A sentence starts with a capital: "syyskuun 2023 lopussa …" -> "Syyskuun 2023 lopussa …"."""
    return text[:1].upper() + text[1:]


def group_changes_sentence(changes: list[tuple[str, int]], lang: str = "fi") -> str:
    """The occupation groups with the largest change, their names kept in the nominative after a colon (no
    case form of a group name is cited): "Työttömien määrä kasvoi eniten seuraavissa ammattiryhmissä:
    rakennustyöntekijät ym. (+48) ja …" / "Antalet arbetslösa ökade mest inom följande yrkesgrupper: …".
    All changes must go the same way (a rise, or a fall)."""
    if not changes or len({change > 0 for _, change in changes}) != 1 or any(c == 0 for _, c in changes):
        raise ValueError("group_changes_sentence takes a non-empty list of rises only or of falls only")
    items = [f"{list_item(name)} ({fmt_signed(change, 0, lang)})" for name, change in changes]
    key = "grammar.group_rise" if changes[0][1] > 0 else "grammar.group_fall"
    return t(key, lang, items=join_and(items, lang))


def headline_change(month: str, change: int, lang: str = "fi") -> str:
    """The headline of a month's change: "Työttömiä syyskuun lopussa 175 enemmän kuin vuotta aiemmin" /
    "I slutet av september 175 fler arbetslösa än ett år tidigare"."""
    when = month_end(month, lang, with_year=False)
    key = "grammar.headline_same" if change == 0 else ("grammar.headline_more" if change > 0 else "grammar.headline_fewer")
    values = {"when": when} if change == 0 else {"when": when, "n": count_word(abs(change), "nominative", lang)}
    return sentence(t(key, lang, **values))


def unemployed_sentence(code: str, month: str, count: int, change: int | None, lang: str = "fi") -> str:
    """"Syyskuun 2023 lopussa Lestijärvellä oli 80 työtöntä työnhakijaa, mikä on 7 enemmän kuin vuotta
    aiemmin." / "I slutet av september 2023 fanns det 80 arbetslösa arbetssökande i Lestijärvi, vilket är …".
    Without a cited Finnish form the name leads in the nominative: "Koski Tl: syyskuun 2023 lopussa oli …"."""
    where = in_place(code, lang)
    counted = (quantity(count, "unemployed", "nominative", lang) if change is None  # no month a year earlier
               else count_with_change(count, change, lang))
    values = {"when": month_end(month, lang), "count_change": counted}
    if where is None:
        return sentence(t("grammar.unemployed_at_nominative", lang, place=place(code).name(lang), **values))
    return sentence(t("grammar.unemployed_at", lang, place=where, **values))


def rate_sentence(code: str, rate: float, pp_change: float, lang: str = "fi") -> str:
    """"Työttömyysaste oli Lestijärvellä 7,6 %, mikä on 0,6 prosenttiyksikköä korkeampi kuin vuotta aiemmin." /
    "Arbetslöshetsgraden i Lestijärvi var 7,6 %, vilket är 0,6 procentenheter högre än ett år tidigare.".
    Without a rate a year earlier (``pp_change`` NaN) the level alone: "Työttömyysaste oli Perhossa 8,1 %."."""
    where = in_place(code, lang)
    values = {"rate": percent_sign(rate, "nominative", lang)}
    if pp_change != pp_change:  # NaN: no month a year earlier
        if where is None:
            return t("grammar.rate_level_at_nominative", lang, place=place(code).name(lang), **values)
        return t("grammar.rate_level_at", lang, place=where, **values)
    values["change"] = rate_change_phrase(pp_change, lang)
    if where is None:
        return t("grammar.rate_at_nominative", lang, place=place(code).name(lang), **values)
    return t("grammar.rate_at", lang, place=where, **values)


def rate_range_sentence(period_month: str, low_code: str, low: float, high_code: str, high: float,
                        lang: str = "fi") -> str:
    """"Syyskuun 2023 lopussa kuntien työttömyysaste vaihteli Lestijärven 5,2 prosentista Halsuan 10,0
    prosenttiin." / "I slutet av september 2023 varierade arbetslöshetsgraden i kommunerna från 5,2 procent i
    Lestijärvi till 10,0 procent i Halsua."; without cited genitives the names follow in brackets."""
    low_p, high_p = place(low_code), place(high_code)
    values = {"when": month_end(period_month, lang), "low": quantity(low, "percent", "elative", lang),
              "high": quantity(high, "percent", "illative", lang)}
    if lang == "fi" and low_p.genitive and high_p.genitive:
        return sentence(t("grammar.rate_range", lang, low_place=low_p.genitive, high_place=high_p.genitive, **values))
    return sentence(t("grammar.rate_range_nominative", lang, low_place=low_p.name(lang), high_place=high_p.name(lang),
                      **values))


def rate_extremes_sentence(low_code: str, low: float, high_code: str, high: float, lang: str = "fi") -> str:
    """"Työttömyysaste oli alhaisin Lestijärvellä (5,2 %) ja korkein Halsualla (10,0 %)." — never "alhaisin
    kunnassa Lestijärvi"; without cited forms "Työttömyysaste: alhaisin Lestijärvi (5,2 %), korkein …"."""
    values = {"low": percent_sign(low, "nominative", lang), "high": percent_sign(high, "nominative", lang)}
    low_where, high_where = place_case(low_code, "locative", lang), place_case(high_code, "locative", lang)
    if low_where and high_where:
        return t("grammar.rate_extremes", lang, low_place=low_where, high_place=high_where, **values)
    return t("grammar.rate_extremes_nominative", lang, low_place=place(low_code).name(lang),
             high_place=place(high_code).name(lang), **values)


def most_unemployed_sentence(codes: list[str], lang: str = "fi") -> str | None:
    """"Eniten työttömiä oli Kokkolassa, Kannuksessa ja Kaustisella." / "Flest arbetslösa fanns i Karleby,
    Kannus och Kaustby."; ``None`` if a Finnish form is missing (list the names in a table instead)."""
    places = places_phrase(codes, lang)
    return None if places is None else t("grammar.most_unemployed", lang, places=places)
