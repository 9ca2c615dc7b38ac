"""Data sources: the embedded snapshot, the StatFin PxWeb client and .px files."""
