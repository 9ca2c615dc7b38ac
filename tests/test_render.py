"""The readers' HTML of executed notebooks (analysis.review.render)."""

from __future__ import annotations

import nbformat
from bs4 import BeautifulSoup

from analysis.review import render


def _executed() -> nbformat.NotebookNode:
    """A small executed notebook (tests only): parameters, an analyst's note, a chart and a table
    with their own alt text and caption, and stream output."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3"}, "language_info": {"name": "python"}}
    params = nbformat.v4.new_code_cell('period = "2023Q3"', metadata={"tags": ["parameters"]})
    note = nbformat.v4.new_markdown_cell("# For analysts only")
    shown = nbformat.v4.new_code_cell("display(blocks)")
    shown.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<h2>Työttömyys</h2>", "text/plain": "<HTML>"}),
        nbformat.v4.new_output("display_data", data={
            "text/html": '<figure><img src="data:image/svg+xml;base64,AAAA" alt="Työttömät 2 307"><figcaption>Kuva</figcaption>'
                         "</figure>", "text/plain": "<HTML>"}),
        nbformat.v4.new_output("stream", name="stdout", text="debug text\n"),
    ]
    nb.cells = [params, note, shown]
    return nb


def test_readers_html_holds_the_outputs_and_no_code_nor_notes():
    body = render.body_html([_executed()])
    assert "<h2>Työttömyys</h2>" in body and 'alt="Työttömät 2 307"' in body
    for hidden in ("period =", "For analysts only", "debug text", "display(blocks)"):
        assert hidden not in body


def test_readers_html_is_nbconverts_without_its_closing_pass():
    """The exporter skips only the pass nbconvert's HTMLExporter ends with (BeautifulSoup adding
    placeholder alt texts, and tab stops that the basic template has no place for): the same HTML
    once both are read by the same parser."""
    from nbconvert import HTMLExporter

    theirs = HTMLExporter(template_name="basic")
    theirs.exclude_input = theirs.exclude_input_prompt = theirs.exclude_output_prompt = True
    executed = _executed()
    want = BeautifulSoup(theirs.from_notebook_node(render._for_readers(executed))[0], "html.parser")
    got = BeautifulSoup(render.body_html([executed]), "html.parser")
    assert str(got) == str(want)
    assert "No description has been provided" not in str(got)


def _pages_notebook(outputs: list[str]) -> nbformat.NotebookNode:
    nb = _executed()
    nb.cells[2].outputs = [nbformat.v4.new_output("display_data", data={"text/html": text}) for text in outputs]
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
