"""Internal KPI metrics: the metric catalogue, the staff workbook, its imports and example data.

The action plan's operational scorecard (toiminnallinen mittaristo) has 26 metrics. Four come from
public data or from the reviews this project makes; the rest are internal figures that staff enter
every month in an Excel workbook (long format: metric, month, municipality, value, note), with the
targets the employment area sets (metric, year, municipality, target, note). One module per part:

- :mod:`.catalogue`: the metric definitions (``data/kpi/metrics.csv``) and municipality names;
- :mod:`.cells`: one cell read as a month, a year or a number; text made safe for a CSV file;
- :mod:`.read`: a filled workbook validated (every problem named by sheet, row and column);
- :mod:`.history`: imports kept with who, when and what they replaced; the current values and targets;
- :mod:`.template`: the blank workbook (``python -m analysis kpi-template``);
- :mod:`.example`: synthetic example values (labelled "esimerkkiaineisto");
- :mod:`.commands`: the two commands' messages in the user's language.

The names below are the package's public face; callers import them from here.
"""

from analysis.sources.workbook.catalogue import (
    ADDITIVE_UNITS,
    CATALOGUE_COLUMNS,
    DIRECTIONS,
    FREQUENCIES,
    KPI_DIR,
    METRICS_FILE,
    MUNICIPALITIES_FILE,
    PLAN_START_YEAR,
    SOURCES,
    UNITS,
    load_catalogue,
    load_municipalities,
)
from analysis.sources.workbook.cells import csv_safe
from analysis.sources.workbook.commands import import_workbook_cli, write_template_cli
from analysis.sources.workbook.example import (
    EXAMPLE_NOTE,
    EXAMPLE_SEED,
    EXAMPLE_TARGETS,
    example_values,
    write_example_workbook,
)
from analysis.sources.workbook.history import (
    ARCHIVE_NAME,
    HISTORY_NAME,
    TARGETS_HISTORY_NAME,
    ImportResult,
    current_targets,
    current_values,
    import_workbook,
    load_history,
    load_internal,
    load_target_history,
    load_targets,
)
from analysis.sources.workbook.read import (
    DATA_SHEET,
    HEADERS,
    METRICS_SHEET,
    MUNICIPALITIES_SHEET,
    TARGET_COLUMNS,
    TARGET_HEADERS,
    TARGETS_SHEET,
    VALUE_COLUMNS,
    Contents,
    Problem,
    WorkbookError,
    read_contents,
    read_workbook,
)
from analysis.sources.workbook.template import HELP_SHEET, MONTHS_SHEET, write_template

__all__ = [
    "ADDITIVE_UNITS", "ARCHIVE_NAME", "CATALOGUE_COLUMNS", "DATA_SHEET", "DIRECTIONS", "EXAMPLE_NOTE", "EXAMPLE_SEED",
    "EXAMPLE_TARGETS", "FREQUENCIES", "HEADERS", "HELP_SHEET", "HISTORY_NAME", "KPI_DIR", "METRICS_FILE",
    "METRICS_SHEET", "MONTHS_SHEET", "MUNICIPALITIES_FILE", "MUNICIPALITIES_SHEET", "PLAN_START_YEAR", "SOURCES",
    "TARGETS_HISTORY_NAME", "TARGETS_SHEET", "TARGET_COLUMNS", "TARGET_HEADERS", "UNITS", "VALUE_COLUMNS", "Contents",
    "ImportResult", "Problem", "WorkbookError", "csv_safe", "current_targets", "current_values", "example_values",
    "import_workbook", "import_workbook_cli", "load_catalogue", "load_history", "load_internal",
    "load_municipalities", "load_target_history", "load_targets", "read_contents", "read_workbook",
    "write_example_workbook", "write_template", "write_template_cli",
]
