"""The sentence grammar (issue 27): months, numbers and place names in the case the sentence needs.

Place-name forms are asserted by hand from the sources named in ``data/reference/README.md`` (Kotus,
Kielitoimiston ohjepankki, Kielikello and the municipalities' own usage); the golden file renders every
sentence helper for the eight Keski-Pohjanmaa municipalities and three periods in both languages. Its
numbers are synthetic (made up for the grammar, not data). To write it anew after a deliberate change:
``GRAMMAR_GOLDEN_UPDATE=1 pytest tests/test_grammar.py`` and read every changed line before committing.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from analysis.present import grammar as g

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "fixtures" / "golden" / "grammar_sentences.txt"
CODES_2026 = ROOT / "data" / "reference" / "statfin_area_codes_2026.csv"
KP = ["KU272", "KU217", "KU236", "KU074", "KU421", "KU584", "KU849", "KU924"]  # the eight of Keski-Pohjanmaa
PERIODS = ["2023Q3", "2023-09", "2026-06"]

# name, Swedish name, genitive, where, to where, from where: read from the sources (README keys in brackets)
KP_FORMS = {
    # kotus-yle-2020 (-la names always take the inner cases); local-kokkola-2013 ("Kokkolassa risteytyvät",
    # "liitettiin Kokkolaan", "Kokkolan kaupunki", "Taskutietoa Kokkolasta"); Swedish Karleby (okm-koodisto-kunta)
    "KU272": ("Kokkola", "Karleby", "Kokkolan", "Kokkolassa", "Kokkolaan", "Kokkolasta"),
    # local-kannus ("Kannuksessa raikasi", "Kannuksen uusittu tori"); to/from: pykko-cases
    "KU217": ("Kannus", "Kannus", "Kannuksen", "Kannuksessa", "Kannukseen", "Kannuksesta"),
    # kielikello-jokioista ("Kaustisella", "vain Kaustisen on yksiköllinen"); yle-areena and kotus-yle-2020
    # ("Kaustisella, Kaustiselle, Kaustiselta"); Swedish Kaustby
    "KU236": ("Kaustinen", "Kaustby", "Kaustisen", "Kaustisella", "Kaustiselle", "Kaustiselta"),
    # local-halsua ("uudenvuoden aattona Halsualla", "Halsuan Masala", "Halsualta Helsinkiin"); to: pykko-cases
    "KU074": ("Halsua", "Halsua", "Halsuan", "Halsualla", "Halsualle", "Halsualta"),
    # kotus-yle-2020 (-järvi names usually the outer cases); local-lestijarvi ("Lestijärvelläkin", "Lestijärven");
    # to/from: pykko-cases
    "KU421": ("Lestijärvi", "Lestijärvi", "Lestijärven", "Lestijärvellä", "Lestijärvelle", "Lestijärveltä"),
    # local-perho, the municipality's own page ("Tietoa Perhosta", "Perhossa on elinvoimaa", "Perhoon kuuluu")
    "KU584": ("Perho", "Perho", "Perhon", "Perhossa", "Perhoon", "Perhosta"),
    # local-toholampi ("Toholammin kunnassa", "Toholammilla", "tuli Toholammille"); from: pykko-cases
    "KU849": ("Toholampi", "Toholampi", "Toholammin", "Toholammilla", "Toholammille", "Toholammilta"),
    # local-veteli ("Vetelissä vanhustenhoidon", "Vetelin Suojeluskunnan"); to/from: pykko-cases; Swedish Vetil
    "KU924": ("Veteli", "Vetil", "Vetelin", "Vetelissä", "Veteliin", "Vetelistä"),
}


@pytest.mark.parametrize("code", KP)
def test_every_case_of_the_keski_pohjanmaa_municipalities(code):
    name, name_sv, genitive, where, to, from_ = KP_FORMS[code]
    p = g.place(code)
    assert (p.name_fi, p.name_sv, p.genitive, p.locative, p.lative, p.separative) == (name, name_sv, genitive, where, to,
                                                                                      from_)
    assert g.place_case(code, "genitive") == genitive
    assert g.in_place(code, "fi") == where
    assert g.in_place(code, "sv") == f"i {name_sv}"


def test_the_custom_not_a_rule_decides_the_case():
    series = {code: g.place(code).series for code in KP}
    assert series == {"KU272": "inner", "KU217": "inner", "KU236": "outer", "KU074": "outer", "KU421": "outer",
                      "KU584": "inner", "KU849": "outer", "KU924": "inner"}
    assert g.place("KU445").locative == "Paraisilla" and g.place("KU445").genitive == "Paraisten"  # -inen, plural
    assert g.place("KU236").genitive == "Kaustisen"  # the one -inen name that stays singular


@pytest.mark.parametrize("name, form, column", [  # examples printed by Kotus, the ohjepankki and Kielikello
    ("Laukaa", "Laukaassa", "locative"), ("Laukaa", "Laukaasta", "separative"), ("Enontekiö", "Enontekiölle", "lative"),
    ("Ylitornio", "Ylitorniolta", "separative"), ("Joroinen", "Joroisissa", "locative"),
    ("Huittinen", "Huittisten", "genitive"), ("Kauniainen", "Kauniaisissa", "locative"),
    ("Vesanto", "Vesannolle", "lative"), ("Uusikaarlepyy", "Uudessakaarlepyyssä", "locative"),
    ("Inkoo", "Inkooseen", "lative"), ("Loimaa", "Loimaalla", "locative"), ("Imatra", "Imatralla", "locative"),
    ("Kangasala", "Kangasalla", "locative"), ("Kangasala", "Kangasalle", "lative"), ("Heinola", "Heinolassa", "locative"),
    ("Kiuruvesi", "Kiuruvedellä", "locative"), ("Seinäjoki", "Seinäjoella", "locative"),
    ("Kokemäki", "Kokemäellä", "locative"), ("Liminka", "Limingassa", "locative"), ("Puolanka", "Puolangalla", "locative"),
    ("Ikaalinen", "Ikaalisissa", "locative"), ("Pornainen", "Pornaisten", "genitive"), ("Isokyrö", "Isossakyrössä", "locative"),
    ("Sotkamo", "Sotkamossa", "locative"),
])
def test_the_table_agrees_with_every_form_the_primary_sources_print(name, form, column):
    (p,) = [p for p in g.municipalities().values() if p.name_fi == name]
    assert getattr(p, column) == form


def test_every_2026_municipality_code_has_a_row():
    with open(CODES_2026, encoding="utf-8") as fh:
        codes = {r["area_code"] for r in csv.DictReader(fh) if r["area_code"].startswith("KU")} - {"KUJOU", "KU199"}
    assert len(codes) == 308
    assert set(g.municipalities()) == codes
    labels = {r["area_code"]: r["label_en"] for r in csv.DictReader(open(CODES_2026, encoding="utf-8"))}
    for code, p in g.municipalities().items():  # StatFin labels a municipality by its majority-language name
        assert labels[code] in (p.name_fi, p.name_sv), code


def test_a_name_without_a_single_cited_form_is_none_and_the_sentence_keeps_the_nominative():
    mantyharju = [p for p in g.municipalities().values() if p.name_fi == "Mäntyharju"][0]
    assert mantyharju.locative is None and "Mäntyharjussa" in mantyharju_note()  # two forms established (MTV/Kotus)
    assert g.in_place("KU284", "fi") is None  # Koski Tl: no source found
    assert g.unemployed_sentence("KU284", "2023-09", 80, 7, "fi") == (
        "Koski Tl: syyskuun 2023 lopussa oli 80\u00a0työtöntä työnhakijaa, mikä on 7 enemmän kuin vuotta aiemmin.")
    assert g.rate_range_sentence("2023-09", "KU284", 5.2, "KU074", 10, "fi") == (
        "Syyskuun 2023 lopussa kuntien työttömyysaste vaihteli 5,2\u00a0prosentista 10,0\u00a0prosenttiin "
        "(alhaisin Koski Tl, korkein Halsua).")
    assert g.most_unemployed_sentence(["KU272", "KU284"], "fi") is None
    empty = [p for p in g.municipalities().values() if p.locative is None]
    assert all(not (p.genitive or p.lative or p.separative) for p in empty)  # all or nothing per row


def mantyharju_note() -> str:
    with open(g.MUNICIPALITY_TABLE, encoding="utf-8") as fh:
        return next(r["note"] for r in csv.DictReader(fh) if r["name_fi"] == "Mäntyharju")


def test_swedish_names_take_i_and_lowercase_months():
    assert [g.place(c).name("sv") for c in ("KU272", "KU236", "KU924", "KU445", "KU478")] == [
        "Karleby", "Kaustby", "Vetil", "Pargas", "Mariehamn"]
    assert g.place("KU478").name("fi") == "Maarianhamina"
    assert g.in_month("2023-09", "sv") == "i september 2023"
    assert g.month_end("2023-09", "sv") == "i slutet av september 2023"
    assert g.in_period("2023Q3", "sv") == "i juli–\u2060september 2023"
    assert g.places_phrase(["KU272", "KU217", "KU236"], "sv") == "i Karleby, Kannus och Kaustby"


@pytest.mark.parametrize("case, form", [("nominative", "syyskuu"), ("genitive", "syyskuun"), ("inessive", "syyskuussa"),
                                        ("illative", "syyskuuhun"), ("elative", "syyskuusta")])
def test_months_in_every_case(case, form):
    assert g.month_case(9, case, "fi") == form


def test_month_and_period_phrases():
    assert [g.month_case(m, "inessive") for m in (1, 7, 12)] == ["tammikuussa", "heinäkuussa", "joulukuussa"]
    assert g.in_month("2023-09") == "syyskuussa 2023"
    assert g.month_end("2023-09") == "syyskuun 2023 lopussa"
    assert g.month_end("2023-09", with_year=False) == "syyskuun lopussa"
    assert g.in_period("2023Q3") == "heinä–\u2060syyskuussa 2023"
    assert g.in_period("2026-06") == "kesäkuussa 2026"
    with pytest.raises(ValueError):
        g.month_case(13, "nominative")


@pytest.mark.parametrize("args, text", [
    ((5.2, "percent", "elative"), "5,2\u00a0prosentista"),
    ((10.0, "percent", "illative"), "10,0\u00a0prosenttiin"),
    ((7.6, "percent", "nominative"), "7,6\u00a0prosenttia"),
    ((0.6, "percentage_point", "nominative"), "0,6\u00a0prosenttiyksikköä"),
    ((1.0, "percentage_point", "nominative"), "1,0\u00a0prosenttiyksikköä"),  # a decimal is never "one"
    ((175, "person", "nominative"), "175\u00a0henkilöä"),
    ((1, "person", "nominative"), "yksi\u00a0henkilö"),  # one person in words (Kielitoimisto)
    ((1, "person", "elative"), "yhdestä\u00a0henkilöstä"),
    ((2, "person", "adessive"), "2\u00a0henkilöllä"),  # compared side by side with other counts: figures
    ((2307, "unemployed", "nominative"), "2\u00a0307\u00a0työtöntä työnhakijaa"),
])
def test_numbers_with_finnish_case_endings(args, text):
    assert g.quantity(*args, lang="fi") == text


def test_numbers_in_swedish_and_with_the_percent_sign():
    assert g.quantity(5.2, "percent", "elative", "sv") == "5,2\u00a0procent"
    assert g.quantity(1, "person", "nominative", "sv") == "en\u00a0person"
    assert g.quantity(0.6, "percentage_point", "nominative", "sv") == "0,6\u00a0procentenheter"
    assert g.percent_sign(7.6, "genitive") == "7,6\u00a0%:n"
    assert g.percent_sign(7.6, "illative") == "7,6\u00a0%:iin"
    assert g.percent_sign(7.6, "genitive", "sv") == "7,6\u00a0%"


def test_one_person_in_words_in_every_case():
    """"Elokuun lopusta määrä kasvoi yhdellä henkilöllä", never "1 henkilöllä" (issue 27); Swedish "med en person"."""
    assert g.quantity(1, "person", "adessive") == "yhdellä\u00a0henkilöllä"
    assert g.quantity(1, "person", "adessive", "sv") == "en\u00a0person"
    assert g.quantity(1, "unemployed", "nominative") == "yksi\u00a0työtön työnhakija"
    assert g.quantity(1, "unemployed", "genitive") == "yhden\u00a0työttömän työnhakijan"
    assert g.quantity(1, "person", "partitive") == "yhtä\u00a0henkilöä"
    assert g.quantity(57, "person", "adessive") == "57\u00a0henkilöllä"
    assert g.quantity(1, "percent", "elative") == "1,0\u00a0prosentista"  # a measure keeps its figure
    assert [g.count_word(n) for n in (1, 2, 1711)] == ["yksi", "2", "1\u00a0711"]
    assert g.change_phrase(1) == "yksi enemmän kuin vuotta aiemmin"
    assert g.change_phrase(-1, "sv") == "en färre än ett år tidigare"
    assert g.headline_change("2023-09", 1) == "Työttömiä syyskuun lopussa yksi enemmän kuin vuotta aiemmin"


def test_months_of_any_year_and_spans_of_months():
    assert g.in_months_of_year(1, 3) == "tammi–\u2060maaliskuussa"
    assert g.in_months_of_year(2, 2) == "helmikuussa"
    assert g.in_months_of_year(1, 2, "sv") == "i januari–\u2060februari"
    assert g.month_span("2018-10", "2023-09") == "lokakuu 2018 – syyskuu 2023"
    assert g.month_span("2018-10", "2023-09", "sv") == "oktober 2018 – september 2023"
    assert g.month_span("2023-01", "2023-09") == "tammi–\u2060syyskuu 2023"
    assert g.month_span("2023-09", "2023-09") == "syyskuu 2023"


def test_changes_and_the_80_7_trap():
    assert g.change_phrase(175) == "175 enemmän kuin vuotta aiemmin"
    assert g.change_phrase(175, "sv") == "175 fler än ett år tidigare"
    assert g.change_phrase(-12) == "12 vähemmän kuin vuotta aiemmin"
    assert g.change_phrase(0, "sv") == "lika många som ett år tidigare"
    assert g.rate_change_phrase(0.6) == "0,6\u00a0prosenttiyksikköä korkeampi kuin vuotta aiemmin"
    assert g.rate_change_phrase(-0.04) == "sama kuin vuotta aiemmin"  # rounds to 0,0
    text = g.count_with_change(80, 7)
    assert text == "80\u00a0työtöntä työnhakijaa, mikä on 7 enemmän kuin vuotta aiemmin"
    assert g.number_comma_traps(text) == []
    assert g.number_comma_traps("oli 80, 7 enemmän kuin vuotta aiemmin") == ["oli 80, 7 enemmän k"]


def test_lists_have_no_comma_before_ja_and_lowercase_common_nouns():
    assert g.join_and(["Kokkola", "Kannus", "Perho"]) == "Kokkola, Kannus ja Perho"
    assert g.join_and(["Karleby", "Kannus"], "sv") == "Karleby och Kannus"
    assert g.join_and(["Perho"]) == "Perho"
    assert g.list_item("Byggnadsarbetare m.fl. (utom elmontörer)") == "byggnadsarbetare m.fl. (utom elmontörer)"
    assert g.list_item("ICT-asiantuntijat") == "ICT-asiantuntijat"
    with pytest.raises(ValueError):
        g.join_and([])


def test_the_constructions_the_issue_quotes():
    assert g.rate_range_sentence("2023-09", "KU421", 5.2, "KU074", 10.0) == (
        "Syyskuun 2023 lopussa kuntien työttömyysaste vaihteli Lestijärven 5,2\u00a0prosentista Halsuan "
        "10,0\u00a0prosenttiin.")
    assert g.rate_extremes_sentence("KU421", 5.2, "KU074", 10.0) == (
        "Työttömyysaste oli alhaisin Lestijärvellä (5,2\u00a0%) ja korkein Halsualla (10,0\u00a0%).")
    assert g.headline_change("2023-09", 175) == "Työttömiä syyskuun lopussa 175 enemmän kuin vuotta aiemmin"
    assert g.headline_change("2023-09", 175, "sv") == "I slutet av september 175 fler arbetslösa än ett år tidigare"
    assert g.in_employment_area("MK16") == "Keski-Pohjanmaan työllisyysalueella"
    assert g.in_employment_area("MK01") is None  # no cited genitive for Uusimaa in the region table
    assert g.in_place("MK16") == "Keski-Pohjanmaalla" and g.in_place("MK16", "sv") == "i Mellersta Österbotten"
    assert g.in_place("MK01", "sv") is None  # "i Uusimaa" would be Finnish in a Swedish sentence


def test_since_until_and_the_forecast_month():
    assert g.since_month("2023-09") == "syyskuusta 2023 alkaen"
    assert g.until_month("2023-09") == "syyskuuhun 2023 asti"
    assert g.forecast_made("2023-09") == "syyskuussa 2023 tehty ennuste"
    assert g.since_month("2023-09", "sv") == "från och med september 2023"
    assert g.until_month("2023-09", "sv") == "till och med september 2023"
    assert g.forecast_made("2023-09", "sv") == "prognosen från september 2023"


def test_occupation_groups_stay_in_the_nominative_after_a_colon():
    assert g.group_changes_sentence([("Rakennustyöntekijät ym. (pl. sähköasentajat)", 48), ("Myyjät", 12)]) == (
        "Työttömien määrä kasvoi eniten seuraavissa ammattiryhmissä: rakennustyöntekijät ym. (pl. sähköasentajat) "
        "(+48) ja myyjät (+12).")
    assert g.group_changes_sentence([("Byggnadsarbetare m.fl. (utom elmontörer)", -5)], "sv") == (
        "Antalet arbetslösa minskade mest inom följande yrkesgrupper: byggnadsarbetare m.fl. (utom elmontörer) "
        "(\u22125).")
    with pytest.raises(ValueError):
        g.group_changes_sentence([("A", 3), ("B", -2)])


def test_the_whole_country_and_the_sub_regions():
    assert g.in_place("SSS") == "koko maassa" and g.in_place("SSS", "sv") == "i hela landet"
    assert g.rate_sentence("SSS", 9.4, 0.9) == (
        "Työttömyysaste oli koko maassa 9,4\u00a0%, mikä on 0,9\u00a0prosenttiyksikköä korkeampi kuin vuotta aiemmin.")
    assert g.in_subregion("SK161") == "Kaustisen seutukunnassa"
    assert g.in_subregion("SK162", "sv") == "i Karleby ekonomiska region"
    assert g.in_subregion("SK146") is None  # Järviseutu is no municipality's name


def test_an_unknown_code_is_an_error():
    with pytest.raises(KeyError, match="KU999"):
        g.place("KU999")


# --------------------------------------------------------------------------- the golden file

SYNTHETIC = [  # (count, change, rate %, change in percentage points) per municipality: made up, not data
    (2307, 175, 7.6, 0.6), (80, 7, 5.2, -0.3), (1, 0, 10.0, 0.0), (175, -12, 8.1, 1.2),
    (45, 1, 6.4, -1.0), (60, -1, 9.3, 0.04), (90, 3, 4.9, 2.5), (120, -30, 7.0, -0.6),
]
GROUPS = ["Rakennustyöntekijät ym. (pl. sähköasentajat)", "Konepaja- ja valimotyöntekijät sekä asentajat ja korjaajat"]
GROUPS_SV = ["Byggnadsarbetare m.fl. (utom elmontörer)", "Verkstads- och gjuteriarbetare samt montörer och reparatörer"]


def render_golden() -> str:
    lines = ["# Every sentence helper of analysis.present.grammar for the eight Keski-Pohjanmaa municipalities,",
             "# three periods, Finnish and Swedish. The numbers are SYNTHETIC (made up for the grammar test, not data).",
             "# A no-break space is shown as '·', the word joiner after a dash as '⁀'.", ""]
    for lang in ("fi", "sv"):
        lines.append(f"[{lang}] area: {g.in_employment_area('MK16', lang)}")
        lines.append(f"[{lang}] sub-regions: {g.in_subregion('SK161', lang)}; {g.in_subregion('SK162', lang)}")
        lines.append(f"[{lang}] country: {g.rate_sentence('SSS', 9.4, 0.9, lang)}")
        groups = GROUPS if lang == "fi" else GROUPS_SV
        lines.append(f"[{lang}] list: {g.join_and([g.list_item(n) for n in groups], lang)}")
        lines.append(f"[{lang}] groups: {g.group_changes_sentence([(groups[0], 48), (groups[1], 12)], lang)}")
    for period in PERIODS:
        month = g.parse_period(period).months[-1]
        for lang in ("fi", "sv"):
            tag = f"[{period} {lang}]"
            lines += ["", f"{tag} period: {g.in_period(period, lang)}", f"{tag} month end: {g.month_end(month, lang)}",
                      f"{tag} since / until / forecast: {g.since_month(month, lang)}; {g.until_month(month, lang)}; "
                      f"{g.forecast_made(month, lang)}",
                      f"{tag} headline: {g.headline_change(month, 175, lang)}"]
            for i, code in enumerate(KP):
                count, change, rate, pp = SYNTHETIC[i]
                nxt, nxt2 = KP[(i + 1) % len(KP)], KP[(i + 2) % len(KP)]
                name = g.place(code).name(lang)
                lines += [
                    f"{tag} {name}: {g.unemployed_sentence(code, month, count, change, lang)}",
                    f"{tag} {name}: {g.rate_sentence(code, rate, pp, lang)}",
                    f"{tag} {name}: {g.rate_range_sentence(month, code, 5.2, nxt, 10.0, lang)}",
                    f"{tag} {name}: {g.rate_extremes_sentence(code, 5.2, nxt, 10.0, lang)}",
                    f"{tag} {name}: {g.most_unemployed_sentence([code, nxt, nxt2], lang)}",
                ]
    return "\n".join(lines).replace("\u00a0", "·").replace("\u2060", "⁀") + "\n"


def test_the_golden_sentences():
    text = render_golden()
    if os.environ.get("GRAMMAR_GOLDEN_UPDATE"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    assert g.number_comma_traps(text) == []
    for slip in ("kunnassa Lestijärvi", "Kaustisilla", "Kaustisten", "Halsuassa", "Perholla", "Toholammissa",
                 "Vetelillä", "Kokkolalla", "syyskuu 2023 asti", ", ja ", ", och "):
        assert slip not in text, slip


def test_every_source_key_of_the_tables_is_described_in_the_readme():
    readme = (ROOT / "data" / "reference" / "README.md").read_text(encoding="utf-8")
    keys = set()
    for table in (g.MUNICIPALITY_TABLE, g.REGION_TABLE):
        with open(table, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for column in ("names_source", "forms_source", "verified_in"):
                    keys.update(k for k in row.get(column, "").split(";") if k)
    assert {"okm-koodisto-kunta", "pykko-cases", "ohjepankki-297", "local-veteli"} <= keys
    assert [k for k in sorted(keys) if f"`{k}`" not in readme] == []
