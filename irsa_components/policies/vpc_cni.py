"""Amazon VPC CNI (aws/amazon-vpc-cni-k8s): AWS's managed policy for IPv4, an ENI-scoped document for IPv6,
both for dual-stack, and the network policy agent's CloudWatch Logs."""

from __future__ import annotations

from typing import Any

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    aws_managed_policy_arn,
    check_partition,
    policy_document,
    statement,
)

SLUG = "vpc-cni"

IP_FAMILIES = ("ipv4", "ipv6", "dual")

IPV6_DESCRIBES = (
    "ec2:DescribeInstances",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeTags",
)
IPV4_DESCRIBES_BEYOND_MANAGED = ("ec2:DescribeSecurityGroups",)
"""Read calls upstream's IPv4 policy makes that ``AmazonEKS_CNI_Policy`` did not list when last compared."""


def vpc_cni(
    *,
    ip_family: str = "ipv4",
    enable_cloudwatch_logs: bool = False,
    cluster_name: str | None = None,
    partition: str = "aws",
) -> AddonPolicy:
    """Permissions for the ``aws-node`` DaemonSet to manage pod IP addresses on the nodes' ENIs.

    Upstream's IPv6 policy puts ``ec2:AssignIpv6Addresses`` on ``"*"``; EC2 authorizes it on the network
    interface, so we grant it on network interfaces only. Describe calls take no resource in EC2.

    Args:
        ip_family: the cluster's IP family. ``ipv4`` (default) attaches the AWS-managed
            ``AmazonEKS_CNI_Policy``, plus a document with the read calls upstream added since
            (``ec2:DescribeSecurityGroups``); ``ipv6`` returns the IPv6 document of the CNI's
            ``docs/iam-policy.md``, for which AWS publishes no managed policy; ``dual`` gives both sets.
        enable_cloudwatch_logs: the network policy agent's ``enable-cloudwatch-logs`` flag: lets it create
            and write the cluster's log group ``/aws/eks/<cluster_name>/cluster``. Default False.
        cluster_name: the EKS cluster's name; required with ``enable_cloudwatch_logs``.
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
    managed: list[str] = []
    statements: list[dict[str, Any]] = []
    network_interfaces = f"arn:{partition}:ec2:*:*:network-interface/*"
    if ip_family in ("ipv4", "dual"):
        managed.append(aws_managed_policy_arn("AmazonEKS_CNI_Policy", partition))
    if ip_family == "ipv4":
        statements.append(statement("DescribeSecurityGroups", IPV4_DESCRIBES_BEYOND_MANAGED, "*"))
    else:
        statements += [
            statement("DescribeNodeNetworking", IPV6_DESCRIBES, "*"),
            statement("AssignPodIpv6Addresses", ["ec2:AssignIpv6Addresses"], [network_interfaces]),
            statement("TagNetworkInterfaces", ["ec2:CreateTags"], [network_interfaces]),
        ]
    if enable_cloudwatch_logs:
        if not isinstance(cluster_name, str) or not cluster_name:
            raise IrsaConfigError(
                f"preset {SLUG!r}",
                "cluster_name",
                cluster_name,
                "is required with enable_cloudwatch_logs: it scopes the agent's log group to the cluster's",
                "pass cluster_name='<your EKS cluster name>'",
            )
        cluster = cluster_name
        statements += [
            statement(
                "WriteNetworkPolicyLogs",
                ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                [f"arn:{partition}:logs:*:*:log-group:/aws/eks/{cluster}/cluster:*"],
            ),
            # DescribeLogGroups is a listing call: upstream's log-group pattern, read-only, so on "*".
            statement("DescribeLogGroups", ["logs:DescribeLogGroups"], "*"),
        ]
    elif cluster_name is not None:
        raise IrsaConfigError(
            f"preset {SLUG!r}",
            "cluster_name",
            cluster_name,
            "is only used with enable_cloudwatch_logs",
            "pass enable_cloudwatch_logs=True too, or drop cluster_name",
        )
    return AddonPolicy(SLUG, policy_document(*statements), managed)
