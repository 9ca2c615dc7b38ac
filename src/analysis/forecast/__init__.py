"""Forecasts and their backtests (occupation groups: :mod:`.occupations`; the review's forecast of the
area: :mod:`.area`).

The package is also the public API's ``analysis.forecast(area, period, occupation=None, ...)``: calling it
calls :func:`analysis.api.forecast` (the point and the 80 % and 95 % intervals by month ahead, with names),
so ``analysis.forecast`` means the same whether or not a submodule has been imported.
"""

import sys
import types


class _CallableModule(types.ModuleType):
    def __call__(self, *args: object, **kwargs: object) -> object:
        from analysis.api import forecast

        return forecast(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
