"""IAM review of everything a program registers: which credentials each ServiceAccount gets, and what is wrong.

Pure functions over plain data: the resources a program registered (``irsa_components.testing``
records them; anything with the same attributes works) and, for the thumbprint check, the
certificate chains the program looked up. Raw ``pulumi_aws``/``pulumi_kubernetes`` resources are
reviewed exactly like the components' children.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from irsa_components.oidc_issuer import issuer_key
from irsa_components.policies._base import WRITES_WITHOUT_RESOURCE_TYPE
from irsa_components.review.analysis import (
    Decision,
    as_list,
    can_assume,
    parse_operator,
    pod_identity_request,
    statements_of,
    web_identity_request,
)
from irsa_components.review.exposure import Exposure, TrustIssue, trust_issues
from irsa_components.review.permissions import (
    PolicyIndex,
    dangerous_permissions,
    escalation_grants,
    iter_admin_attachments,
    parse_json,
    service_wide_grants,
)
from irsa_components.review.permissions import (
    Resource as Resource,
)
from irsa_components.trust import DEFAULT_AUDIENCE, POD_IDENTITY_SERVICE
from irsa_components.validation import DEFAULT_TRUST_POLICY_QUOTA, has_wildcard, policy_size

ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
INLINE_POLICY = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY = "aws:iam/policy:Policy"
OIDC_PROVIDER = "aws:iam/openIdConnectProvider:OpenIdConnectProvider"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"

ANNOTATION_PREFIX = "eks.amazonaws.com/"
ROLE_ARN_ANNOTATION = f"{ANNOTATION_PREFIX}role-arn"
AUDIENCE_ANNOTATION = f"{ANNOTATION_PREFIX}audience"
TOKEN_EXPIRATION_ANNOTATION = f"{ANNOTATION_PREFIX}token-expiration"
TOKEN_EXPIRATION_RANGE = (600, 86400)
TRUST_SIZE_WARNING_RATIO = 0.8
ADMIN_POLICY_NAMES = frozenset({"AdministratorAccess"})
"""AWS-managed policies whose document is ``Action: "*"`` on ``Resource: "*"``."""
READ_ACTION_PREFIXES = (
    "Get",
    "List",
    "Describe",
    "BatchGet",
    "Query",
    "Scan",
    "Search",
    "Lookup",
    "View",
    "Select",
)
"""Action names starting with these are reads; every other action (wildcards included) counts as a write."""


class Severity(Enum):
    """How bad a finding is; ``--fail-on`` gates on it."""

    HIGH = "high"
    """Something is broken (a workload will not get the credentials it is configured for), or the role is open
    to callers it should not be, or it can take over the account."""
    MEDIUM = "medium"
    """More access than intended, or a setup that breaks later."""
    LOW = "low"
    """Worth a look: close to a quota, or a setting that will not behave as written."""

    @property
    def rank(self) -> int:
        """0 for the most severe."""
        return list(Severity).index(self)

    def at_least(self, threshold: Severity) -> bool:
        """Whether this severity is ``threshold`` or worse."""
        return self.rank <= threshold.rank


@dataclass(frozen=True)
class FindingKind:
    """What one finding id means."""

    id: str
    severity: Severity
    title: str


KINDS = {
    kind.id: kind
    for kind in (
        FindingKind("IRSA001", Severity.HIGH, "ServiceAccount annotated with a role whose trust does not admit it"),
        FindingKind("IRSA002", Severity.HIGH, "Pod Identity association whose role does not admit its sessions"),
        FindingKind("IRSA003", Severity.HIGH, "Wildcard under StringEquals: matches nothing"),
        FindingKind("IRSA004", Severity.MEDIUM, "IRSA trust whose :aud is absent or not pinned exactly"),
        FindingKind("IRSA005", Severity.MEDIUM, "Trust admits service accounts beyond a list, within one namespace"),
        FindingKind("IRSA006", Severity.MEDIUM, "Pod Identity trust not narrowed by session tags"),
        FindingKind("IRSA007", Severity.LOW, "Trust policy above 80% of its size quota"),
        FindingKind("IRSA008", Severity.MEDIUM, 'Permission policy with Action "*" or write actions on Resource "*"'),
        FindingKind("IRSA009", Severity.LOW, "token-expiration annotation outside 600..86400 seconds"),
        FindingKind("IRSA010", Severity.MEDIUM, "OIDC provider pinned to a leaf certificate's thumbprint"),
        FindingKind("IRSA011", Severity.HIGH, "Trust admits a public or foreign principal that no condition pins"),
        FindingKind("IRSA012", Severity.HIGH, "IRSA trust admits service accounts across namespaces"),
        FindingKind("IRSA013", Severity.HIGH, "IRSA trust with a broad subject and an audience not pinned"),
        FindingKind("IRSA014", Severity.HIGH, "Trust statement that can never be assumed"),
        FindingKind("IRSA015", Severity.HIGH, "OIDC provider in another account than the role"),
        FindingKind("IRSA016", Severity.MEDIUM, "Trust not analysable"),
        FindingKind("IRSA017", Severity.HIGH, "Admin-equivalent or privilege-escalation permissions"),
        FindingKind("IRSA018", Severity.MEDIUM, "Service-wide actions on broad resources, or NotResource"),
        FindingKind("IRSA019", Severity.HIGH, "Broad or public trust on a role with admin or escalation permissions"),
        FindingKind("IRSA020", Severity.LOW, "Trust delegates to every principal of another account"),
    )
}
"""Every finding id this module reports."""


@dataclass(frozen=True)
class Finding:
    """One problem in the program: which resource, what is wrong, how to fix it."""

    id: str
    severity: Severity
    resource_type: str
    resource: str
    """The resource's logical (Pulumi) name."""
    message: str
    fix: str
    key: str | None = None
    """What tells this finding apart from others of its id on the same resource (a statement, a policy);
    None: the message does. Part of the fingerprint, so it stays stable when wording changes."""

    @property
    def fingerprint(self) -> str:
        """A stable identity for baselines and suppressions: id, resource type, resource and key, hashed."""
        parts = (self.id, self.resource_type, self.resource, self.message if self.key is None else self.key)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, str]:
        """The finding as JSON-ready data."""
        return {
            "id": self.id,
            "severity": self.severity.value,
            "title": KINDS[self.id].title,
            "resource_type": self.resource_type,
            "resource": self.resource,
            "message": self.message,
            "fix": self.fix,
            "fingerprint": self.fingerprint,
        }


def _finding(kind_id: str, resource: Resource, message: str, fix: str, key: str | None = None) -> Finding:
    return Finding(kind_id, KINDS[kind_id].severity, resource.type, resource.name, message, fix, key)


def of_type(resources: Sequence[Resource], type_token: str) -> list[Resource]:
    """The resources of one type, in the order given."""
    return [r for r in resources if r.type == type_token]


def trust_policy(role: Resource) -> dict[str, Any] | None:
    """A role's trust policy as data, or None if it is missing or not a JSON object."""
    document = parse_json(role.inputs.get("assumeRolePolicy"))
    return document if isinstance(document, dict) else None


def roles_by_arn(resources: Sequence[Resource]) -> dict[str, Resource]:
    """The program's roles, by the ARN they get."""
    return {str(r.outputs["arn"]): r for r in of_type(resources, ROLE) if r.outputs.get("arn")}


# ---- which credentials each ServiceAccount gets -----------------------------------------------------


class Mode(Enum):
    """Which credentials the AWS SDKs in a ServiceAccount's pods will use."""

    IRSA = "irsa"
    """It carries an ``eks.amazonaws.com/role-arn`` annotation: IRSA env vars win in the SDK chain."""
    POD_IDENTITY = "pod-identity"
    """No annotation, and a Pod Identity association names its namespace and name."""
    NONE = "none"


class Admission(Enum):
    """Whether the role a ServiceAccount will use admits it."""

    YES = "yes"
    NO = "no"
    NOT_ANALYSED = "not-analysed"
    """The trust uses conditions the evaluator does not model."""
    UNKNOWN = "unknown"
    """The role is not in this program."""
    AFTER_APPLY = "after-apply"
    """A preview: the role ARN the ServiceAccount names is computed when the role is created."""


@dataclass(frozen=True)
class ServiceAccountMode:
    """The credentials one ServiceAccount will get, and whether the role lets it in."""

    resource: str
    namespace: str
    name: str
    mode: Mode
    role_arn: str | None
    cluster: str | None
    """The cluster, when a Pod Identity association tells it."""
    admitted: Admission | None
    """None when the mode is NONE."""
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entry as JSON-ready data."""
        return {
            "resource": self.resource,
            "namespace": self.namespace,
            "name": self.name,
            "mode": self.mode.value,
            "role_arn": self.role_arn,
            "cluster": self.cluster,
            "admitted": self.admitted.value if self.admitted else None,
            "note": self.note,
        }


def _metadata(service_account: Resource) -> Mapping[str, Any]:
    metadata = service_account.inputs.get("metadata")
    return metadata if isinstance(metadata, Mapping) else {}


def _identity(service_account: Resource) -> tuple[str, str]:
    metadata = _metadata(service_account)
    return str(metadata.get("namespace") or "default"), str(metadata.get("name") or service_account.name)


def annotations_of(service_account: Resource) -> Mapping[str, Any]:
    """A ServiceAccount's annotations (empty when it has none)."""
    found = _metadata(service_account).get("annotations")
    return found if isinstance(found, Mapping) else {}


def _decision_admission(decisions: Sequence[Decision]) -> Admission:
    if Decision.ALLOW in decisions:
        return Admission.YES
    return Admission.NOT_ANALYSED if Decision.NOT_ANALYSED in decisions else Admission.NO


def _federated_providers(document: Mapping[str, Any]) -> list[str]:
    found = []
    for statement in statements_of(document):
        principal = statement.get("Principal")
        if isinstance(principal, Mapping):
            found += [str(p) for p in as_list(principal.get("Federated", [])) if ":oidc-provider/" in str(p)]
    return list(dict.fromkeys(found))


def irsa_admission(role: Resource | None, namespace: str, name: str, audience: str) -> Admission:
    """Whether ``role`` admits the service account's token through any OIDC provider its trust names.

    A ServiceAccount resource does not say which cluster it is in, so any trusted provider counts.
    """
    if role is None or (document := trust_policy(role)) is None:
        return Admission.UNKNOWN
    arn = str(role.outputs["arn"]) if role.outputs.get("arn") else None
    requests = [web_identity_request(p, namespace, name, audience) for p in _federated_providers(document)]
    return _decision_admission([can_assume(document, r, role_arn=arn) for r in requests])


def _session_tags(association: Resource) -> bool:
    return not association.inputs.get("disableSessionTags", False)


def pod_identity_admission(role: Resource | None, association: Resource) -> Admission:
    """Whether ``role`` admits the sessions EKS opens for ``association``."""
    document = trust_policy(role) if role is not None else None
    if document is None:
        return Admission.UNKNOWN
    inputs = association.inputs
    request = pod_identity_request(
        str(inputs.get("clusterName")),
        str(inputs.get("namespace")),
        str(inputs.get("serviceAccount")),
        session_tags=_session_tags(association),
    )
    return _decision_admission([can_assume(document, request)])


def _associations_by_identity(resources: Sequence[Resource]) -> dict[tuple[Any, Any], list[Resource]]:
    """Associations by the (namespace, service account) they name, indexed once per review."""
    index: dict[tuple[Any, Any], list[Resource]] = {}
    for a in of_type(resources, ASSOCIATION):
        index.setdefault((a.inputs.get("namespace"), a.inputs.get("serviceAccount")), []).append(a)
    return index


def _associations_for(
    associations: Mapping[tuple[Any, Any], Sequence[Resource]], service_account: Resource
) -> list[Resource]:
    """Associations naming the ServiceAccount's namespace and name; one in the same component first."""
    found = list(associations.get(_identity(service_account), []))
    return sorted(found, key=lambda a: a.parent != service_account.parent or service_account.parent is None)


def _irsa_mode(sa: Resource, role_arn: str, roles: Mapping[str, Resource], shadows: bool) -> ServiceAccountMode:
    namespace, name = _identity(sa)
    audience = str(annotations_of(sa).get(AUDIENCE_ANNOTATION) or DEFAULT_AUDIENCE)
    admitted = irsa_admission(roles.get(role_arn), namespace, name, audience)
    note = "a Pod Identity association also names it: IRSA wins until the annotation is removed" if shadows else None
    return ServiceAccountMode(sa.name, namespace, name, Mode.IRSA, role_arn, None, admitted, note)


def _pod_identity_mode(
    sa: Resource, associations: Sequence[Resource], roles: Mapping[str, Resource]
) -> ServiceAccountMode:
    namespace, name = _identity(sa)
    association = associations[0]
    arn = str(association.inputs.get("roleArn"))
    admitted = pod_identity_admission(roles.get(arn), association)
    cluster = str(association.inputs.get("clusterName"))
    others = sorted({str(a.inputs.get("clusterName")) for a in associations[1:]} - {cluster})
    note = f"associations in other clusters too: {', '.join(others)}" if others else None
    return ServiceAccountMode(sa.name, namespace, name, Mode.POD_IDENTITY, arn, cluster, admitted, note)


def _mode_of(
    associations_by_identity: Mapping[tuple[Any, Any], Sequence[Resource]], roles: Mapping[str, Resource], sa: Resource
) -> ServiceAccountMode:
    associations = _associations_for(associations_by_identity, sa)
    annotations = annotations_of(sa)
    role_arn = annotations.get(ROLE_ARN_ANNOTATION)
    if role_arn:
        return _irsa_mode(sa, str(role_arn), roles, bool(associations))
    if ROLE_ARN_ANNOTATION in annotations:
        # Annotated with a role whose ARN a preview does not know yet: IRSA all the same, never "none".
        namespace, name = _identity(sa)
        return ServiceAccountMode(sa.name, namespace, name, Mode.IRSA, None, None, Admission.AFTER_APPLY, None)
    if associations:
        return _pod_identity_mode(sa, associations, roles)
    namespace, name = _identity(sa)
    return ServiceAccountMode(sa.name, namespace, name, Mode.NONE, None, None, None)


def service_account_modes(resources: Sequence[Resource]) -> list[ServiceAccountMode]:
    """For every ServiceAccount: IRSA, Pod Identity or none, the role, and whether its trust admits it."""
    roles = roles_by_arn(resources)
    associations = _associations_by_identity(resources)
    return [_mode_of(associations, roles, sa) for sa in of_type(resources, SERVICE_ACCOUNT)]


# ---- the checks ---------------------------------------------------------------------------------


def _irsa001_unadmitted_service_accounts(resources: Sequence[Resource]) -> Iterator[Finding]:
    by_name = {sa.name: sa for sa in of_type(resources, SERVICE_ACCOUNT)}
    for mode in service_account_modes(resources):
        if mode.mode is Mode.IRSA and mode.admitted is Admission.NO:
            audience = annotations_of(by_name[mode.resource]).get(AUDIENCE_ANNOTATION) or DEFAULT_AUDIENCE
            yield _finding(
                "IRSA001",
                by_name[mode.resource],
                f"ServiceAccount {mode.namespace}/{mode.name} is annotated with role {mode.role_arn}, whose trust "
                f"does not admit system:serviceaccount:{mode.namespace}:{mode.name} (audience {audience}) through "
                "any OIDC provider: its pods will fail to get credentials",
                "add this namespace and service account to the role's trust (ServiceAccountRole namespace/"
                "service_account or service_accounts), or annotate the ServiceAccount with the role made for it",
            )


def _trusts_pod_identity(document: Mapping[str, Any]) -> bool:
    for statement in statements_of(document):
        principal = statement.get("Principal")
        services = as_list(principal.get("Service", [])) if isinstance(principal, Mapping) else []
        if statement.get("Effect") == "Allow" and POD_IDENTITY_SERVICE in services:
            return True
    return False


def _irsa002_unadmitted_associations(resources: Sequence[Resource]) -> Iterator[Finding]:
    roles = roles_by_arn(resources)
    for association in of_type(resources, ASSOCIATION):
        arn = str(association.inputs.get("roleArn"))
        role = roles.get(arn)
        if pod_identity_admission(role, association) is not Admission.NO:
            continue
        inputs = association.inputs
        where = f"{inputs.get('clusterName')}/{inputs.get('namespace')}/{inputs.get('serviceAccount')}"
        document = trust_policy(role) if role is not None else None
        if document is not None and _trusts_pod_identity(document):
            tags = "with" if _session_tags(association) else "without"
            problem = f"trusts {POD_IDENTITY_SERVICE} but not the sessions of {where} ({tags} session tags)"
            fix = "narrow the trust's session-tag conditions to this cluster, namespace and service account"
        else:
            problem = f"does not trust {POD_IDENTITY_SERVICE}"
            fix = (
                f"add a statement allowing {POD_IDENTITY_SERVICE} sts:AssumeRole and sts:TagSession, narrowed by "
                "session tags (PodIdentityAssociation creates such a role)"
            )
        yield _finding(
            "IRSA002",
            association,
            f"Pod Identity association {where} uses role {arn}, which {problem}: its pods will fail to get credentials",
            fix,
        )


def _roles_with_trust(resources: Sequence[Resource]) -> Iterator[tuple[Resource, dict[str, Any]]]:
    for role in of_type(resources, ROLE):
        document = trust_policy(role)
        if document is not None:
            yield role, document


def _role_label(role: Resource) -> str:
    return f"role {role.outputs.get('name') or role.name}"


_LITERAL_OPERATORS = frozenset(
    {"stringequals", "stringnotequals", "stringequalsignorecase", "stringnotequalsignorecase"}
)
"""Operators under which ``*`` and ``?`` are plain characters."""


def _irsa003_wildcards_under_string_equals(resources: Sequence[Resource]) -> Iterator[Finding]:
    for role, document in _roles_with_trust(resources):
        literal = [
            f"{operator} {key}={value!r}"
            for statement in statements_of(document)
            for operator, block in (statement.get("Condition") or {}).items()
            if isinstance(block, Mapping) and parse_operator(operator).base in _LITERAL_OPERATORS
            for key, values in block.items()
            for value in as_list(values)
            if has_wildcard(str(value))
        ]
        if literal:
            yield _finding(
                "IRSA003",
                role,
                f"{_role_label(role)}: {'; '.join(literal)}: under StringEquals '*' and '?' are literal characters, "
                "so the condition matches no real token or session",
                "use StringLike for patterns (ServiceAccountRole does with allow_wildcard=True), or list exact values",
            )


def _trust_issues(resources: Sequence[Resource]) -> Iterator[tuple[Resource, TrustIssue]]:
    for role, document in _roles_with_trust(resources):
        arn = role.outputs.get("arn")
        for issue in trust_issues(document, role_arn=str(arn) if arn else None):
            yield role, issue


def _broad_trust_findings(resources: Sequence[Resource]) -> Iterator[Finding]:
    """IRSA004, 005, 006, 011, 012, 013, 014, 015, 016, 020: who can assume each role, judged by the evaluator."""
    for role, issue in _trust_issues(resources):
        key = f"statement {issue.statement} {issue.principal} {issue.exposure.value}"
        yield replace(_trust_finding(role, issue), key=key)
    yield from _irsa013_broad_subject_and_audience(resources)


def _trust_finding(role: Resource, issue: TrustIssue) -> Finding:
    where = f"{_role_label(role)}: statement {issue.statement}"
    exposure = issue.exposure
    if exposure is Exposure.PUBLIC:
        return _finding(
            "IRSA011",
            role,
            f"{where} admits {issue.principal}: {issue.detail}",
            "name the principals (accounts, role ARNs, an EKS OIDC provider with exact sub and aud), or pin the "
            "caller with a condition on aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalArn or the "
            "provider's sub and aud",
        )
    if exposure is Exposure.SUBJECTS_ACROSS_NAMESPACES:
        return _finding(
            "IRSA012",
            role,
            f"{where} admits {issue.detail}: any pod in any namespace that runs under such a service account "
            "gets this role",
            'list the exact subjects under "StringEquals" <issuer>:sub ("system:serviceaccount:<ns>:<name>")',
        )
    if exposure is Exposure.SUBJECTS_IN_NAMESPACE:
        return _finding(
            "IRSA005",
            role,
            f"{where} admits {issue.detail}",
            "name the service accounts (namespace and name) that need this role",
        )
    if exposure is Exposure.POD_IDENTITY_BROAD:
        return _finding(
            "IRSA005",
            role,
            f"{where} admits {issue.detail}",
            "narrow aws:RequestTag/kubernetes-service-account too",
        )
    if exposure is Exposure.AUDIENCE_UNPINNED:
        return _finding(
            "IRSA004",
            role,
            f"{where} admits {issue.detail}",
            f'pin it: "StringEquals": {{"<issuer>:aud": "{DEFAULT_AUDIENCE}"}}',
        )
    if exposure is Exposure.POD_IDENTITY_UNNARROWED:
        return _finding(
            "IRSA006",
            role,
            f"{where} trusts {POD_IDENTITY_SERVICE}: {issue.detail}",
            'add "StringEquals" on aws:RequestTag/eks-cluster-name, aws:RequestTag/kubernetes-namespace and '
            "aws:RequestTag/kubernetes-service-account, without IfExists or ForAllValues (PodIdentityAssociation "
            "does)",
        )
    if exposure is Exposure.NEVER_ASSUMABLE:
        return _finding(
            "IRSA014",
            role,
            f"{where} can never be assumed by {issue.principal}: {issue.detail}",
            "use the condition keys of the statement's own principal (<issuer host>:sub/:aud for an OIDC "
            "provider, aws:RequestTag/... for Pod Identity), without https://",
        )
    if exposure is Exposure.PROVIDER_IN_OTHER_ACCOUNT:
        return _finding(
            "IRSA015",
            role,
            f"{where} trusts {issue.principal}: {issue.detail}",
            "create an IAM OIDC provider for the cluster's issuer in the role's own account "
            "(ClusterOidcProvider in a stack of that account) and trust that provider",
        )
    if exposure is Exposure.WHOLE_OTHER_ACCOUNT:
        return _finding(
            "IRSA020",
            role,
            f"{where} trusts {issue.principal}: {issue.detail}",
            "name the roles that need it (their ARNs as Principal, or ArnEquals aws:PrincipalArn); for a third "
            "party's account, require the sts:ExternalId it gave you",
        )
    return _finding(
        "IRSA016",
        role,
        f"{where}: trust not analysable: {issue.detail}",
        "rewrite the statement with Principal, exact values and the documented operators, or suppress "
        "this finding with a reason (irsa:ignore)",
    )


def _irsa013_broad_subject_and_audience(resources: Sequence[Resource]) -> Iterator[Finding]:
    by_role: dict[str, list[TrustIssue]] = {}
    roles: dict[str, Resource] = {}
    for role, issue in _trust_issues(resources):
        by_role.setdefault(role.name, []).append(issue)
        roles[role.name] = role
    for name, issues in by_role.items():
        unpinned = {i.principal for i in issues if i.exposure is Exposure.AUDIENCE_UNPINNED}
        broad = [
            i
            for i in issues
            if i.exposure in (Exposure.SUBJECTS_ACROSS_NAMESPACES, Exposure.SUBJECTS_IN_NAMESPACE)
            and i.principal in unpinned
        ]
        for issue in broad:
            yield _finding(
                "IRSA013",
                roles[name],
                f"{_role_label(roles[name])}: statement {issue.statement} admits {issue.detail}, and tokens minted "
                "for any audience: a token meant for another system of the cluster opens this role",
                f'pin "<issuer>:aud" to "{DEFAULT_AUDIENCE}" with StringEquals and list exact subjects',
                key=f"statement {issue.statement} {issue.principal}",
            )


BROAD_TRUST_IDS = frozenset({"IRSA004", "IRSA005", "IRSA006", "IRSA011", "IRSA012", "IRSA013", "IRSA016", "IRSA020"})
"""Trust findings that make a role reachable by more callers than a finite list (IRSA019 pairs them)."""


def _irsa007_trust_near_quota(resources: Sequence[Resource]) -> Iterator[Finding]:
    quota = DEFAULT_TRUST_POLICY_QUOTA
    for role, document in _roles_with_trust(resources):
        size = policy_size(document)
        if size > TRUST_SIZE_WARNING_RATIO * quota:
            yield _finding(
                "IRSA007",
                role,
                f"{_role_label(role)}: trust policy is {size} characters, {size * 100 // quota}% of IAM's default "
                f"quota of {quota}: the next cluster or service account may not fit",
                "use one role per cluster or fewer subjects per role, or raise the account's 'Role trust policy "
                "length' quota (then set max_trust_policy_size)",
            )


def _is_read(action: str) -> bool:
    verb = action.split(":", 1)[-1]
    return any(verb.lower().startswith(prefix.lower()) for prefix in READ_ACTION_PREFIXES)


def _broad_statements(document: Mapping[str, Any]) -> list[str]:
    """Descriptions of the Allow statements granting every action, or writes on every resource."""
    found = []
    for index, statement in enumerate(statements_of(document)):
        if statement.get("Effect") != "Allow":
            continue
        label = f"statement {statement.get('Sid') or index}"
        actions = [str(a) for a in as_list(statement.get("Action", []))]
        if "NotAction" in statement:
            found.append(f"{label} allows every action except {', '.join(map(str, as_list(statement['NotAction'])))}")
        elif "*" in actions:
            found.append(f'{label} allows Action "*"')
        elif "*" in as_list(statement.get("Resource", [])) and not statement.get("Condition"):
            # Writes IAM authorizes only on "*" can't be scoped: not a finding.
            writes = [a for a in actions if not _is_read(a) and a not in WRITES_WITHOUT_RESOURCE_TYPE]
            if writes:
                found.append(f'{label} allows {", ".join(writes)} on Resource "*"')
    return found


def _permission_documents(resources: Sequence[Resource]) -> Iterator[tuple[Resource, str, Any]]:
    """(resource, policy label, document) of every permission policy the program defines or attaches."""
    for policy in of_type(resources, INLINE_POLICY) + of_type(resources, MANAGED_POLICY):
        yield policy, f"policy {policy.inputs.get('name') or policy.name}", parse_json(policy.inputs.get("policy"))
    admin = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    for role in of_type(resources, ROLE):
        for inline in role.inputs.get("inlinePolicies") or []:
            if isinstance(inline, Mapping):
                yield role, f"inline policy {inline.get('name')}", parse_json(inline.get("policy"))
    for via, arn, row in iter_admin_attachments(resources):
        if row.name in ADMIN_POLICY_NAMES:
            yield via, arn, admin


def _irsa017_escalation(resources: Sequence[Resource]) -> Iterator[Finding]:
    fix = (
        "grant the actions the workload needs on its own resources' ARNs; never iam:* or escalation actions "
        "on every resource, nor admin-equivalent managed policies"
    )
    for via, arn, row in iter_admin_attachments(resources):
        yield _finding("IRSA017", via, f"{arn} is admin-equivalent: {row.why} (source: {row.source})", fix, key=arn)
    for resource, label, document in _permission_documents(resources):
        if label.startswith("arn:"):
            continue
        grants_found = escalation_grants(document)
        if grants_found:
            yield _finding("IRSA017", resource, f"{label}: {'; '.join(grants_found)}", fix, key=label)


def _irsa018_service_wide(resources: Sequence[Resource]) -> Iterator[Finding]:
    for resource, label, document in _permission_documents(resources):
        if label.startswith("arn:"):
            continue
        found = service_wide_grants(document)
        if found:
            yield _finding(
                "IRSA018",
                resource,
                f"{label}: {'; '.join(found)}",
                "list the actions needed and the ARNs of the resources the workload uses",
                key=label,
            )


def _irsa019_open_trust_with_power(
    resources: Sequence[Resource], trust_findings: Sequence[Finding]
) -> Iterator[Finding]:
    broad: dict[str, Finding] = {}
    for f in sorted(trust_findings, key=lambda f: (f.severity.rank, f.id)):
        if f.id in BROAD_TRUST_IDS and f.resource_type == ROLE:
            broad.setdefault(f.resource, f)
    index = PolicyIndex(resources)
    for role in index.of(ROLE):
        if role.name not in broad:
            continue
        power = dangerous_permissions(resources, role, index)
        if power:
            yield _finding(
                "IRSA019",
                role,
                f"{_role_label(role)} is open to more callers than a list ({broad[role.name].id}: "
                f"{KINDS[broad[role.name].id].title}) and holds {'; '.join(power[:3])}: whoever gets in owns the "
                "account",
                "narrow the trust to exact principals and subjects first, then cut the permissions to what the "
                "workload needs",
                key="",
            )


def _irsa008_broad_permissions(resources: Sequence[Resource]) -> Iterator[Finding]:
    for resource, label, document in _permission_documents(resources):
        broad = _broad_statements(document) if isinstance(document, Mapping) else []
        if broad:
            yield _finding(
                "IRSA008",
                resource,
                f"{label}: {'; '.join(broad)}",
                "list the actions the workload needs and scope writes to its resources' ARNs (or to a condition)",
            )


def _irsa009_token_expiration(resources: Sequence[Resource]) -> Iterator[Finding]:
    low, high = TOKEN_EXPIRATION_RANGE
    for sa in of_type(resources, SERVICE_ACCOUNT):
        value = annotations_of(sa).get(TOKEN_EXPIRATION_ANNOTATION)
        if value is None:
            continue
        text = str(value).strip()
        if text.isdigit() and low <= int(text) <= high:
            continue
        namespace, name = _identity(sa)
        yield _finding(
            "IRSA009",
            sa,
            f"ServiceAccount {namespace}/{name}: {TOKEN_EXPIRATION_ANNOTATION}={value!r} is not a number of seconds "
            f"in {low}..{high}, the range the EKS pod identity webhook honours",
            f'set it to a whole number of seconds from {low} to {high} (default {high}), e.g. "3600"',
        )


def _irsa010_leaf_thumbprints(
    resources: Sequence[Resource], certificate_chains: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Iterator[Finding]:
    chains = {issuer_key(url): chain for url, chain in certificate_chains.items()}
    for provider in of_type(resources, OIDC_PROVIDER):
        url = str(provider.inputs.get("url") or "")
        leaves = {
            str(c.get("sha1Fingerprint")).lower(): str(c.get("subject"))
            for c in chains.get(issuer_key(url), [])
            if not c.get("isCa")
        }
        for thumbprint in provider.inputs.get("thumbprintLists") or []:
            if str(thumbprint).lower() in leaves:
                yield _finding(
                    "IRSA010",
                    provider,
                    f"OIDC provider {url.split('://', 1)[-1]}: thumbprint {thumbprint} is the leaf certificate's "
                    f"({leaves[str(thumbprint).lower()]}): it changes whenever the issuer's certificate is renewed",
                    "pin the top CA of the chain (the first certificate tls.get_certificate returns), as "
                    "ClusterOidcProvider does",
                )


def find_issues(
    resources: Sequence[Resource],
    *,
    certificate_chains: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
) -> list[Finding]:
    """Every finding in the program, most severe first.

    ``certificate_chains`` maps issuer URLs to the chains ``tls.get_certificate`` returned for them
    (root first); without it the leaf-thumbprint check has nothing to compare with.
    """
    found = [
        *_irsa001_unadmitted_service_accounts(resources),
        *_irsa002_unadmitted_associations(resources),
        *_irsa003_wildcards_under_string_equals(resources),
        *_broad_trust_findings(resources),
        *_irsa007_trust_near_quota(resources),
        *_irsa008_broad_permissions(resources),
        *_irsa009_token_expiration(resources),
        *_irsa010_leaf_thumbprints(resources, certificate_chains or {}),
        *_irsa017_escalation(resources),
        *_irsa018_service_wide(resources),
    ]
    found += _irsa019_open_trust_with_power(resources, found)
    return sorted(found, key=lambda f: (f.severity.rank, f.id, f.resource_type, f.resource))
