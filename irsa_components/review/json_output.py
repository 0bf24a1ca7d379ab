"""The report as JSON (schema in docs/plan-review.md): values a preview does not know are ``null``, and the
report's ``unknowns`` lists their paths."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from irsa_components.review.model import UNKNOWN


def _plain(value: Any) -> Any:
    if value is UNKNOWN:
        return None
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def render_json(report: Mapping[str, Any]) -> str:
    """The report as JSON, ASCII-only (control characters in program values are ``\\u`` escapes)."""
    return json.dumps(_plain(report), indent=2) + "\n"
