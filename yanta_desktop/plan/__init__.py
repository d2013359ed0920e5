"""The work plan as data: groups, tasks, units, indicators, phases, periods (no Qt)."""

from .loader import Plan, Task, Unit, load_plan
from .periods import Period, parse_period

__all__ = ["Period", "Plan", "Task", "Unit", "load_plan", "parse_period"]
