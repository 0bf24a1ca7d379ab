"""PodIdentityRole: one EKS Pod Identity role used by associations in many clusters (and regions).

A Pod Identity role is cluster-independent: the same role can back associations in every cluster of the
account. Its trust admits exactly the listed (cluster, namespace, service account) triples through the
session tags EKS sets, one statement per cluster and namespace so no cross pairing is admitted.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s

from irsa_components._inputs import check_args
from irsa_components._options import child_options
from irsa_components._role import (
    RoleArgs,
    RoleOutputs,
    create_association,
    create_role_resources,
    plan_role,
    plan_service_account,
    register_service_account,
    with_custom_trust,
)
from irsa_components.custom_trust import POD_IDENTITY
from irsa_components.errors import IrsaConfigError
from irsa_components.pod_identity_association import TARGET_ROLE_POLICY_NAME
from irsa_components.trust import build_pod_identity_triples_trust_policy, to_json
from irsa_components.validation import (
    check_trust_policy_size,
    validate_cluster_name,
    validate_namespace,
    validate_role_arn,
    validate_service_account_name,
    validate_tags,
)

TYPE_TOKEN = "irsa-components:index:PodIdentityRole"
ENTRY_FIELDS = ("cluster_name", "namespace", "service_account", "tags", "target_role_arn", "kubernetes_provider")


class PodIdentityRoleAssociationArgs(TypedDict, total=False):
    """One association of a PodIdentityRole: a service account of one cluster."""

    cluster_name: Required[str]
    """Name of the EKS cluster (plain: it keys the association's resource name)."""
    namespace: Required[str]
    """Namespace of the service account (plain)."""
    service_account: Required[str]
    """Name of the service account (plain)."""
    tags: Mapping[str, str]
    """Tags on this association. Default: the component's tags."""
    target_role_arn: pulumi.Input[str]
    """A role (any account) EKS chains into for this association; the role gets permission to assume it.
    Default: none."""
    kubernetes_provider: k8s.Provider
    """The Kubernetes provider of this cluster, for its ServiceAccount (needed with create_service_accounts)."""


class PodIdentityRoleArgs(RoleArgs, total=False):
    """Arguments of a PodIdentityRole. associations is required."""

    associations: Required[Sequence[PodIdentityRoleAssociationArgs]]
    """The (cluster, namespace, service account) triples that use the role, one association each."""
    create_service_accounts: bool
    """Create each ServiceAccount with its entry's kubernetes_provider. Default: False."""
    service_account_labels: Mapping[str, str]
    """Labels on the created ServiceAccounts. Default: none."""


@dataclass(frozen=True)
class _Entry:
    cluster_name: str
    namespace: str
    service_account: str
    tags: dict[str, str] | None
    target_role_arn: pulumi.Input[str] | None
    kubernetes_provider: Any

    @property
    def key(self) -> str:
        return f"{self.cluster_name}/{self.namespace}/{self.service_account}"


def _plain(label: str, field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise IrsaConfigError(
            label,
            field,
            value,
            "must be a plain string: it keys the association's resource name, so adding or removing an entry "
            "never renames the others",
            "pass the name itself, e.g. 'prod', not an Output",
        )
    return value


def plan_entries(label: str, args: Mapping[str, Any]) -> list[_Entry]:
    """Validates ``associations``: plain, valid, each triple once."""
    raw = args.get("associations")
    if raw is None or isinstance(raw, (str, Mapping)) or not isinstance(raw, Sequence) or not raw:
        raise IrsaConfigError(
            label,
            "associations",
            raw,
            "must be a non-empty list of {'cluster_name', 'namespace', 'service_account'}",
            "pass [{'cluster_name': 'prod', 'namespace': 'apps', 'service_account': 'api'}, ...]",
        )
    entries: list[_Entry] = []
    for index, item in enumerate(raw):
        at = f"associations[{index}]"
        if not isinstance(item, Mapping):
            raise IrsaConfigError(label, "associations", item, "entry is not a mapping", "pass a dict per entry")
        unknown = sorted(set(item) - set(ENTRY_FIELDS))
        if unknown:
            raise IrsaConfigError(
                label, "associations", unknown[0], "is not a field of an association", f"use {', '.join(ENTRY_FIELDS)}"
            )
        cluster = validate_cluster_name(
            label, _plain(label, f"{at}.cluster_name", item.get("cluster_name")), field=f"{at}.cluster_name"
        )
        namespace = validate_namespace(
            label, _plain(label, f"{at}.namespace", item.get("namespace")), field=f"{at}.namespace"
        )
        name = validate_service_account_name(
            label,
            _plain(label, f"{at}.service_account", item.get("service_account")),
            field=f"{at}.service_account",
        )
        tags = validate_tags(label, item["tags"], field=f"{at}.tags") if item.get("tags") is not None else None
        target = item.get("target_role_arn")
        if isinstance(target, str):
            validate_role_arn(label, target, field=f"{at}.target_role_arn")
        entry = _Entry(cluster, namespace, name, tags, target, item.get("kubernetes_provider"))
        if any(e.key == entry.key for e in entries):
            raise IrsaConfigError(label, "associations", entry.key, "is listed twice", "list each association once")
        entries.append(entry)
    return entries


def target_roles_policy(target_role_arns: Sequence[str]) -> dict[str, Any]:
    """Permission for the role to chain into each association's target role (see PodIdentityAssociation)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssumeTargetRoles",
                "Effect": "Allow",
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Resource": list(dict.fromkeys(target_role_arns))
                if len(set(target_role_arns)) > 1
                else target_role_arns[0],
            }
        ],
    }


def pod_identity_role_trust_json(label: str, triples: Sequence[tuple[str, str, str]], quota: int) -> str:
    """The trust document, size-checked against the quota."""
    document = build_pod_identity_triples_trust_policy(triples)
    check_trust_policy_size(label, document, quota)
    return to_json(document)


class PodIdentityRole(pulumi.ComponentResource):
    """One EKS Pod Identity role for service accounts in several clusters: the role, its policies, and one
    association per (cluster, namespace, service account), the trust admitting exactly those."""

    role_arn: pulumi.Output[str]
    """ARN of the role."""
    role_name: pulumi.Output[str]
    """Name of the role."""
    role_unique_id: pulumi.Output[str]
    """Unique ID (AROA...) of the role."""
    role_path: pulumi.Output[str]
    """IAM path of the role."""
    policy_arns: pulumi.Output[dict[str, str]]
    """ARN of every policy the component created, by name (managed_policies keys and preset slugs)."""
    trust_policy: pulumi.Output[str]
    """The role's trust policy, as JSON."""
    associations: pulumi.Output[dict[str, str]]
    """ARN of each association, by 'cluster/namespace/service_account'."""

    def __init__(self, name: str, args: PodIdentityRoleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        label = f"PodIdentityRole {name!r}"
        check_args(label, args, PodIdentityRoleArgs)
        entries = plan_entries(label, args)
        create_accounts = args.get("create_service_accounts", False)
        if not isinstance(create_accounts, bool):
            raise IrsaConfigError(
                label, "create_service_accounts", create_accounts, "must be True or False", "pass a bool"
            )
        if create_accounts:
            for entry in entries:
                if entry.kubernetes_provider is None:
                    raise IrsaConfigError(
                        label,
                        "associations.kubernetes_provider",
                        entry.key,
                        "is unset, and create_service_accounts=True creates each ServiceAccount in its own cluster",
                        "give every entry its cluster's kubernetes_provider, or set create_service_accounts=False",
                    )
        sa_plan = plan_service_account(
            label,
            {"create_service_account": create_accounts, "service_account_labels": args.get("service_account_labels")},
            irsa=False,
        )

        targets = [e.target_role_arn for e in entries if e.target_role_arn is not None]
        user_inline = dict(args.get("inline_policies") or {})
        if targets and TARGET_ROLE_POLICY_NAME in user_inline:
            raise IrsaConfigError(
                label,
                "inline_policies",
                TARGET_ROLE_POLICY_NAME,
                "is reserved for the target role permission",
                "rename it",
            )
        inline = dict(user_inline)
        if targets:
            inline[TARGET_ROLE_POLICY_NAME] = pulumi.Output.all(*targets).apply(
                lambda arns: target_roles_policy(
                    [validate_role_arn(label, a, field="associations.target_role_arn") for a in arns]
                )
            )
        role_plan = plan_role(label, f"{name}-role", {**args, "inline_policies": inline}, trust_kinds=[POD_IDENTITY])
        triples = [(e.cluster_name, e.namespace, e.service_account) for e in entries]
        trust_policy = with_custom_trust(
            label, role_plan, pod_identity_role_trust_json(label, triples, role_plan.trust_policy_quota)
        )

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = child_options(self, opts)
        role = RoleOutputs.of_created(create_role_resources(child, name, role_plan, trust_policy))
        association_arns: dict[str, pulumi.Output[str]] = {}
        for entry in entries:
            resource_name = f"{name}-{entry.cluster_name}-{entry.namespace}-{entry.service_account}"
            association = create_association(
                child,
                resource_name,
                entry.cluster_name,
                entry.namespace,
                entry.service_account,
                role.role_arn,
                entry.tags if entry.tags is not None else role_plan.tags,
                target_role_arn=entry.target_role_arn,
            )
            association_arns[entry.key] = association.association_arn
            if create_accounts:
                entry_opts = pulumi.ResourceOptions.merge(
                    child, pulumi.ResourceOptions(provider=entry.kubernetes_provider)
                )
                register_service_account(
                    sa_plan, entry_opts, f"{resource_name}-sa", entry.namespace, entry.service_account, {}
                )

        self.role_arn = role.role_arn
        self.role_name = role.role_name
        self.role_unique_id = role.role_unique_id
        self.role_path = role.role_path
        self.policy_arns = role.policy_arns
        self.trust_policy = pulumi.Output.from_input(trust_policy)
        self.associations = pulumi.Output.from_input(association_arns)  # type: ignore[arg-type]
        self.register_outputs({**role.as_dict(), "trust_policy": self.trust_policy, "associations": self.associations})
