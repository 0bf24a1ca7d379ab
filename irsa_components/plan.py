"""What `pulumi up` would create, read off a program run under the mocks, as data and as text.

``build_report`` turns a ``ProgramResult`` into plain data (the same for programs written with
these components and for hand-written pulumi_aws / pulumi_kubernetes resources);
``render_text`` prints it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import yaml

from irsa_components.policies import PRESETS
from irsa_components.policies._base import PRESET_TAG
from irsa_components.testing import ProgramResult, RegisteredResource

ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
INLINE_POLICY = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY = "aws:iam/policy:Policy"
OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


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
            entry["document"] = _json(policy.inputs.get("policy"))
            preset = (policy.inputs.get("tags") or {}).get(PRESET_TAG) or preset
        if preset:
            entry["preset"] = preset
        managed.append(entry)
    for inline_arn in role.inputs.get("managedPolicyArns") or []:
        managed.append({"arn": inline_arn})
    inline = [
        {"name": p.inputs.get("name") or p.name, "document": _json(p.inputs.get("policy"))}
        for p in result.of_type(INLINE_POLICY)
        if p.inputs.get("role") in role_refs
    ]
    for policy in role.inputs.get("inlinePolicies") or []:
        inline.append({"name": policy.get("name"), "document": _json(policy.get("policy"))})
    parent = result.by_urn(role.parent) if role.parent else None
    return {
        "resource": role.name,
        "component": f"{parent.type.rsplit(':', 1)[-1]} {parent.name}" if parent and not parent.custom else None,
        "name": role.outputs.get("name"),
        "arn": role.outputs.get("arn"),
        "trust_policy": _json(role.inputs.get("assumeRolePolicy")),
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


def build_report(result: ProgramResult, *, project: str, stack: str) -> dict[str, Any]:
    """Everything the plan shows, as plain data."""
    return {
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
        "service_accounts": [service_account_manifest(sa) for sa in result.of_type(SERVICE_ACCOUNT)],
        "outputs": result.outputs,
    }


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


def render_text(report: dict[str, Any]) -> str:
    """The plan as terminal text."""
    out = [
        f"Plan for {report['project']} (stack {report['stack']}): {report['resource_count']} resources to create",
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
        origin = f" (from {role['component']})" if role["component"] else ""
        out += ["", f"Role {role['name']}{origin}", f"  arn: {role['arn']}", "  trust policy:"]
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
    if report["pod_identity_associations"]:
        out += ["", "Pod Identity associations"]
        for a in report["pod_identity_associations"]:
            target = f" -> {a['target_role_arn']}" if a["target_role_arn"] else ""
            tags = "" if a["session_tags"] else " (session tags disabled)"
            out.append(f"  {a['cluster']}/{a['namespace']}/{a['service_account']}: {a['role_arn']}{target}{tags}")
    if report["service_accounts"]:
        out += ["", "ServiceAccounts"]
        for manifest in report["service_accounts"]:
            out += ["---", yaml.safe_dump(manifest, sort_keys=False).rstrip()]
    if report["outputs"]:
        out += ["", "Outputs"]
        out += [f"  {key}: {json.dumps(value)}" for key, value in sorted(report["outputs"].items())]
    return "\n".join(out) + "\n"
