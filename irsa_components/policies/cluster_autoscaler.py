"""Cluster Autoscaler (kubernetes/autoscaler): resizes Auto Scaling groups, only those tagged as owned by its clusters."""

from __future__ import annotations

from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_names,
    statement,
)
from irsa_components.validation import validate_cluster_name

SLUG = "cluster-autoscaler"

# Neither the Auto Scaling Describe* calls nor these EC2 reads accept a resource-level permission.
_READS = [
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeAutoScalingInstances",
    "autoscaling:DescribeLaunchConfigurations",
    "autoscaling:DescribeScalingActivities",
    "ec2:DescribeImages",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:GetInstanceTypesFromInstanceRequirements",
]


def cluster_autoscaler(*, cluster_names: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Lets Cluster Autoscaler discover node groups and scale the Auto Scaling groups of the given clusters.

    ``SetDesiredCapacity`` and ``TerminateInstanceInAutoScalingGroup`` are allowed only on groups tagged
    ``k8s.io/cluster-autoscaler/<cluster>=owned`` (as EKS managed node groups and eksctl tag them); tag
    self-managed groups the same way. ``eks:DescribeNodegroup`` is limited to the clusters' node groups.

    Args:
        cluster_names: EKS clusters whose node groups this autoscaler manages. Required; usually one.
        partition: AWS partition: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    names = require_names(SLUG, "cluster_names", cluster_names, "my-cluster")
    for name in names:
        validate_cluster_name(f"preset {SLUG!r}", name, field="cluster_names")
    groups = f"arn:{partition}:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*"
    # One statement per cluster: the cluster is part of the tag key, and keys of one condition are ANDed.
    scale = [
        statement(
            f"ScaleOwnedGroups{index}",
            ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            [groups],
            {"StringEquals": {f"aws:ResourceTag/k8s.io/cluster-autoscaler/{name}": "owned"}},
        )
        for index, name in enumerate(names)
    ]
    document = policy_document(
        statement("DiscoverScalingGroups", _READS, "*"),
        statement(
            "ReadNodegroups",
            ["eks:DescribeNodegroup"],
            [f"arn:{partition}:eks:*:*:nodegroup/{name}/*/*" for name in names],
        ),
        *scale,
    )
    return AddonPolicy(SLUG, document, [])
