"""Finnish/Swedish number formats, disclosure control, strings and HTML escaping."""

import math

import pytest

from analysis.present import disclosure, fmt, html
from analysis.present.text import MissingText, catalogue, t

NBSP = "\u00a0"


@pytest.mark.parametrize("func, args, expected", [
    (fmt.fmt_int, (2307,), f"2{NBSP}307"),
    (fmt.fmt_int, (30259, "sv"), f"30{NBSP}259"),
    (fmt.fmt_int, (999,), "999"),
    (fmt.fmt_int, (1234567,), f"1{NBSP}234{NBSP}567"),
    (fmt.fmt_pct, (7.835,), f"7,8{NBSP}%"),
    (fmt.fmt_pct, (9.3, 1, "sv"), f"9,3{NBSP}%"),
    (fmt.fmt_dec, (0.05, 2), "0,05"),
    (fmt.fmt_signed, (175,), "+175"),
    (fmt.fmt_signed, (-1234,), f"{fmt.MINUS}1{NBSP}234"),
    (fmt.fmt_signed, (0.04, 1), "±0,0"),
    (fmt.fmt_pp, (0.3,), f"+0,3{NBSP}%\u2011yks."),
    (fmt.fmt_pct_change, (195 / 2176 * 100,), f"+9,0{NBSP}%"),  # MK16 unemployed 2022-10 -> 2023-10
    (fmt.fmt_pct_change, (-30.0, 1, "sv"), f"{fmt.MINUS}30,0{NBSP}%"),
    (fmt.fmt_int, (math.nan,), "–"),
    (fmt.fmt_pct, (None,), "–"),
])
def test_number_formats(func, args, expected):
    assert func(*args) == expected


def test_unknown_locale_is_refused():
    with pytest.raises(ValueError, match="no number format for language 'en'"):
        fmt.fmt_int(1, "en")


@pytest.mark.parametrize("value, shown", [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (math.nan, "–"), (2371, f"2{NBSP}371")])
def test_small_counts_are_not_published(value, shown):
    assert disclosure.disclose_count(value) == shown


def test_change_on_a_small_base_is_flagged():
    assert disclosure.unreliable_change(19)
    assert not disclosure.unreliable_change(20)
    assert disclosure.unreliable_change(math.nan)


def test_finnish_and_swedish_hold_the_same_keys():
    fi, sv = catalogue("fi"), catalogue("sv")
    assert set(fi) == set(sv), sorted(set(fi) ^ set(sv))
    for key in fi:  # the same placeholders in both languages
        assert sorted(_fields(fi[key])) == sorted(_fields(sv[key])), key


def _fields(text: str) -> list[str]:
    import string
    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


def test_missing_text_key_is_an_error():
    with pytest.raises(MissingText, match="no text 'common.nope'"):
        t("common.nope", "fi")


def test_data_strings_are_escaped_in_html():
    import pandas as pd
    frame = pd.DataFrame({"a": ["<script>alert(1)</script>"], "b": ['"x" & y']})
    out = html.table_html(frame, "<b>caption</b>")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "&#34;x&#34; &amp; y" in out
    assert "&lt;b&gt;caption&lt;/b&gt;" in out
    assert "<h2>&lt;i&gt;</h2>" == html.heading("<i>").data


EVIL = 'Kokkola <script>alert("x")</script> & Co'
"""A municipality name with markup in it (tests only): every block shows it as text."""


@pytest.mark.parametrize("make", [
    lambda: html.heading(EVIL, 3, "a"), lambda: html.paragraph(EVIL, "note-missing"), lambda: html.link("x.html", EVIL),
    lambda: html.bullets([EVIL]), lambda: html.definitions([(EVIL, EVIL)]), lambda: html.notice(EVIL, "caveat"),
    lambda: html.table(__import__("pandas").DataFrame({EVIL: [EVIL], "n": [EVIL]}), EVIL),
    lambda: html.joined([html.paragraph(EVIL), html.heading(EVIL)]),
])
def test_every_block_escapes_a_name_with_markup(make):
    from bs4 import BeautifulSoup

    out = make().data
    assert "<script" not in out and "&lt;script&gt;" in out
    soup = BeautifulSoup(out, "html.parser")
    assert not soup.find_all("script") and EVIL in soup.get_text()


def test_a_block_in_a_block_is_html_and_a_string_is_text():
    """A block made by a template is taken as HTML by the next template (``Block.__html__``); the same
    markup as a plain string is escaped."""
    inner = html.paragraph("Perho")
    assert html.macro("review_page.html.j2", "tiles", tiles=[inner]).data == '<div class="tiles"><p>Perho</p></div>'
    assert html.macro("review_page.html.j2", "tiles", tiles=[inner.data]).data == (
        '<div class="tiles">&lt;p&gt;Perho&lt;/p&gt;</div>')


def test_the_template_environment_escapes_every_template():
    assert html.ENVIRONMENT.autoescape is True
    assert html.render("page.html.j2", title="<i>", body="<b>x</b>", lang="fi", meta_lines=[], footer_lines=[],
                       banner=None, running_title='"t"', printed_on='"1.1.2027"', page_word='"Sivu"',
                       ).count("&lt;b&gt;x&lt;/b&gt;") == 1


def test_figure_has_alt_text_and_its_numbers():
    import matplotlib.pyplot as plt
    import pandas as pd
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    out = html.figure(fig, alt="Työttömät laskivat", caption="Kuvio", data=pd.DataFrame({"x": [1], "y": [3]})).data
    assert 'alt="Työttömät laskivat"' in out
    assert out.count("<table") == 1 and "data:image/svg+xml;base64," in out


def _svg(uri: str) -> bytes:
    import base64
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    return base64.b64decode(uri[len(prefix):])


def _chart_with_a_legend_below():
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([1, 2, 3], [2307, 2411, 2198], label="Työttömät työnhakijat")
    ax.fill_between([1, 2, 3], [2000, 2100, 1900], [2600, 2700, 2500], alpha=0.3, label="80 %:n ennusteväli")
    ax.set_ylabel("Henkilöä")
    ax.set_title("Kaikki ammatit: työttömät työnhakijat")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    return fig


def test_a_chart_is_matplotlibs_tight_svg_without_its_second_drawing():
    """The chart's bytes equal matplotlib's own ``bbox_inches="tight"`` SVG (the legend below the axes
    inside the picture), but for the shown size: 110 px per inch, as the PNG at 110 dpi was."""
    import io
    import re

    import matplotlib
    matplotlib.use("Agg")
    own = _svg(html.svg_data_uri(_chart_with_a_legend_below()))
    buffer = io.BytesIO()
    with matplotlib.rc_context(html.SVG_SETTINGS):
        _chart_with_a_legend_below().savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    theirs = buffer.getvalue()
    w_pt, h_pt = (float(v) for v in re.search(rb'width="([\d.]+)pt" height="([\d.]+)pt"', theirs).groups())
    assert re.search(rb'<svg [^>]*width="(\d+)" height="(\d+)"', own).groups() == (
        str(round(w_pt / 72 * 110)).encode(), str(round(h_pt / 72 * 110)).encode())
    assert h_pt > 3 * 72 * 0.9  # the legend below the axes is inside
    size = re.compile(rb'width="[\d.]+(pt)?" height="[\d.]+(pt)?"')
    assert size.sub(b"", own, count=1) == size.sub(b"", theirs, count=1)
    assert b"Ty\xc3\xb6tt\xc3\xb6m\xc3\xa4t ty\xc3\xb6nhakijat</text>" in own  # text kept as text
    assert own == _svg(html.svg_data_uri(_chart_with_a_legend_below()))  # the same chart, the same bytes


@pytest.mark.parametrize("value, numeric", [
    (f"2{NBSP}307", True), ("−284 (−39,8\u00a0%)", True), ("<5", True), ("–", True),
    (f"+0,6{NBSP}%\u2011yks.", True), ("Myyjät", False), ("01 Upseerit", False), ("2 (esimerkki)", False),
])
def test_numbers_are_right_aligned_and_text_is_not(value, numeric):
    import pandas as pd
    out = html.table_html(pd.DataFrame({"k": ["x"], "v": [value]}), "c")
    assert ('<td class="num">' in out) is numeric


def test_the_chart_theme_is_seaborns():
    """figures.THEME holds what seaborn's set_theme(whitegrid, colorblind, notebook) sets, so the
    charts look as with seaborn without importing it (its 'rocket' colour map aside: no chart uses
    a colour map)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    from analysis.present import figures

    assert figures.PALETTE == [tuple(c) for c in sns.color_palette("colorblind")]
    with plt.rc_context():
        plt.rcdefaults()
        sns.set_theme(style="whitegrid", palette="colorblind", context="notebook")
        plt.rcParams.update({"figure.figsize": (8, 4), "axes.titleweight": "bold", "figure.dpi": 100,
                             "axes.titley": 1.0})
        expected = {k: v for k, v in plt.rcParams.items() if k != "image.cmap"}
    with plt.rc_context():
        plt.rcdefaults()
        figures.setup_style()
        got = {k: v for k, v in plt.rcParams.items() if k != "image.cmap"}
    assert got == expected


def test_labels_at_line_ends_are_spread_apart_around_their_values():
    """Names at the lines' ends (the foreign-language shares) never overlap: close values form a group centred on
    their mean, a lone value keeps its place, and the input order is kept."""
    from analysis.present import figures

    at = figures.spread([2.1, 0.9, 2.0, 4.3, 2.5, 2.4, 4.2, 1.6], 0.25, low=0.1, high=5)
    assert at[1] == 0.9 and at[7] == 1.6  # alone: at its value
    assert sorted(at) == [0.9, 1.6, 1.875, 2.125, 2.375, 2.625, 4.125, 4.375]
    assert at[2] < at[0] < at[5] < at[4]  # the order of the values is kept
    assert figures.spread([4.9, 5.0], 0.25, high=5.0) == [4.75, 5.0]


def test_a_long_category_name_is_wrapped_and_shortened_for_a_chart():
    from analysis.present import figures

    assert figures.wrap_label("1.1 Avoinna olevat työpaikat (kpl/kk)", 24, 3) == "1.1 Avoinna olevat\ntyöpaikat (kpl/kk)"
    name = "1.5 Kotoutumiskoulutuksen aloittaneet ryhmät vuodessa työllisyysalueen rahoittamana."
    lines = figures.wrap_label(name, 24, 3).split("\n")
    assert len(lines) == 3 and lines[-1].endswith("…") and all(len(line) <= 24 for line in lines)
    # a word longer than a line stays whole; a no-break space keeps a number with the word after it
    assert figures.wrap_label("3\u00a0Sysselsättningsöversikter i samband", 24, 2) == (
        "3\u00a0Sysselsättningsöversikter\ni samband")
