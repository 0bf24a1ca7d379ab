"""Amazon VPC CNI (aws/amazon-vpc-cni-k8s): AWS's managed policy for IPv4, an ENI-scoped document for IPv6."""

from __future__ import annotations

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    aws_managed_policy_arn,
    check_partition,
    policy_document,
    statement,
)

SLUG = "vpc-cni"

IP_FAMILIES = ("ipv4", "ipv6")


def vpc_cni(*, ip_family: str = "ipv4", partition: str = "aws") -> AddonPolicy:
    """Permissions for the ``aws-node`` DaemonSet to manage pod IP addresses on the nodes' ENIs.

    Args:
        ip_family: the cluster's IP family. ``ipv4`` (default) attaches the AWS-managed
            ``AmazonEKS_CNI_Policy``; ``ipv6`` returns the IPv6 document of the EKS user guide, for which
            AWS publishes no managed policy.
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    if ip_family not in IP_FAMILIES:
        raise IrsaConfigError(
            f"preset {SLUG!r}",
            "ip_family",
            ip_family,
            "is not an IP family EKS clusters use",
            f"use one of {', '.join(IP_FAMILIES)} (aws eks describe-cluster shows the cluster's ipFamily)",
        )
    if ip_family == "ipv4":
        return AddonPolicy(SLUG, None, [aws_managed_policy_arn("AmazonEKS_CNI_Policy", partition)])
    network_interfaces = f"arn:{partition}:ec2:*:*:network-interface/*"
    document = policy_document(
        # Describe* calls have no resource-level permissions in EC2.
        statement(
            "DescribeNodeNetworking",
            [
                "ec2:DescribeInstances",
                "ec2:DescribeTags",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeInstanceTypes",
            ],
            "*",
        ),
        # The user guide puts AssignIpv6Addresses on "*"; EC2 authorizes it on the network interface.
        statement("AssignPodIpv6Addresses", ["ec2:AssignIpv6Addresses"], [network_interfaces]),
        statement("TagNetworkInterfaces", ["ec2:CreateTags"], [network_interfaces]),
    )
    return AddonPolicy(SLUG, document, [])
