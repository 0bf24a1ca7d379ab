"""The report as a pull-request comment: findings, access matrix, credentials, and the full plan folded away.

Program values never become markdown: names and values are code spans, prose is escaped
(``irsa_components.review.escape``), and the full plan sits in a fence longer than any backtick run inside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from irsa_components.review.escape import code_span, fence_for, markdown_text, visible
from irsa_components.review.layout import (
    ACCESS_HEADER,
    FINDINGS_HEADER,
    MODES_HEADER,
    access_rows,
    counts_line,
    findings_summary,
    mode_rows,
    plan_lines,
)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(rows_cell for rows_cell in row) + " |" for row in rows]


def _values(row: Sequence[str]) -> list[str]:
    return [code_span(c) if c not in ("", "-") else "-" for c in row]


def _findings(report: Mapping[str, Any]) -> list[str]:
    if not report["findings"]:
        return ["None."]
    rows = [
        [
            f"**{f['severity']}**",
            f["id"],
            code_span(f["resource"]),
            markdown_text(f["message"]),
            markdown_text(f["fix"]),
        ]
        for f in report["findings"]
    ]
    return _table(FINDINGS_HEADER, rows)


def _suppressed(report: Mapping[str, Any]) -> list[str]:
    rows = [
        [f["id"], code_span(f["resource"]), markdown_text(f["reason"])] for f in report.get("suppressed_findings", [])
    ]
    return ["", "Suppressed (irsa:ignore):", "", *_table(("Id", "Resource", "Reason"), rows)] if rows else []


def render_markdown(report: Mapping[str, Any], *, summary: bool = False) -> str:
    """The review as a pull-request comment; ``summary`` folds each policy document in the full plan to a line."""
    title = f"{code_span(report['project'], in_table=False)} (stack {code_span(report['stack'], in_table=False)})"
    out = [
        f"### `irsa-components plan`: {title}",
        "",
        f"{counts_line(report)}. Findings: {findings_summary(report)}.",
        "",
        "#### Findings",
        "",
        *_findings(report),
        *_suppressed(report),
        "",
        "#### Who can assume each role",
        "",
    ]
    if report["access"]:
        out += _table(ACCESS_HEADER, [_values(row) for row in access_rows(report)])
    else:
        out.append("No roles in this program.")
    if report["service_account_modes"]:
        out += ["", "#### Credentials each ServiceAccount will use", ""]
        out += _table(MODES_HEADER, [_values(row) for row in mode_rows(report)])
    plan = "\n".join(visible(line) for line in plan_lines(report, summary=summary))
    fence = fence_for(plan)
    out += ["", "<details><summary>Full plan</summary>", "", fence, plan, fence, "", "</details>"]
    return "\n".join(out) + "\n"
