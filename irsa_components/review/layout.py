"""What every format shows, before any formatting: the plan as lines, the review's tables as rows.

Text and markdown both use these, so they show the same columns. Values stay raw here (no escaping): each
renderer escapes for its own medium (``irsa_components.review.escape``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from irsa_components.review.findings import Severity
from irsa_components.review.model import UNKNOWN

KNOWN_AFTER_APPLY = "(known after apply)"
ACCESS_HEADER = ("Role", "Via", "Cluster", "Namespace", "Service account", "Detail")
MODES_HEADER = ("ServiceAccount", "Mode", "Role", "Cluster", "Trust admits it", "Note")
FINDINGS_HEADER = ("Severity", "Id", "Resource", "Problem", "Fix")
_ADMITTED_TEXT = {
    "unknown": "unknown: role not in this program",
    "not-analysed": "not analysed",
    "after-apply": "(known after apply)",
}


def displayed(value: Any) -> Any:
    """``value`` with every UNKNOWN replaced by ``(known after apply)``."""
    if value is UNKNOWN:
        return KNOWN_AFTER_APPLY
    if isinstance(value, Mapping):
        return {k: displayed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [displayed(v) for v in value]
    return value


def cell(value: Any) -> str:
    """One table cell: ``-`` for nothing."""
    value = displayed(value)
    return "-" if value in (None, "") else str(value)


def counts_line(report: Mapping[str, Any]) -> str:
    """``4 cloud resources, 3 components to create`` (components are not cloud resources)."""
    resources, components = report["resource_count"], report.get("component_count", 0)
    plural = "" if resources == 1 else "s"
    text = f"{resources} cloud resource{plural}"
    if components:
        text += f", {components} component{'' if components == 1 else 's'}"
    return text + " to create"


def findings_summary(report: Mapping[str, Any]) -> str:
    counts = report["finding_counts"]
    return ", ".join(f"{counts[s.value]} {s.value}" for s in Severity)


def _document_lines(document: Any, indent: int, *, folded: bool) -> list[str]:
    pad = " " * indent
    if document is UNKNOWN:
        return [pad + KNOWN_AFTER_APPLY]
    if folded:
        return [pad + json.dumps(displayed(document), separators=(",", ":"))]
    return [pad + line for line in json.dumps(displayed(document), indent=2).splitlines()]


def tree_lines(nodes: Sequence[Mapping[str, Any]], prefix: str = "") -> list[str]:
    lines = []
    for index, node in enumerate(nodes):
        last = index == len(nodes) - 1
        lines.append(f"{prefix}{'└─ ' if last else '├─ '}{node['type']}  {node['name']}")
        lines.extend(tree_lines(node["children"], prefix + ("   " if last else "│  ")))
    return lines


def role_lines(role: Mapping[str, Any], *, folded: bool = False) -> list[str]:
    """One role: identity, settings, trust and permission policies (each folded to one line when ``folded``)."""
    origin = f" (from {role['component']})" if role["component"] else ""
    out = [f"Role {cell(role['name'])}{origin}", f"  arn: {cell(role['arn'])}"]
    out.append(f"  path: {role.get('path', '/')}; max session duration: {role.get('max_session_duration', 3600)} s")
    out.append(
        f"  permissions boundary: {cell(role.get('permissions_boundary')) if role.get('permissions_boundary') is not None else 'none'}"
    )
    tags = role.get("tags") or {}
    out.append("  tags: " + (", ".join(f"{k}={v}" for k, v in tags.items()) if tags else "none"))
    out.append("  trust policy:")
    out += _document_lines(role["trust_policy"], 4, folded=folded)
    if role["managed_policies"]:
        out.append("  managed policies:")
        for policy in role["managed_policies"]:
            source = f"  (preset {policy['preset']})" if policy.get("preset") else ""
            out.append(f"    - {cell(policy['arn'])}{source}")
            if "document" in policy and policy["document"] is not None:
                out += _document_lines(policy["document"], 8, folded=folded)
    for policy in role["inline_policies"]:
        out.append(f"  inline policy {policy['name']}:")
        out += _document_lines(policy["document"], 4, folded=folded)
    return out


HEADINGS = frozenset(
    {"Resources", "OIDC providers", "Pod Identity associations", "EKS add-ons", "ServiceAccounts", "Outputs"}
)


def plan_lines(report: Mapping[str, Any], *, summary: bool = False) -> list[str]:
    """The resources, roles, associations, ServiceAccount YAML and outputs, as plain lines. ``summary``: the
    tree and the roles only, each policy document on one line."""
    note = "(offline, under irsa_components.testing mocks: account, ARNs and issuers are fake)"
    if report.get("preview"):
        note += f"\n(preview: values computed when resources are created show as {KNOWN_AFTER_APPLY})"
    out = [*note.splitlines(), "", "Resources", *tree_lines(report["tree"])]
    if report["oidc_providers"] and not summary:
        out += ["", "OIDC providers"]
        for p in report["oidc_providers"]:
            out.append(f"  {p['resource']}: {cell(p['url'])}")
            thumbprints = displayed(p["thumbprints"])
            thumbprints = ", ".join(thumbprints) if isinstance(thumbprints, list) else cell(thumbprints)
            out.append(f"    client IDs: {', '.join(p['client_ids'] or [])}; thumbprints: {thumbprints}")
    for role in report["roles"]:
        out += ["", *role_lines(role, folded=summary)]
    if summary:
        return out
    if report["pod_identity_associations"]:
        out += ["", "Pod Identity associations"]
        for a in report["pod_identity_associations"]:
            target = f" -> {cell(a['target_role_arn'])}" if a["target_role_arn"] else ""
            tags = "" if a["session_tags"] else " (session tags disabled)"
            out.append(
                f"  {cell(a['cluster'])}/{a['namespace']}/{a['service_account']}: {cell(a['role_arn'])}{target}{tags}"
            )
    if report.get("associations_per_cluster"):
        counts = ", ".join(f"{c}: {len(v)}" for c, v in sorted(report["associations_per_cluster"].items()))
        out.append(f"  associations per cluster: {counts}")
    if report.get("addons"):
        out += ["", "EKS add-ons"]
        for addon in report["addons"]:
            roles = ", ".join(f"{r['service_account'] or 'IRSA'} -> {cell(r['role_arn'])}" for r in addon["roles"])
            out.append(f"  {cell(addon['cluster'])}/{addon['addon']} ({addon['identity']}): {roles or 'no role'}")
    if report["service_accounts"]:
        out += ["", "ServiceAccounts"]
        for manifest in report["service_accounts"]:
            out += ["---", *yaml.safe_dump(displayed(manifest), sort_keys=False).rstrip().splitlines()]
    if report["outputs"]:
        out += ["", "Outputs"]
        out += [
            f"  {key}: {KNOWN_AFTER_APPLY if value is UNKNOWN else json.dumps(displayed(value))}"
            for key, value in sorted(report["outputs"].items())
        ]
    return out


def access_rows(report: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The access matrix, one row per grant (``ACCESS_HEADER``)."""
    rows: list[tuple[str, ...]] = []
    for role in report["access"]:
        label = cell(role["name"] or role["role"])
        if role["grants"] is UNKNOWN:
            rows.append((label, KNOWN_AFTER_APPLY, "", "", "", "the trust policy is computed at deploy time"))
            continue
        if not role["grants"]:
            rows.append((label, "nobody", "-", "-", "-", ""))
        for index, row in enumerate(role["grants"]):
            principal = row["principal"] if row["via"] == "principal" else ""
            detail = "; ".join(x for x in (principal, row["detail"] or "") if x)
            cells = (row["cluster"], row["namespace"], row["service_account"])
            rows.append((label if index == 0 else "", row["via"], *(cell(c) for c in cells), detail))
    return rows


def admitted_text(mode: Mapping[str, Any]) -> str:
    admitted = mode["admitted"]
    return "-" if admitted is None else _ADMITTED_TEXT.get(admitted, admitted)


def mode_rows(report: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """Which credentials each ServiceAccount uses (``MODES_HEADER``); the role by name, as in the access matrix."""
    rows: list[tuple[str, ...]] = []
    for m in report["service_account_modes"]:
        role = str(m["role_arn"]).rsplit("/", 1)[-1] if m["role_arn"] else "-"
        rows.append(
            (f"{m['namespace']}/{m['name']}", m["mode"], role, cell(m["cluster"]), admitted_text(m), m["note"] or "")
        )
    return rows


def finding_rows(report: Mapping[str, Any]) -> list[tuple[str, ...]]:
    return [(f["severity"], f["id"], f["resource"], f["message"], f["fix"]) for f in report["findings"]]
