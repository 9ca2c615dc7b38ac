"""Forecasts and their backtests (occupation groups: :mod:`.occupations`; the review's forecast of the
area: :mod:`.area`).

``analysis.forecast(area, period, occupation=None, ...)``, the public API's forecast (the point and the 80 %
and 95 % intervals by month ahead, with names: :func:`analysis.api.forecast`), is this package called:
``analysis/__init__.py`` makes it callable, so ``analysis.forecast`` means the same whether or not a
submodule has been imported.
"""
