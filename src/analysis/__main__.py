"""`python -m analysis …`: the command-line entry point."""

import sys

from analysis.cli import main

sys.exit(main())
