"""Cross-account EKS Pod Identity: the target role an association chains into, in any account.

A PodIdentityAssociation with ``target_role_arn`` makes EKS assume the association's own role (in the
cluster's account) and then the target role. The first half is PodIdentityAssociation's (it lets its role
assume the target); the second is the target role's trust, built here the way the EKS user guide documents
it: docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html (source:
awsdocs/amazon-eks-user-guide, latest/ug/manage-access/aws-access/pod-id-assign-target-role.adoc).

Create the target role with the target account's provider (``opts=ResourceOptions(provider=...)``). To avoid a
dependency cycle (the association needs the target ARN, the trust needs the association's role), give the
target role an explicit ``role_name`` and pass its ARN to the association as a plain string.
"""

import re
from collections.abc import Mapping
from typing import Any, Required

import pulumi

from irsa_components._inputs import check_args, is_known
from irsa_components._options import child_options
from irsa_components._role import RoleArgs, RoleOutputs, create_role_resources, plan_role, with_custom_trust
from irsa_components.custom_trust import TARGET_ROLE
from irsa_components.errors import IrsaConfigError
from irsa_components.trust import build_target_role_trust_policy, to_json
from irsa_components.validation import (
    SamePartition,
    check_trust_policy_size,
    validate_cluster_name,
    validate_namespace,
    validate_role_arn,
    validate_service_account_name,
)

TYPE_TOKEN = "irsa-components:index:CrossAccountTargetRole"
NARROWING_FIELDS = ("cluster_name", "namespace", "service_account")
_EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$", re.ASCII)
"""STS's ExternalId: 2-1224 characters of letters, digits and +=,.@:/-."""


class CrossAccountTargetRoleArgs(RoleArgs, total=False):
    """Arguments of a CrossAccountTargetRole. pod_identity_role_arn is required."""

    pod_identity_role_arn: Required[pulumi.Input[str]]
    """ARN of the association's own role, in the cluster's account, e.g. PodIdentityAssociation(...).role_arn."""
    external_id: pulumi.Input[str]
    """The association's external_id, demanded as sts:ExternalId: set it when the association disables session
    tags (then EKS sends it instead of tags). Default: none (session tags on)."""
    cluster_name: pulumi.Input[str]
    """With session tags on: admit only sessions tagged with this cluster. Default: any cluster."""
    namespace: pulumi.Input[str]
    """With session tags on: admit only sessions tagged with this namespace. Default: any namespace."""
    service_account: pulumi.Input[str]
    """With session tags on: admit only sessions tagged with this service account. Default: any."""


def validate_external_id(component: str, value: Any, *, field: str = "external_id") -> str:
    """An STS external ID: 2-1224 characters of letters, digits and ``+=,.@:/-``."""
    if not isinstance(value, str) or not _EXTERNAL_ID.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an STS external ID (2-1224 characters: letters, digits and +=,.@:/-)",
            "pass the association's external_id, e.g. PodIdentityAssociation(...).external_id",
        )
    return value


def untagged_external_id(region: str, account_id: str, cluster_name: str, namespace: str, service_account: str) -> str:
    """The external ID EKS gives an association whose session tags are disabled (per the EKS user guide:
    ``region/account/cluster/namespace/service account``): known before the association exists."""
    return f"{region}/{account_id}/{cluster_name}/{namespace}/{service_account}"


def target_role_trust_policy(
    pod_identity_role_arn: str,
    *,
    external_id: str | None = None,
    cluster_name: str | None = None,
    namespace: str | None = None,
    service_account: str | None = None,
    component: str = "target_role_trust_policy",
) -> dict[str, Any]:
    """The validated trust policy of a Pod Identity target role (see ``build_target_role_trust_policy``)."""
    validate_role_arn(component, pod_identity_role_arn, field="pod_identity_role_arn")
    narrowing = {"cluster_name": cluster_name, "namespace": namespace, "service_account": service_account}
    if external_id is not None:
        validate_external_id(component, external_id)
        given = [field for field, value in narrowing.items() if value is not None]
        if given:
            raise IrsaConfigError(
                component,
                given[0],
                narrowing[given[0]],
                "narrows by session tags, but with external_id the association's session tags are disabled",
                "drop it: the external ID already names the cluster, namespace and service account",
            )
    if cluster_name is not None:
        validate_cluster_name(component, cluster_name)
    if namespace is not None:
        validate_namespace(component, namespace)
    if service_account is not None:
        validate_service_account_name(component, service_account)
    return build_target_role_trust_policy(
        pod_identity_role_arn,
        external_id=external_id,
        cluster_name=cluster_name,
        namespace=namespace,
        service_account=service_account,
    )


def _trust_inputs(label: str, args: Mapping[str, Any]) -> dict[str, Any]:
    if args.get("pod_identity_role_arn") is None:
        raise IrsaConfigError(
            label,
            "pod_identity_role_arn",
            None,
            "is required",
            "pass the association's role ARN, e.g. PodIdentityAssociation(...).role_arn",
        )
    fields = ("pod_identity_role_arn", "external_id", *NARROWING_FIELDS)
    return {field: args[field] for field in fields if args.get(field) is not None}


def _check_now(label: str, inputs: Mapping[str, Any]) -> None:
    """Checks what is known at construction: every plain value, and which fields are set at all."""
    placeholders = {
        "pod_identity_role_arn": "arn:aws:iam::111122223333:role/placeholder",
        "external_id": "placeholder",
        "cluster_name": "placeholder",
        "namespace": "placeholder",
        "service_account": "placeholder",
    }
    target_role_trust_policy(
        **{field: value if is_known(value) else placeholders[field] for field, value in inputs.items()},
        component=label,
    )


class CrossAccountTargetRole(pulumi.ComponentResource):
    """The target role of a cross-account EKS Pod Identity association: trusted by the association's own role
    only (and only for its external ID or session tags), with the permissions to use in this account."""

    role_arn: pulumi.Output[str]
    """ARN of the target role: the association's target_role_arn."""
    role_name: pulumi.Output[str]
    """Name of the target role."""
    role_unique_id: pulumi.Output[str]
    """Unique ID (AROA...) of the target role."""
    role_path: pulumi.Output[str]
    """IAM path of the target role."""
    policy_arns: pulumi.Output[dict[str, str]]
    """ARN of every policy the component created, by name (managed_policies keys and preset slugs)."""
    trust_policy: pulumi.Output[str]
    """The target role's trust policy, as JSON."""

    def __init__(self, name: str, args: CrossAccountTargetRoleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        label = f"CrossAccountTargetRole {name!r}"
        check_args(label, args, CrossAccountTargetRoleArgs)
        inputs = _trust_inputs(label, args)
        partitions = SamePartition(label)
        if isinstance(inputs["pod_identity_role_arn"], str):
            partitions.check("pod_identity_role_arn", inputs["pod_identity_role_arn"])
        role_plan = plan_role(label, f"{name}-role", args, partitions, trust_kinds=[TARGET_ROLE])
        quota = role_plan.trust_policy_quota

        def build(values: Mapping[str, Any]) -> str:
            for field, value in values.items():
                if value is None or value == "":
                    # Dropping the condition would silently widen the trust to every session of the role.
                    raise IrsaConfigError(
                        label,
                        field,
                        value,
                        "resolved to nothing at deploy time, which would drop the condition that narrows the trust",
                        f"make the Output resolve to the {field.replace('_', ' ')}, or leave {field} unset",
                    )
            document = target_role_trust_policy(**values, component=label)
            partitions.check("pod_identity_role_arn", values["pod_identity_role_arn"])
            check_trust_policy_size(label, document, quota)
            return to_json(document)

        _check_now(label, inputs)
        trust_policy = with_custom_trust(
            label, role_plan, build(inputs) if is_known(inputs) else pulumi.Output.all(**inputs).apply(build)
        )

        super().__init__(TYPE_TOKEN, name, None, opts)
        role = RoleOutputs.of_created(create_role_resources(child_options(self, opts), name, role_plan, trust_policy))

        self.role_arn = role.role_arn
        self.role_name = role.role_name
        self.role_unique_id = role.role_unique_id
        self.role_path = role.role_path
        self.policy_arns = role.policy_arns
        self.trust_policy = pulumi.Output.from_input(trust_policy)
        self.register_outputs({**role.as_dict(), "trust_policy": self.trust_policy})
