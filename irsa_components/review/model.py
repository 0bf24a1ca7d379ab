"""The report model: what `pulumi up` would create, and an IAM review of it, as plain data.

``build_report`` turns a ``ProgramResult`` into dicts and lists (the same for programs written with these
components and for hand-written pulumi_aws / pulumi_kubernetes resources): the resources, the roles and their
policies, who can assume each role, which credentials each ServiceAccount gets, and the findings. It indexes the
resources once (by URN, type and ARN), so a report costs time linear in the program. Values a preview cannot know
are ``UNKNOWN``; the renderers (``render_text``, ``render_markdown``, ``render_json``) show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

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
    service_account_modes,
    trust_policy,
)
from irsa_components.review.permissions import ATTACHMENTS_EXCLUSIVE, POLICY_ATTACHMENT, parse_json
from irsa_components.testing import ProgramResult, RegisteredResource
from irsa_components.trust import POD_IDENTITY_SERVICE

SCHEMA_VERSION = 1
"""Version of the JSON report's schema (docs/plan-review.md); bumped on any incompatible change."""
TLS_CERTIFICATE = "tls:index/getCertificate:getCertificate"
EKS_CLUSTER = "aws:eks/getCluster:getCluster"
ANY = "*"


class _Unknown:
    """A value a preview does not know (computed when the resource is created)."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Final = _Unknown()
"""The marker of an unknown value in a report: ``(known after apply)`` in text, ``null`` in JSON."""


def known(resource: RegisteredResource, value: Any, *path: str) -> Any:
    """``value``, or UNKNOWN when it is None because the preview does not know ``path`` of ``resource``."""
    return UNKNOWN if value is None and resource.is_unknown(*path) else value


# ---- indexes ---------------------------------------------------------------------------------------


@dataclass
class ResourceIndex:
    """The program's resources indexed once: by URN, by type, managed policies by ARN, and the policy
    attachments and inline policies of each role."""

    resources: Sequence[RegisteredResource]
    by_urn: dict[str, RegisteredResource] = field(default_factory=dict)
    by_type: dict[str, list[RegisteredResource]] = field(default_factory=dict)
    policies_by_arn: dict[str, RegisteredResource] = field(default_factory=dict)
    by_role_ref: dict[str, list[RegisteredResource]] = field(default_factory=dict)
    """Attachments and inline policies by the role name, ID or URN they reference."""

    def __post_init__(self) -> None:
        for resource in self.resources:
            self.by_urn[resource.urn] = resource
            self.by_type.setdefault(resource.type, []).append(resource)
        for policy in self.of_type(MANAGED_POLICY):
            if isinstance(policy.outputs.get("arn"), str):
                self.policies_by_arn[policy.outputs["arn"]] = policy
        for resource in self.of_type(ATTACHMENT) + self.of_type(INLINE_POLICY):
            self._index_role_refs(resource, [resource.inputs.get("role")], "role")
        for resource in self.of_type(POLICY_ATTACHMENT):
            self._index_role_refs(resource, list(resource.inputs.get("roles") or []), "roles")
        for resource in self.of_type(ATTACHMENTS_EXCLUSIVE):
            self._index_role_refs(resource, [resource.inputs.get("roleName")], "roleName")

    def _index_role_refs(self, resource: RegisteredResource, values: list[Any], key: str) -> None:
        for ref in {*values, *resource.property_dependencies.get(key, [])}:
            if isinstance(ref, str) and ref:
                self.by_role_ref.setdefault(ref, []).append(resource)

    def of_type(self, type_token: str) -> list[RegisteredResource]:
        return self.by_type.get(type_token, [])

    def attached_to(self, role: RegisteredResource, type_token: str) -> list[RegisteredResource]:
        """Attachments or inline policies (``type_token``) of ``role``, in program order, each once."""
        seen: dict[str, RegisteredResource] = {}
        for ref in {role.outputs.get("name"), role.outputs.get("arn"), role.id, role.urn}:
            if isinstance(ref, str):
                for resource in self.by_role_ref.get(ref, []):
                    if resource.type == type_token:
                        seen.setdefault(resource.urn, resource)
        return sorted(seen.values(), key=lambda r: (r.name, r.urn))

    def policy_of(self, attachment: RegisteredResource) -> RegisteredResource | None:
        """The managed policy (in this program) an attachment attaches, by ARN or, in a preview, by dependency."""
        arn = attachment.inputs.get("policyArn")
        if isinstance(arn, str) and arn in self.policies_by_arn:
            return self.policies_by_arn[arn]
        for urn in attachment.property_dependencies.get("policyArn", []):
            found = self.by_urn.get(urn)
            if found is not None and found.type == MANAGED_POLICY:
                return found
        return None


# ---- resources and roles -----------------------------------------------------------------------------


def _tree(index: ResourceIndex) -> list[dict[str, Any]]:
    by_parent: dict[str | None, list[RegisteredResource]] = {}
    for resource in index.resources:
        parent = resource.parent if resource.parent in index.by_urn else None
        by_parent.setdefault(parent, []).append(resource)

    def node(resource: RegisteredResource) -> dict[str, Any]:
        children = sorted(by_parent.get(resource.urn, []), key=lambda r: (r.type, r.name))
        return {"type": resource.type, "name": resource.name, "children": [node(c) for c in children]}

    return [node(r) for r in sorted(by_parent.get(None, []), key=lambda r: (r.type, r.name))]


def _managed_preset(index: ResourceIndex, attachment: RegisteredResource) -> str | None:
    """The preset an AWS-managed policy attachment came from: components name them <component>-<slug>-<policy>."""
    parent = index.by_urn.get(attachment.parent) if attachment.parent else None
    arn = attachment.inputs.get("policyArn")
    if parent is None or not isinstance(arn, str):
        return None
    for slug in PRESETS:
        if attachment.name == f"{parent.name}-{slug}-{arn.rsplit('/', 1)[-1]}":
            return slug
    return None


def _document(resource: RegisteredResource, key: str) -> Any:
    return known(resource, parse_json(resource.inputs.get(key)), key)


def _role_report(index: ResourceIndex, role: RegisteredResource) -> dict[str, Any]:
    managed = []
    for attachment in index.attached_to(role, ATTACHMENT):
        entry: dict[str, Any] = {"arn": known(attachment, attachment.inputs.get("policyArn"), "policyArn")}
        policy = index.policy_of(attachment)
        preset = _managed_preset(index, attachment)
        if policy is not None:
            if entry["arn"] is UNKNOWN:
                entry["arn"] = known(policy, policy.outputs.get("arn"), "arn")
            entry["document"] = _document(policy, "policy")
            preset = (policy.inputs.get("tags") or {}).get(PRESET_TAG) or preset
        if preset:
            entry["preset"] = preset
        managed.append(entry)
    for attachment in index.attached_to(role, POLICY_ATTACHMENT):
        policy = index.policy_of(attachment)
        entry = {"arn": known(attachment, attachment.inputs.get("policyArn"), "policyArn")}
        managed.append({**entry, "document": _document(policy, "policy")} if policy is not None else entry)
    for exclusive in index.attached_to(role, ATTACHMENTS_EXCLUSIVE):
        for arn in exclusive.inputs.get("policyArns") or []:
            policy = index.policies_by_arn.get(str(arn))
            managed.append(
                {"arn": arn, "document": _document(policy, "policy")} if policy is not None else {"arn": arn}
            )
    for inline_arn in role.inputs.get("managedPolicyArns") or []:
        managed.append({"arn": inline_arn})
    inline = [
        {"name": p.inputs.get("name") or p.name, "document": _document(p, "policy")}
        for p in index.attached_to(role, INLINE_POLICY)
    ]
    for policy in role.inputs.get("inlinePolicies") or []:
        inline.append({"name": policy.get("name"), "document": parse_json(policy.get("policy"))})
    parent = index.by_urn.get(role.parent) if role.parent else None
    return {
        "resource": role.name,
        "component": f"{parent.type.rsplit(':', 1)[-1]} {parent.name}" if parent and not parent.custom else None,
        "name": known(role, role.outputs.get("name"), "name"),
        "arn": known(role, role.outputs.get("arn"), "arn"),
        "path": role.inputs.get("path") or "/",
        "permissions_boundary": known(role, role.inputs.get("permissionsBoundary"), "permissionsBoundary"),
        "max_session_duration": int(role.inputs.get("maxSessionDuration") or 3600),
        "tags": dict(role.inputs.get("tags") or {}),
        "trust_policy": _document(role, "assumeRolePolicy"),
        "managed_policies": managed,
        "inline_policies": inline,
    }


def service_account_manifest(resource: RegisteredResource) -> dict[str, Any]:
    """The ServiceAccount as Kubernetes would receive it."""
    raw = {k: v for k, v in (resource.inputs.get("metadata") or {}).items() if v not in (None, {}, [])}
    annotations = (resource.inputs.get("metadata") or {}).get("annotations") or {}
    unknown_annotations = {
        k: UNKNOWN for k, v in annotations.items() if v is None and resource.is_unknown("metadata", "annotations", k)
    }
    if unknown_annotations or resource.is_unknown("metadata", "annotations"):
        raw["annotations"] = {**{k: v for k, v in annotations.items() if v is not None}, **unknown_annotations}
        if not raw["annotations"]:
            raw["annotations"] = UNKNOWN
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


def access_matrix(resources: Iterable[Resource], cluster_names: Mapping[str, str]) -> list[dict[str, Any]]:
    """For every role: who can assume it, one row per cluster/namespace/service account (or other principal).

    ``cluster_names`` maps issuer hosts (lowercase, no scheme) to cluster names, to label IRSA rows. A role
    whose trust a preview does not know yet has ``grants`` UNKNOWN.
    """
    matrix = []
    for role in resources:
        if role.type != ROLE:
            continue
        document = trust_policy(role)
        is_unknown = document is None and isinstance(role, RegisteredResource) and role.is_unknown("assumeRolePolicy")
        rows: Any = (
            UNKNOWN
            if is_unknown
            else [row for grant in grants(document or {}) for row in _grant_rows(grant, cluster_names)]
        )
        name = role.outputs.get("name")
        arn = role.outputs.get("arn")
        if isinstance(role, RegisteredResource):
            name, arn = known(role, name, "name"), known(role, arn, "arn")
        matrix.append({"role": role.name, "name": name, "arn": arn, "grants": rows})
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


def _finding_counts(findings: Sequence[Finding]) -> dict[str, int]:
    return {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}


def _outputs(result: ProgramResult) -> dict[str, Any]:
    return {k: UNKNOWN if k in result.unknown_outputs else v for k, v in result.outputs.items()}


ADDON = "aws:eks/addon:Addon"


def addons(index: ResourceIndex) -> list[dict[str, Any]]:
    """Every EKS add-on with the role it runs under: through its Pod Identity associations or IRSA."""
    report = []
    for addon in index.of_type(ADDON):
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


def associations_per_cluster(index: ResourceIndex) -> dict[str, list[str]]:
    """Cluster -> 'namespace/service account' of each Pod Identity association in it (add-ons' included)."""
    per_cluster: dict[str, list[str]] = {}
    for a in index.of_type(ASSOCIATION):
        per_cluster.setdefault(str(a.inputs.get("clusterName")), []).append(
            f"{a.inputs.get('namespace')}/{a.inputs.get('serviceAccount')}"
        )
    for addon in index.of_type(ADDON):
        for a in addon.inputs.get("podIdentityAssociations") or []:
            per_cluster.setdefault(str(addon.inputs.get("clusterName")), []).append(
                f"{addon.inputs.get('addonName')} add-on/{a.get('serviceAccount')}"
            )
    return per_cluster


def build_report(result: ProgramResult, *, project: str | None = None, stack: str | None = None) -> dict[str, Any]:
    """Everything the plan shows, as plain data (the JSON output; schema in docs/plan-review.md)."""
    index = ResourceIndex(result.resources)
    findings = find_issues(result.resources, certificate_chains=certificate_chains(result))
    report = {
        "schema_version": SCHEMA_VERSION,
        "project": project if project is not None else result.project,
        "stack": stack if stack is not None else result.stack,
        "preview": result.preview,
        "resource_count": sum(1 for r in result.resources if r.custom),
        "component_count": sum(1 for r in result.resources if not r.custom),
        "tree": _tree(index),
        "oidc_providers": [
            {
                "resource": p.name,
                "url": p.inputs.get("url"),
                "arn": known(p, p.outputs.get("arn"), "arn"),
                "client_ids": p.inputs.get("clientIdLists"),
                "thumbprints": known(p, p.inputs.get("thumbprintLists"), "thumbprintLists"),
            }
            for p in index.of_type(OIDC_PROVIDER)
        ],
        "roles": [_role_report(index, role) for role in index.of_type(ROLE)],
        "pod_identity_associations": [
            {
                "resource": a.name,
                "cluster": known(a, a.inputs.get("clusterName"), "clusterName"),
                "namespace": a.inputs.get("namespace"),
                "service_account": a.inputs.get("serviceAccount"),
                "role_arn": known(a, a.inputs.get("roleArn"), "roleArn"),
                "target_role_arn": known(a, a.inputs.get("targetRoleArn"), "targetRoleArn"),
                "session_tags": not a.inputs.get("disableSessionTags", False),
            }
            for a in index.of_type(ASSOCIATION)
        ],
        "associations_per_cluster": associations_per_cluster(index),
        "addons": addons(index),
        "service_accounts": [service_account_manifest(sa) for sa in index.of_type(SERVICE_ACCOUNT)],
        "outputs": _outputs(result),
        "access": access_matrix(index.of_type(ROLE), cluster_names(result)),
        "service_account_modes": [m.to_dict() for m in service_account_modes(result.resources)],
        "findings": [f.to_dict() for f in findings],
        "finding_counts": _finding_counts(findings),
    }
    report["unknowns"] = unknown_paths(report)
    return report


def unknown_paths(value: Any, path: str = "") -> list[str]:
    """JSON paths (``roles[0].arn``) of the UNKNOWN values in a report: the flag next to JSON's ``null``."""
    if value is UNKNOWN:
        return [path]
    if isinstance(value, Mapping):
        return [p for k, v in value.items() for p in unknown_paths(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in unknown_paths(v, f"{path}[{i}]")]
    return []


def exceeds(report: Mapping[str, Any], threshold: Severity) -> bool:
    """Whether the report holds a finding of ``threshold`` severity or worse (``--fail-on``)."""
    return any(Severity(f["severity"]).at_least(threshold) for f in report["findings"])
