"""The second round of hostile inputs (issue 30): each case failed before its fix.

Stores, reviews and YAML files here are TEST FIXTURES in temporary folders (placeholder pages,
synthetic configuration); no number in them is presented as data.
"""

from __future__ import annotations

import re

import pytest

from analysis import cli, config, schema
from analysis.review import params

# --- item 1: ASCII digits only ------------------------------------------------------------------

ARABIC_INDIC = "\u0662\u0660\u0662\u0663"  # ٢٠٢٣
FULLWIDTH = "\uff12\uff10\uff12\uff13"  # ２０２３


@pytest.mark.parametrize("period", [f"{ARABIC_INDIC}Q3", f"{FULLWIDTH}Q3", f"{ARABIC_INDIC}-09", "2023-\u0660\u0669"])
def test_a_period_in_other_digits_is_refused(period):
    with pytest.raises(config.ConfigError, match="is not a quarter YYYYQn"):
        config.parse_period(period)
    assert not config.PERIOD_PATTERN.fullmatch(period)
    with pytest.raises(config.ConfigError):
        params.check_request(period=period)


def test_the_command_line_refuses_a_period_in_other_digits(tmp_path, capsys):
    assert cli.main(["review", "--period", f"{ARABIC_INDIC}Q3", "--output-dir", str(tmp_path)]) == 2
    assert "is not a quarter YYYYQn" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("pattern", [schema.AREA_CODE_PATTERN, schema.MONTH_PATTERN, schema.YEAR_PATTERN])
def test_store_patterns_match_ascii_digits_only(pattern):
    for text in ("KU\u0662\u0667\u0662", "MK\uff11\uff16", f"{ARABIC_INDIC}-09", ARABIC_INDIC, f"{FULLWIDTH}-09"):
        assert not re.fullmatch(pattern, text)
    assert any(re.fullmatch(pattern, t) for t in ("KU272", "MK16", "2023-09", "2023"))


def test_an_area_member_in_other_digits_is_refused(tmp_path):
    path = tmp_path / "areas.yaml"
    path.write_text("default: a\nareas:\n  a: {name_fi: A, name_sv: A, members: [KU\u0662\u0667\u0662]}\n",
                    encoding="utf-8")
    with pytest.raises(config.ConfigError, match="is not a StatFin area code"):
        config.load_areas(path)


def test_a_digit_pattern_in_src_is_ascii_only():
    """No regular expression in the package's own parsing code uses ``\\d`` (any Unicode digit)."""
    owned = ["config.py", "cli.py", "schema.py", "errors.py", "files.py", "cache.py", "review", "indicators"]
    root = config.ROOT / "src" / "analysis"
    offenders = []
    for entry in owned:
        for path in ([root / entry] if entry.endswith(".py") else sorted((root / entry).rglob("*.py"))):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "\\d" in line:
                    offenders.append(f"{path.relative_to(root)}:{number}")
    assert offenders == []
