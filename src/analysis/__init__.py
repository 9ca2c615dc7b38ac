"""Employment-area analytics: StatFin data to the quarterly employment review (työllisyyskatsaus)."""

__version__ = "0.1.0"
