"""The better-off engine: a household and a job offer in, an itemised answer out.

Pure Python: no Flask, no database. `calculate` compares now with in work; `sweep` gives
net income across hours for charts.
"""

from calculator.engine.compare import CompareResult, compare
from calculator.engine.household import BetterOffRequest, CompareRequest, SweepRequest
from calculator.engine.result import BetterOffResult, SweepResult, calculate, sweep

__all__ = [
    "BetterOffRequest",
    "BetterOffResult",
    "CompareRequest",
    "CompareResult",
    "SweepRequest",
    "SweepResult",
    "calculate",
    "compare",
    "sweep",
]
