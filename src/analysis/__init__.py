"""Employment-area analytics: StatFin data to the quarterly employment review (työllisyyskatsaus).

The review's results as data, for analysts (``import analysis``; each call reads the embedded StatFin
snapshot unless ``data_source`` says otherwise, and is as of the period: nothing dated after it)::

    analysis.tables()                                   # every result table: name, description, columns
    analysis.table("municipalities")                    # Keski-Pohjanmaa, the latest complete quarter
    analysis.table("regions", period="2023Q3")          # all 19 regions with rate and rank
    analysis.table("occupations", lang="sv")            # by group, with vacancies per unemployed
    analysis.table("groups")                            # the standard groups (level, a year earlier, change)
    analysis.table("trend")                             # monthly series 2006-, with the seasonally adjusted trend
    analysis.facts("keski-pohjanmaa", "2023Q3")         # the main page's figures (a ReviewFacts)
    analysis.forecast(period="2023Q3", occupation="71") # a forecast with its 80 % and 95 % intervals
    analysis.scope("keski-pohjanmaa", "2023Q3")         # the Scope: months, members, data, for going further

Arguments: ``area`` (a slug of ``config/areas.yaml``, default ``keski-pohjanmaa``), ``period`` (``2023Q3``
or ``2023-09``; default the latest complete quarter of the data), ``data_source`` (``embedded``,
``fetched`` or a store folder), ``lang`` (``fi`` | ``sv``: the names). Tables carry codes and names, the
reference month (``month``) and units in column names (``_persons``, ``_jobs``, ``_pct``, ``_pp``,
``_ratio``); ``docs/tables.md`` lists every column. An unknown name raises
:class:`analysis.errors.UnknownName` with the known ones. Implementation: :mod:`analysis.api`.

The review itself: ``python -m analysis review`` (see ``README.md``).
"""

import importlib
import sys
import types

__version__ = "0.1.0"

# jsonschema (imported by nbformat, papermill and nbconvert) imports ``rfc3987_syntax`` only to check
# the "iri" string format, and building that module's grammar costs about a second per process; no
# notebook schema uses the format. Mark the module absent in our processes (jsonschema then skips
# that one check), unless something has imported it already.
sys.modules.setdefault("rfc3987_syntax", None)

__all__ = ["tables", "table", "facts", "forecast", "scope", "latest_period"]


class _CallableForecast(types.ModuleType):
    """The subpackage ``analysis.forecast``, callable as the public API's :func:`analysis.api.forecast`
    (importing a submodule sets the package's attribute ``forecast`` to the subpackage: both must be one)."""

    def __call__(self, *args: object, **kwargs: object) -> object:
        return importlib.import_module("analysis.api").forecast(*args, **kwargs)


importlib.import_module("analysis.forecast").__class__ = _CallableForecast  # its __init__ imports nothing


def __getattr__(name: str) -> object:
    """The public API, imported on first use (``import analysis`` stays cheap: no pandas until asked)."""
    if name in __all__:
        return getattr(importlib.import_module("analysis.api"), name)
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
