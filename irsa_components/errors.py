"""The one exception type this library raises for configuration mistakes."""

from __future__ import annotations

from collections import deque
from typing import Any

raised: deque[IrsaConfigError] = deque(maxlen=64)
"""The most recent errors, newest last. An error raised inside an ``apply`` can reach the program's caller
only as text inside the SDK's own ValueError; ``irsa_components.testing`` finds the original here."""


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
        raised.append(self)
