"""Employment-area analytics: StatFin data to the quarterly employment review (työllisyyskatsaus)."""

import sys

__version__ = "0.1.0"

# jsonschema (imported by nbformat, papermill and nbconvert) imports ``rfc3987_syntax`` only to check
# the "iri" string format, and building that module's grammar costs about a second per process; no
# notebook schema uses the format. Mark the module absent in our processes (jsonschema then skips
# that one check), unless something has imported it already.
sys.modules.setdefault("rfc3987_syntax", None)
