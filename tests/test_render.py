"""The readers' HTML of executed notebooks (analysis.review.render)."""

from __future__ import annotations

import nbformat
from bs4 import BeautifulSoup

from analysis.present.html import TEMPLATES
from analysis.review import render


def _executed() -> nbformat.NotebookNode:
    """A small executed notebook (tests only): parameters, papermill's injected parameters, an analyst's
    note, an analysts' cell showing a frame, a chart and a heading with their own alt text and caption,
    stream output and an error."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}, "language_info": {"name": "python"}}
    params = nbformat.v4.new_code_cell('period = "2023Q3"', metadata={"tags": ["parameters"]})
    injected = nbformat.v4.new_code_cell('period = "2024Q1"', metadata={"tags": ["injected-parameters"]})
    note = nbformat.v4.new_markdown_cell("# For analysts only")
    frame = nbformat.v4.new_code_cell("table.head()", metadata={"tags": ["analyst"]})
    frame.outputs = [nbformat.v4.new_output("execute_result", data={
        "text/html": "<table><tr><td>analysts' frame</td></tr></table>", "text/plain": "frame"}, execution_count=3)]
    shown = nbformat.v4.new_code_cell("display(blocks)")
    shown.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<h2>Työttömyys</h2>", "text/plain": "<HTML>"}),
        nbformat.v4.new_output("display_data", data={
            "text/html": '<figure><img src="data:image/svg+xml;base64,AAAA" alt="Työttömät 2 307"><figcaption>Kuva</figcaption>'
                         "</figure>", "text/plain": "<HTML>"}),
        nbformat.v4.new_output("stream", name="stdout", text="debug text\n"),
        nbformat.v4.new_output("error", ename="KeyError", evalue="lost key", traceback=["KeyError: lost key"]),
    ]
    nb.cells = [params, injected, note, frame, shown]
    return nb


def test_readers_html_holds_the_outputs_and_no_code_nor_notes():
    body = render.body_html([_executed()])
    assert "<h2>Työttömyys</h2>" in body and 'alt="Työttömät 2 307"' in body
    for hidden in ("period =", "2023Q3", "2024Q1", "For analysts only", "analysts' frame", "table.head", "debug text",
                   "lost key", "display(blocks)"):
        assert hidden not in body


def test_an_analysts_cell_shows_in_the_notebook_and_not_on_the_page():
    """A cell tagged ``analyst`` is dropped by the tag alone: the same cell untagged is on the page."""
    untagged = _executed()
    untagged.cells[3].metadata["tags"] = []
    assert "analysts' frame" in render.body_html([untagged])
    assert "analysts' frame" not in render.body_html([_executed()])


def test_readers_html_comes_from_nbconverts_own_exporter_and_a_template_extending_basic():
    """No subclass of nbconvert: the plain HTMLExporter with the readers' template directory, and
    nbconvert's TagRemovePreprocessor for the hidden cells."""
    import json

    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = render._exporter()
    assert type(exporter) is HTMLExporter
    removers = [p for p in exporter._preprocessors if isinstance(p, TagRemovePreprocessor) and p.enabled]
    assert [set(p.remove_cell_tags) for p in removers] == [{"parameters", "injected-parameters", "analyst"}]
    folder = TEMPLATES / "nbconvert" / render.READERS_TEMPLATE
    assert json.loads((folder / "conf.json").read_text(encoding="utf-8"))["base_template"] == "basic"
    assert "{%- extends 'basic/index.html.j2' -%}" in (folder / "index.html.j2").read_text(encoding="utf-8")


def test_the_page_escapes_its_text_embeds_its_css_and_keeps_its_body():
    page = render.page("Katsaus <script>alert(1)</script>", "<h2>Työttömyys</h2>", "fi", ["Laadittu <b>"],
                       ["Lisenssi & ehdot"], banner="Esimerkki <i>")
    soup = BeautifulSoup(page, "html.parser")
    assert "<script" not in page and not soup.find_all(["script", "link"])
    assert soup.html["lang"] == "fi" and [h.get_text() for h in soup.find_all("h1")] == ["Katsaus <script>alert(1)</script>"]
    assert soup.title.get_text() == "Katsaus <script>alert(1)</script>"
    assert [p.get_text() for p in soup.select("p.meta")] == ["Laadittu <b>"]
    assert soup.select_one("p.example-banner").get_text() == "Esimerkki <i>"
    assert soup.footer.get_text() == "Lisenssi & ehdot"
    assert str(soup.main.h2) == "<h2>Työttömyys</h2>"  # the body is HTML, not text
    style = soup.style.get_text()
    assert (TEMPLATES / "review.css").read_text(encoding="utf-8").strip() in style
    assert "@page" in style and "<" not in style.split("@page")[1]  # the print margins: the title as a CSS string
    assert not BeautifulSoup(render.page("T", "", "sv", [], []), "html.parser").select(".example-banner")


def _pages_notebook(outputs: list[str]) -> nbformat.NotebookNode:
    nb = _executed()
    nb.cells[-1].outputs = [nbformat.v4.new_output("display_data", data={"text/html": text}) for text in outputs]
    return nb


def test_pages_are_split_from_one_output_or_from_one_output_per_block():
    blocks = ['<section data-page="kunta-ku074.html" data-title="Halsua &amp; syyskuu">', "<h2>Halsua</h2>",
              "<p>Työttömiä 42</p>", "</section>", '<section data-page="kunta-ku584.html" data-title="Perho">',
              "<h2>Perho</h2>", "</section>"]
    one = render.split_pages(_pages_notebook(["".join(blocks)]))
    each = render.split_pages(_pages_notebook(blocks))
    assert [(name, title) for name, title, _body in one] == [("kunta-ku074.html", "Halsua & syyskuu"),
                                                            ("kunta-ku584.html", "Perho")]
    assert "<p>Työttömiä 42</p>" in one[0][2] and "Perho" not in one[0][2] and "<h2>Perho</h2>" in one[1][2]
    assert [(n, t) for n, t, _b in each] == [(n, t) for n, t, _b in one]
    assert "<p>Työttömiä 42</p>" in each[0][2] and "<h2>Perho</h2>" in each[1][2]
    assert each == render.split_pages(_pages_notebook(blocks))  # the same pages, byte for byte (no random cell id)
    assert 'id="cell-id=kunta-ku584"' in each[1][2]


def test_a_title_cannot_end_the_print_margin_string_or_the_style_element():
    from analysis.review.render import css_string

    assert css_string("Työllisyyskatsaus: Perho, heinä–syyskuu 2023") == '"Työllisyyskatsaus: Perho, heinä–syyskuu 2023"'
    quoted = css_string('x"; } </style><script>')
    assert quoted.count('"') == 2 and "<" not in quoted and "\\22 " in quoted
