"""config/areas.yaml: employment areas of 2025, elinvoimakeskus areas and the 19 regions.

Valid codes are those of StatFin's real 12r5 area list of 2026-08 (map "Alue 2026",
tests/fixtures/pxweb/statfin_12r5_metadata_en_2026-08.json).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import config

META = Path(__file__).parent / "fixtures" / "pxweb" / "statfin_12r5_metadata_en_2026-08.json"
AREA_VAR = json.loads(META.read_text(encoding="utf-8"))["variables"][0]
VALID = set(AREA_VAR["values"]) - {"KUJOU", "KU199", "MK91", "MKJO", "SKJOU"}
NAMES = dict(zip(AREA_VAR["values"], AREA_VAR["valueTexts"]))
MAINLAND = {"MK01", "MK02", "MK04", "MK05", "MK06", "MK07", "MK08", "MK09", "MK10", "MK11", "MK12", "MK13",
            "MK14", "MK15", "MK16", "MK17", "MK18", "MK19"}


@pytest.fixture(scope="module")
def areas():
    return config.load_areas()


def test_default_is_keski_pohjanmaa(areas):
    assert config.default_area_slug() == "keski-pohjanmaa"
    kp = areas["keski-pohjanmaa"]
    assert kp.kind == "employment_area" and kp.region == "MK16" and len(kp.members) == 8


def test_every_member_and_region_is_a_valid_statfin_code(areas):
    for area in areas.values():
        for code in [*area.members, *([area.region] if area.region else [])]:
            assert code in VALID, (area.slug, code)


def test_employment_areas_are_municipalities_and_disjoint(areas):
    employment = [a for a in areas.values() if a.kind == "employment_area"]
    assert len(employment) >= 10
    seen: dict[str, str] = {}
    for area in employment:
        assert all(m.startswith("KU") for m in area.members), area.slug
        for code in area.members:
            assert code not in seen, f"{code} is in both {seen.get(code)} and {area.slug}"
            seen[code] = area.slug


def test_named_members_as_in_the_sources(areas):
    def names(slug):
        return sorted(NAMES[c] for c in areas[slug].members)

    assert names("oulun-tyollisyysalue") == sorted(["Hailuoto", "Ii", "Kempele", "Liminka", "Lumijoki", "Muhos",
                                                    "Oulu", "Pudasjärvi", "Tyrnävä", "Utajärvi", "Vaala"])
    assert names("etelaisen-keski-suomen-tyollisyysalue") == sorted(
        ["Jämsä", "Joutsa", "Keuruu", "Luhanka", "Multia", "Mänttä-Vilppula", "Petäjävesi", "Toivakka"])
    assert len(areas["pohjoisen-keski-suomen-tyollisyysalue"].members) == 13
    assert names("kirkkonummen-vihdin-siuntion-tyollisyysalue") == ["Kirkkonummi", "Siuntio", "Vihti"]
    # the 12r5 area list (en) gives Swedish names for Swedish-majority municipalities
    assert names("pohjanmaan-tyollisyysalue") == sorted(["Vaasa", "Nykarleby", "Vöyri", "Korsholm", "Laihia", "Malax",
                                                         "Närpes", "Korsnäs", "Kaskinen"])


def test_elinvoimakeskus_areas_cover_the_mainland_regions_once(areas):
    centres = [a for a in areas.values() if a.kind == "elinvoimakeskus"]
    assert len(centres) == 10
    members = [m for a in centres for m in a.members]
    assert sorted(members) == sorted(MAINLAND)
    assert areas["elinvoimakeskus-pohjanmaa"].members == ("MK15", "MK16")
    assert areas["elinvoimakeskus-pohjanmaa"].region is None  # an area of two regions has no one region


def test_all_19_regions_are_configured(areas):
    regions = {a.members[0] for a in areas.values() if a.kind == "region"}
    assert regions == MAINLAND | {"MK21"}


def test_region_and_kind_are_optional_and_kind_is_checked(tmp_path):
    path = tmp_path / "areas.yaml"
    path.write_text("default: a\nareas:\n  a:\n    name_fi: A\n    name_sv: A\n    members: [MK15, MK16]\n"
                    "  b:\n    name_fi: B\n    name_sv: B\n    members: [KU272]\n", encoding="utf-8")
    loaded = config.load_areas(path)
    assert (loaded["a"].kind, loaded["a"].region) == ("elinvoimakeskus", None)
    assert loaded["b"].kind == "employment_area"
    path = tmp_path / "bad_areas.yaml"  # load_areas caches by path
    path.write_text("default: a\nareas:\n  a:\n    name_fi: A\n    name_sv: A\n    kind: county\n"
                    "    members: [MK16]\n", encoding="utf-8")
    with pytest.raises(config.ConfigError, match="key 'kind': 'county'"):
        config.load_areas(path)


def test_employment_areas_found_so_far(areas):
    # 38 of the 45 employment areas of 2025 have a found source naming their members (config/areas.yaml)
    employment = {a.slug: a for a in areas.values() if a.kind == "employment_area"}
    assert len(employment) == 38

    def names(slug):
        return sorted(NAMES[c] for c in employment[slug].members)

    assert names("tunturi-lapin-ja-pellon-tyollisyysalue") == ["Enontekiö", "Kittilä", "Kolari", "Muonio", "Pello"]

    assert len(employment["turun-tyollisyysalue"].members) == 23
    assert len(employment["tampereen-seudun-tyollisyysalue"].members) == 16
    assert names("espoon-ja-kauniaisten-tyollisyysalue") == ["Espoo", "Kauniainen"]
    assert names("keski-uudenmaan-tyollisyysalue") == sorted(["Hyvinkää", "Järvenpää", "Mäntsälä", "Nurmijärvi",
                                                              "Pornainen", "Tuusula"])
    assert names("etela-satakunnan-tyollisyysalue") == sorted(["Rauma", "Eura", "Eurajoki", "Huittinen", "Säkylä"])
    assert names("yla-savon-tyollisyysalue") == sorted(["Iisalmi", "Kiuruvesi", "Pielavesi", "Sonkajärvi", "Vieremä"])
    # the found sources cover whole regions here: Uusimaa (26), Varsinais-Suomi (27), Satakunta (16), Kanta-Häme (11)
    for region, count in {"MK01": 26, "MK02": 27, "MK04": 16, "MK05": 11}.items():
        assert sum(len(a.members) for a in employment.values() if a.region == region) == count, region
