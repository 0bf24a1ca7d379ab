"""Small helpers for inputs that may be plain values or Pulumi Outputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from inspect import isawaitable
from typing import Any, TypeVar

import pulumi

T = TypeVar("T")
R = TypeVar("R")


def is_known(value: Any) -> bool:
    """True when ``value`` holds no Output or awaitable anywhere inside it (so it can be checked now)."""
    if isinstance(value, pulumi.Output) or isawaitable(value):
        return False
    if isinstance(value, Mapping):
        return all(is_known(k) and is_known(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(is_known(v) for v in value)
    return True


def check_now_or_later(value: Any, check: Callable[[Any], R]) -> pulumi.Input[R]:
    """Runs ``check`` at once on a plain value, or inside ``apply`` once an Output resolves.

    Either way the same ``IrsaConfigError`` reaches the user: at construction for plain
    values, at deploy time for values only known then.
    """
    if is_known(value):
        return check(value)
    return pulumi.Output.from_input(value).apply(check)
