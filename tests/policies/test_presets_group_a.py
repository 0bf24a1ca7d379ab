"""Specifications of the presets for the LB controller, EBS/EFS/FSx/Mountpoint CSI drivers and the VPC CNI."""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from moto.iam.policy_validation import IAMPolicyDocumentValidator

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import WRITES_WITHOUT_RESOURCE_TYPE, AddonPolicy
from irsa_components.policies.aws_load_balancer_controller import aws_load_balancer_controller
from irsa_components.policies.ebs_csi_driver import ebs_csi_driver
from irsa_components.policies.efs_csi_driver import efs_csi_driver
from irsa_components.policies.fsx_lustre_csi import fsx_lustre_csi
from irsa_components.policies.mountpoint_s3_csi import mountpoint_s3_csi
from irsa_components.policies.upstream import record_actions
from irsa_components.policies.vpc_cni import vpc_cni

UPSTREAM = Path(__file__).resolve().parent.parent / "data" / "upstream"

KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
FILE_SYSTEM = "arn:aws:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123456789abcdef0"
BUCKET = "arn:aws:s3:::amzn-s3-demo-bucket"
OTHER_BUCKET = "arn:aws:s3:::amzn-s3-demo-bucket2"
READ_ONLY_VERBS = ("Describe", "Get", "List")

# Every preset with options that produce a policy document, in each partition.
DOCUMENT_CASES: dict[str, Callable[[str], AddonPolicy]] = {
    "lbc": lambda p: aws_load_balancer_controller(partition=p),
    "lbc-cluster": lambda p: aws_load_balancer_controller(cluster_name="prod", partition=p),
    "ebs-kms": lambda p: ebs_csi_driver(kms_key_arns=[KMS_KEY.replace("arn:aws:", f"arn:{p}:")], partition=p),
    "efs": lambda p: efs_csi_driver(partition=p),
    "efs-fs": lambda p: efs_csi_driver(file_system_arns=[FILE_SYSTEM.replace("arn:aws:", f"arn:{p}:")], partition=p),
    "cni-ipv6": lambda p: vpc_cni(ip_family="ipv6", partition=p),
    "fsx": lambda p: fsx_lustre_csi(partition=p),
    "fsx-s3": lambda p: fsx_lustre_csi(s3_bucket_arns=[BUCKET.replace("arn:aws:", f"arn:{p}:")], partition=p),
    "mountpoint": lambda p: mountpoint_s3_csi(bucket_arns=[BUCKET.replace("arn:aws:", f"arn:{p}:")], partition=p),
    "lbc-tgb": lambda p: aws_load_balancer_controller(
        target_group_binding_only=True,
        target_group_arns=[f"arn:{p}:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/73e2d6bc24d8a067"],
        partition=p,
    ),
    "ebs": lambda p: ebs_csi_driver(partition=p),
    "cni-dual-logs": lambda p: vpc_cni(ip_family="dual", enable_cloudwatch_logs=True, cluster_name="prod", partition=p),
    "fsx-service-roles": lambda p: fsx_lustre_csi(
        s3_bucket_arns=[BUCKET.replace("arn:aws:", f"arn:{p}:")],
        service_role_arns=[
            f"arn:{p}:iam::111122223333:role/aws-service-role/fsx.amazonaws.com/AWSServiceRoleForAmazonFSx",
            f"arn:{p}:iam::111122223333:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*",
        ],
        partition=p,
    ),
    "mountpoint-kms-directory": lambda p: mountpoint_s3_csi(
        bucket_arns=[BUCKET.replace("arn:aws:", f"arn:{p}:")],
        kms_key_arns=[KMS_KEY.replace("arn:aws:", f"arn:{p}:")],
        directory_bucket_arns=[f"arn:{p}:s3express:eu-west-1:111122223333:bucket/amzn-s3-demo-bucket--euw1-az1--x-s3"],
        partition=p,
    ),
    "mountpoint-paths": lambda p: mountpoint_s3_csi(
        bucket_arns=[BUCKET.replace("arn:aws:", f"arn:{p}:")],
        path_arns=[BUCKET.replace("arn:aws:", f"arn:{p}:") + "/team-a/*"],
        partition=p,
    ),
}
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


def _document(policy: AddonPolicy) -> dict[str, Any]:
    assert policy.document is not None
    return policy.document


def _resources(stmt: dict[str, Any]) -> list[str]:
    resources = stmt["Resource"]
    return [resources] if isinstance(resources, str) else list(resources)


def _statements_with(document: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in document["Statement"] if action in s["Action"]]


def _actions(document: dict[str, Any]) -> set[str]:
    return {action for stmt in document["Statement"] for action in stmt["Action"]}


def _upstream(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((UPSTREAM / f"{slug}.json").read_text())
    return data | {"actions": record_actions(data)}


# --- properties every document shares -------------------------------------------------------------


@pytest.mark.parametrize("partition", PARTITIONS)
@pytest.mark.parametrize("case", sorted(DOCUMENT_CASES))
def test_document_is_accepted_by_iam_validation(case: str, partition: str) -> None:
    IAMPolicyDocumentValidator(json.dumps(_document(DOCUMENT_CASES[case](partition)))).validate()


@pytest.mark.parametrize("partition", PARTITIONS)
@pytest.mark.parametrize("case", sorted(DOCUMENT_CASES))
def test_document_fits_the_managed_policy_size_limit(case: str, partition: str) -> None:
    assert len(json.dumps(_document(DOCUMENT_CASES[case](partition)), separators=(",", ":"))) <= 6144


@pytest.mark.parametrize("case", sorted(DOCUMENT_CASES))
def test_statement_sids_are_unique_and_alphanumeric(case: str) -> None:
    sids = [s["Sid"] for s in _document(DOCUMENT_CASES[case]("aws"))["Statement"]]
    assert len(sids) == len(set(sids))
    assert all(re.fullmatch(r"[A-Za-z0-9]+", sid) for sid in sids)


@pytest.mark.parametrize("case", sorted(DOCUMENT_CASES))
def test_only_read_actions_sit_on_resource_star(case: str) -> None:
    for stmt in _document(DOCUMENT_CASES[case]("aws"))["Statement"]:
        if "*" in _resources(stmt):
            writes = [a for a in stmt["Action"] if not a.split(":", 1)[1].startswith(READ_ONLY_VERBS)]
            assert set(writes) <= WRITES_WITHOUT_RESOURCE_TYPE, stmt["Sid"]


@pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov"])
@pytest.mark.parametrize("case", sorted(DOCUMENT_CASES))
def test_every_arn_uses_the_requested_partition(case: str, partition: str) -> None:
    resources = [r for s in _document(DOCUMENT_CASES[case](partition))["Statement"] for r in _resources(s)]
    arns = [r for r in resources if r != "*"]
    assert arns
    assert all(arn.startswith(f"arn:{partition}:") for arn in arns)


@pytest.mark.parametrize(
    "preset",
    [
        aws_load_balancer_controller,
        ebs_csi_driver,
        efs_csi_driver,
        vpc_cni,
        fsx_lustre_csi,
        mountpoint_s3_csi,
    ],
)
def test_unknown_partition_is_refused(preset: Callable[..., AddonPolicy]) -> None:
    with pytest.raises(IrsaConfigError) as err:
        preset(partition="aws-iso")
    assert err.value.field == "partition"


# --- aws-load-balancer-controller ---------------------------------------------------------------


def _grants(patterns: set[str], action: str) -> bool:
    """IAM's action matching: case-insensitive, ``*`` and ``?`` wildcards in the granted names."""
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in patterns)


@pytest.mark.parametrize("cluster_name", [None, "prod"])
@pytest.mark.parametrize("partition", PARTITIONS)
def test_lbc_grants_every_upstream_action(cluster_name: str | None, partition: str) -> None:
    granted = _actions(_document(aws_load_balancer_controller(cluster_name=cluster_name, partition=partition)))
    missing = [a for a in _upstream("aws-load-balancer-controller")["actions"] if not _grants(granted, a)]
    assert missing == []


def test_lbc_grants_nothing_upstream_does_not_name() -> None:
    upstream = _upstream("aws-load-balancer-controller")["actions"]
    granted = _actions(_document(aws_load_balancer_controller()))
    assert [p for p in sorted(granted) if not any(_grants({p}, a) for a in upstream)] == []


def test_lbc_wildcards_cover_only_read_actions() -> None:
    granted = _actions(_document(aws_load_balancer_controller()))
    wildcards = [a for a in granted if "*" in a or "?" in a]
    assert all(a.split(":", 1)[1].startswith(READ_ONLY_VERBS) for a in wildcards), wildcards


def test_lbc_coverage_check_understands_wildcards() -> None:
    assert _grants({"elasticloadbalancing:Describe*"}, "elasticloadbalancing:DescribeCapacityReservation")
    assert _grants({"EC2:describeroutetables"}, "ec2:DescribeRouteTables")
    assert not _grants({"elasticloadbalancing:Describe*"}, "elasticloadbalancing:ModifyIpPools")


def test_lbc_keeps_upstream_null_tag_checks_without_cluster_name() -> None:
    (stmt,) = _statements_with(_document(aws_load_balancer_controller()), "elasticloadbalancing:DeleteLoadBalancer")
    assert stmt["Condition"] == {"Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}}


def test_lbc_cluster_name_pins_resource_tag_to_the_cluster() -> None:
    document = _document(aws_load_balancer_controller(cluster_name="prod"))
    (stmt,) = _statements_with(document, "elasticloadbalancing:DeleteLoadBalancer")
    assert stmt["Condition"] == {"StringEquals": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "prod"}}


def test_lbc_cluster_name_pins_request_tag_on_create() -> None:
    document = _document(aws_load_balancer_controller(cluster_name="prod"))
    (stmt,) = _statements_with(document, "elasticloadbalancing:CreateLoadBalancer")
    assert stmt["Condition"] == {"StringEquals": {"aws:RequestTag/elbv2.k8s.aws/cluster": "prod"}}


def test_lbc_cluster_name_keeps_create_action_condition_on_tag_on_create() -> None:
    document = _document(aws_load_balancer_controller(cluster_name="prod"))
    (stmt,) = [s for s in _statements_with(document, "ec2:CreateTags") if "ec2:CreateAction" in str(s)]
    assert stmt["Condition"] == {
        "StringEquals": {
            "ec2:CreateAction": "CreateSecurityGroup",
            "aws:RequestTag/elbv2.k8s.aws/cluster": "prod",
        }
    }


def test_lbc_cluster_name_retagging_still_forbids_setting_the_cluster_tag() -> None:
    document = _document(aws_load_balancer_controller(cluster_name="prod"))
    (stmt,) = _statements_with(document, "ec2:DeleteTags")
    assert stmt["Condition"] == {
        "Null": {"aws:RequestTag/elbv2.k8s.aws/cluster": "true"},
        "StringEquals": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "prod"},
    }


def test_lbc_longest_cluster_name_still_fits_the_size_limit() -> None:
    document = _document(aws_load_balancer_controller(cluster_name="c" * 100, partition="aws-us-gov"))
    assert len(json.dumps(document, separators=(",", ":"))) <= 6144


def test_lbc_invalid_cluster_name_is_refused() -> None:
    with pytest.raises(IrsaConfigError) as err:
        aws_load_balancer_controller(cluster_name="bad name")
    assert err.value.field == "cluster_name"


# --- ebs-csi-driver ------------------------------------------------------------------------------


def test_ebs_without_kms_keys_is_the_managed_policy_and_what_upstream_added_since() -> None:
    policy = ebs_csi_driver()
    assert policy.managed_policy_arns == ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]
    assert _actions(_document(policy)) == {"ec2:DescribeInstanceTypes", "ec2:LockSnapshot"}


def test_ebs_lock_snapshot_keeps_upstream_tag_conditions_on_snapshots() -> None:
    statements = _statements_with(_document(ebs_csi_driver()), "ec2:LockSnapshot")
    assert [(_resources(s), s["Condition"]) for s in statements] == [
        (["arn:aws:ec2:*:*:snapshot/*"], {"StringLike": {"ec2:ResourceTag/CSIVolumeSnapshotName": "*"}}),
        (["arn:aws:ec2:*:*:snapshot/*"], {"StringLike": {"ec2:ResourceTag/ebs.csi.aws.com/cluster": "true"}}),
    ]


def test_ebs_managed_policy_arn_follows_partition() -> None:
    assert ebs_csi_driver(partition="aws-cn").managed_policy_arns == [
        "arn:aws-cn:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
    ]


def test_ebs_kms_statements_are_scoped_to_the_given_keys() -> None:
    document = _document(ebs_csi_driver(kms_key_arns=[KMS_KEY]))
    kms = [s for s in document["Statement"] if s["Action"][0].startswith("kms:")]
    assert [_resources(s) for s in kms] == [[KMS_KEY], [KMS_KEY]]


def test_ebs_kms_grants_are_limited_to_aws_resources() -> None:
    (stmt,) = _statements_with(_document(ebs_csi_driver(kms_key_arns=[KMS_KEY])), "kms:CreateGrant")
    assert stmt["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_ebs_kms_keeps_the_managed_policy() -> None:
    assert ebs_csi_driver(kms_key_arns=[KMS_KEY]).managed_policy_arns == [
        "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
    ]


@pytest.mark.parametrize("keys", [[], ["arn:aws:s3:::not-a-key"], [KMS_KEY.replace("arn:aws:", "arn:aws-cn:")]])
def test_ebs_bad_kms_key_arns_are_refused(keys: list[str]) -> None:
    with pytest.raises(IrsaConfigError) as err:
        ebs_csi_driver(kms_key_arns=keys)
    assert err.value.field == "kms_key_arns"


def test_ebs_upstream_data_names_the_managed_policy() -> None:
    assert _upstream("ebs-csi-driver")["managed_policy_arns"] == ebs_csi_driver().managed_policy_arns


# --- efs-csi-driver ------------------------------------------------------------------------------


def test_efs_grants_every_upstream_action() -> None:
    assert set(_upstream("efs-csi-driver")["actions"]) <= _actions(_document(efs_csi_driver()))


def test_efs_file_system_arns_scope_access_point_creation() -> None:
    document = _document(efs_csi_driver(file_system_arns=[FILE_SYSTEM]))
    (stmt,) = _statements_with(document, "elasticfilesystem:CreateAccessPoint")
    assert _resources(stmt) == [FILE_SYSTEM]


def test_efs_access_point_creation_requires_the_driver_tag() -> None:
    (stmt,) = _statements_with(_document(efs_csi_driver()), "elasticfilesystem:CreateAccessPoint")
    assert stmt["Condition"] == {"StringLike": {"aws:RequestTag/efs.csi.aws.com/cluster": "true"}}


def test_efs_deletes_only_access_points_with_the_driver_tag() -> None:
    (stmt,) = _statements_with(_document(efs_csi_driver()), "elasticfilesystem:DeleteAccessPoint")
    assert stmt["Condition"] == {"StringEquals": {"aws:ResourceTag/efs.csi.aws.com/cluster": "true"}}
    assert _resources(stmt) == ["arn:aws:elasticfilesystem:*:*:access-point/*"]


def test_efs_bad_file_system_arns_are_refused() -> None:
    with pytest.raises(IrsaConfigError) as err:
        efs_csi_driver(file_system_arns=[KMS_KEY])
    assert err.value.field == "file_system_arns"


# --- vpc-cni -------------------------------------------------------------------------------------


def test_cni_ipv4_is_the_managed_policy_and_the_read_call_upstream_added() -> None:
    policy = vpc_cni()
    assert policy.managed_policy_arns == ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]
    assert _document(policy)["Statement"] == [
        {
            "Sid": "DescribeSecurityGroups",
            "Effect": "Allow",
            "Action": ["ec2:DescribeSecurityGroups"],
            "Resource": "*",
        }
    ]


def test_cni_ipv4_with_the_managed_policy_covers_upstream_ipv4() -> None:
    record = _upstream("vpc-cni")
    granted = set(record["managed_policy_covers"]["actions"]) | _actions(_document(vpc_cni()))
    assert set(record["sources"][0]["actions"]) <= granted


def test_cni_ipv4_managed_policy_arn_follows_partition() -> None:
    assert vpc_cni(partition="aws-us-gov").managed_policy_arns == [
        "arn:aws-us-gov:iam::aws:policy/AmazonEKS_CNI_Policy"
    ]


def test_cni_ipv6_is_a_document_without_managed_policy() -> None:
    policy = vpc_cni(ip_family="ipv6")
    assert policy.managed_policy_arns == []
    assert _actions(_document(policy)) == {
        "ec2:AssignIpv6Addresses",
        "ec2:DescribeInstances",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeTags",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeInstanceTypes",
        "ec2:CreateTags",
    }


def test_cni_dual_is_the_ipv4_managed_policy_and_the_ipv6_document() -> None:
    dual = vpc_cni(ip_family="dual")
    assert dual.managed_policy_arns == vpc_cni().managed_policy_arns
    assert dual.document == vpc_cni(ip_family="ipv6").document


def test_cni_cloudwatch_logs_are_the_clusters_log_group_only() -> None:
    document = _document(vpc_cni(enable_cloudwatch_logs=True, cluster_name="prod"))
    (write,) = _statements_with(document, "logs:PutLogEvents")
    assert write["Action"] == ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    assert _resources(write) == ["arn:aws:logs:*:*:log-group:/aws/eks/prod/cluster:*"]
    (describe,) = _statements_with(document, "logs:DescribeLogGroups")
    assert describe["Action"] == ["logs:DescribeLogGroups"]


def test_cni_cloudwatch_logs_without_cluster_name_is_refused() -> None:
    with pytest.raises(IrsaConfigError) as err:
        vpc_cni(enable_cloudwatch_logs=True)
    assert err.value.field == "cluster_name"


def test_cni_cluster_name_without_cloudwatch_logs_is_refused_not_ignored() -> None:
    with pytest.raises(IrsaConfigError) as err:
        vpc_cni(cluster_name="prod")
    assert err.value.field == "cluster_name"


def test_cni_ipv6_writes_are_scoped_to_network_interfaces() -> None:
    document = _document(vpc_cni(ip_family="ipv6"))
    for action in ("ec2:AssignIpv6Addresses", "ec2:CreateTags"):
        (stmt,) = _statements_with(document, action)
        assert _resources(stmt) == ["arn:aws:ec2:*:*:network-interface/*"]


def test_cni_unknown_ip_family_is_refused() -> None:
    with pytest.raises(IrsaConfigError) as err:
        vpc_cni(ip_family="ipv5")
    assert err.value.field == "ip_family"


def test_cni_upstream_data_names_the_managed_policy() -> None:
    assert _upstream("vpc-cni")["managed_policy_arns"] == vpc_cni().managed_policy_arns


# --- fsx-lustre-csi ------------------------------------------------------------------------------


def test_fsx_with_s3_buckets_grants_every_upstream_action() -> None:
    document = _document(fsx_lustre_csi(s3_bucket_arns=[BUCKET]))
    assert _actions(document) == set(_upstream("fsx-lustre-csi")["actions"])


def test_fsx_without_s3_buckets_grants_no_s3_or_data_source_role() -> None:
    actions = _actions(_document(fsx_lustre_csi()))
    assert "s3:ListBucket" not in actions
    assert "iam:PutRolePolicy" not in actions


def test_fsx_s3_bucket_arns_scope_list_bucket() -> None:
    (stmt,) = _statements_with(_document(fsx_lustre_csi(s3_bucket_arns=[BUCKET])), "s3:ListBucket")
    assert _resources(stmt) == [BUCKET]


def test_fsx_deletes_only_file_systems_the_driver_tagged() -> None:
    (stmt,) = _statements_with(_document(fsx_lustre_csi()), "fsx:DeleteFileSystem")
    assert stmt["Condition"] == {"Null": {"aws:ResourceTag/CSIVolumeName": "false"}}
    assert _resources(stmt) == ["arn:aws:fsx:*:*:file-system/*"]


def test_fsx_bad_s3_bucket_arns_are_refused() -> None:
    with pytest.raises(IrsaConfigError) as err:
        fsx_lustre_csi(s3_bucket_arns=[])
    assert err.value.field == "s3_bucket_arns"


# --- mountpoint-s3-csi ---------------------------------------------------------------------------


def test_mountpoint_grants_exactly_upstreams_general_purpose_bucket_actions() -> None:
    assert _actions(_document(mountpoint_s3_csi(bucket_arns=[BUCKET]))) == set(
        _upstream("mountpoint-s3-csi")["sources"][0]["actions"]
    )


def test_mountpoint_kms_keys_get_decrypt_and_generate_data_key_only() -> None:
    document = _document(mountpoint_s3_csi(bucket_arns=[BUCKET], kms_key_arns=[KMS_KEY]))
    (stmt,) = _statements_with(document, "kms:Decrypt")
    assert (stmt["Action"], _resources(stmt)) == (["kms:Decrypt", "kms:GenerateDataKey"], [KMS_KEY])


def test_mountpoint_directory_buckets_get_sessions_and_need_no_general_purpose_bucket() -> None:
    directory = "arn:aws:s3express:eu-west-1:111122223333:bucket/amzn-s3-demo-bucket--euw1-az1--x-s3"
    document = _document(mountpoint_s3_csi(directory_bucket_arns=[directory]))
    assert [(s["Action"], _resources(s)) for s in document["Statement"]] == [(["s3express:CreateSession"], [directory])]


@pytest.mark.parametrize("buckets", [None, [], "arn:aws:s3:::amzn-s3-demo-bucket"])
def test_mountpoint_requires_bucket_arns(buckets: Any) -> None:
    with pytest.raises(IrsaConfigError) as err:
        mountpoint_s3_csi(bucket_arns=buckets)
    assert err.value.field == "bucket_arns"


def test_mountpoint_accepts_s3_arns_without_region_or_account() -> None:
    document = _document(mountpoint_s3_csi(bucket_arns=[BUCKET]))
    (stmt,) = _statements_with(document, "s3:ListBucket")
    assert _resources(stmt) == [BUCKET]


def test_mountpoint_defaults_to_every_object_of_the_buckets() -> None:
    document = _document(mountpoint_s3_csi(bucket_arns=[BUCKET, OTHER_BUCKET]))
    (stmt,) = _statements_with(document, "s3:GetObject")
    assert _resources(stmt) == [f"{BUCKET}/*", f"{OTHER_BUCKET}/*"]


def test_mountpoint_path_arns_scope_object_access() -> None:
    document = _document(mountpoint_s3_csi(bucket_arns=[BUCKET], path_arns=[f"{BUCKET}/team-a/*"]))
    (stmt,) = _statements_with(document, "s3:PutObject")
    assert _resources(stmt) == [f"{BUCKET}/team-a/*"]


def test_mountpoint_path_arns_limit_listing_with_s3_prefix() -> None:
    document = _document(mountpoint_s3_csi(bucket_arns=[BUCKET], path_arns=[f"{BUCKET}/team-a/*"]))
    (stmt,) = _statements_with(document, "s3:ListBucket")
    assert stmt["Condition"] == {"StringLike": {"s3:prefix": ["team-a/*"]}}
    assert _resources(stmt) == [BUCKET]


def test_mountpoint_path_outside_the_buckets_is_refused() -> None:
    with pytest.raises(IrsaConfigError) as err:
        mountpoint_s3_csi(bucket_arns=[BUCKET], path_arns=[f"{OTHER_BUCKET}/team-a/*"])
    assert err.value.field == "path_arns"


def test_mountpoint_object_arn_as_bucket_is_refused() -> None:
    with pytest.raises(IrsaConfigError) as err:
        mountpoint_s3_csi(bucket_arns=[f"{BUCKET}/team-a/*"])
    assert err.value.field == "bucket_arns"
