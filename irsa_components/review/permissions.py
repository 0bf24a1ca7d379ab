"""What a role may do: every policy attached to it, however Pulumi attached it, and which grants are dangerous.

Two tables hold the facts, each row with its source: the AWS managed policies that are admin-equivalent,
and the IAM actions that let a principal raise its own privileges. Plain functions over recorded resources.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from irsa_components.review.analysis import as_list, statements_of, wildcard_match

ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
INLINE_POLICY = "aws:iam/rolePolicy:RolePolicy"
INLINE_POLICIES_EXCLUSIVE = "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive"
MANAGED_POLICY = "aws:iam/policy:Policy"

AWS_MANAGED_POLICY_SOURCE = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/{name}.html"


@dataclass(frozen=True)
class AdminEquivalentPolicy:
    """An AWS managed policy that gives, or lets its holder take, the whole account."""

    name: str
    why: str
    source: str


ADMIN_EQUIVALENT_POLICIES: tuple[AdminEquivalentPolicy, ...] = tuple(
    AdminEquivalentPolicy(name, why, AWS_MANAGED_POLICY_SOURCE.format(name=name))
    for name, why in (
        ("AdministratorAccess", 'Action "*" on Resource "*"'),
        ("IAMFullAccess", "iam:* : can attach AdministratorAccess to itself"),
        ("PowerUserAccess", "every action of every service except IAM and Organizations management"),
        ("AdministratorAccess-Amplify", "iam:CreateRole, iam:PutRolePolicy, iam:PassRole and more on any role"),
        ("AdministratorAccess-AWSElasticBeanstalk", "iam:PassRole and instance-profile management on any role"),
        ("AWSOrganizationsFullAccess", "organizations:* : can create accounts and take over member accounts"),
    )
)
"""AWS managed policies treated as admin-equivalent; each row's ``source`` is the policy's reference page."""

ADMIN_EQUIVALENT_NAMES = {p.name: p for p in ADMIN_EQUIVALENT_POLICIES}

RHINO = "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/"
IAM_GUIDE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html"


@dataclass(frozen=True)
class EscalationAction:
    """An action that lets its holder raise its own privileges when granted on broad resources."""

    action: str
    how: str
    source: str


ESCALATION_ACTIONS: tuple[EscalationAction, ...] = (
    EscalationAction("iam:PassRole", "hands any role to a service that runs code (EC2, Lambda, ECS...)", IAM_GUIDE),
    EscalationAction("iam:CreatePolicyVersion", "rewrites a managed policy attached to itself", RHINO),
    EscalationAction("iam:SetDefaultPolicyVersion", "switches a policy to a broader old version", RHINO),
    EscalationAction("iam:AttachRolePolicy", "attaches AdministratorAccess to a role", RHINO),
    EscalationAction("iam:AttachUserPolicy", "attaches AdministratorAccess to a user", RHINO),
    EscalationAction("iam:AttachGroupPolicy", "attaches AdministratorAccess to a group", RHINO),
    EscalationAction("iam:PutRolePolicy", "writes an admin inline policy on a role", RHINO),
    EscalationAction("iam:PutUserPolicy", "writes an admin inline policy on a user", RHINO),
    EscalationAction("iam:PutGroupPolicy", "writes an admin inline policy on a group", RHINO),
    EscalationAction("iam:UpdateAssumeRolePolicy", "lets itself assume any role", RHINO),
    EscalationAction("iam:CreateAccessKey", "mints keys for any user", RHINO),
    EscalationAction("iam:CreateLoginProfile", "sets a console password for any user", RHINO),
    EscalationAction("iam:UpdateLoginProfile", "changes any user's console password", RHINO),
    EscalationAction("iam:AddUserToGroup", "joins an admin group", RHINO),
    EscalationAction("iam:PutRolePermissionsBoundary", "loosens a role's permissions boundary", RHINO),
    EscalationAction("iam:DeleteRolePermissionsBoundary", "removes a role's permissions boundary", RHINO),
    EscalationAction("lambda:UpdateFunctionCode", "runs its code as any function's role", RHINO),
    EscalationAction("glue:UpdateDevEndpoint", "runs code as a dev endpoint's role", RHINO),
    EscalationAction("sts:AssumeRole", "assumes any role that trusts the account", RHINO),
)
"""Privilege-escalation actions (AWS's and Rhino Security Labs' documented paths); each row has its source."""


class Resource(Protocol):
    """A registered resource as the review reads it (``irsa_components.testing.RegisteredResource``, or a policy
    pack's resource adapted by ``review.policy_pack``)."""

    @property
    def type(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def inputs(self) -> Mapping[str, Any]: ...
    @property
    def outputs(self) -> Mapping[str, Any]: ...
    @property
    def parent(self) -> str | None: ...


def parse_json(value: Any) -> Any:
    """A policy input as data: resources receive policies as JSON strings (or, hand-written, as dicts)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


@dataclass(frozen=True)
class AttachedPolicy:
    """One permission policy of a role and the resource that attaches (or defines) it."""

    label: str
    """``policy <name>``, ``inline policy <name>`` or the managed policy's ARN."""
    arn: str | None
    document: Any
    """The document when the program defines it; None for AWS managed policies."""
    via: Resource

    @property
    def admin_equivalent(self) -> AdminEquivalentPolicy | None:
        """The table row when this is an admin-equivalent AWS managed policy."""
        return admin_equivalent(self.arn) if self.arn else None


def admin_equivalent(arn: str) -> AdminEquivalentPolicy | None:
    """The admin-equivalent AWS managed policy ``arn`` names, if any (``arn:<partition>:iam::aws:policy/...``)."""
    if ":iam::aws:policy/" not in arn:
        return None
    return ADMIN_EQUIVALENT_NAMES.get(arn.rsplit("/", 1)[-1])


def _role_refs(role: Resource) -> set[str]:
    refs = {role.name}
    for key in ("name", "arn", "id"):
        if role.outputs.get(key):
            refs.add(str(role.outputs[key]))
    return refs


class PolicyIndex:
    """A program's permission-policy resources indexed once: by type, managed policies by ARN, attachments and
    inline policies by the role they name, so finding every role's policies is linear in the program instead of
    one scan of all resources per role."""

    def __init__(self, resources: Sequence[Resource]) -> None:
        self._position = {id(r): i for i, r in enumerate(resources)}
        self._by_type: dict[str, list[Resource]] = {}
        for resource in resources:
            self._by_type.setdefault(resource.type, []).append(resource)
        self.managed_docs = {str(p.outputs.get("arn")): p for p in self.of(MANAGED_POLICY) if p.outputs.get("arn")}
        self._by_ref: dict[tuple[str, str], list[Resource]] = {}
        for kind, key in (
            (ATTACHMENT, "role"),
            (ATTACHMENTS_EXCLUSIVE, "roleName"),
            (INLINE_POLICIES_EXCLUSIVE, "roleName"),
            (INLINE_POLICY, "role"),
        ):
            for resource in self.of(kind):
                if resource.inputs.get(key) is not None:
                    self._by_ref.setdefault((kind, str(resource.inputs[key])), []).append(resource)
        for resource in self.of(POLICY_ATTACHMENT):
            for ref in {str(r) for r in as_list(resource.inputs.get("roles") or [])}:
                self._by_ref.setdefault((POLICY_ATTACHMENT, ref), []).append(resource)
        self._inline_by_name: dict[str, list[Resource]] = {}
        for policy in self.of(INLINE_POLICY):
            self._inline_by_name.setdefault(str(policy.inputs.get("name") or policy.name), []).append(policy)

    def of(self, token: str) -> list[Resource]:
        return self._by_type.get(token, [])

    def _in_order(self, found: dict[int, Resource]) -> list[Resource]:
        return sorted(found.values(), key=lambda r: self._position[id(r)])

    def naming(self, kind: str, refs: set[str]) -> list[Resource]:
        """Resources of type ``kind`` that name one of ``refs`` as their role, in program order, each once."""
        return self._in_order({id(r): r for ref in refs for r in self._by_ref.get((kind, ref), [])})

    def inline_named(self, names: set[str]) -> list[Resource]:
        return self._in_order({id(r): r for name in names for r in self._inline_by_name.get(name, [])})


def role_policies(
    resources: Sequence[Resource], role: Resource, index: PolicyIndex | None = None
) -> list[AttachedPolicy]:
    """Every permission policy of ``role``: ``RolePolicyAttachment``, ``PolicyAttachment``,
    ``RolePolicyAttachmentsExclusive``, ``Role.managedPolicyArns``, ``Role.inlinePolicies``, ``RolePolicy``
    and ``RolePoliciesExclusive`` (which names ``RolePolicy`` resources). Pass ``index`` (built once) when
    asking for many roles."""
    index = index if index is not None else PolicyIndex(resources)
    refs = _role_refs(role)
    arns: list[tuple[str, Resource]] = []
    arns += [(str(a.inputs.get("policyArn")), a) for a in index.naming(ATTACHMENT, refs)]
    arns += [(str(a.inputs.get("policyArn")), a) for a in index.naming(POLICY_ATTACHMENT, refs)]
    arns += [
        (str(arn), a)
        for a in index.naming(ATTACHMENTS_EXCLUSIVE, refs)
        for arn in as_list(a.inputs.get("policyArns") or [])
    ]
    arns += [(str(arn), role) for arn in as_list(role.inputs.get("managedPolicyArns") or [])]
    found = []
    for arn, via in arns:
        policy = index.managed_docs.get(arn)
        document = parse_json(policy.inputs.get("policy")) if policy is not None else None
        found.append(AttachedPolicy(arn, arn, document, via))
    for inline in as_list(role.inputs.get("inlinePolicies") or []):
        if isinstance(inline, Mapping) and inline.get("policy"):
            found.append(
                AttachedPolicy(f"inline policy {inline.get('name')}", None, parse_json(inline["policy"]), role)
            )
    inline_names = {
        str(n)
        for a in index.naming(INLINE_POLICIES_EXCLUSIVE, refs)
        for n in as_list(a.inputs.get("policyNames") or [])
    }
    policies = {id(p): p for p in [*index.naming(INLINE_POLICY, refs), *index.inline_named(inline_names)]}
    for policy in index._in_order(policies):
        name = str(policy.inputs.get("name") or policy.name)
        found.append(AttachedPolicy(f"policy {name}", None, parse_json(policy.inputs.get("policy")), policy))
    return found


# ---- dangerous grants -------------------------------------------------------------------------------


def _resource_part(resource: str) -> str | None:
    parts = resource.split(":", 5)
    return parts[5] if len(parts) == 6 else None


def is_broad_resource(resource: str) -> bool:
    """Every resource of a service or of an IAM resource type: ``*``, ``arn:*``, ``arn:aws:s3:::*``,
    ``arn:aws:iam::*:role/*``."""
    if resource == "*" or (resource.startswith("arn:") and resource.count(":") < 5 and resource.endswith("*")):
        return True
    part = _resource_part(resource)
    if part is None:
        return False
    if part == "*":
        return True
    # IAM resource parts are <type>/<path><name>: role/* is every role, */* every resource of every type (a path,
    # role/team/*, is narrower). Elsewhere (S3) bucket/* is one bucket.
    service = resource.split(":", 3)[2]
    return service == "iam" and part.endswith("/*") and "/" not in part[:-2]


def _actions(statement: Mapping[str, Any]) -> list[str]:
    return [str(a) for a in as_list(statement.get("Action", []))]


def _covers(pattern: str, action: str) -> bool:
    return wildcard_match(pattern, action, ignore_case=True)


def escalation_grants(document: Any) -> list[str]:
    """Descriptions of the escalation actions an Allow statement grants on broad resources (or with
    ``NotAction`` / ``NotResource``, which cover them)."""
    found = []
    for index, statement in enumerate(statements_of(document) if isinstance(document, Mapping) else []):
        if statement.get("Effect") != "Allow":
            continue
        resources = [str(r) for r in as_list(statement.get("Resource", []))]
        broad = "NotResource" in statement or any(is_broad_resource(r) for r in resources)
        if not broad:
            continue
        if "NotAction" in statement:
            excluded = [str(a) for a in as_list(statement["NotAction"])]
            hits = [e for e in ESCALATION_ACTIONS if not any(_covers(a, e.action) for a in excluded)]
        else:
            hits = [e for e in ESCALATION_ACTIONS if any(_covers(a, e.action) for a in _actions(statement))]
        if hits:
            label = statement.get("Sid") or index
            names = ", ".join(e.action for e in hits[:4]) + (f" and {len(hits) - 4} more" if len(hits) > 4 else "")
            found.append(f"statement {label} allows {names} on every resource ({hits[0].how})")
    return found


def _whole_service(action: str) -> bool:
    """``s3:*``, and any pattern whose action part matches every action name (``s3:?*``, ``s?:*``)."""
    _service, colon, name = action.partition(":")
    return bool(colon) and "*" in name and set(name) <= {"*", "?"}


def service_wide_grants(document: Any) -> list[str]:
    """Descriptions of Allow statements granting a whole service (``s3:*``) on broad resources, or using
    ``NotResource`` (every resource but a few)."""
    found = []
    for index, statement in enumerate(statements_of(document) if isinstance(document, Mapping) else []):
        if statement.get("Effect") != "Allow":
            continue
        label = statement.get("Sid") or index
        if "NotResource" in statement:
            found.append(f"statement {label} uses NotResource: it allows every resource except those listed")
            continue
        resources = [str(r) for r in as_list(statement.get("Resource", []))]
        services = [a for a in _actions(statement) if _whole_service(a)]
        broad = [r for r in resources if is_broad_resource(r)]
        if services and broad:
            found.append(f"statement {label} allows {', '.join(services)} on {', '.join(broad)}")
    return found


def iter_admin_attachments(resources: Sequence[Resource]) -> Iterator[tuple[Resource, str, AdminEquivalentPolicy]]:
    """(attaching resource, ARN, table row) of every admin-equivalent AWS managed policy attached to a role."""
    index = PolicyIndex(resources)
    for role in index.of(ROLE):
        for policy in role_policies(resources, role, index):
            row = policy.admin_equivalent
            if row is not None and policy.arn is not None:
                yield policy.via, policy.arn, row


def dangerous_permissions(resources: Sequence[Resource], role: Resource, index: PolicyIndex | None = None) -> list[str]:
    """Why ``role`` holds admin-equivalent or escalation permissions (empty when it does not)."""
    reasons = []
    for policy in role_policies(resources, role, index):
        row = policy.admin_equivalent
        if row is not None:
            reasons.append(f"{row.name} ({row.why})")
        elif policy.document is not None:
            reasons += [f"{policy.label}: {g}" for g in escalation_grants(policy.document)]
    return reasons
