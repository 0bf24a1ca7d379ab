"""ServiceAccountRole: an IAM role for Kubernetes service accounts (IRSA) and its ServiceAccount(s).

It also carries the migration to EKS Pod Identity without downtime (``mode``): the role can trust Pod
Identity too and get its associations while pods keep IRSA, then drop IRSA, without ever being replaced.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import pulumi
import pulumi_aws.eks as eks

from irsa_components._inputs import is_known
from irsa_components._options import child_options
from irsa_components._role import (
    ROLE_ARN_ANNOTATION,
    RoleArgs,
    ServiceAccountArgs,
    create_role,
    create_service_account,
    plan_role,
    plan_service_account,
)
from irsa_components.errors import IrsaConfigError
from irsa_components.trust import (
    DEFAULT_AUDIENCE,
    build_irsa_trust_policy,
    build_pod_identity_subjects_trust_policy,
    combine_trust_policies,
    to_json,
)
from irsa_components.validation import (
    check_trust_policy_size,
    exactly_one,
    has_wildcard,
    parse_service_account_ref,
    validate_audience,
    validate_cluster_name,
    validate_namespace,
    validate_oidc_provider_arn,
    validate_service_account_name,
    validate_subjects,
)

TYPE_TOKEN = "irsa-components:index:ServiceAccountRole"
MODES = ("irsa", "both", "pod-identity")
DEFAULT_MODE = "irsa"
POD_IDENTITY_FIELDS = ("cluster_name", "keep_oidc_trust")


class PodIdentityMigrationArgs(TypedDict, total=False):
    """Where a ServiceAccountRole's EKS Pod Identity associations go (modes 'both' and 'pod-identity')."""

    cluster_name: pulumi.Input[str]
    """Name of the EKS cluster in which each trusted service account gets a Pod Identity association. Required."""
    keep_oidc_trust: bool
    """In mode 'pod-identity', keep the OIDC statement(s) until the pods started under IRSA are rolled. Default: False."""


class ServiceAccountRoleArgs(RoleArgs, ServiceAccountArgs, total=False):
    """Arguments of a ServiceAccountRole. One subject form is required, and one provider form except in mode
    'pod-identity'."""

    oidc_provider_arn: pulumi.Input[str]
    """ARN of the cluster's IAM OIDC provider, e.g. ClusterOidcProvider(...).arn."""
    oidc_provider_arns: Sequence[pulumi.Input[str]]
    """Several OIDC provider ARNs: one role trusted by the same service account(s) in several clusters."""
    namespace: pulumi.Input[str]
    """Namespace of the one service account to trust (with service_account)."""
    service_account: pulumi.Input[str]
    """Name of the one service account to trust (with namespace)."""
    service_accounts: Sequence[str]
    """Several service accounts to trust, each 'namespace:name' (instead of namespace + service_account)."""
    audience: str
    """Audience the web identity token must carry (the ':aud' condition). Default: 'sts.amazonaws.com'."""
    allow_wildcard: bool
    """Allow '*' and '?' in namespaces and names; the 'sub' condition then uses StringLike. Default: False."""
    mode: Literal["irsa", "both", "pod-identity"]
    """'irsa'; 'both': IRSA plus Pod Identity (trust and associations), pods keep IRSA while annotated;
    'pod-identity': no role-arn annotation, no OIDC statements, associations stay. Default: 'irsa'."""
    pod_identity: PodIdentityMigrationArgs
    """The Pod Identity side of modes 'both' and 'pod-identity', e.g. {'cluster_name': 'prod'}. Default: none."""


def _provider_arns(
    label: str, args: Mapping[str, Any], *, required: bool = True
) -> tuple[str, list[pulumi.Input[str]]]:
    field = exactly_one(label, args, "oidc_provider_arn", "oidc_provider_arns", required=required)
    if field is None:
        return "oidc_provider_arn", []
    if field == "oidc_provider_arn":
        return field, [args[field]]
    arns = args[field]
    if isinstance(arns, str) or not isinstance(arns, Sequence) or not arns:
        raise IrsaConfigError(
            label, field, arns, "must be a non-empty list of provider ARNs", "pass [provider.arn, ...]"
        )
    return field, list(arns)


def _subjects(label: str, args: Mapping[str, Any]) -> tuple[str, list[tuple[pulumi.Input[str], pulumi.Input[str]]]]:
    single = args.get("namespace") is not None or args.get("service_account") is not None
    listed = args.get("service_accounts") is not None
    if single and listed:
        raise IrsaConfigError(
            label,
            "namespace / service_accounts",
            args.get("service_accounts"),
            "are mutually exclusive",
            "pass either namespace + service_account, or service_accounts=['namespace:name', ...]",
        )
    if single:
        for field in ("namespace", "service_account"):
            if args.get(field) is None:
                raise IrsaConfigError(label, field, None, "is unset", "pass namespace and service_account together")
        return "namespace", [(args["namespace"], args["service_account"])]
    refs = args.get("service_accounts")
    if refs is None or isinstance(refs, str) or not refs:
        raise IrsaConfigError(
            label,
            "service_accounts",
            refs,
            "is empty: no service account would be trusted",
            "pass namespace + service_account, or service_accounts=['namespace:name', ...]",
        )
    return "service_accounts", [parse_service_account_ref(label, ref) for ref in refs]


def _check_subject_now(label: str, field: str, ns: Any, sa: Any, allow_wildcard: bool) -> None:
    if is_known(ns):
        validate_namespace(
            label, ns, field=field if field == "service_accounts" else "namespace", allow_wildcard=allow_wildcard
        )
    if is_known(sa):
        validate_service_account_name(
            label, sa, field=field if field == "service_accounts" else "service_account", allow_wildcard=allow_wildcard
        )


def irsa_trust_policy_json(
    label: str,
    provider_field: str,
    provider_arns: Sequence[str],
    subject_field: str,
    subjects: Sequence[tuple[str, str]],
    audience: str,
    allow_wildcard: bool,
    quota: int,
) -> str:
    """Validates resolved values and builds the trust document (the same checks at construction and in apply)."""
    for arn in provider_arns:
        validate_oidc_provider_arn(label, arn, field=provider_field)
    if len(set(provider_arns)) != len(provider_arns):
        raise IrsaConfigError(
            label, provider_field, list(provider_arns), "lists a provider twice", "list each provider once"
        )
    checked = validate_subjects(label, subjects, field=subject_field, allow_wildcard=allow_wildcard)
    document = build_irsa_trust_policy(provider_arns, checked, audience)
    check_trust_policy_size(label, document, quota)
    return to_json(document)


class ServiceAccountRole(pulumi.ComponentResource):
    """An IAM role that pods assume through IRSA, trusted by exactly the named service accounts.

    Creates the role (trust: the OIDC provider(s), exact ``sub`` and ``aud``), its policy
    attachments and inline policies, and one Kubernetes ServiceAccount per subject annotated
    with the role ARN.
    """

    role_arn: pulumi.Output[str]
    """ARN of the created role."""
    role_name: pulumi.Output[str]
    """Name of the created role."""
    trust_policy: pulumi.Output[str]
    """The role's trust policy, as JSON."""
    service_account_name: pulumi.Output[str]
    """Name of the (first) trusted service account."""
    namespace: pulumi.Output[str]
    """Namespace of the (first) trusted service account."""
    service_accounts: pulumi.Output[list[str]]
    """Every trusted service account as 'namespace:name'."""
    service_account_annotations: pulumi.Output[dict[str, str]]
    """Annotations a ServiceAccount needs to use this role (ready for Helm values when not created here)."""

    def __init__(self, name: str, args: ServiceAccountRoleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        label = f"ServiceAccountRole {name!r}"
        provider_field, provider_arns = _provider_arns(label, args)
        for arn in provider_arns:
            if is_known(arn):
                validate_oidc_provider_arn(label, arn, field=provider_field)
        subject_field, subjects = _subjects(label, args)
        allow_wildcard = args.get("allow_wildcard", False)
        if not isinstance(allow_wildcard, bool):
            raise IrsaConfigError(label, "allow_wildcard", allow_wildcard, "must be True or False", "pass a bool")
        for ns, sa in subjects:
            _check_subject_now(label, subject_field, ns, sa, allow_wildcard)
        audience = validate_audience(label, args.get("audience", DEFAULT_AUDIENCE))
        role_plan = plan_role(label, f"{name}-role", args)
        sa_plan = plan_service_account(label, args, irsa=True)
        if sa_plan.create and any(isinstance(v, str) and has_wildcard(v) for pair in subjects for v in pair):
            raise IrsaConfigError(
                label,
                "create_service_account",
                True,
                "can't create a ServiceAccount whose name or namespace is a wildcard pattern",
                "set create_service_account=False and annotate the matching ServiceAccounts with "
                "service_account_annotations",
            )

        def build(values: list[Any]) -> str:
            arns = values[: len(provider_arns)]
            flat = values[len(provider_arns) :]
            pairs = list(zip(flat[0::2], flat[1::2], strict=True))
            return irsa_trust_policy_json(
                label,
                provider_field,
                arns,
                subject_field,
                pairs,
                audience,
                allow_wildcard,
                role_plan.trust_policy_quota,
            )

        trust_inputs = [*provider_arns, *(v for pair in subjects for v in pair)]
        trust_policy: pulumi.Input[str] = (
            build(trust_inputs) if is_known(trust_inputs) else pulumi.Output.all(*trust_inputs).apply(build)
        )

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = child_options(self, opts)

        role = create_role(child, name, role_plan, trust_policy)
        annotations: dict[str, pulumi.Input[str]] = {ROLE_ARN_ANNOTATION: role.arn, **sa_plan.annotations}
        if sa_plan.create:
            for ns, sa in subjects:
                resource_name = f"{name}-sa" if subject_field == "namespace" else f"{name}-{ns}-{sa}"
                create_service_account(child, resource_name, ns, sa, annotations, sa_plan.labels)

        self.role_arn = role.arn
        self.role_name = role.name
        self.trust_policy = pulumi.Output.from_input(trust_policy)
        self.namespace = pulumi.Output.from_input(subjects[0][0])
        self.service_account_name = pulumi.Output.from_input(subjects[0][1])
        self.service_accounts = pulumi.Output.all(*(pulumi.Output.concat(ns, ":", sa) for ns, sa in subjects))
        self.service_account_annotations = pulumi.Output.from_input(annotations)  # type: ignore[arg-type]
        self.register_outputs(
            {
                "role_arn": self.role_arn,
                "role_name": self.role_name,
                "trust_policy": self.trust_policy,
                "service_account_name": self.service_account_name,
                "namespace": self.namespace,
                "service_accounts": self.service_accounts,
                "service_account_annotations": self.service_account_annotations,
            }
        )
