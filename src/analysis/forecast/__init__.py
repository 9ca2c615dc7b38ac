"""Forecasts and their backtests (occupation groups: :mod:`.occupations`)."""
