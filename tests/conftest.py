"""Shared fixtures: the real embedded store (loaded once) and paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis import config
from analysis.store import load_store
from analysis.store.scope import Scope

FIXTURES = Path(__file__).parent / "fixtures"

# The tests read the English rendering of the command line's messages (the default for users is
# Finnish); tests/test_error_language.py sets the language itself.
os.environ["ANALYSIS_LANG"] = "en"


WHOLE_REVIEW = {"full_review", "swedish_review"}
"""The session fixtures that run the whole review (slow): the tests using them share one worker."""


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups to name the tests
def pytest_collection_modifyitems(items):
    """``make test`` runs the suite on every core (pytest-xdist, ``--dist loadgroup``): the tests that read
    the whole review go to one worker, so the review runs once, not once per worker."""
    for item in items:
        if WHOLE_REVIEW & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("whole_review"))


@pytest.fixture(scope="session")
def store():
    """The real embedded snapshot (data/raw)."""
    return load_store("embedded")


@pytest.fixture(scope="session")
def kp_area():
    """The default area, Keski-Pohjanmaa."""
    return config.get_area("keski-pohjanmaa")


@pytest.fixture(scope="session")
def kp_scope(store, kp_area) -> Scope:
    """Keski-Pohjanmaa in 2023Q3 on the embedded store (as of 2023-09)."""
    return Scope.of(store, kp_area, "2023Q3")


@pytest.fixture(scope="session")
def full_review(tmp_path_factory) -> Path:
    """The whole default review (every notebook), run once for the page and browser tests."""
    from analysis.review import runner

    out = tmp_path_factory.mktemp("outputs")
    return runner.run_review(period="2023Q3", output_dir=out, progress=False)


@pytest.fixture(scope="session")
def swedish_review(tmp_path_factory) -> Path:
    """The same review in Swedish, every page (the appendix too: the browser tests measure its charts on a
    phone), for the browser tests and the main page's golden text."""
    from analysis.review import runner

    return runner.run_review(period="2023Q3", lang="sv", output_dir=tmp_path_factory.mktemp("sv"), progress=False)
