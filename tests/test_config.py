from pathlib import Path

import pytest

from analysis import config


def test_default_area_is_keski_pohjanmaa_with_its_eight_municipalities():
    area = config.get_area(config.default_area_slug())
    assert area.slug == "keski-pohjanmaa"
    assert area.region == "MK16"
    assert sorted(area.members) == sorted(
        ["KU272", "KU217", "KU236", "KU074", "KU421", "KU584", "KU849", "KU924"])
    assert area.name("sv") == "Mellersta Österbottens sysselsättningsområde"


def test_every_region_in_the_data_is_a_configured_area(store):
    regions = {c for c in store.observations["area_code"].unique() if c.startswith("MK")}
    configured = {a.members[0] for a in config.load_areas().values() if len(a.members) == 1}
    assert len(regions) == 19
    assert regions <= configured


def test_unknown_area_names_the_closest_ids_in_a_short_message():
    with pytest.raises(config.ConfigError, match=r"unknown area 'keski-pohjanma'; did you mean keski-pohjanmaa, "
                                                 r"maakunta-keski-pohjanmaa, elinvoimakeskus-pohjanmaa\?") as err:
        config.get_area("keski-pohjanma")
    assert len(str(err.value)) < 200 and "`python -m analysis areas`" in str(err.value)
    with pytest.raises(config.ConfigError, match=r"did you mean tunturi-lapin-ja-pellon-tyollisyysalue"):
        config.get_area("Tunturi-Lapin ja Pellon työllisyysalue")  # the Finnish name finds its id
    with pytest.raises(config.ConfigError, match=r"^unknown area 'nowhere' \(\d+ areas in areas.yaml") as err:
        config.get_area("nowhere")
    assert "keski-pohjanmaa" not in str(err.value)  # not the list of every area


def test_area_members_status():
    areas = config.load_areas()
    assert areas["tunturi-lapin-ja-pellon-tyollisyysalue"].members_status == "final"
    assert areas["tunturi-lapin-ja-pellon-tyollisyysalue"].members == ("KU047", "KU261", "KU273", "KU498", "KU854")
    assert areas["seinajoen-tyollisyysalue"].members_status == "preparation"
    assert areas["maakunta-lappi"].members_status == "final"  # a region is what StatFin publishes
    employment = [a for a in areas.values() if a.kind == "employment_area"]
    assert all(a.members_status in config.MEMBERS_STATUSES for a in employment), [
        a.slug for a in employment if not a.members_status]


@pytest.mark.parametrize("text, message", [
    ("default: a\nareas:\n  a:\n    name_fi: A\n    name_sv: A\n    region: MK16\n    members: [KU27]\n",
     "'KU27' is not a StatFin area code"),
    ("default: a\nareas:\n  a:\n    name_fi: A\n    region: MK16\n    members: [KU272]\n", "missing key.*name_sv"),
    ("default: b\nareas:\n  a:\n    name_fi: A\n    name_sv: A\n    region: MK16\n    members: [KU272]\n",
     "default area 'b'"),
    ("default: A\nareas:\n  A:\n    name_fi: A\n    name_sv: A\n    region: MK16\n    members: [KU272]\n",
     "lowercase slug"),
    ("default: a\nareas:\n  a:\n    name_fi: A\n    name_sv: A\n    region: MK16\n    members: [KU272, KU272]\n",
     "listed twice"),
])
def test_bad_area_config_names_the_file_and_area(tmp_path: Path, text, message):
    path = tmp_path / "areas.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(config.ConfigError, match=message) as err:
        config.load_areas(path)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("period, months", [
    ("2023Q3", ["2023-07", "2023-08", "2023-09"]),
    ("2024Q1", ["2024-01", "2024-02", "2024-03"]),
    ("2022Q4", ["2022-10", "2022-11", "2022-12"]),
])
def test_period_months(period, months):
    assert config.period_months(period) == months


@pytest.mark.parametrize("bad", ["2023Q5", "2023-Q3", "23Q3", "2023q3", "", "2023Q3; rm -rf /"])
def test_bad_period_is_refused(bad):
    with pytest.raises(config.ConfigError, match="YYYYQn"):
        config.parse_period(bad)


def test_language_must_be_fi_or_sv():
    assert config.check_language("sv") == "sv"
    with pytest.raises(config.ConfigError, match="'en' is not supported"):
        config.check_language("en")
