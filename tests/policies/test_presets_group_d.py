"""Specifications of the presets added with issue 11 (Gateway API controller, Secrets Store CSI provider,
Fluent Bit, FSx for OpenZFS, ADOT) and of the options added to older ones (TargetGroupBinding-only, FSx
service roles)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from moto.iam.policy_validation import IAMPolicyDocumentValidator

from irsa_components.errors import IrsaConfigError
from irsa_components.policies import managed_policies_replaced_by
from irsa_components.policies._base import WRITES_WITHOUT_RESOURCE_TYPE, AddonPolicy
from irsa_components.policies.adot_collector import adot_collector
from irsa_components.policies.aws_for_fluent_bit import aws_for_fluent_bit
from irsa_components.policies.aws_gateway_api_controller import aws_gateway_api_controller
from irsa_components.policies.aws_load_balancer_controller import aws_load_balancer_controller
from irsa_components.policies.fsx_lustre_csi import fsx_lustre_csi
from irsa_components.policies.fsx_openzfs_csi import fsx_openzfs_csi
from irsa_components.policies.secrets_store_csi_driver_provider_aws import secrets_store_csi_driver_provider_aws
from irsa_components.policies.upstream import record_actions

UPSTREAM = Path(__file__).resolve().parents[1] / "data" / "upstream"
ACCOUNT = "111122223333"
KEY = f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SECRET = f"arn:aws:secretsmanager:eu-west-1:{ACCOUNT}:secret:prod/db-??????"
PARAMETER = f"arn:aws:ssm:eu-west-1:{ACCOUNT}:parameter/prod/*"
LOG_GROUP = f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/eks/prod/application"
FIREHOSE = f"arn:aws:firehose:eu-west-1:{ACCOUNT}:deliverystream/prod-logs"
KINESIS = f"arn:aws:kinesis:eu-west-1:{ACCOUNT}:stream/prod-logs"
BUCKET = "arn:aws:s3:::prod-logs"
TARGET_GROUP = f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:targetgroup/web/73e2d6bc24d8a067"
WORKSPACE = f"arn:aws:aps:eu-west-1:{ACCOUNT}:workspace/ws-12345678-abcd-1234-abcd-123456789012"
FSX_ROLE = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/fsx.amazonaws.com/AWSServiceRoleForAmazonFSx"
FSX_S3_ROLE = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*"

CASES: dict[str, Callable[[], AddonPolicy]] = {
    "gateway": lambda: aws_gateway_api_controller(),
    "gateway-buckets": lambda: aws_gateway_api_controller(access_log_bucket_arns=[BUCKET]),
    "secrets-store": lambda: secrets_store_csi_driver_provider_aws(
        secrets_manager_arns=[SECRET], ssm_parameter_arns=[PARAMETER], kms_key_arns=[KEY]
    ),
    "fluent-bit": lambda: aws_for_fluent_bit(
        log_group_arns=[LOG_GROUP],
        firehose_stream_arns=[FIREHOSE],
        kinesis_stream_arns=[KINESIS],
        s3_bucket_arns=[BUCKET],
    ),
    "openzfs": lambda: fsx_openzfs_csi(),
    "adot-workspaces": lambda: adot_collector(workspace_arns=[WORKSPACE]),
    "lbc-tgb": lambda: aws_load_balancer_controller(target_group_binding_only=True, target_group_arns=[TARGET_GROUP]),
}


def document(policy: AddonPolicy) -> dict[str, Any]:
    assert policy.document is not None
    return policy.document


def actions(policy: AddonPolicy) -> set[str]:
    return {a for s in document(policy)["Statement"] for a in s["Action"]}


def statements_with(policy: AddonPolicy, action: str) -> list[dict[str, Any]]:
    return [s for s in document(policy)["Statement"] if action in s["Action"]]


def resources(stmt: dict[str, Any]) -> list[str]:
    return [stmt["Resource"]] if isinstance(stmt["Resource"], str) else stmt["Resource"]


def upstream(slug: str, n: int | None = None) -> set[str]:
    record = json.loads((UPSTREAM / f"{slug}.json").read_text())
    return set(record_actions(record) if n is None else record["sources"][n - 1]["actions"])


@pytest.mark.parametrize("case", sorted(CASES))
def test_document_is_valid_iam_with_unique_sids(case: str) -> None:
    doc = document(CASES[case]())
    IAMPolicyDocumentValidator(json.dumps(doc)).validate()
    sids = [s["Sid"] for s in doc["Statement"]]
    assert len(sids) == len(set(sids))


# --- aws-gateway-api-controller ---------------------------------------------------------------------------


def test_gateway_grants_exactly_upstreams_actions_and_the_lattice_reads_split_out() -> None:
    extra = {
        "vpc-lattice:Get*",
        "vpc-lattice:List*",
        "vpc-lattice:AssociateViaAWSService-EventsAndStates",
        "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation",
    }
    assert actions(aws_gateway_api_controller()) == upstream("aws-gateway-api-controller") | extra


def test_gateway_lattice_writes_stay_on_lattice_resources() -> None:
    (stmt,) = statements_with(aws_gateway_api_controller(), "vpc-lattice:*")
    assert resources(stmt) == ["arn:aws:vpc-lattice:*:*:*"]


def test_gateway_bucket_policies_default_to_any_bucket_and_narrow_to_given_ones() -> None:
    (default,) = statements_with(aws_gateway_api_controller(), "s3:PutBucketPolicy")
    assert resources(default) == ["arn:aws:s3:::*"]
    (given,) = statements_with(aws_gateway_api_controller(access_log_bucket_arns=[BUCKET]), "s3:PutBucketPolicy")
    assert resources(given) == [BUCKET]


def test_gateway_service_linked_roles_are_latticess_and_log_deliverys_only() -> None:
    roles = statements_with(aws_gateway_api_controller(partition="aws-cn"), "iam:CreateServiceLinkedRole")
    assert [(resources(s), s["Condition"]["StringLike"]["iam:AWSServiceName"]) for s in roles] == [
        (
            ["arn:aws-cn:iam::*:role/aws-service-role/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice"],
            "vpc-lattice.amazonaws.com",
        ),
        (
            ["arn:aws-cn:iam::*:role/aws-service-role/delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery"],
            "delivery.logs.amazonaws.com",
        ),
    ]


# --- secrets-store-csi-driver-provider-aws ----------------------------------------------------------------


def test_secrets_store_reads_only_the_given_secrets_parameters_and_keys() -> None:
    policy = CASES["secrets-store"]()
    assert [(s["Action"], resources(s)) for s in document(policy)["Statement"]] == [
        (["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], [SECRET]),
        (["ssm:GetParameters"], [PARAMETER]),
        (["kms:Decrypt"], [KEY]),
    ]
    assert actions(policy) - {"kms:Decrypt"} == upstream("secrets-store-csi-driver-provider-aws")


def test_secrets_store_parameters_alone_are_enough() -> None:
    assert actions(secrets_store_csi_driver_provider_aws(ssm_parameter_arns=[PARAMETER])) == {"ssm:GetParameters"}


def test_secrets_store_without_secrets_or_parameters_names_both() -> None:
    with pytest.raises(IrsaConfigError) as err:
        secrets_store_csi_driver_provider_aws(kms_key_arns=[KEY])
    assert err.value.field == "secrets_manager_arns / ssm_parameter_arns"


@pytest.mark.parametrize(
    "option,value",
    [
        ("secrets_manager_arns", [PARAMETER]),
        ("ssm_parameter_arns", [SECRET]),
        ("secrets_manager_arns", []),
        ("kms_key_arns", [f"arn:aws:kms:eu-west-1:{ACCOUNT}:alias/app"]),
    ],
)
def test_secrets_store_wrong_arns_are_refused_naming_the_option(option: str, value: list[str]) -> None:
    options: dict[str, Any] = {"ssm_parameter_arns": [PARAMETER], option: value}
    with pytest.raises(IrsaConfigError) as err:
        secrets_store_csi_driver_provider_aws(**options)
    assert err.value.field == option


# --- aws-for-fluent-bit -----------------------------------------------------------------------------------


def test_fluent_bit_writes_only_the_given_log_groups_and_their_streams() -> None:
    (stmt,) = document(aws_for_fluent_bit(log_group_arns=[f"{LOG_GROUP}:*"]))["Statement"]
    assert stmt["Action"] == [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
        "logs:PutRetentionPolicy",
    ]
    assert resources(stmt) == [LOG_GROUP, f"{LOG_GROUP}:*"]


def test_fluent_bit_destinations_are_each_scoped_to_what_is_given() -> None:
    policy = CASES["fluent-bit"]()
    assert [(s["Action"], resources(s)) for s in document(policy)["Statement"][1:]] == [
        (["firehose:PutRecordBatch"], [FIREHOSE]),
        (["kinesis:PutRecords"], [KINESIS]),
        (["s3:PutObject"], [f"{BUCKET}/*"]),
    ]
    assert actions(policy) == upstream("aws-for-fluent-bit")


def test_fluent_bit_without_destinations_writes_logs_only() -> None:
    assert {a.split(":")[0] for a in actions(aws_for_fluent_bit(log_group_arns=[LOG_GROUP]))} == {"logs"}


@pytest.mark.parametrize("missing", [None, []])
def test_fluent_bit_requires_log_groups(missing: list[str] | None) -> None:
    with pytest.raises(IrsaConfigError) as err:
        aws_for_fluent_bit(log_group_arns=missing)
    assert err.value.field == "log_group_arns"


@pytest.mark.parametrize(
    "option,value",
    [
        ("log_group_arns", [f"arn:aws:logs:eu-west-1:{ACCOUNT}:destination:x"]),
        ("firehose_stream_arns", [KINESIS]),
        ("kinesis_stream_arns", [FIREHOSE]),
        ("s3_bucket_arns", [LOG_GROUP]),
    ],
)
def test_fluent_bit_wrong_arns_are_refused_naming_the_option(option: str, value: list[str]) -> None:
    options: dict[str, Any] = {"log_group_arns": [LOG_GROUP], option: value}
    with pytest.raises(IrsaConfigError) as err:
        aws_for_fluent_bit(**options)
    assert (err.value.field, err.value.value) == (option, value[0])


# --- fsx-openzfs-csi ----------------------------------------------------------------------------------------


def test_openzfs_grants_exactly_upstreams_actions() -> None:
    assert actions(fsx_openzfs_csi()) == upstream("fsx-openzfs-csi")


def test_openzfs_writes_stay_on_fsx_resources_and_only_describes_are_unscoped() -> None:
    doc = document(fsx_openzfs_csi(partition="aws-us-gov"))
    unscoped = [a for s in doc["Statement"] if s["Resource"] == "*" for a in s["Action"]]
    assert unscoped == ["fsx:DescribeFileSystems", "fsx:DescribeSnapshots", "fsx:DescribeVolumes"]
    (writes,) = statements_with(fsx_openzfs_csi(partition="aws-us-gov"), "fsx:DeleteVolume")
    assert resources(writes) == [
        "arn:aws-us-gov:fsx:*:*:file-system/*",
        "arn:aws-us-gov:fsx:*:*:volume/*",
        "arn:aws-us-gov:fsx:*:*:snapshot/*",
    ]


# --- adot-collector ------------------------------------------------------------------------------------------


def test_adot_attaches_the_three_managed_policies_its_docs_name() -> None:
    policy = adot_collector()
    assert policy.document is None
    assert sorted(policy.managed_policy_arns) == [
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess",
        "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    ]


def test_adot_workspaces_replace_account_wide_remote_write_with_a_scoped_document() -> None:
    policy = adot_collector(workspace_arns=[WORKSPACE], partition="aws")
    assert document(policy)["Statement"] == [
        {"Sid": "RemoteWriteToWorkspaces", "Effect": "Allow", "Action": ["aps:RemoteWrite"], "Resource": [WORKSPACE]}
    ]
    assert "arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess" not in policy.managed_policy_arns
    assert len(policy.managed_policy_arns) == 2


def test_adot_says_which_managed_policy_workspace_arns_replace() -> None:
    assert managed_policies_replaced_by("adot-collector", {"workspace_arns"}) == {"AmazonPrometheusRemoteWriteAccess"}
    assert managed_policies_replaced_by("velero", {"kms_key_arns"}) == set()


def test_adot_refuses_an_arn_that_is_not_a_workspace() -> None:
    with pytest.raises(IrsaConfigError) as err:
        adot_collector(workspace_arns=[f"arn:aws:aps:eu-west-1:{ACCOUNT}:rulegroupsnamespace/ws-1/rules"])
    assert err.value.field == "workspace_arns"


# --- aws-load-balancer-controller, TargetGroupBinding only ---------------------------------------------------


def test_tgb_only_grants_terraform_aws_iams_actions_and_creates_nothing() -> None:
    policy = CASES["lbc-tgb"]()
    assert actions(policy) == upstream("aws-load-balancer-controller", 2)
    assert not any(a.split(":")[1].startswith(("Create", "Delete")) for a in actions(policy))


def test_tgb_only_target_group_writes_are_on_the_given_target_groups() -> None:
    (stmt,) = statements_with(CASES["lbc-tgb"](), "elasticloadbalancing:RegisterTargets")
    assert resources(stmt) == [TARGET_GROUP]
    (sg,) = statements_with(CASES["lbc-tgb"](), "ec2:AuthorizeSecurityGroupIngress")
    assert resources(sg) == ["arn:aws:ec2:*:*:security-group/*"]


@pytest.mark.parametrize("missing", [None, []])
def test_tgb_only_requires_target_group_arns(missing: list[str] | None) -> None:
    with pytest.raises(IrsaConfigError) as err:
        aws_load_balancer_controller(target_group_binding_only=True, target_group_arns=missing)
    assert err.value.field == "target_group_arns"


def test_target_group_arns_without_tgb_only_are_refused_not_ignored() -> None:
    with pytest.raises(IrsaConfigError) as err:
        aws_load_balancer_controller(target_group_arns=[TARGET_GROUP])
    assert err.value.field == "target_group_arns"


def test_tgb_only_refuses_a_load_balancer_arn() -> None:
    with pytest.raises(IrsaConfigError) as err:
        aws_load_balancer_controller(
            target_group_binding_only=True,
            target_group_arns=[
                f"arn:aws:elasticloadbalancing:eu-west-1:{ACCOUNT}:loadbalancer/app/web/50dc6c495c0c9188"
            ],
        )
    assert err.value.field == "target_group_arns"


# --- fsx-lustre-csi service roles ------------------------------------------------------------------------------


def test_fsx_lustre_service_role_arns_replace_the_any_account_patterns() -> None:
    policy = fsx_lustre_csi(s3_bucket_arns=["arn:aws:s3:::data"], service_role_arns=[FSX_ROLE, FSX_S3_ROLE])
    roles = [resources(s) for s in document(policy)["Statement"] if s["Action"][0].startswith("iam:")]
    assert roles == [[FSX_ROLE], [FSX_S3_ROLE]]


def test_fsx_lustre_default_service_roles_are_upstreams_patterns() -> None:
    policy = fsx_lustre_csi(s3_bucket_arns=["arn:aws:s3:::data"])
    roles = [resources(s) for s in document(policy)["Statement"] if s["Action"][0].startswith("iam:")]
    assert roles == [
        ["arn:aws:iam::*:role/aws-service-role/fsx.amazonaws.com/*"],
        ["arn:aws:iam::*:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*"],
    ]


@pytest.mark.parametrize(
    "roles,buckets",
    [
        ([FSX_S3_ROLE], None),  # no FSx role
        ([FSX_ROLE], ["arn:aws:s3:::data"]),  # S3 links but no data-source role
        ([f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ec2.amazonaws.com/X"], None),
        ([f"arn:aws:iam::{ACCOUNT}:role/admin"], None),
    ],
)
def test_fsx_lustre_service_roles_must_be_fsxs(roles: list[str], buckets: list[str] | None) -> None:
    with pytest.raises(IrsaConfigError) as err:
        fsx_lustre_csi(s3_bucket_arns=buckets, service_role_arns=roles)
    assert err.value.field == "service_role_arns"


def test_gateway_writes_on_star_are_only_those_iam_authorizes_on_no_resource_type() -> None:
    star = [a for s in document(aws_gateway_api_controller())["Statement"] if s["Resource"] == "*" for a in s["Action"]]
    writes = [a for a in star if not a.split(":")[1].startswith(("Describe", "Get", "List"))]
    assert writes and set(writes) <= WRITES_WITHOUT_RESOURCE_TYPE


def test_gateway_lattice_calls_iam_authorizes_on_star_only_are_granted_there() -> None:
    (stmt,) = statements_with(aws_gateway_api_controller(), "vpc-lattice:AssociateViaAWSService-EventsAndStates")
    assert stmt["Resource"] == "*"
    assert "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation" in stmt["Action"]
