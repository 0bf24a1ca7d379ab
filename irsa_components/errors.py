"""The one exception type this library raises for configuration mistakes."""

from __future__ import annotations

from typing import Any


class IrsaConfigError(ValueError):
    """A component or preset was given input that AWS or Kubernetes would reject later.

    Raised while a component is being constructed, before any cloud resource is
    registered (or, for values only known at deploy time, from inside ``apply``).
    The message names the component, the field, the offending value and the fix.
    """

    def __init__(self, component: str, field: str, value: Any, problem: str, fix: str) -> None:
        self.component = component
        self.field = field
        self.value = value
        self.problem = problem
        self.fix = fix
        super().__init__(f"{component}: {field}={value!r} {problem}. Fix: {fix}")
