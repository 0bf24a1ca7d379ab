"""Karpenter (aws/karpenter-provider-aws): EC2 fleet, launch template and instance profile control for one cluster.

Follows the controller policies of the project's getting-started CloudFormation template (NodeLifecycle,
IAMIntegration, EKSIntegration, Interruption, ZonalShift and ResourceDiscovery) in one document: writes are
scoped by the tags Karpenter puts on what it creates (``kubernetes.io/cluster/<cluster>``,
``eks:eks-cluster-name``, ``karpenter.sh/nodepool``, ``karpenter.k8s.aws/ec2nodeclass``), ``iam:PassRole`` by the
node role ARNs and the queue actions by the interruption queue ARN.
"""

from __future__ import annotations

import re
from typing import Any

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)
from irsa_components.validation import validate_cluster_name

SLUG = "karpenter"

_COMPONENT = f"preset {SLUG!r}"
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$", re.ASCII)
_ACCOUNT_ID = re.compile(r"^\d{12}$", re.ASCII)
_REGION_PREFIX = {"aws-cn": "cn-", "aws-us-gov": "us-gov-"}

# EC2 reads that accept no resource-level permission; upstream narrows them to the region instead.
_REGIONAL_READS = [
    "ec2:DescribeCapacityReservations",
    "ec2:DescribeImages",
    "ec2:DescribeInstanceTypeOfferings",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeInstances",
    "ec2:DescribeLaunchTemplates",
    "ec2:DescribePlacementGroups",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSpotPriceHistory",
    "ec2:DescribeSubnets",
]


def karpenter(
    *,
    cluster_name: str | None = None,
    node_role_arns: list[str] | None = None,
    interruption_queue_arn: str | None = None,
    region: str | None = None,
    account_id: str | None = None,
    partition: str = "aws",
) -> AddonPolicy:
    """Lets the Karpenter controller launch, tag and terminate the nodes of one cluster and manage their profiles.

    Args:
        cluster_name: The EKS cluster Karpenter provisions for. Required. Substituted into every tag condition,
            so Karpenter can only touch instances, launch templates and instance profiles tagged for this cluster.
        node_role_arns: IAM roles of the nodes Karpenter launches (the ``role`` of your EC2NodeClasses), e.g.
            ``arn:aws:iam::111122223333:role/KarpenterNodeRole-my-cluster``. Required: the only roles the
            controller may pass to EC2.
        interruption_queue_arn: The SQS queue Karpenter reads interruption events from (its
            ``settings.interruptionQueue``). Default None: no SQS permission is granted, for installs without
            interruption handling.
        region: The cluster's region, e.g. ``eu-west-1``. Default None: ``*`` in the region segment of ARNs,
            no ``aws:RequestedRegion`` limit on the read actions, and any ``topology.kubernetes.io/region`` tag
            value on instance profiles. Give it to narrow all three to the cluster's region.
        account_id: The cluster's 12-digit account. Default None: ``*`` in the account segment of ARNs.
        partition: AWS partition: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    cluster = _require_cluster_name(cluster_name)
    roles = require_arns(
        SLUG,
        "node_role_arns",
        node_role_arns,
        "iam",
        partition,
        f"arn:{partition}:iam::111122223333:role/KarpenterNodeRole-{cluster}",
    )
    for role in roles:
        if not role.split(":", 5)[5].startswith("role/"):
            raise IrsaConfigError(
                _COMPONENT, "node_role_arns", role, "is not an IAM role ARN", "pass the ARN of the node role"
            )
    queue = None
    if interruption_queue_arn is not None:
        queue = require_arns(
            SLUG,
            "interruption_queue_arn",
            [interruption_queue_arn],
            "sqs",
            partition,
            f"arn:{partition}:sqs:<region>:111122223333:{cluster}",
        )[0]
    reg = _check_region(region, partition) or "*"
    account = _check_account_id(account_id) or "*"

    ec2 = f"arn:{partition}:ec2:{reg}"
    instance_profiles = f"arn:{partition}:iam::{account}:instance-profile/*"
    cluster_arn = f"arn:{partition}:eks:{reg}:{account}:cluster/{cluster}"
    owned_key = f"kubernetes.io/cluster/{cluster}"
    created = [
        f"{ec2}:*:fleet/*",
        f"{ec2}:*:instance/*",
        f"{ec2}:*:volume/*",
        f"{ec2}:*:network-interface/*",
        f"{ec2}:*:launch-template/*",
        f"{ec2}:*:spot-instances-request/*",
    ]
    request_tags: dict[str, Any] = {
        f"aws:RequestTag/{owned_key}": "owned",
        "aws:RequestTag/eks:eks-cluster-name": cluster,
    }
    nodepool_request = {"StringLike": {"aws:RequestTag/karpenter.sh/nodepool": "*"}}
    nodepool_resource = {
        "StringEquals": {f"aws:ResourceTag/{owned_key}": "owned"},
        "StringLike": {"aws:ResourceTag/karpenter.sh/nodepool": "*"},
    }
    # Without a region, the region tag Karpenter sets on instance profiles must still be present.
    region_match = "StringEquals" if region else "StringLike"
    region_value = region or "*"

    statements = [
        # Resources a launch only reads from: AMIs, snapshots, subnets, security groups, reservations.
        statement(
            "LaunchFromSharedResources",
            ["ec2:CreateFleet", "ec2:RunInstances"],
            [
                f"{ec2}::image/*",
                f"{ec2}::snapshot/*",
                f"{ec2}:*:security-group/*",
                f"{ec2}:*:subnet/*",
                f"{ec2}:*:capacity-reservation/*",
                f"{ec2}:*:placement-group/*",
            ],
        ),
        # Upstream's launch-from-owned-template and delete-owned statements, joined to keep the document under
        # IAM's size limit. Terminate and DeleteLaunchTemplate authorise only against their own resource type;
        # the one new pairing, launching an instance/* that carries the owned and nodepool tags, is at most what
        # CreateTaggedResources allows already, less its eks:eks-cluster-name tag.
        statement(
            "UseOwnedTemplatesAndInstances",
            ["ec2:CreateFleet", "ec2:DeleteLaunchTemplate", "ec2:RunInstances", "ec2:TerminateInstances"],
            [f"{ec2}:*:instance/*", f"{ec2}:*:launch-template/*"],
            nodepool_resource,
        ),
        statement(
            "CreateTaggedResources",
            ["ec2:CreateFleet", "ec2:CreateLaunchTemplate", "ec2:RunInstances"],
            created,
            {"StringEquals": request_tags, **nodepool_request},
        ),
        statement(
            "TagOnCreate",
            ["ec2:CreateTags"],
            created,
            {
                "StringEquals": {
                    **request_tags,
                    "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
                },
                **nodepool_request,
            },
        ),
        statement(
            "TagOwnedInstances",
            ["ec2:CreateTags"],
            [f"{ec2}:*:instance/*"],
            {
                **nodepool_resource,
                "StringEqualsIfExists": {"aws:RequestTag/eks:eks-cluster-name": cluster},
                "ForAllValues:StringEquals": {
                    "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"]
                },
            },
        ),
        statement(
            "PassNodeRole",
            ["iam:PassRole"],
            roles,
            {"StringEquals": {"iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]}},
        ),
        statement(
            "CreateInstanceProfiles",
            ["iam:CreateInstanceProfile"],
            [instance_profiles],
            _merge(
                {
                    "StringEquals": request_tags,
                    "StringLike": {"aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*"},
                },
                {region_match: {"aws:RequestTag/topology.kubernetes.io/region": region_value}},
            ),
        ),
        statement(
            "TagOwnedInstanceProfiles",
            ["iam:TagInstanceProfile"],
            [instance_profiles],
            _merge(
                {
                    "StringEquals": {f"aws:ResourceTag/{owned_key}": "owned", **request_tags},
                    "StringLike": {
                        "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
                        "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
                    },
                },
                {
                    region_match: {
                        "aws:ResourceTag/topology.kubernetes.io/region": region_value,
                        "aws:RequestTag/topology.kubernetes.io/region": region_value,
                    }
                },
            ),
        ),
        statement(
            "ManageOwnedInstanceProfiles",
            [
                "iam:AddRoleToInstanceProfile",
                "iam:DeleteInstanceProfile",
                "iam:RemoveRoleFromInstanceProfile",
            ],
            [instance_profiles],
            _merge(
                {
                    "StringEquals": {f"aws:ResourceTag/{owned_key}": "owned"},
                    "StringLike": {"aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*"},
                },
                {region_match: {"aws:ResourceTag/topology.kubernetes.io/region": region_value}},
            ),
        ),
        statement("ReadInstanceProfiles", ["iam:GetInstanceProfile"], [instance_profiles]),
        statement("ReadCluster", ["arc-zonal-shift:GetManagedResource", "eks:DescribeCluster"], [cluster_arn]),
        # Describe* calls accept no resource-level permission: "*", narrowed to the region when it is known.
        statement(
            "ReadRegionalEc2",
            _REGIONAL_READS,
            "*",
            {"StringEquals": {"aws:RequestedRegion": region}} if region else None,
        ),
        # Neither of these accepts a resource either; upstream grants them on "*" without condition.
        statement(
            "ReadUnscoped",
            ["ec2:DescribeInstanceStatus", "iam:ListInstanceProfiles", "pricing:GetProducts"],
            "*",
        ),
        statement(
            "ReadPublicAmiParameters",
            ["ssm:GetParameter"],
            [f"arn:{partition}:ssm:{reg}::parameter/aws/service/*"],
        ),
    ]
    if queue is not None:
        statements.append(
            statement(
                "ConsumeInterruptionQueue",
                ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
                [queue],
            )
        )
    return AddonPolicy(SLUG, policy_document(*statements), [])


def _require_cluster_name(value: str | None) -> str:
    if value is None or value == "":
        raise IrsaConfigError(
            _COMPONENT,
            "cluster_name",
            value,
            "is required: every tag condition of the policy names the cluster",
            "pass the EKS cluster name, e.g. cluster_name='my-cluster'",
        )
    return validate_cluster_name(_COMPONENT, value)


def _check_region(value: str | None, partition: str) -> str | None:
    if value is None:
        return None
    prefix = _REGION_PREFIX.get(partition)
    valid = isinstance(value, str) and _REGION.fullmatch(value) is not None
    if valid:
        valid = value.startswith(prefix) if prefix else not value.startswith(tuple(_REGION_PREFIX.values()))
    if not valid:
        raise IrsaConfigError(
            _COMPONENT,
            "region",
            value,
            f"is not an AWS region of partition '{partition}'",
            "pass the cluster's region code, e.g. region='eu-west-1' (or leave it unset for '*')",
        )
    return value


def _check_account_id(value: str | None) -> str | None:
    if value is not None and (not isinstance(value, str) or not _ACCOUNT_ID.fullmatch(value)):
        raise IrsaConfigError(
            _COMPONENT,
            "account_id",
            value,
            "is not a 12-digit AWS account ID",
            "pass e.g. account_id='111122223333' (or leave it unset for '*')",
        )
    return value


def _merge(base: dict[str, dict[str, Any]], extra: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Joins two condition blocks, merging the keys of operators present in both."""
    merged = {operator: dict(keys) for operator, keys in base.items()}
    for operator, keys in extra.items():
        merged.setdefault(operator, {}).update(keys)
    return merged
