"""The report as terminal text: the plan, who can assume each role, credentials per ServiceAccount, findings.

Tables never wrap a cell: columns take the width they need, and a table wider than ``width`` is printed one
record per line instead. Every program value is passed through ``visible`` (control characters escaped); colour,
when asked for, is added after escaping, so only this module writes escape sequences.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from irsa_components.review.escape import visible
from irsa_components.review.layout import (
    ACCESS_HEADER,
    HEADINGS,
    MODES_HEADER,
    access_rows,
    counts_line,
    findings_summary,
    mode_rows,
    plan_lines,
)

_STYLES = {"dim": "2", "bold": "1", "red": "31", "bold red": "1;31", "yellow": "33", "cyan": "36", "green": "32"}
_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
GAP = 2


def _styled(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if color and style and text else text


def table_lines(
    header: Sequence[str], rows: Sequence[Sequence[str]], *, width: int | None, color: bool = False
) -> list[str]:
    """Aligned columns as wide as their widest cell; one ``Header: value`` record per line when wider than
    ``width`` (None: no limit)."""
    cells = [[visible(str(c)) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    if width is None or sum(widths) + GAP * (len(widths) - 1) <= width:
        lines = ["".join(h.ljust(w + GAP) for h, w in zip(header, widths, strict=True)).rstrip()]
        lines[0] = _styled(lines[0], "bold", color)
        lines += ["".join(c.ljust(w + GAP) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
        return lines
    lines = []
    for row in cells:
        fields = [f"{h}: {c}" for h, c in zip(header, row, strict=True) if c]
        lines.append("- " + "; ".join(fields))
    return lines


def _findings_lines(report: Mapping[str, Any], color: bool) -> list[str]:
    out = []
    for f in report["findings"]:
        heading = _styled(f["severity"].upper(), _SEVERITY_STYLE[f["severity"]], color)
        baseline = "  (in baseline)" if f.get("in_baseline") else ""
        out.append(f"{heading}  {f['id']}  {visible(f['resource_type'])}  {visible(f['resource'])}{baseline}")
        out.append("  " + visible(f["message"]))
        out.append(_styled("  fix: " + visible(f["fix"]), "green", color))
    for f in report.get("suppressed_findings", []):
        out.append(_styled(f"suppressed  {f['id']}  {visible(f['resource'])}: {visible(f['reason'])}", "dim", color))
    return out


def text_lines(
    report: Mapping[str, Any], *, color: bool = False, width: int | None = None, summary: bool = False
) -> list[str]:
    """The report as lines of text (no trailing newlines)."""
    title = f"Plan for {report['project']} (stack {report['stack']}): {counts_line(report)}"
    out = [_styled(visible(title), "bold", color)]
    for line in plan_lines(report, summary=summary):
        bold = line in HEADINGS or line.startswith("Role ")
        out.append(_styled(visible(line), "bold" if bold else "", color))
    out += ["", _styled("Who can assume each role", "bold", color)]
    if report["access"]:
        out += table_lines(ACCESS_HEADER, access_rows(report), width=width, color=color)
    else:
        out.append("No roles in this program.")
    if report["service_account_modes"]:
        out += ["", _styled("Credentials each ServiceAccount will use", "bold", color)]
        out += table_lines(MODES_HEADER, mode_rows(report), width=width, color=color)
    out += ["", _styled(f"Findings: {findings_summary(report)}", "bold", color)]
    out += _findings_lines(report, color)
    return out


def render_text(
    report: Mapping[str, Any], *, color: bool = False, width: int | None = None, summary: bool = False
) -> str:
    """The plan and its review as terminal text. ``width``: the columns tables may use (None: as wide as they
    need). ``summary``: the resource tree and roles with each policy document on one line, then the review."""
    return "".join(line.rstrip() + "\n" for line in text_lines(report, color=color, width=width, summary=summary))
