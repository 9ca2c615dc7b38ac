"""Pages from templates: no HTML is built from strings in src/, every value is escaped, and the readers'
main page of 2023Q3 keeps its text (a golden of its visible text, fi and sv)."""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import tokenize
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis import config
from analysis.present import html
from analysis.review import index

GOLDEN = Path(__file__).parent / "fixtures" / "golden"

STRING_START = re.compile(r"""([a-zA-Z]*)(\'\'\'|\"\"\"|\'|\")""")
TAG_START = re.compile(r"\s*</?[a-zA-Z!]")


def html_literals(source: str) -> list[tuple[int, str]]:
    """The string literals of Python ``source`` that start with a tag: HTML assembled in code
    (``f"<p>{…}</p>"``, ``"<ul>" + …``), as (line, literal). Raw strings are regular expressions that
    read HTML, not HTML."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    found = []
    for i, token in enumerate(tokens):
        if token.type == tokenize.STRING:
            start = STRING_START.match(token.string)
            prefix, body = start.group(1), token.string[start.end():]
        elif token.type == getattr(tokenize, "FSTRING_START", None):  # Python 3.12 splits f-strings up
            prefix = token.string.rstrip("\'\"")
            body = tokens[i + 1].string if tokens[i + 1].type == tokenize.FSTRING_MIDDLE else ""
        else:
            continue
        if "r" not in prefix.lower() and TAG_START.match(body):
            found.append((token.start[0], token.line.strip()))
    return found


def test_no_html_is_built_from_strings_in_src():
    """Every tag comes from a template in present/templates (Jinja2, autoescape), none from a string in code."""
    found = [f"{path.relative_to(config.ROOT)}:{n}: {line}" for path in sorted((config.ROOT / "src").rglob("*.py"))
             for n, line in html_literals(path.read_text(encoding="utf-8"))]
    assert not found, "HTML built in code:\n" + "\n".join(found)


def test_the_html_literal_finder_finds_html_in_code():
    for code in ('x = f"<p>{esc(x)}</p>"', "x = f'<div class=\"tiles\">{tiles}</div>'", 'x = "<ul>" + items',
                 'HTML("</section>")', "x = '<!DOCTYPE html>'", 'x = (f"<td>{a}</td>"\n     f"<td>{b}</td>")'):
        assert html_literals(code), code
    for code in ('x = re.compile(r\'<section data-page="(?P<n>.*)">\')', '"""``<section data-page=…>``"""',
                 'x = "a < b"', "x = '<5'", 'x = "not_in_store"  # detail "<table>:<measure>"'):
        assert not html_literals(code), code


EVIL = 'Kokkola <script>alert("x")</script> & Co'
"""A name with markup in it (tests only)."""


@pytest.mark.parametrize("name, values", [
    ("tile", {**dict.fromkeys(["label", "value", "month"], EVIL), "rows": [(EVIL, EVIL, ""), (EVIL, EVIL, "secondary")]}),
    ("plan", {"heading": EVIL, "paragraphs": [EVIL]}),
    ("first_screen", {"headline": EVIL, "story": [EVIL], "plan": EVIL}),
    ("toc", {"label": EVIL, "links": [("#a", EVIL)]}),
    ("municipality_links", {"label": EVIL, "links": [("kunta-ku272.html", EVIL)]}),
    ("page_start", {"file_name": "kunta-ku272.html", "title": EVIL}),
])
def test_the_main_pages_blocks_escape_a_name_with_markup(name, values):
    out = html.macro("review_page.html.j2", name, **values).data
    assert "<script" not in out and "&lt;script&gt;" in out
    assert EVIL in BeautifulSoup(out, "html.parser").get_text() or EVIL in out.replace("&#34;", '"').replace(
        "&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")  # page_start holds it in an attribute


def test_a_municipality_page_marker_is_split_with_its_title(tmp_path):
    """The page marker the template makes is the one render.split_pages reads, with a title of any text."""
    import nbformat

    from analysis.review import render

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    blocks = [html.macro("review_page.html.j2", "page_start", file_name="kunta-ku272.html", title=EVIL),
              html.paragraph("Kokkolassa työttömiä 2 307"), html.macro("review_page.html.j2", "page_end")]
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html.joined(blocks).data})]
    nb.cells = [cell]
    [(name, title, body)] = render.split_pages(nb)
    assert (name, title) == ("kunta-ku272.html", EVIL)
    assert "<p>Kokkolassa työttömiä 2 307</p>" in body and "section" not in body


def _record(outputs: Path, lang: str, area_name: str, period: str = "2023Q3", files: tuple[str, ...] = (),
            **fields: object) -> Path:
    """A published review's folder: its ``run.json`` (the fields a run writes, with ``fields`` over them) and
    empty pages named ``files`` beside it; returns the folder."""
    folder = outputs / "keski-pohjanmaa" / period / lang
    folder.mkdir(parents=True)
    (folder / "run.json").write_text(json.dumps({
        "area": "keski-pohjanmaa", "area_name": area_name, "period": period, "lang": lang, "data_vintage": "test",
        "last_month": "2023-09", "made_at": "2026-12-01T18:57:00+00:00", **fields}), encoding="utf-8")
    for name in ("review.html", *files):
        (folder / name).write_text("<html>test fixture</html>", encoding="utf-8")
    return folder


def test_the_index_lists_the_reviews_and_escapes_an_area_name(tmp_path):
    _record(tmp_path, "fi", EVIL)
    _record(tmp_path, "sv", EVIL)
    page = index.write_index(tmp_path).read_text(encoding="utf-8")
    assert "<script" not in page
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("h2").get_text() == EVIL
    card = soup.select_one("article.review-card")
    assert card.h3.get_text() == "Neljännesvuosikatsaus, heinä–\u2060syyskuu\xa02023"
    assert card.select_one(".review-meta").get_text() == "Tiedot syyskuuhun 2023 asti. Laadittu 1.12.2026 klo 20.57."
    links = card.select(".review-links a")
    assert [(a["href"], a["hreflang"], a.get("lang"), a.get_text()) for a in links] == [
        ("keski-pohjanmaa/2023Q3/fi/review.html", "fi", None, "Lue katsaus"),
        ("keski-pohjanmaa/2023Q3/sv/review.html", "sv", "sv", "Översikten på svenska")]
    assert links[0]["aria-label"] == f"Lue katsaus: \u2068{EVIL}\u2069, heinä–\u2060syyskuu\xa02023"  # the name isolated
    assert links[1]["aria-label"] == f"Översikten på svenska: \u2068{EVIL}\u2069, juli–\u2060september\xa02023"
    empty = BeautifulSoup(index.write_index(tmp_path / "none").read_text(encoding="utf-8"), "html.parser")
    assert not empty.find("article") and empty.main.get_text().strip()


FI_HEADLINE = "Työttömiä syyskuun lopussa 175 enemmän kuin vuotta aiemmin"
SV_HEADLINE = "I slutet av september 175 fler arbetslösa än ett år tidigare"
"""The headlines of the 2023Q3 review of Keski-Pohjanmaa (September 2023: 175 more unemployed than a year
earlier, as tests/test_review.py checks on a real run)."""


def _hrefs_resolve(page: Path) -> list[str]:
    """Every link of ``page`` that is not a file beside it (an empty list when all resolve)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    hrefs = [a["href"] for a in soup.select("main a, link[rel=alternate]")]
    return [h for h in hrefs if not (page.parent / h).is_file()]


def test_each_review_has_its_headline_type_pdf_appendix_and_municipality_pages_in_each_language(tmp_path):
    """The index lists every review as a card: its type (quarterly or monthly) and period, its headline as its
    run recorded it, links to the review, its PDF, appendix and municipality pages (named in the page's
    language, only files that exist) and to its other language; an old record without a headline is listed
    without one. The Finnish and the Swedish list link to each other."""
    towns = ("kunta-ku584.html", "kunta-ku272.html", "kunta-ku236.html")
    _record(tmp_path, "fi", "Keski-Pohjanmaan työllisyysalue", files=("review.pdf", "appendix.html", *towns),
            headline=FI_HEADLINE, pdf="review.pdf")
    _record(tmp_path, "sv", "Mellersta Österbottens sysselsättningsområde", files=("review.pdf", *towns),
            headline=SV_HEADLINE)
    _record(tmp_path, "fi", "Keski-Pohjanmaan työllisyysalue", period="2023-09", files=("appendix.html",),
            headline=FI_HEADLINE)
    _record(tmp_path, "fi", "Keski-Pohjanmaan työllisyysalue", period="2023Q2", last_month="2023-06")  # an old record
    fi = index.write_index(tmp_path)
    sv = tmp_path / "index.sv.html"
    assert fi == tmp_path / "index.html" and _hrefs_resolve(fi) == [] and _hrefs_resolve(sv) == []

    soup = BeautifulSoup(fi.read_text(encoding="utf-8"), "html.parser")
    cards = soup.select("article.review-card")
    assert [c.h3.get_text() for c in cards] == [  # newest data first; a quarter before the month it ends with
        "Neljännesvuosikatsaus, heinä–\u2060syyskuu\xa02023", "Kuukausikatsaus, syyskuu 2023",
        "Neljännesvuosikatsaus, huhti–\u2060kesäkuu\xa02023"]
    assert [getattr(c.select_one(".review-headline"), "text", None) for c in cards] == [FI_HEADLINE, FI_HEADLINE, None]
    quarter, month, old = cards
    assert [a.get_text() for a in quarter.select(".review-links a")] == [
        "Lue katsaus", "Tulostettava versio (PDF)", "Menetelmät ja aineisto (liite)", "Översikten på svenska"]
    pdf = quarter.find("a", type="application/pdf")
    assert pdf["href"] == "keski-pohjanmaa/2023Q3/fi/review.pdf"
    assert pdf["aria-label"] == ("Tulostettava versio (PDF): \u2068Keski-Pohjanmaan työllisyysalue\u2069, "
                                 "heinä–\u2060syyskuu\xa02023")
    assert [(a.get_text(), a["href"]) for a in quarter.select(".review-towns a")] == [
        ("Kaustinen", "keski-pohjanmaa/2023Q3/fi/kunta-ku236.html"), ("Kokkola", "keski-pohjanmaa/2023Q3/fi/kunta-ku272.html"),
        ("Perho", "keski-pohjanmaa/2023Q3/fi/kunta-ku584.html")]
    assert quarter.select_one(".review-towns-label").get_text() == "Kuntakohtaiset sivut:"
    assert [a.get_text() for a in month.select(".review-links a")] == ["Lue katsaus", "Menetelmät ja aineisto (liite)"]
    assert not month.select(".review-towns") and not old.select(".review-towns")
    assert old.select_one(".review-meta").get_text().startswith("Tiedot kesäkuuhun 2023 asti.")
    other = soup.select_one(".index-languages a")
    assert (other["href"], other["hreflang"], other["lang"], other.get_text()) == (
        "index.sv.html", "sv", "sv", "Sysselsättningsöversikter på svenska")
    assert {(link["hreflang"], link["href"]) for link in soup.select("link[rel=alternate]")} == {
        ("fi", "index.html"), ("sv", "index.sv.html")}

    soup = BeautifulSoup(sv.read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "sv" and soup.h1.get_text() == "Sysselsättningsöversikter"
    assert soup.h2.get_text() == "Mellersta Österbottens sysselsättningsområde"
    quarter, month, old = soup.select("article.review-card")
    assert quarter.h3.get_text() == "Kvartalsöversikt, juli–\u2060september\xa02023"
    assert quarter.select_one(".review-headline").get_text() == SV_HEADLINE
    assert [a.get_text() for a in quarter.select(".review-links a")] == [
        "Läs översikten", "Utskriftsversion (PDF)", "Katsaus suomeksi"]  # no Swedish appendix in this folder
    assert [a.get_text() for a in quarter.select(".review-towns a")] == ["Karleby", "Kaustby", "Perho"]
    assert quarter.select_one(".review-meta").get_text() == (
        "Uppgifter till och med september 2023. Sammanställd 1.12.2026 kl. 20.57.")
    assert month.h3.get_text() == "Månadsöversikt, september 2023"
    assert month.select_one(".review-missing").get_text() == "Översikten har inte sammanställts på svenska."
    assert [(a.get_text(), a["lang"]) for a in month.select(".review-links a")] == [("Katsaus suomeksi", "fi")]
    assert soup.select_one(".index-languages a").get_text() == "Työllisyyskatsaukset suomeksi"

    listed = json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))
    assert [(r["period"], r["lang"], r["headline"]) for r in listed] == [
        ("2023Q3", "sv", SV_HEADLINE), ("2023Q3", "fi", FI_HEADLINE), ("2023Q2", "fi", ""), ("2023-09", "fi", FI_HEADLINE)]


def test_a_region_s_many_municipality_pages_fold_under_their_count(tmp_path):
    """A review with more municipality pages than fit at a glance lists them under a summary with their count."""
    codes = ["KU005", "KU010", "KU052", "KU145", "KU151", "KU152", "KU164", "KU217", "KU218", "KU232", "KU233",
             "KU236", "KU272"]
    _record(tmp_path, "fi", "Etelä-Pohjanmaa", files=tuple(f"kunta-{c.lower()}.html" for c in codes),
            headline=["not", "text"])  # a headline that is not text is not shown
    soup = BeautifulSoup(index.write_index(tmp_path).read_text(encoding="utf-8"), "html.parser")
    fold = soup.select_one("details.review-towns-fold")
    assert fold.summary.get_text() == "Kuntakohtaiset sivut (13)" and len(fold.select("a")) == 13
    assert not soup.select(".review-headline")
    assert _hrefs_resolve(tmp_path / "index.html") == []


def test_a_tables_caption_stands_outside_its_scrolling_box():
    """On a 390 px phone a wide table scrolls sideways inside ``.table-wrap``; its caption stands before that box
    (not a ``<caption>`` inside it, which would scroll away with the table), and names both the scrolling region
    and the table by ``aria-labelledby``, so a screen reader still announces the table by its caption (issue 27)."""
    import pandas as pd

    wide = pd.DataFrame({f"Sarake {i}": [f"{i} 307", "+175"] for i in range(12)})
    soup = BeautifulSoup(html.table_html(wide, "Työttömät <b>syyskuun</b> 2023 lopussa"), "html.parser")
    block = soup.select_one("div.table-block")
    caption, box = block.find_all(recursive=False)
    assert caption.name == "p" and "table-caption" in caption["class"]
    assert caption.get_text() == "Työttömät <b>syyskuun</b> 2023 lopussa"  # escaped, not markup
    assert "table-wrap" in box["class"] and box["role"] == "region" and box["tabindex"] == "0"
    assert not box.find("caption") and not soup.find("caption")
    assert box["aria-labelledby"] == caption["id"] == box.table["aria-labelledby"]
    assert "aria-label" not in box.attrs
    # the same table has the same id wherever it is made; another table of the page has another
    again = BeautifulSoup(html.table_html(wide, "Työttömät <b>syyskuun</b> 2023 lopussa"), "html.parser")
    other = BeautifulSoup(html.table_html(wide.head(1), "Työttömät <b>syyskuun</b> 2023 lopussa"), "html.parser")
    assert again.p["id"] == caption["id"] != other.p["id"]
    css = (html.TEMPLATES / "review.css").read_text(encoding="utf-8")
    assert ".table-caption" in css and "overflow-x: auto" in css.split(".table-wrap {")[1].split("}")[0]


def test_a_charts_numbers_table_keeps_its_caption_outside_the_box_too():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    block = html.figure(fig, "Työttömät kasvoivat", "Työttömät kuukausittain", pd.DataFrame({"x": [1], "y": [3]}))
    soup = BeautifulSoup(block.data, "html.parser")
    numbers = soup.select_one("details div.table-block")
    assert numbers.p.get_text() == "Työttömät kuukausittain" and not soup.find("caption")
    assert numbers.select_one(".table-wrap")["aria-labelledby"] == numbers.p["id"]


# --------------------------------------------------------------------------- the main page's text

BLOCK_ELEMENTS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "div", "tr", "th", "td", "caption",
                  "figcaption", "summary", "section", "header", "footer", "main", "nav", "aside", "figure", "title")
MADE_AT = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4} (klo|kl\.) \d{1,2}\.\d{2}\b")


def visible_text(page: str) -> str:
    """What a reader reads on ``page``, a block a line (images by their alt text); the time the review was
    made is ``<made_at>``."""
    soup = BeautifulSoup(page, "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    for img in soup("img"):
        img.replace_with(f"\n[{img.get('alt', '')}]\n")
    for tag in soup(BLOCK_ELEMENTS):
        tag.insert_before("\n")
        tag.append("\n")
    lines = (" ".join(line.split()) for line in soup.get_text().splitlines())
    return MADE_AT.sub("<made_at>", "\n".join(line for line in lines if line)) + "\n"


def test_visible_text_keeps_words_and_drops_markup():
    page = ('<html><head><title>T</title><style>p {}</style></head><body><p class="meta">Laadittu 1.12.2026 klo 20.57'
            '</p><p>Halsua, <a href="x">Perho</a> ja <strong>Kokkola</strong>.</p><img src="x" alt="Kuvio"></body></html>')
    assert visible_text(page) == "T\nLaadittu <made_at>\nHalsua, Perho ja Kokkola.\n[Kuvio]\n"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_main_page_of_2023Q3_keeps_its_text(lang, full_review, swedish_review):
    """The readers' main page of the default review (Keski-Pohjanmaa 2023Q3, embedded data) shows the same
    words as the golden; only whitespace may differ. After a change meant to alter the page's text, write
    the new golden with ``UPDATE_GOLDEN=1 pytest tests/test_templates.py -k keeps_its_text`` and review its diff."""
    review = full_review if lang == "fi" else swedish_review
    got = visible_text(review.read_text(encoding="utf-8"))
    golden = GOLDEN / f"review-2023Q3-{lang}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    want = golden.read_text(encoding="utf-8")
    diff = "\n".join(difflib.unified_diff(want.splitlines(), got.splitlines(), "golden", "page", lineterm="", n=1))
    assert got.split() == want.split(), f"the main page's text changed ({golden.name}):\n{diff[:4000]}"


def test_every_template_is_package_data():
    """An installed (not editable) package carries every template: pyproject's package-data globs cover them."""
    import tomllib

    globs = tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["analysis"]
    package = config.ROOT / "src" / "analysis"
    covered = {path for pattern in globs for path in package.glob(pattern)}
    templates = {path for path in html.TEMPLATES.rglob("*") if path.is_file() and "__pycache__" not in path.parts}
    assert templates and templates <= covered, sorted(str(p) for p in templates - covered)


def test_a_changed_template_changes_the_code_digest(tmp_path, monkeypatch):
    """The blocks cached with a review's sections are keyed on the code: a template is code."""
    import shutil

    from analysis import cache

    shutil.copytree(html.TEMPLATES, tmp_path / "present" / "templates")
    monkeypatch.setattr(cache, "PACKAGE_DIR", tmp_path)
    digests = []
    for changed in (None, "blocks.html.j2", "review.css", "nbconvert/readers/conf.json"):
        if changed:
            with open(tmp_path / "present" / "templates" / changed, "a", encoding="utf-8") as fh:
                fh.write("\n")
        digests.append(cache.code_digest())  # computed anew at every call: nothing to clear
    assert len(set(digests)) == 4
