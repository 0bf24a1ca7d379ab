"""AWS Load Balancer Controller (kubernetes-sigs/aws-load-balancer-controller): upstream's tag conditions,
writes typed to ELB/EC2 ARNs, optionally pinned to one cluster's tag value."""

from __future__ import annotations

from typing import Any

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    WRITES_WITHOUT_RESOURCE_TYPE,
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)
from irsa_components.validation import validate_cluster_name

SLUG = "aws-load-balancer-controller"

CLUSTER_TAG = "elbv2.k8s.aws/cluster"
REQUEST_TAG = f"aws:RequestTag/{CLUSTER_TAG}"
RESOURCE_TAG = f"aws:ResourceTag/{CLUSTER_TAG}"


def _tagged(tag_key: str, cluster_name: str | None) -> dict[str, dict[str, Any]]:
    """Upstream's "the cluster tag is present" check, or "the tag names this cluster" when one is given."""
    if cluster_name is None:
        return {"Null": {tag_key: "false"}}
    return {"StringEquals": {tag_key: cluster_name}}


def _with(base: dict[str, dict[str, Any]], extra: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Merges two conditions, operator by operator (both may use StringEquals)."""
    merged = {operator: dict(keys) for operator, keys in base.items()}
    for operator, keys in extra.items():
        merged.setdefault(operator, {}).update(keys)
    return merged


def _existing_tagged_untouched(cluster_name: str | None) -> dict[str, dict[str, Any]]:
    """Tag changes on resources already tagged for the cluster, that do not set the cluster tag itself."""
    condition: dict[str, dict[str, Any]] = {"Null": {REQUEST_TAG: "true"}}
    if cluster_name is None:
        condition["Null"][RESOURCE_TAG] = "false"
    else:
        condition["StringEquals"] = {RESOURCE_TAG: cluster_name}
    return condition


def _target_group_binding_only(target_group_arns: list[str] | None, partition: str) -> AddonPolicy:
    """TargetGroupBinding-only mode: register pods into existing target groups, never create load balancers."""
    example = f"arn:{partition}:elasticloadbalancing:eu-west-1:111122223333:targetgroup/my-targets/73e2d6bc24d8a067"
    target_groups = require_arns(
        SLUG, "target_group_arns", target_group_arns, "elasticloadbalancing", partition, example, "targetgroup/"
    )
    document = policy_document(
        # Describe calls take no resource in EC2 and ELB.
        statement(
            "DescribeTargetsAndNetworking",
            [
                "ec2:DescribeInstances",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeVpcs",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetHealth",
            ],
            "*",
        ),
        # Upstream grants these on "*"; EC2 authorizes them on the security group.
        statement(
            "ManageNodeSecurityGroupIngress",
            ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
            [f"arn:{partition}:ec2:*:*:security-group/*"],
        ),
        statement(
            "RegisterIntoTargetGroups",
            [
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:RegisterTargets",
            ],
            target_groups,
        ),
    )
    return AddonPolicy(SLUG, document, [])


def aws_load_balancer_controller(
    *,
    cluster_name: str | None = None,
    target_group_binding_only: bool = False,
    target_group_arns: list[str] | None = None,
    partition: str = "aws",
) -> AddonPolicy:
    """Permissions for the controller to manage ALBs/NLBs, target groups and their security groups.

    Follows upstream's ``docs/install/iam_policy.json``: resources the controller creates carry the tag
    ``elbv2.k8s.aws/cluster``, and modifying or deleting them requires that tag. Write actions upstream
    grants on ``"*"`` are narrowed here to the resource types they act on (ELB, security groups, WAF web
    ACLs, Shield protections, ...) in the given partition.

    Args:
        cluster_name: name of the EKS cluster (the controller's ``--cluster-name``). When given, the tag
            conditions require the tag to equal this name instead of merely being present, so one
            cluster's controller cannot modify another cluster's load balancers. Default None: upstream's
            behaviour, any cluster's tagged resources.
        target_group_binding_only: the controller only binds pods to existing target groups
            (TargetGroupBinding, as terraform-aws-iam's TargetGroupBinding-only policy): no load balancer,
            listener or target group creation. Needs ``target_group_arns``. Default False.
        target_group_arns: the target groups the controller may register targets into and modify;
            required with ``target_group_binding_only`` (and only used with it).
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    if target_group_binding_only:
        if cluster_name is not None:
            raise IrsaConfigError(
                f"preset {SLUG!r}",
                "cluster_name",
                cluster_name,
                "has no effect with target_group_binding_only: that policy creates nothing to tag",
                "drop cluster_name, or target_group_binding_only",
            )
        return _target_group_binding_only(target_group_arns, partition)
    if target_group_arns is not None:
        raise IrsaConfigError(
            f"preset {SLUG!r}",
            "target_group_arns",
            target_group_arns,
            "is only used with target_group_binding_only=True",
            "pass target_group_binding_only=True too, or drop target_group_arns",
        )
    if cluster_name is not None:
        validate_cluster_name(f"preset {SLUG!r}", cluster_name)
    elb = f"arn:{partition}:elasticloadbalancing:*:*"
    load_balancers = [f"{elb}:loadbalancer/*", f"{elb}:targetgroup/*"]
    listeners_and_rules = [f"{elb}:listener/*", f"{elb}:listener-rule/*"]
    security_groups = [f"arn:{partition}:ec2:*:*:security-group/*"]
    sg_rules = [f"arn:{partition}:ec2:*:*:security-group-rule/*"]

    document = policy_document(
        statement(
            "ElbServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            [f"arn:{partition}:iam::*:role/aws-service-role/elasticloadbalancing.amazonaws.com/*"],
            {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}},
        ),
        # Describe/Get/List calls: EC2 and ELB offer no resource-level permissions for these. ELB's are
        # granted as ``elasticloadbalancing:Describe*`` (read-only) to keep the document under the size limit.
        statement(
            "Describe",
            [
                "ec2:DescribeAccountAttributes",
                "ec2:DescribeAddresses",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeInternetGateways",
                "ec2:DescribeVpcs",
                "ec2:DescribeVpcPeeringConnections",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeInstances",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeTags",
                "ec2:GetCoipPoolUsage",
                "ec2:DescribeCoipPools",
                "ec2:GetSecurityGroupsForVpc",
                "ec2:DescribeIpamPools",
                "ec2:DescribeRouteTables",
                "elasticloadbalancing:Describe*",
                "acm:ListCertificates",
                "iam:ListServerCertificates",
                "shield:GetSubscriptionState",
            ],
            "*",
        ),
        statement(
            "ReadCertificates",
            ["acm:DescribeCertificate", "iam:GetServerCertificate", "cognito-idp:DescribeUserPoolClient"],
            [
                f"arn:{partition}:acm:*:*:certificate/*",
                f"arn:{partition}:iam::*:server-certificate/*",
                f"arn:{partition}:cognito-idp:*:*:userpool/*",
            ],
        ),
        # IAM's service reference lists no resource type for these two (parliament's database agrees), so a
        # statement naming ARNs would never match them: upstream grants them on "*" too.
        statement(
            "ProtectWithoutResourceType",
            [a for a in sorted(WRITES_WITHOUT_RESOURCE_TYPE) if a.startswith(("shield:", "elasticloadbalancing:"))],
            "*",
        ),
        statement(
            "WebAclsAndShield",
            [
                "waf-regional:GetWebACL",
                "waf-regional:GetWebACLForResource",
                "waf-regional:AssociateWebACL",
                "waf-regional:DisassociateWebACL",
                "wafv2:GetWebACL",
                "wafv2:GetWebACLForResource",
                "wafv2:AssociateWebACL",
                "wafv2:DisassociateWebACL",
                "shield:DescribeProtection",
                "shield:DeleteProtection",
            ],
            [
                f"arn:{partition}:waf-regional:*:*:webacl/*",
                f"arn:{partition}:wafv2:*:*:regional/webacl/*",
                f"arn:{partition}:shield::*:protection/*",
                f"{elb}:loadbalancer/app/*",
            ],
        ),
        # Upstream lets the controller open security groups it does not own (node groups, instance targets).
        statement(
            "SecurityGroups",
            [
                "ec2:CreateSecurityGroup",
                "ec2:AuthorizeSecurityGroupIngress",
                "ec2:RevokeSecurityGroupIngress",
            ],
            security_groups + sg_rules + [f"arn:{partition}:ec2:*:*:vpc/*"],
        ),
        statement(
            "TagNewSecurityGroup",
            ["ec2:CreateTags"],
            security_groups,
            _with(
                {"StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"}},
                _tagged(REQUEST_TAG, cluster_name),
            ),
        ),
        statement(
            "CreateTagged",
            ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            load_balancers,
            _tagged(REQUEST_TAG, cluster_name),
        ),
        statement(
            "TagOnCreate",
            ["elasticloadbalancing:AddTags"],
            load_balancers,
            _with(
                {"StringEquals": {"elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"]}},
                _tagged(REQUEST_TAG, cluster_name),
            ),
        ),
        # Upstream's two "retag" statements (security groups, load balancers) share this condition.
        statement(
            "RetagOwnResources",
            [
                "ec2:CreateTags",
                "ec2:DeleteTags",
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:RemoveTags",
            ],
            security_groups + load_balancers,
            _existing_tagged_untouched(cluster_name),
        ),
        statement(
            "ModifyOwnResources",
            [
                "ec2:DeleteSecurityGroup",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:SetIpAddressType",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:ModifyCapacityReservation",
                "elasticloadbalancing:ModifyIpPools",
            ],
            security_groups + load_balancers + [f"{elb}:listener/*"],
            _tagged(RESOURCE_TAG, cluster_name),
        ),
        # Listeners and rules are not tagged with the cluster by upstream's controller: no tag condition.
        statement(
            "ListenersAndTargets",
            [
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:DeleteRule",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:SetRulePriorities",
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:DeregisterTargets",
            ],
            load_balancers + listeners_and_rules,
        ),
        statement(
            "TagListenersAndRules",
            ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
            listeners_and_rules,
        ),
    )
    return AddonPolicy(SLUG, document, [])
