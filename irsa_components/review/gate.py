"""The CI gate around the findings: suppressions with a reason, baselines, and which findings fail a run.

Every finding has a stable ``fingerprint`` (``Finding.fingerprint``). A baseline file lists the fingerprints
a team has accepted; ``--baseline`` then fails only on findings not in it. Suppressions live in the
program's config (``irsa:ignore`` in ``Pulumi.yaml`` or ``Pulumi.<stack>.yaml``), each naming a finding id,
a resource and the reason, which the report shows. Plain functions over the report's data.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from irsa_components.review.findings import KINDS, Severity

IGNORE_KEY = "irsa:ignore"
"""The config key holding suppressions: a list of ``{id, resource, reason}``."""
BASELINE_VERSION = 1


class GateConfigError(ValueError):
    """A suppression or baseline that cannot be used: the message says what to fix."""


@dataclass(frozen=True)
class Suppression:
    """Findings of one id on matching resources, accepted for a stated reason."""

    id: str
    resource: str
    """A resource's logical name; ``*`` and ``?`` match as in shell patterns."""
    reason: str

    def matches(self, finding: Mapping[str, Any]) -> bool:
        """Whether this suppression covers ``finding`` (the report's dict form)."""
        return finding["id"] == self.id and fnmatch.fnmatchcase(str(finding["resource"]), self.resource)


_EXAMPLE = f'{IGNORE_KEY}: [{{id: IRSA005, resource: my-role, reason: "batch jobs share this role"}}]'


def suppressions_from_config(config: Mapping[str, str]) -> list[Suppression]:
    """The ``irsa:ignore`` suppressions of a program's config (values as JSON strings, as Pulumi passes them)."""
    raw = config.get(IGNORE_KEY)
    if raw is None:
        return []
    try:
        entries = json.loads(raw)
    except json.JSONDecodeError:
        entries = None
    if not isinstance(entries, list):
        raise GateConfigError(f"{IGNORE_KEY} must be a list of {{id, resource, reason}}, e.g. {_EXAMPLE}")
    found = []
    for index, entry in enumerate(entries):
        where = f"{IGNORE_KEY}[{index}]"
        if not isinstance(entry, Mapping):
            raise GateConfigError(f"{where} must be a mapping with id, resource and reason, e.g. {_EXAMPLE}")
        finding_id, resource, reason = entry.get("id"), entry.get("resource"), entry.get("reason")
        if finding_id not in KINDS:
            raise GateConfigError(
                f"{where}: id={finding_id!r} is not a finding id; use one of {min(KINDS)}..{max(KINDS)}"
            )
        if not isinstance(resource, str) or not resource:
            raise GateConfigError(f"{where}: resource is required: the logical name of the resource, or a pattern")
        if not isinstance(reason, str) or not reason.strip():
            raise GateConfigError(f"{where}: reason is required: say why {finding_id} on {resource} is accepted")
        found.append(Suppression(str(finding_id), resource, reason.strip()))
    return found


def read_baseline(path: Path) -> set[str]:
    """The fingerprints a baseline file accepts."""
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise GateConfigError(f"--baseline {path}: cannot read it ({exc}); write one with --write-baseline") from exc
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise GateConfigError(
            f"--baseline {path}: not a baseline file (no findings list); write one with --write-baseline"
        )
    return {str(e["fingerprint"]) for e in entries if isinstance(e, Mapping) and "fingerprint" in e}


def baseline_document(report: Mapping[str, Any]) -> dict[str, Any]:
    """A baseline accepting every (unsuppressed) finding of ``report``."""
    return {
        "version": BASELINE_VERSION,
        "findings": [
            {k: f[k] for k in ("fingerprint", "id", "severity", "resource", "message")} for f in report["findings"]
        ],
    }


def write_baseline(report: Mapping[str, Any], path: Path) -> None:
    """Writes the baseline of ``report`` to ``path``."""
    path.write_text(json.dumps(baseline_document(report), indent=2) + "\n")


def apply_gate(
    report: Mapping[str, Any], suppressions: Sequence[Suppression], baseline: set[str] | None = None
) -> dict[str, Any]:
    """The report with suppressed findings moved to ``suppressed_findings`` (each with its ``reason``), counts
    over the rest, and, with a baseline, each remaining finding marked ``in_baseline``."""
    active, suppressed = [], []
    for finding in report["findings"]:
        match = next((s for s in suppressions if s.matches(finding)), None)
        if match is not None:
            suppressed.append({**finding, "reason": match.reason})
        elif baseline is not None:
            active.append({**finding, "in_baseline": finding["fingerprint"] in baseline})
        else:
            active.append(dict(finding))
    counts = {s.value: sum(1 for f in active if f["severity"] == s.value) for s in Severity}
    return {**report, "findings": active, "finding_counts": counts, "suppressed_findings": suppressed}


def fails(report: Mapping[str, Any], threshold: Severity) -> bool:
    """Whether a finding of ``threshold`` severity or worse is neither suppressed nor in the baseline."""
    return any(
        Severity(f["severity"]).at_least(threshold) and not f.get("in_baseline", False) for f in report["findings"]
    )
