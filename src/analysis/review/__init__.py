"""The quarterly employment review: papermill runs the notebooks, nbconvert renders HTML."""
