"""Specifications of the presets for Karpenter, Cluster Autoscaler, NTH, CloudWatch Observability and AMP."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from moto.iam.policy_validation import IAMPolicyDocumentValidator

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import AddonPolicy
from irsa_components.policies.amazon_managed_prometheus import amazon_managed_prometheus
from irsa_components.policies.aws_node_termination_handler import aws_node_termination_handler
from irsa_components.policies.cloudwatch_observability import cloudwatch_observability
from irsa_components.policies.cluster_autoscaler import cluster_autoscaler
from irsa_components.policies.karpenter import karpenter
from irsa_components.policies.upstream import record_actions

UPSTREAM = Path(__file__).resolve().parent.parent / "data" / "upstream"
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
REGIONS = {"aws": "eu-west-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}
MANAGED_POLICY_MAX_SIZE = 6144
READ_ONLY_VERBS = ("Describe", "Get", "List")

NODE_ROLE = "arn:aws:iam::111122223333:role/KarpenterNodeRole-prod"
QUEUE = "arn:aws:sqs:eu-west-1:111122223333:prod"
NTH_QUEUE = "arn:aws:sqs:eu-west-1:111122223333:nth-events"
WORKSPACE = "arn:aws:aps:eu-west-1:111122223333:workspace/ws-1234abcd"


def _in(partition: str, arn: str) -> str:
    """The same ARN in another partition, with a region of that partition."""
    return arn.replace("arn:aws:", f"arn:{partition}:").replace("eu-west-1", REGIONS[partition])


DOCUMENT_CASES: dict[str, Callable[[str], AddonPolicy]] = {
    "karpenter": lambda p: karpenter(cluster_name="prod", node_role_arns=[_in(p, NODE_ROLE)], partition=p),
    "karpenter-scoped": lambda p: karpenter(
        cluster_name="prod",
        node_role_arns=[_in(p, NODE_ROLE)],
        interruption_queue_arn=_in(p, QUEUE),
        region=REGIONS[p],
        account_id="111122223333",
        partition=p,
    ),
    "cluster-autoscaler": lambda p: cluster_autoscaler(cluster_names=["prod", "staging"], partition=p),
    "nth": lambda p: aws_node_termination_handler(queue_arns=[_in(p, NTH_QUEUE)], partition=p),
    "amp": lambda p: amazon_managed_prometheus(workspace_arns=[_in(p, WORKSPACE)], partition=p),
}
UPSTREAM_OF_CASE = {
    "karpenter": "karpenter",
    "karpenter-scoped": "karpenter",
    "cluster-autoscaler": "cluster-autoscaler",
    "nth": "aws-node-termination-handler",
    "amp": "amazon-managed-prometheus",
}
ALL_PRESETS: dict[str, Callable[..., AddonPolicy]] = {
    "karpenter": karpenter,
    "cluster-autoscaler": cluster_autoscaler,
    "aws-node-termination-handler": aws_node_termination_handler,
    "cloudwatch-observability": cloudwatch_observability,
    "amazon-managed-prometheus": amazon_managed_prometheus,
}


def _document(policy: AddonPolicy) -> dict[str, Any]:
    assert policy.document is not None
    return policy.document


def _statements(policy: AddonPolicy) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = _document(policy)["Statement"]
    return statements


def _by_sid(policy: AddonPolicy) -> dict[str, dict[str, Any]]:
    return {stmt["Sid"]: stmt for stmt in _statements(policy)}


def _resources(stmt: dict[str, Any]) -> list[str]:
    resource = stmt["Resource"]
    return [resource] if isinstance(resource, str) else list(resource)


def _granting(policy: AddonPolicy, action: str) -> list[dict[str, Any]]:
    return [stmt for stmt in _statements(policy) if action in stmt["Action"]]


def _is_read_only(action: str) -> bool:
    return action.split(":", 1)[1].startswith(READ_ONLY_VERBS)


def _upstream(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((UPSTREAM / f"{slug}.json").read_text())
    return data | {"actions": record_actions(data)}


def _arns_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith("arn:") else []
    if isinstance(value, dict):
        return [arn for item in value.values() for arn in _arns_in(item)]
    if isinstance(value, list):
        return [arn for item in value for arn in _arns_in(item)]
    return []


def _karpenter(**options: Any) -> AddonPolicy:
    defaults: dict[str, Any] = {"cluster_name": "prod", "node_role_arns": [NODE_ROLE]}
    return karpenter(**{**defaults, **options})


# --- every document ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("partition", PARTITIONS)
@pytest.mark.parametrize("case", DOCUMENT_CASES)
def test_every_document_is_valid_for_iam(case: str, partition: str) -> None:
    IAMPolicyDocumentValidator(json.dumps(_document(DOCUMENT_CASES[case](partition)))).validate()


@pytest.mark.parametrize("partition", PARTITIONS)
@pytest.mark.parametrize("case", DOCUMENT_CASES)
def test_every_document_fits_a_managed_policy(case: str, partition: str) -> None:
    document = _document(DOCUMENT_CASES[case](partition))
    assert len(json.dumps(document, separators=(",", ":"))) <= MANAGED_POLICY_MAX_SIZE


@pytest.mark.parametrize("case", DOCUMENT_CASES)
def test_no_write_action_is_granted_on_an_unconditioned_wildcard(case: str) -> None:
    for stmt in _statements(DOCUMENT_CASES[case]("aws")):
        if "*" in _resources(stmt) and "Condition" not in stmt:
            writes = [action for action in stmt["Action"] if not _is_read_only(action)]
            assert writes == [], stmt["Sid"]


@pytest.mark.parametrize("case", DOCUMENT_CASES)
def test_statement_ids_are_unique_and_alphanumeric(case: str) -> None:
    sids = [stmt["Sid"] for stmt in _statements(DOCUMENT_CASES[case]("aws"))]
    assert len(sids) == len(set(sids))
    assert all(re.fullmatch(r"[A-Za-z0-9]+", sid) for sid in sids)


@pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov"])
@pytest.mark.parametrize("case", DOCUMENT_CASES)
def test_every_arn_is_in_the_requested_partition(case: str, partition: str) -> None:
    arns = [arn for stmt in _statements(DOCUMENT_CASES[case](partition)) for arn in _resources(stmt)]
    assert [arn for arn in arns if arn != "*" and not arn.startswith(f"arn:{partition}:")] == []


@pytest.mark.parametrize("case", DOCUMENT_CASES)
def test_presets_grant_no_action_beyond_the_upstream_policy(case: str) -> None:
    granted = {action for stmt in _statements(DOCUMENT_CASES[case]("aws")) for action in stmt["Action"]}
    assert granted - set(_upstream(UPSTREAM_OF_CASE[case])["actions"]) == set()


@pytest.mark.parametrize("slug", ALL_PRESETS)
def test_an_unknown_partition_is_refused(slug: str) -> None:
    with pytest.raises(IrsaConfigError) as err:
        ALL_PRESETS[slug](partition="aws-iso")
    assert err.value.field == "partition"


# --- karpenter -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, ""])
def test_karpenter_requires_a_cluster_name(value: str | None) -> None:
    with pytest.raises(IrsaConfigError) as err:
        karpenter(cluster_name=value, node_role_arns=[NODE_ROLE])
    assert err.value.field == "cluster_name"


def test_karpenter_refuses_a_cluster_name_eks_would_refuse() -> None:
    with pytest.raises(IrsaConfigError) as err:
        _karpenter(cluster_name="prod cluster")
    assert err.value.field == "cluster_name"


@pytest.mark.parametrize(
    "value",
    [None, [], NODE_ROLE, ["arn:aws:iam::111122223333:policy/not-a-role"], [_in("aws-cn", NODE_ROLE)]],
)
def test_karpenter_requires_node_role_arns_of_the_partition(value: Any) -> None:
    with pytest.raises(IrsaConfigError) as err:
        karpenter(cluster_name="prod", node_role_arns=value)
    assert err.value.field == "node_role_arns"


def test_karpenter_refuses_an_interruption_queue_that_is_not_an_sqs_arn() -> None:
    with pytest.raises(IrsaConfigError) as err:
        _karpenter(interruption_queue_arn="arn:aws:sns:eu-west-1:111122223333:prod")
    assert err.value.field == "interruption_queue_arn"


@pytest.mark.parametrize(("region", "partition"), [("Europe", "aws"), ("cn-north-1", "aws"), ("eu-west-1", "aws-cn")])
def test_karpenter_refuses_a_region_outside_the_partition(region: str, partition: str) -> None:
    with pytest.raises(IrsaConfigError) as err:
        karpenter(
            cluster_name="prod",
            node_role_arns=[NODE_ROLE.replace(":aws:", f":{partition}:")],
            region=region,
            partition=partition,
        )
    assert err.value.field == "region"


def test_karpenter_refuses_an_account_id_that_is_not_twelve_digits() -> None:
    with pytest.raises(IrsaConfigError) as err:
        _karpenter(account_id="1111-2222-3333")
    assert err.value.field == "account_id"


def test_karpenter_passes_only_the_node_roles_and_only_to_ec2() -> None:
    other_role = "arn:aws:iam::111122223333:role/gpu-nodes"
    (passing,) = _granting(_karpenter(node_role_arns=[NODE_ROLE, other_role]), "iam:PassRole")
    assert passing["Resource"] == [NODE_ROLE, other_role]
    assert passing["Condition"] == {
        "StringEquals": {"iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]}
    }


def test_karpenter_writes_require_the_cluster_tags() -> None:
    policy = _karpenter(cluster_name="prod")
    for stmt in _statements(policy):
        writes = [a for a in stmt["Action"] if not _is_read_only(a) and a not in ("iam:PassRole", "sqs:DeleteMessage")]
        if writes:
            condition = json.dumps(stmt.get("Condition", {}))
            assert "kubernetes.io/cluster/prod" in condition or stmt["Sid"] == "LaunchFromSharedResources", stmt
    launch = _by_sid(policy)["CreateTaggedResources"]["Condition"]
    assert launch["StringEquals"] == {
        "aws:RequestTag/kubernetes.io/cluster/prod": "owned",
        "aws:RequestTag/eks:eks-cluster-name": "prod",
    }
    assert launch["StringLike"] == {"aws:RequestTag/karpenter.sh/nodepool": "*"}


def test_karpenter_launches_only_from_launch_sources_it_cannot_modify() -> None:
    shared = _by_sid(_karpenter())["LaunchFromSharedResources"]
    assert shared["Action"] == ["ec2:CreateFleet", "ec2:RunInstances"]
    assert {arn.split(":", 5)[5] for arn in shared["Resource"]} == {
        "image/*",
        "snapshot/*",
        "security-group/*",
        "subnet/*",
        "capacity-reservation/*",
        "placement-group/*",
    }


def test_karpenter_describes_and_watches_only_its_own_cluster() -> None:
    policy = _karpenter(region="eu-west-1", account_id="111122223333")
    (cluster,) = _granting(policy, "eks:DescribeCluster")
    assert cluster["Resource"] == ["arn:aws:eks:eu-west-1:111122223333:cluster/prod"]
    assert "arc-zonal-shift:GetManagedResource" in cluster["Action"]


def test_karpenter_without_a_queue_gets_no_sqs_permission() -> None:
    actions = {action for stmt in _statements(_karpenter()) for action in stmt["Action"]}
    assert not any(action.startswith("sqs:") for action in actions)


def test_karpenter_with_a_queue_consumes_that_queue_only() -> None:
    (queue,) = _granting(_karpenter(interruption_queue_arn=QUEUE), "sqs:ReceiveMessage")
    assert queue["Action"] == ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"]
    assert queue["Resource"] == [QUEUE]
    assert "Condition" not in queue


def test_karpenter_with_a_region_narrows_arns_reads_and_profile_tags_to_it() -> None:
    policy = _karpenter(region="eu-west-1", account_id="111122223333")
    ec2_arns = [arn for stmt in _statements(policy) for arn in _resources(stmt) if arn.startswith("arn:aws:ec2:")]
    assert ec2_arns and all(arn.startswith("arn:aws:ec2:eu-west-1:") for arn in ec2_arns)
    reads = _by_sid(policy)["ReadRegionalEc2"]
    assert reads["Resource"] == "*"
    assert reads["Condition"] == {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}
    profiles = _by_sid(policy)["CreateInstanceProfiles"]
    assert profiles["Resource"] == ["arn:aws:iam::111122223333:instance-profile/*"]
    assert profiles["Condition"]["StringEquals"]["aws:RequestTag/topology.kubernetes.io/region"] == "eu-west-1"


def test_karpenter_without_a_region_uses_wildcard_segments_but_keeps_tag_conditions() -> None:
    policy = _karpenter()
    assert _by_sid(policy)["LaunchFromSharedResources"]["Resource"][0] == "arn:aws:ec2:*::image/*"
    assert "Condition" not in _by_sid(policy)["ReadRegionalEc2"]
    profiles = _by_sid(policy)["CreateInstanceProfiles"]
    assert profiles["Resource"] == ["arn:aws:iam::*:instance-profile/*"]
    assert profiles["Condition"]["StringLike"] == {
        "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
        "aws:RequestTag/topology.kubernetes.io/region": "*",
    }


def test_karpenter_in_china_builds_china_arns() -> None:
    policy = karpenter(
        cluster_name="prod",
        node_role_arns=[_in("aws-cn", NODE_ROLE)],
        region="cn-north-1",
        partition="aws-cn",
    )
    assert _by_sid(policy)["ReadPublicAmiParameters"]["Resource"] == [
        "arn:aws-cn:ssm:cn-north-1::parameter/aws/service/*"
    ]


def test_karpenter_with_every_option_grants_every_upstream_action() -> None:
    policy = DOCUMENT_CASES["karpenter-scoped"]("aws")
    granted = {action for stmt in _statements(policy) for action in stmt["Action"]}
    assert granted == set(_upstream("karpenter")["actions"])


# --- cluster-autoscaler --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, [], "prod", [""], ["prod cluster"]])
def test_cluster_autoscaler_requires_valid_cluster_names(value: Any) -> None:
    with pytest.raises(IrsaConfigError) as err:
        cluster_autoscaler(cluster_names=value)
    assert err.value.field == "cluster_names"


def test_cluster_autoscaler_scales_only_groups_owned_by_each_cluster() -> None:
    scaling = _granting(cluster_autoscaler(cluster_names=["prod", "staging"]), "autoscaling:SetDesiredCapacity")
    assert [stmt["Condition"] for stmt in scaling] == [
        {"StringEquals": {"aws:ResourceTag/k8s.io/cluster-autoscaler/prod": "owned"}},
        {"StringEquals": {"aws:ResourceTag/k8s.io/cluster-autoscaler/staging": "owned"}},
    ]
    expected = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
    assert all(stmt["Action"] == expected for stmt in scaling)


def test_cluster_autoscaler_describes_only_the_clusters_node_groups() -> None:
    (nodegroups,) = _granting(cluster_autoscaler(cluster_names=["prod", "staging"]), "eks:DescribeNodegroup")
    assert nodegroups["Resource"] == [
        "arn:aws:eks:*:*:nodegroup/prod/*/*",
        "arn:aws:eks:*:*:nodegroup/staging/*/*",
    ]


def test_cluster_autoscaler_grants_every_upstream_action() -> None:
    granted = {a for stmt in _statements(cluster_autoscaler(cluster_names=["prod"])) for a in stmt["Action"]}
    assert granted == set(_upstream("cluster-autoscaler")["actions"])


def test_cluster_autoscaler_in_govcloud_builds_govcloud_group_arns() -> None:
    (scaling,) = _granting(
        cluster_autoscaler(cluster_names=["prod"], partition="aws-us-gov"), "autoscaling:SetDesiredCapacity"
    )
    assert scaling["Resource"] == ["arn:aws-us-gov:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*"]


# --- aws-node-termination-handler ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, [], NTH_QUEUE, ["https://sqs.eu-west-1.amazonaws.com/111122223333/q"]])
def test_nth_requires_queue_arns(value: Any) -> None:
    with pytest.raises(IrsaConfigError) as err:
        aws_node_termination_handler(queue_arns=value)
    assert err.value.field == "queue_arns"


@pytest.mark.parametrize("value", ["", "aws-node-termination-handler/*"])
def test_nth_refuses_an_empty_or_wildcard_managed_tag(value: str) -> None:
    with pytest.raises(IrsaConfigError) as err:
        aws_node_termination_handler(queue_arns=[NTH_QUEUE], managed_tag=value)
    assert err.value.field == "managed_tag"


def test_nth_document_is_exactly_queue_scoped_and_tag_conditioned() -> None:
    assert _document(aws_node_termination_handler(queue_arns=[NTH_QUEUE])) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ConsumeEventQueues",
                "Effect": "Allow",
                "Action": ["sqs:DeleteMessage", "sqs:ReceiveMessage"],
                "Resource": [NTH_QUEUE],
            },
            {
                "Sid": "CompleteManagedLifecycleActions",
                "Effect": "Allow",
                "Action": ["autoscaling:CompleteLifecycleAction"],
                "Resource": ["arn:aws:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*"],
                "Condition": {"StringLike": {"aws:ResourceTag/aws-node-termination-handler/managed": "*"}},
            },
            {
                "Sid": "ReadInstanceMetadata",
                "Effect": "Allow",
                "Action": [
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeInstances",
                ],
                "Resource": "*",
            },
        ],
    }


def test_nth_completes_lifecycle_actions_on_groups_with_a_custom_managed_tag() -> None:
    policy = aws_node_termination_handler(queue_arns=[NTH_QUEUE], managed_tag="example.com/nth")
    (complete,) = _granting(policy, "autoscaling:CompleteLifecycleAction")
    assert complete["Condition"] == {"StringLike": {"aws:ResourceTag/example.com/nth": "*"}}


# --- cloudwatch-observability --------------------------------------------------------------------------------


def test_cloudwatch_observability_attaches_the_managed_policies_eks_names() -> None:
    policy = cloudwatch_observability()
    assert policy.document is None
    assert sorted(policy.managed_policy_arns) == _upstream("cloudwatch-observability")["managed_policy_arns"]


@pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov"])
def test_cloudwatch_observability_managed_policies_follow_the_partition(partition: str) -> None:
    assert cloudwatch_observability(partition=partition).managed_policy_arns == [
        f"arn:{partition}:iam::aws:policy/CloudWatchAgentServerPolicy",
        f"arn:{partition}:iam::aws:policy/AWSXrayWriteOnlyAccess",
    ]


# --- amazon-managed-prometheus -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", [None, [], WORKSPACE, ["arn:aws:aps:eu-west-1:111122223333:rulegroupsnamespace/ws-1/ns"]]
)
def test_amp_requires_workspace_arns(value: Any) -> None:
    with pytest.raises(IrsaConfigError) as err:
        amazon_managed_prometheus(workspace_arns=value)
    assert err.value.field == "workspace_arns"


def test_amp_document_grants_write_and_query_on_the_workspaces_only() -> None:
    other = "arn:aws:aps:us-east-1:111122223333:workspace/ws-5678efgh"
    assert _document(amazon_managed_prometheus(workspace_arns=[WORKSPACE, other])) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WriteAndQueryWorkspaces",
                "Effect": "Allow",
                "Action": [
                    "aps:GetLabels",
                    "aps:GetMetricMetadata",
                    "aps:GetSeries",
                    "aps:QueryMetrics",
                    "aps:RemoteWrite",
                ],
                "Resource": [WORKSPACE, other],
            }
        ],
    }


def test_amp_in_china_accepts_only_china_workspaces() -> None:
    with pytest.raises(IrsaConfigError) as err:
        amazon_managed_prometheus(workspace_arns=[WORKSPACE], partition="aws-cn")
    assert err.value.field == "workspace_arns"
    policy = amazon_managed_prometheus(workspace_arns=[_in("aws-cn", WORKSPACE)], partition="aws-cn")
    assert _arns_in(_document(policy)) == ["arn:aws-cn:aps:cn-north-1:111122223333:workspace/ws-1234abcd"]
