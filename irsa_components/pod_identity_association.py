"""PodIdentityAssociation: EKS Pod Identity for one service account, with its role and ServiceAccount."""

from collections.abc import Mapping
from typing import Any, Required

import pulumi

from irsa_components._inputs import check_args, check_now_or_later, is_known, setting
from irsa_components._options import child_options
from irsa_components._role import (
    RoleArgs,
    RoleOutputs,
    ServiceAccountArgs,
    create_association,
    create_role_resources,
    plan_role,
    plan_service_account,
    refuse_role_options,
    register_service_account,
    validate_existing_role_arn,
    with_custom_trust,
)
from irsa_components.custom_trust import POD_IDENTITY
from irsa_components.errors import IrsaConfigError
from irsa_components.trust import build_pod_identity_trust_policy, to_json
from irsa_components.validation import (
    SamePartition,
    check_trust_policy_size,
    parse_policy_document,
    validate_cluster_name,
    validate_namespace,
    validate_role_arn,
    validate_service_account_name,
    validate_tags,
)

TYPE_TOKEN = "irsa-components:index:PodIdentityAssociation"
TARGET_ROLE_POLICY_NAME = "assume-target-role"


class PodIdentityAssociationArgs(RoleArgs, ServiceAccountArgs, total=False):
    """Arguments of a PodIdentityAssociation. cluster_name, namespace and service_account are required."""

    cluster_name: Required[pulumi.Input[str]]
    """Name of the EKS cluster the association belongs to."""
    namespace: Required[pulumi.Input[str]]
    """Namespace of the service account."""
    service_account: Required[pulumi.Input[str]]
    """Name of the service account whose pods get the role."""
    role_arn: pulumi.Input[str]
    """An existing role to associate; no role is created and role options are refused. Default: create one."""
    target_role_arn: pulumi.Input[str]
    """A role (any account) that EKS chains into after assuming the association's role. Default: none."""
    disable_session_tags: bool
    """Stop EKS from tagging sessions; the created role's trust is then not narrowed by tags. Default: False."""
    session_policy: pulumi.Input[Any]
    """A session policy (dict or JSON) further limiting the credentials; needs disable_session_tags. Default: none."""


def pod_identity_trust_policy_json(
    label: str, cluster_name: str, namespace: str, service_account: str, narrow: bool, quota: int
) -> str:
    """Validates resolved values and builds the trust document (the same checks at construction and in apply)."""
    validate_cluster_name(label, cluster_name)
    validate_namespace(label, namespace)
    validate_service_account_name(label, service_account)
    document = (
        build_pod_identity_trust_policy(cluster_name, namespace, service_account)
        if narrow
        else build_pod_identity_trust_policy()
    )
    check_trust_policy_size(label, document, quota)
    return to_json(document)


def target_role_policy(target_role_arn: str) -> dict[str, Any]:
    """Permission for the association's role to chain into the target role.

    ``sts:TagSession`` is granted even with session tags disabled: the EKS user guide gives this one permission
    for both cases, and its target-role trust for untagged sessions still admits ``sts:TagSession``
    (pod-id-assign-target-role); the target role's trust (see ``cross_account``) is what decides.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssumeTargetRole",
                "Effect": "Allow",
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Resource": target_role_arn,
            }
        ],
    }


def _required(label: str, args: Mapping[str, Any], field: str) -> Any:
    if args.get(field) is None:
        raise IrsaConfigError(label, field, None, "is required", f"pass {field}")
    return args[field]


class PodIdentityAssociation(pulumi.ComponentResource):
    """EKS Pod Identity for one service account: a role trusted by pods.eks.amazonaws.com, the association
    and the ServiceAccount (with no role-arn annotation, which would make pods use IRSA instead)."""

    role_arn: pulumi.Output[str]
    """ARN of the associated role (created here, or the one passed in)."""
    role_name: pulumi.Output[str]
    """Name of the associated role."""
    role_unique_id: pulumi.Output[str]
    """Unique ID (AROA...) of the created role; empty for an existing role_arn."""
    role_path: pulumi.Output[str]
    """IAM path of the associated role."""
    policy_arns: pulumi.Output[dict[str, str]]
    """ARN of every policy the component created, by name (managed_policies keys and preset slugs)."""
    association_arn: pulumi.Output[str]
    """ARN of the EKS Pod Identity association."""
    association_id: pulumi.Output[str]
    """ID of the EKS Pod Identity association."""
    external_id: pulumi.Output[str]
    """External ID EKS uses when chaining into target_role_arn (for the target role's trust)."""
    service_account_name: pulumi.Output[str]
    """Name of the associated service account."""
    namespace: pulumi.Output[str]
    """Namespace of the associated service account."""

    def __init__(self, name: str, args: PodIdentityAssociationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        label = f"PodIdentityAssociation {name!r}"
        check_args(label, args, PodIdentityAssociationArgs)
        partitions = SamePartition(label)
        # Checked now when plain, at deploy time when Outputs: every use below gets the checked value.
        cluster_name = check_now_or_later(
            _required(label, args, "cluster_name"), lambda v: validate_cluster_name(label, v)
        )
        namespace = check_now_or_later(_required(label, args, "namespace"), lambda v: validate_namespace(label, v))
        service_account = check_now_or_later(
            _required(label, args, "service_account"), lambda v: validate_service_account_name(label, v)
        )
        disable_tags = setting(args, "disable_session_tags", False)
        if not isinstance(disable_tags, bool):
            raise IrsaConfigError(label, "disable_session_tags", disable_tags, "must be True or False", "pass a bool")
        session_policy = args.get("session_policy")
        if session_policy is not None:
            if not disable_tags:
                raise IrsaConfigError(
                    label,
                    "session_policy",
                    "<policy>",
                    "needs disable_session_tags=True (EKS refuses a session policy on tagged sessions)",
                    "set disable_session_tags=True or drop session_policy",
                )
            session_policy = check_now_or_later(
                session_policy, lambda v: to_json(parse_policy_document(label, v, field="session_policy"))
            )
        target = args.get("target_role_arn")
        if target is not None:
            target = check_now_or_later(
                target,
                lambda v: partitions.check("target_role_arn", validate_role_arn(label, v, field="target_role_arn")),
            )
        tags = validate_tags(label, args["tags"]) if args.get("tags") is not None else None
        sa_plan = plan_service_account(label, args, irsa=False)

        existing_role = args.get("role_arn")
        if existing_role is not None:
            refuse_role_options(
                label, {k: v for k, v in args.items() if k != "tags"}, "role_arn names an existing role"
            )
            existing_role = check_now_or_later(
                validate_existing_role_arn(label, existing_role), lambda v: partitions.check("role_arn", v)
            )
            role_plan = None
        else:
            extra_inline = {}
            if target is not None:
                extra_inline[TARGET_ROLE_POLICY_NAME] = check_now_or_later(target, target_role_policy)
            user_inline = dict(args.get("inline_policies") or {})
            if TARGET_ROLE_POLICY_NAME in user_inline and extra_inline:
                raise IrsaConfigError(
                    label,
                    "inline_policies",
                    TARGET_ROLE_POLICY_NAME,
                    "is reserved for the target role permission",
                    "rename it",
                )
            role_plan = plan_role(
                label,
                f"{name}-role",
                {**args, "inline_policies": {**user_inline, **extra_inline}},
                partitions,
                trust_kinds=[POD_IDENTITY],
            )

            def build(values: list[Any]) -> str:
                assert role_plan is not None
                cluster, ns, sa = values
                return pod_identity_trust_policy_json(
                    label, cluster, ns, sa, narrow=not disable_tags, quota=role_plan.trust_policy_quota
                )

            trust_inputs = [cluster_name, namespace, service_account]
            trust_policy: pulumi.Input[str] = with_custom_trust(
                label,
                role_plan,
                build(trust_inputs) if is_known(trust_inputs) else pulumi.Output.all(*trust_inputs).apply(build),
            )

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = child_options(self, opts)

        if role_plan is not None:
            role_outputs = RoleOutputs.of_created(create_role_resources(child, name, role_plan, trust_policy))
        else:
            assert existing_role is not None
            role_outputs = RoleOutputs.of_existing(existing_role)
        role_arn = role_outputs.role_arn
        association = create_association(
            child,
            f"{name}-association",
            cluster_name,
            namespace,
            service_account,
            role_arn,
            tags,
            target_role_arn=target,
            disable_session_tags=disable_tags,
            session_policy=session_policy,
        )
        register_service_account(sa_plan, child, f"{name}-sa", namespace, service_account, sa_plan.annotations)

        self.role_arn = role_arn
        self.role_name = role_outputs.role_name
        self.role_unique_id = role_outputs.role_unique_id
        self.role_path = role_outputs.role_path
        self.policy_arns = role_outputs.policy_arns
        self.association_arn = association.association_arn
        self.association_id = association.association_id
        self.external_id = association.external_id
        self.service_account_name = pulumi.Output.from_input(service_account)
        self.namespace = pulumi.Output.from_input(namespace)
        self.register_outputs(
            {
                **role_outputs.as_dict(),
                "association_arn": self.association_arn,
                "association_id": self.association_id,
                "external_id": self.external_id,
                "service_account_name": self.service_account_name,
                "namespace": self.namespace,
            }
        )
