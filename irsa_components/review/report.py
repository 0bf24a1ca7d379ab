"""What `pulumi up` would create, and an IAM review of it, read off a program run under the mocks.

``build_report`` turns a ``ProgramResult`` into plain data (the same for programs written with
these components and for hand-written pulumi_aws / pulumi_kubernetes resources): the resources, the
policies, who can assume each role, which credentials each ServiceAccount gets, and the findings.
``render_text``, ``render_markdown`` and ``render_json`` print it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import IO, Any

import yaml
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from irsa_components.oidc_issuer import issuer_key
from irsa_components.policies import PRESETS
from irsa_components.policies._base import PRESET_TAG
from irsa_components.review.analysis import (
    Constraint,
    Grant,
    IrsaGrant,
    NotAnalysedStatement,
    OtherPrincipal,
    PodIdentityGrant,
    grants,
    split_subject,
)
from irsa_components.review.findings import (
    ASSOCIATION,
    ATTACHMENT,
    INLINE_POLICY,
    MANAGED_POLICY,
    OIDC_PROVIDER,
    ROLE,
    SERVICE_ACCOUNT,
    Finding,
    Resource,
    Severity,
    find_issues,
    parse_json,
    service_account_modes,
    trust_policy,
)
from irsa_components.review.permissions import ATTACHMENTS_EXCLUSIVE, POLICY_ATTACHMENT, role_policies
from irsa_components.testing import ProgramResult, RegisteredResource
from irsa_components.trust import POD_IDENTITY_SERVICE

__all__ = [
    "ASSOCIATION",
    "ATTACHMENT",
    "INLINE_POLICY",
    "MANAGED_POLICY",
    "OIDC_PROVIDER",
    "ROLE",
    "SCHEMA_VERSION",
    "SERVICE_ACCOUNT",
    "access_matrix",
    "build_report",
    "certificate_chains",
    "cluster_names",
    "exceeds",
    "print_text",
    "render_json",
    "render_markdown",
    "render_text",
    "service_account_manifest",
    "text_console",
]

SCHEMA_VERSION = 1
"""Version of the JSON report's schema (docs/plan-review.md); bumped on any incompatible change."""
TLS_CERTIFICATE = "tls:index/getCertificate:getCertificate"
EKS_CLUSTER = "aws:eks/getCluster:getCluster"
ANY = "*"


def _tree(result: ProgramResult) -> list[dict[str, Any]]:
    by_parent: dict[str | None, list[RegisteredResource]] = {}
    urns = {r.urn for r in result.resources}
    for resource in result.resources:
        parent = resource.parent if resource.parent in urns else None
        by_parent.setdefault(parent, []).append(resource)

    def node(resource: RegisteredResource) -> dict[str, Any]:
        children = sorted(by_parent.get(resource.urn, []), key=lambda r: (r.type, r.name))
        return {"type": resource.type, "name": resource.name, "children": [node(c) for c in children]}

    return [node(r) for r in sorted(by_parent.get(None, []), key=lambda r: (r.type, r.name))]


def _managed_preset(result: ProgramResult, attachment: RegisteredResource) -> str | None:
    """The preset an AWS-managed policy attachment came from: components name them <component>-<slug>-<policy>."""
    parent = result.by_urn(attachment.parent) if attachment.parent else None
    arn = attachment.inputs.get("policyArn")
    if parent is None or not isinstance(arn, str):
        return None
    for slug in PRESETS:
        if attachment.name == f"{parent.name}-{slug}-{arn.rsplit('/', 1)[-1]}":
            return slug
    return None


def _role_report(result: ProgramResult, role: RegisteredResource) -> dict[str, Any]:
    role_refs = {role.outputs.get("name"), role.id}
    policies_by_arn = {p.outputs.get("arn"): p for p in result.of_type(MANAGED_POLICY)}
    managed = []
    for attachment in result.of_type(ATTACHMENT):
        if attachment.inputs.get("role") not in role_refs:
            continue
        arn = attachment.inputs.get("policyArn")
        entry: dict[str, Any] = {"arn": arn}
        policy = policies_by_arn.get(arn)
        preset = _managed_preset(result, attachment)
        if policy is not None:
            entry["document"] = parse_json(policy.inputs.get("policy"))
            preset = (policy.inputs.get("tags") or {}).get(PRESET_TAG) or preset
        if preset:
            entry["preset"] = preset
        managed.append(entry)
    for attached in role_policies(result.resources, role):
        if attached.via.type in (POLICY_ATTACHMENT, ATTACHMENTS_EXCLUSIVE):
            managed.append({"arn": attached.arn, **({"document": attached.document} if attached.document else {})})
    for inline_arn in role.inputs.get("managedPolicyArns") or []:
        managed.append({"arn": inline_arn})
    inline = [
        {"name": p.inputs.get("name") or p.name, "document": parse_json(p.inputs.get("policy"))}
        for p in result.of_type(INLINE_POLICY)
        if p.inputs.get("role") in role_refs
    ]
    for policy in role.inputs.get("inlinePolicies") or []:
        inline.append({"name": policy.get("name"), "document": parse_json(policy.get("policy"))})
    parent = result.by_urn(role.parent) if role.parent else None
    return {
        "resource": role.name,
        "component": f"{parent.type.rsplit(':', 1)[-1]} {parent.name}" if parent and not parent.custom else None,
        "name": role.outputs.get("name"),
        "arn": role.outputs.get("arn"),
        "trust_policy": parse_json(role.inputs.get("assumeRolePolicy")),
        "managed_policies": managed,
        "inline_policies": inline,
    }


def service_account_manifest(resource: RegisteredResource) -> dict[str, Any]:
    """The ServiceAccount as Kubernetes would receive it."""
    raw = {k: v for k, v in (resource.inputs.get("metadata") or {}).items() if v not in (None, {}, [])}
    order = ["name", "namespace", "labels", "annotations"]
    metadata = {k: raw[k] for k in sorted(raw, key=lambda k: (order.index(k) if k in order else len(order), k))}
    manifest: dict[str, Any] = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata}
    for key in ("automountServiceAccountToken", "imagePullSecrets", "secrets"):
        if resource.inputs.get(key) is not None:
            manifest[key] = resource.inputs[key]
    return manifest


# ---- who can assume each role ---------------------------------------------------------------------


def _cell(constraints: Sequence[Constraint]) -> str:
    """Conditions on one key as a matrix cell: ``*`` when unconstrained, ``a | b`` for alternatives."""
    if not constraints:
        return ANY
    parts = []
    for c in constraints:
        values = " | ".join(c.values)
        literal = " (literal)" if not c.wildcards and any(ch in values for ch in "*?") else ""
        parts.append(f"{'not ' if c.negated else ''}{values}{literal}")
    return " and ".join(parts)


def _row(via: str, statement: int, principal: str, **cells: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {"via": via, "statement": statement, "principal": principal}
    for key in ("cluster", "namespace", "service_account", "detail"):
        row[key] = cells.get(key)
    return row


def _irsa_rows(grant: IrsaGrant, cluster_names: Mapping[str, str]) -> list[dict[str, Any]]:
    cluster = cluster_names.get(grant.provider_host.lower(), grant.provider_host)
    audience = f"aud {_cell(grant.audience)}" if grant.audience else "any audience"
    positive = [c for c in grant.subject if not c.negated]
    rest = [c for c in grant.subject if c not in positive[:1]]
    detail = "; ".join([audience, *([f"sub also {_cell(rest)}"] if rest else [])])
    if not positive:
        return [
            _row(
                "irsa",
                grant.statement,
                grant.provider_arn,
                cluster=cluster,
                namespace=ANY,
                service_account=ANY,
                detail=detail,
            )
        ]
    rows = []
    for value in positive[0].values:
        namespace, name = split_subject(value) or (None, None)
        literal = not positive[0].wildcards and any(ch in value for ch in "*?")
        extra = f"; sub {value!r} (literal)" if literal else "" if namespace else f"; sub {value!r}"
        rows.append(
            _row(
                "irsa",
                grant.statement,
                grant.provider_arn,
                cluster=cluster,
                namespace=namespace,
                service_account=name,
                detail=detail + extra,
            )
        )
    return rows


def _pod_identity_row(grant: PodIdentityGrant) -> dict[str, Any]:
    notes = [] if grant.narrowed else ["any association in the account that names this role"]
    if grant.cluster_arn:
        notes.append(f"cluster ARN {_cell(grant.cluster_arn)}")
    return _row(
        "pod-identity",
        grant.statement,
        POD_IDENTITY_SERVICE,
        cluster=_cell(grant.cluster_name),
        namespace=_cell(grant.namespace),
        service_account=_cell(grant.service_account),
        detail="; ".join(notes) or None,
    )


def _grant_rows(grant: Grant, cluster_names: Mapping[str, str]) -> list[dict[str, Any]]:
    if isinstance(grant, IrsaGrant):
        return _irsa_rows(grant, cluster_names)
    if isinstance(grant, PodIdentityGrant):
        return [_pod_identity_row(grant)]
    if isinstance(grant, OtherPrincipal):
        conditions = " (conditions not analysed)" if grant.conditioned else ""
        principal = f"{grant.principal_type} {grant.principal}" if grant.principal_type != ANY else ANY
        return [_row("principal", grant.statement, principal, detail=", ".join(grant.actions) + conditions)]
    assert isinstance(grant, NotAnalysedStatement)
    return [_row("not-analysed", grant.statement, "", detail=grant.reason)]


def access_matrix(resources: Sequence[Resource], cluster_names: Mapping[str, str]) -> list[dict[str, Any]]:
    """For every role: who can assume it, one row per cluster/namespace/service account (or other principal).

    ``cluster_names`` maps issuer hosts (lowercase, no scheme) to cluster names, to label IRSA rows.
    """
    matrix = []
    for role in resources:
        if role.type != ROLE:
            continue
        document = trust_policy(role)
        rows = [row for grant in grants(document or {}) for row in _grant_rows(grant, cluster_names)]
        matrix.append(
            {"role": role.name, "name": role.outputs.get("name"), "arn": role.outputs.get("arn"), "grants": rows}
        )
    return matrix


# ---- the report -----------------------------------------------------------------------------------


def certificate_chains(result: ProgramResult) -> dict[str, list[dict[str, Any]]]:
    """The chain ``tls.get_certificate`` returned for each URL the program looked up."""
    return {
        str(i.args["url"]): list(i.result.get("certificates") or [])
        for i in result.invokes
        if i.token == TLS_CERTIFICATE and "url" in i.args
    }


def cluster_names(result: ProgramResult) -> dict[str, str]:
    """Issuer host -> name of every cluster the program looked up with ``eks.get_cluster``."""
    names: dict[str, str] = {}
    for invoke in result.invokes:
        identities = invoke.result.get("identities") or []
        if invoke.token == EKS_CLUSTER and identities and identities[0].get("oidcs"):
            names[issuer_key(identities[0]["oidcs"][0]["issuer"])] = str(invoke.args["name"])
    return names


ADDON = "aws:eks/addon:Addon"


def addons(result: ProgramResult) -> list[dict[str, Any]]:
    """Every EKS add-on with the role it runs under: through its Pod Identity associations or IRSA."""
    report = []
    for addon in result.of_type(ADDON):
        associations = addon.inputs.get("podIdentityAssociations") or []
        irsa_role = addon.inputs.get("serviceAccountRoleArn")
        report.append(
            {
                "resource": addon.name,
                "cluster": addon.inputs.get("clusterName"),
                "addon": addon.inputs.get("addonName"),
                "version": addon.inputs.get("addonVersion"),
                "identity": "pod-identity" if associations else "irsa" if irsa_role else "none",
                "roles": [
                    {"service_account": a.get("serviceAccount"), "role_arn": a.get("roleArn")} for a in associations
                ]
                or ([{"service_account": None, "role_arn": irsa_role}] if irsa_role else []),
            }
        )
    return report


def associations_per_cluster(result: ProgramResult) -> dict[str, list[str]]:
    """Cluster -> 'namespace/service account' of each Pod Identity association in it (add-ons' included)."""
    per_cluster: dict[str, list[str]] = {}
    for a in result.of_type(ASSOCIATION):
        per_cluster.setdefault(str(a.inputs.get("clusterName")), []).append(
            f"{a.inputs.get('namespace')}/{a.inputs.get('serviceAccount')}"
        )
    for addon in result.of_type(ADDON):
        for a in addon.inputs.get("podIdentityAssociations") or []:
            per_cluster.setdefault(str(addon.inputs.get("clusterName")), []).append(
                f"{addon.inputs.get('addonName')} add-on/{a.get('serviceAccount')}"
            )
    return per_cluster


def _finding_counts(findings: Sequence[Finding]) -> dict[str, int]:
    return {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}


def build_report(result: ProgramResult, *, project: str, stack: str) -> dict[str, Any]:
    """Everything the plan shows, as plain data (the JSON output; schema in docs/plan-review.md)."""
    findings = find_issues(result.resources, certificate_chains=certificate_chains(result))
    return {
        "schema_version": SCHEMA_VERSION,
        "project": project,
        "stack": stack,
        "resource_count": len([r for r in result.resources if r.custom]),
        "tree": _tree(result),
        "oidc_providers": [
            {
                "resource": p.name,
                "url": p.inputs.get("url"),
                "arn": p.outputs.get("arn"),
                "client_ids": p.inputs.get("clientIdLists"),
                "thumbprints": p.inputs.get("thumbprintLists"),
            }
            for p in result.of_type(OIDC_PROVIDER)
        ],
        "roles": [_role_report(result, role) for role in result.of_type(ROLE)],
        "pod_identity_associations": [
            {
                "resource": a.name,
                "cluster": a.inputs.get("clusterName"),
                "namespace": a.inputs.get("namespace"),
                "service_account": a.inputs.get("serviceAccount"),
                "role_arn": a.inputs.get("roleArn"),
                "target_role_arn": a.inputs.get("targetRoleArn"),
                "session_tags": not a.inputs.get("disableSessionTags", False),
            }
            for a in result.of_type(ASSOCIATION)
        ],
        "associations_per_cluster": associations_per_cluster(result),
        "addons": addons(result),
        "service_accounts": [service_account_manifest(sa) for sa in result.of_type(SERVICE_ACCOUNT)],
        "outputs": result.outputs,
        "access": access_matrix(result.resources, cluster_names(result)),
        "service_account_modes": [m.to_dict() for m in service_account_modes(result.resources)],
        "findings": [f.to_dict() for f in findings],
        "finding_counts": _finding_counts(findings),
    }


def exceeds(report: Mapping[str, Any], threshold: Severity) -> bool:
    """Whether the report holds a finding of ``threshold`` severity or worse (``--fail-on``)."""
    return any(Severity(f["severity"]).at_least(threshold) for f in report["findings"])


# ---- text ---------------------------------------------------------------------------------------


def _tree_lines(nodes: Sequence[dict[str, Any]], prefix: str = "") -> list[str]:
    lines = []
    for index, node in enumerate(nodes):
        last = index == len(nodes) - 1
        lines.append(f"{prefix}{'└─ ' if last else '├─ '}{node['type']}  {node['name']}")
        lines.extend(_tree_lines(node["children"], prefix + ("   " if last else "│  ")))
    return lines


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.splitlines())


def _plan_lines(report: Mapping[str, Any]) -> list[str]:
    """The resources, policies, associations, ServiceAccount YAML and outputs, as plain lines."""
    out = [
        "(offline, under irsa_components.testing mocks: account, ARNs and issuers are fake)",
        "",
        "Resources",
        *_tree_lines(report["tree"]),
    ]
    if report["oidc_providers"]:
        out += ["", "OIDC providers"]
        for p in report["oidc_providers"]:
            out.append(f"  {p['resource']}: {p['url']}")
            out.append(
                f"    client IDs: {', '.join(p['client_ids'] or [])}; thumbprints: {', '.join(p['thumbprints'] or [])}"
            )
    for role in report["roles"]:
        out += ["", *_role_lines(role)]
    if report["pod_identity_associations"]:
        out += ["", "Pod Identity associations"]
        for a in report["pod_identity_associations"]:
            target = f" -> {a['target_role_arn']}" if a["target_role_arn"] else ""
            tags = "" if a["session_tags"] else " (session tags disabled)"
            out.append(f"  {a['cluster']}/{a['namespace']}/{a['service_account']}: {a['role_arn']}{target}{tags}")
    if report.get("associations_per_cluster"):
        counts = ", ".join(f"{c}: {len(v)}" for c, v in sorted(report["associations_per_cluster"].items()))
        out.append(f"  associations per cluster: {counts}")
    if report.get("addons"):
        out += ["", "EKS add-ons"]
        for addon in report["addons"]:
            roles = (
                ", ".join(f"{r['service_account'] or 'IRSA'} -> {r['role_arn']}" for r in addon["roles"]) or "no role"
            )
            out.append(f"  {addon['cluster']}/{addon['addon']} ({addon['identity']}): {roles}")
    if report["service_accounts"]:
        out += ["", "ServiceAccounts"]
        for manifest in report["service_accounts"]:
            out += ["---", yaml.safe_dump(manifest, sort_keys=False).rstrip()]
    if report["outputs"]:
        out += ["", "Outputs"]
        out += [f"  {key}: {json.dumps(value)}" for key, value in sorted(report["outputs"].items())]
    return out


def _role_lines(role: Mapping[str, Any]) -> list[str]:
    origin = f" (from {role['component']})" if role["component"] else ""
    out = [f"Role {role['name']}{origin}", f"  arn: {role['arn']}", "  trust policy:"]
    out.append(_indent(json.dumps(role["trust_policy"], indent=2), 4))
    if role["managed_policies"]:
        out.append("  managed policies:")
        for policy in role["managed_policies"]:
            source = f"  (preset {policy['preset']})" if policy.get("preset") else ""
            out.append(f"    - {policy['arn']}{source}")
            if policy.get("document") is not None:
                out.append(_indent(json.dumps(policy["document"], indent=2), 8))
    for policy in role["inline_policies"]:
        out.append(f"  inline policy {policy['name']}:")
        out.append(_indent(json.dumps(policy["document"], indent=2), 4))
    return out


_SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
_HEADINGS = frozenset(
    {"Resources", "OIDC providers", "Pod Identity associations", "EKS add-ons", "ServiceAccounts", "Outputs"}
)


def _table(*headers: str) -> Table:
    """A borderless table whose cells wrap rather than being cut short."""
    table = Table(box=None, padding=(0, 2, 0, 0), header_style="bold")
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _access_table(report: Mapping[str, Any]) -> Table:
    table = _table("Role", "Via", "Cluster", "Namespace", "Service account", "Detail")
    for role in report["access"]:
        label = role["name"] or role["role"]
        if not role["grants"]:
            table.add_row(label, "nobody", "", "", "", "")
        for index, row in enumerate(role["grants"]):
            principal = row["principal"] if row["via"] == "principal" else ""
            detail = "; ".join(x for x in (principal, row["detail"] or "") if x)
            cells = (row["cluster"], row["namespace"], row["service_account"])
            table.add_row(label if index == 0 else "", row["via"], *(c or "-" for c in cells), detail)
    return table


_ADMITTED_TEXT = {"unknown": "unknown: role not in this program", "not-analysed": "not analysed"}


def _admitted_text(mode: Mapping[str, Any]) -> str:
    admitted = mode["admitted"]
    return "-" if admitted is None else _ADMITTED_TEXT.get(admitted, admitted)


def _modes_table(report: Mapping[str, Any]) -> Table:
    table = _table("ServiceAccount", "Mode", "Role", "Cluster", "Trust admits it", "Note")
    for m in report["service_account_modes"]:
        role = str(m["role_arn"]).rsplit("/", 1)[-1] if m["role_arn"] else "-"
        style = "bold red" if m["admitted"] == "no" else ""
        table.add_row(
            f"{m['namespace']}/{m['name']}",
            m["mode"],
            role,
            m["cluster"] or "-",
            Text(_admitted_text(m), style=style),
            m["note"] or "",
        )
    return table


def _print_findings(report: Mapping[str, Any], console: Console) -> None:
    for f in report["findings"]:
        heading = Text(f["severity"].upper(), style=_SEVERITY_STYLE[f["severity"]])
        heading.append(f"  {f['id']}  {f['resource_type']}  {f['resource']}")
        if f.get("in_baseline"):
            heading.append("  (in baseline)")
        console.print(heading)
        console.print(Padding(Text(f["message"]), (0, 0, 0, 2)))
        console.print(Padding(Text(f"fix: {f['fix']}", style="green"), (0, 0, 0, 2)))
    for f in report.get("suppressed_findings", []):
        console.print(Text(f"suppressed  {f['id']}  {f['resource']}: {f['reason']}", style="dim"))


def _summary(report: Mapping[str, Any]) -> str:
    counts = report["finding_counts"]
    return ", ".join(f"{counts[s.value]} {s.value}" for s in Severity)


def print_text(report: Mapping[str, Any], console: Console) -> None:
    """Prints the plan and its review on ``console`` (colours as the console allows)."""
    console.print(
        Text(
            f"Plan for {report['project']} (stack {report['stack']}): {report['resource_count']} resources to create",
            style="bold",
        ),
        soft_wrap=True,
    )
    for line in _plan_lines(report):
        style = "bold" if line in _HEADINGS or line.startswith("Role ") else ""
        console.print(Text(line, style=style), soft_wrap=True)
    console.print()
    console.print(Text("Who can assume each role", style="bold"))
    console.print(_access_table(report))
    if report["service_account_modes"]:
        console.print()
        console.print(Text("Credentials each ServiceAccount will use", style="bold"))
        console.print(_modes_table(report))
    console.print()
    console.print(Text(f"Findings: {_summary(report)}", style="bold"))
    _print_findings(report, console)


def text_console(file: IO[str] | None = None, *, color: bool = False, width: int | None = None) -> Console:
    """A console for ``print_text``: ``color`` False prints plain text (NO_COLOR, pipes, files)."""
    return Console(
        file=file,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
    )


def render_text(report: Mapping[str, Any], *, color: bool = False, width: int = 120) -> str:
    """The plan and its review as terminal text, ``width`` columns wide for the tables."""
    buffer = io.StringIO()
    print_text(report, text_console(buffer, color=color, width=width))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


# ---- markdown and JSON ----------------------------------------------------------------------------


def _md(value: Any) -> str:
    text = "-" if value in (None, "") else str(value)
    return text.replace("|", "\\|").replace("\n", "<br>")


def _md_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]


def _md_findings(report: Mapping[str, Any]) -> list[str]:
    if not report["findings"]:
        return ["None."]
    rows = [(f"**{f['severity']}**", f["id"], f"`{f['resource']}`", f["message"], f["fix"]) for f in report["findings"]]
    return _md_table(("Severity", "Id", "Resource", "Problem", "Fix"), rows)


def _md_suppressed(report: Mapping[str, Any]) -> list[str]:
    rows = [(f["id"], f"`{f['resource']}`", f["reason"]) for f in report.get("suppressed_findings", [])]
    return ["", "Suppressed (irsa:ignore):", "", *_md_table(("Id", "Resource", "Reason"), rows)] if rows else []


def _md_access(report: Mapping[str, Any]) -> list[str]:
    rows: list[Sequence[Any]] = []
    for role in report["access"]:
        label = role["name"] or role["role"]
        if not role["grants"]:
            rows.append((label, "nobody", None, None, None, None))
        for g in role["grants"]:
            principal = g["principal"] if g["via"] == "principal" else ""
            detail = "; ".join(x for x in (principal, g["detail"] or "") if x)
            rows.append((label, g["via"], g["cluster"], g["namespace"], g["service_account"], detail))
    return _md_table(("Role", "Via", "Cluster", "Namespace", "Service account", "Detail"), rows)


def _md_modes(report: Mapping[str, Any]) -> list[str]:
    rows = [
        (f"{m['namespace']}/{m['name']}", m["mode"], m["role_arn"], m["cluster"], _admitted_text(m), m["note"])
        for m in report["service_account_modes"]
    ]
    return _md_table(("ServiceAccount", "Mode", "Role", "Cluster", "Trust admits it", "Note"), rows)


def render_markdown(report: Mapping[str, Any]) -> str:
    """The review as a pull-request comment: findings, access matrix, credentials per ServiceAccount."""
    out = [
        f"### `irsa-components plan`: {report['project']} (stack {report['stack']})",
        "",
        f"{report['resource_count']} resources to create. Findings: {_summary(report)}.",
        "",
        "#### Findings",
        "",
        *_md_findings(report),
        *_md_suppressed(report),
        "",
        "#### Who can assume each role",
        "",
        *_md_access(report),
    ]
    if report["service_account_modes"]:
        out += ["", "#### Credentials each ServiceAccount will use", "", *_md_modes(report)]
    out += ["", "<details><summary>Full plan</summary>", "", "```", *_plan_lines(report), "```", "", "</details>"]
    return "\n".join(out) + "\n"


def render_json(report: Mapping[str, Any]) -> str:
    """The report as JSON (schema in docs/plan-review.md)."""
    return json.dumps(report, indent=2) + "\n"
