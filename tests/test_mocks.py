"""The mocks answer any resource and the common data sources with values in the real formats."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pytest

from irsa_components.mock_invokes import INVOKE_ANSWERS, InvokeContext
from irsa_components.mock_resources import ARN_FORMATS, Context, generic_arn_format, resource_outputs
from irsa_components.testing import IrsaMocks, run_program

CTX = Context("aws", "us-east-2", "111122223333")

# (type, inputs, ARN, ID): one row per entry of ARN_FORMATS, checked against each service's documented format.
EXPECTED_ARNS = [
    ("aws:s3/bucket:Bucket", {"bucket": "logs"}, "arn:aws:s3:::logs", "logs"),
    ("aws:s3/bucketV2:BucketV2", {"bucket": "logs"}, "arn:aws:s3:::logs", "logs"),
    ("aws:dynamodb/table:Table", {"name": "orders"}, "arn:aws:dynamodb:us-east-2:111122223333:table/orders", "orders"),
    (
        "aws:sqs/queue:Queue",
        {"name": "orders"},
        "arn:aws:sqs:us-east-2:111122223333:orders",
        "https://sqs.us-east-2.amazonaws.com/111122223333/orders",
    ),
    (
        "aws:sns/topic:Topic",
        {"name": "orders"},
        "arn:aws:sns:us-east-2:111122223333:orders",
        "arn:aws:sns:us-east-2:111122223333:orders",
    ),
    (
        "aws:kms/key:Key",
        {},
        "arn:aws:kms:us-east-2:111122223333:key/4310cacd-7e32-44dc-aa0f-0da53732ebd3",
        "4310cacd-7e32-44dc-aa0f-0da53732ebd3",
    ),
    (
        "aws:kms/alias:Alias",
        {"name": "alias/orders"},
        "arn:aws:kms:us-east-2:111122223333:alias/orders",
        "alias/orders",
    ),
    (
        "aws:secretsmanager/secret:Secret",
        {"name": "orders"},
        "arn:aws:secretsmanager:us-east-2:111122223333:secret:orders-MO5k5v",
        "arn:aws:secretsmanager:us-east-2:111122223333:secret:orders-MO5k5v",
    ),
    (
        "aws:ecr/repository:Repository",
        {"name": "orders"},
        "arn:aws:ecr:us-east-2:111122223333:repository/orders",
        "orders",
    ),
    (
        "aws:cloudwatch/logGroup:LogGroup",
        {"name": "orders"},
        "arn:aws:logs:us-east-2:111122223333:log-group:orders",
        "orders",
    ),
    (
        "aws:ssm/parameter:Parameter",
        {"name": "/app/db-url"},
        "arn:aws:ssm:us-east-2:111122223333:parameter/app/db-url",
        "/app/db-url",
    ),
    (
        "aws:route53/zone:Zone",
        {"name": "orders"},
        "arn:aws:route53:::hostedzone/Z8TY73EZYF1MJGG8QSFON",
        "Z8TY73EZYF1MJGG8QSFON",
    ),
    (
        "aws:lambda/function:Function",
        {"name": "orders"},
        "arn:aws:lambda:us-east-2:111122223333:function:orders",
        "orders",
    ),
    (
        "aws:rds/instance:Instance",
        {"identifier": "orders-db"},
        "arn:aws:rds:us-east-2:111122223333:db:orders-db",
        "db-ZN7Y5K1ARME1KPRZITL96EL027",
    ),
    (
        "aws:rds/cluster:Cluster",
        {"clusterIdentifier": "orders"},
        "arn:aws:rds:us-east-2:111122223333:cluster:orders",
        "orders",
    ),
    (
        "aws:efs/fileSystem:FileSystem",
        {},
        "arn:aws:elasticfilesystem:us-east-2:111122223333:file-system/fs-ecdc54a4eabe3c5da",
        "fs-ecdc54a4eabe3c5da",
    ),
    ("aws:eks/cluster:Cluster", {"name": "orders"}, "arn:aws:eks:us-east-2:111122223333:cluster/orders", "orders"),
    ("aws:ec2/vpc:Vpc", {}, "arn:aws:ec2:us-east-2:111122223333:vpc/vpc-fdfe0641d45b941a7", "vpc-fdfe0641d45b941a7"),
    (
        "aws:ec2/subnet:Subnet",
        {},
        "arn:aws:ec2:us-east-2:111122223333:subnet/subnet-524a8fd5de1121a92",
        "subnet-524a8fd5de1121a92",
    ),
    (
        "aws:ec2/securityGroup:SecurityGroup",
        {"name": "orders"},
        "arn:aws:ec2:us-east-2:111122223333:security-group/sg-80741ad89119a42d8",
        "sg-80741ad89119a42d8",
    ),
    ("aws:iam/user:User", {"name": "ci", "path": "/robots/"}, "arn:aws:iam::111122223333:user/robots/ci", "ci"),
    ("aws:iam/group:Group", {"name": "orders"}, "arn:aws:iam::111122223333:group/orders", "orders"),
    (
        "aws:iam/instanceProfile:InstanceProfile",
        {"name": "orders"},
        "arn:aws:iam::111122223333:instance-profile/orders",
        "orders",
    ),
    (
        "aws:kinesis/stream:Stream",
        {"name": "orders"},
        "arn:aws:kinesis:us-east-2:111122223333:stream/orders",
        "arn:aws:kinesis:us-east-2:111122223333:stream/orders",
    ),
    (
        "aws:sfn/stateMachine:StateMachine",
        {"name": "orders"},
        "arn:aws:states:us-east-2:111122223333:stateMachine:orders",
        "arn:aws:states:us-east-2:111122223333:stateMachine:orders",
    ),
    (
        "aws:cloudwatch/eventBus:EventBus",
        {"name": "orders"},
        "arn:aws:events:us-east-2:111122223333:event-bus/orders",
        "orders",
    ),
]


def test_every_arn_format_row_is_tested():
    assert sorted(t for t, *_ in EXPECTED_ARNS) == sorted(f.type for f in ARN_FORMATS)


def test_every_arn_format_row_names_its_source():
    assert all(f.source.startswith("https://docs.aws.amazon.com/") for f in ARN_FORMATS)


@pytest.mark.parametrize(
    ("type_token", "inputs", "arn", "resource_id"), EXPECTED_ARNS, ids=[t for t, *_ in EXPECTED_ARNS]
)
def test_arn_and_id_follow_the_service_format(type_token, inputs, arn, resource_id):
    got_id, state, _ = resource_outputs(type_token, "res", inputs, CTX, has_name=True)
    assert (state["arn"], got_id) == (arn, resource_id)


def test_types_without_a_row_follow_the_generic_rule():
    assert (
        generic_arn_format("aws:ecs/cluster:Cluster").arn.format(
            partition="aws", region="us-east-2", account="111122223333", name="web"
        )
        == "arn:aws:ecs:us-east-2:111122223333:cluster/web"
    )
    _, state, _ = resource_outputs(
        "aws:glue/catalogDatabase:CatalogDatabase", "db", {"name": "sales"}, CTX, has_name=True
    )
    assert state["arn"] == "arn:aws:glue:us-east-2:111122223333:catalog-database/sales"


def test_absent_names_are_auto_named_like_pulumi_and_known_before_creation():
    _, state, computed = resource_outputs("aws:dynamodb/table:Table", "orders", {}, CTX, has_name=True)
    assert state["name"] == "orders-1c168ad"
    assert state["arn"] == "arn:aws:dynamodb:us-east-2:111122223333:table/orders-1c168ad"
    assert "name" not in computed and "arn" in computed


def test_bucket_auto_names_are_lowercase_and_fifo_queues_end_in_fifo():
    _, bucket, _ = resource_outputs("aws:s3/bucketV2:BucketV2", "Reports", {}, CTX, has_name=False)
    assert bucket["bucket"] == bucket["bucket"].lower() and bucket["arn"] == f"arn:aws:s3:::{bucket['bucket']}"
    _, queue, _ = resource_outputs("aws:sqs/queue:Queue", "jobs", {"fifoQueue": True}, CTX, has_name=True)
    assert queue["name"].endswith(".fifo") and queue["arn"].endswith(queue["name"])


def test_inputs_are_echoed_and_never_overwritten():
    _, state, _ = resource_outputs(
        "aws:sqs/queue:Queue",
        "jobs",
        {"name": "jobs", "url": "https://example.com/q", "tags": {"a": "b"}},
        CTX,
        has_name=True,
    )
    assert (state["url"], state["tagsAll"]) == ("https://example.com/q", {"a": "b"})


def test_kubernetes_objects_get_a_name_namespace_and_uid():
    def program():
        k8s.core.v1.ConfigMap("settings", data={"a": "b"})
        k8s.core.v1.Namespace("team", metadata={"name": "team"})

    result = run_program(program)
    config_map = result.one("kubernetes:core/v1:ConfigMap")
    assert config_map.outputs["metadata"]["name"].startswith("settings-")
    assert config_map.outputs["metadata"]["namespace"] == "default"
    assert len(config_map.outputs["metadata"]["uid"]) == 36
    assert config_map.id == f"default/{config_map.outputs['metadata']['name']}"
    assert result.one("kubernetes:core/v1:Namespace").id == "team"


# ---- data sources -----------------------------------------------------------------------------------

IC = InvokeContext("aws", "us-east-2", "111122223333", lambda name: f"https://oidc.example/{name}")


@pytest.mark.parametrize(
    ("token", "args", "expected"),
    [
        ("aws:index/getCallerIdentity:getCallerIdentity", {}, {"accountId": "111122223333"}),
        ("aws:index/getPartition:getPartition", {}, {"partition": "aws", "dnsSuffix": "amazonaws.com"}),
        ("aws:index/getRegion:getRegion", {}, {"name": "us-east-2", "region": "us-east-2"}),
        (
            "aws:index/getAvailabilityZones:getAvailabilityZones",
            {"state": "available"},
            {"names": ["us-east-2a", "us-east-2b", "us-east-2c"], "zoneIds": ["use2-az1", "use2-az2", "use2-az3"]},
        ),
        (
            "aws:route53/getZone:getZone",
            {"name": "example.com."},
            {
                "name": "example.com",
                "arn": "arn:aws:route53:::hostedzone/Z13J4CYFJQT2J1NUMWZWD",
                "zoneId": "Z13J4CYFJQT2J1NUMWZWD",
            },
        ),
        ("aws:s3/getBucket:getBucket", {"bucket": "logs"}, {"arn": "arn:aws:s3:::logs", "region": "us-east-2"}),
        (
            "aws:kms/getKey:getKey",
            {"keyId": "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
            {
                "id": "1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn": "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            },
        ),
        (
            "aws:kms/getAlias:getAlias",
            {"name": "alias/shared"},
            {"arn": "arn:aws:kms:us-east-2:111122223333:alias/shared"},
        ),
        (
            "aws:secretsmanager/getSecret:getSecret",
            {"name": "db"},
            {"arn": "arn:aws:secretsmanager:us-east-2:111122223333:secret:db-wRcp6a"},
        ),
        (
            "aws:sqs/getQueue:getQueue",
            {"name": "jobs"},
            {
                "arn": "arn:aws:sqs:us-east-2:111122223333:jobs",
                "url": "https://sqs.us-east-2.amazonaws.com/111122223333/jobs",
            },
        ),
        ("aws:iam/getRole:getRole", {"name": "ops"}, {"arn": "arn:aws:iam::111122223333:role/ops", "path": "/"}),
        ("aws:iam/getPolicy:getPolicy", {"name": "ops"}, {"arn": "arn:aws:iam::111122223333:policy/ops"}),
        (
            "aws:eks/getCluster:getCluster",
            {"name": "prod"},
            {
                "arn": "arn:aws:eks:us-east-2:111122223333:cluster/prod",
                "identities": [{"oidcs": [{"issuer": "https://oidc.example/prod"}]}],
            },
        ),
        ("aws:eks/getClusterAuth:getClusterAuth", {"name": "prod"}, {"name": "prod"}),
        ("aws:eks/getAddonVersion:getAddonVersion", {"addonName": "vpc-cni"}, {"version": "v1.20.0-eksbuild.1"}),
        (
            "aws:ssm/getParameter:getParameter",
            {"name": "/app/url"},
            {"arn": "arn:aws:ssm:us-east-2:111122223333:parameter/app/url", "value": "value-of-app-url"},
        ),
        ("aws:ec2/getVpc:getVpc", {"default": True}, {"cidrBlock": "10.0.0.0/16", "default": True}),
    ],
    ids=lambda v: v if isinstance(v, str) and ":" in v else "",
)
def test_data_source_answers(token, args, expected):
    answer = INVOKE_ANSWERS[token](args, IC)
    assert {k: answer[k] for k in expected} == expected


def test_subnets_are_three_deterministic_ids():
    first = INVOKE_ANSWERS["aws:ec2/getSubnets:getSubnets"]({"filters": [{"name": "vpc-id", "values": ["vpc-1"]}]}, IC)
    again = INVOKE_ANSWERS["aws:ec2/getSubnets:getSubnets"]({"filters": [{"name": "vpc-id", "values": ["vpc-1"]}]}, IC)
    assert first["ids"] == again["ids"] and len(set(first["ids"])) == 3
    assert all(i.startswith("subnet-") and len(i) == 24 for i in first["ids"])


def test_the_cluster_auth_token_looks_like_an_eks_token():
    assert INVOKE_ANSWERS["aws:eks/getClusterAuth:getClusterAuth"]({"name": "prod"}, IC)["token"].startswith(
        "k8s-aws-v1."
    )


# ---- region and account from config, hooks ----------------------------------------------------------


def test_region_and_account_come_from_config():
    def program():
        pulumi.export("arn", aws.sqs.Queue("jobs", name="jobs").arn)

    result = run_program(program, config={"aws:region": "ap-south-1", "irsa:account": "999988887777"})
    assert result.outputs == {"arn": "arn:aws:sqs:ap-south-1:999988887777:jobs"}


def test_region_given_to_the_mocks_wins_over_config():
    def program():
        pulumi.export("arn", aws.sqs.Queue("jobs", name="jobs").arn)

    result = run_program(program, mocks=IrsaMocks(region="us-west-2"), config={"aws:region": "ap-south-1"})
    assert result.outputs == {"arn": "arn:aws:sqs:us-west-2:123456789012:jobs"}


def test_a_resources_hook_adds_outputs_and_sets_the_id():
    def program():
        pulumi.export("endpoint", aws.opensearch.Domain("search", domain_name="logs").endpoint)

    hooks: dict[str, Any] = {
        "aws:opensearch/domain:Domain": lambda name, inputs: {"id": "logs-id", "endpoint": f"{inputs['domainName']}.es"}
    }
    result = run_program(program, mocks=IrsaMocks(resources=hooks))
    assert result.outputs == {"endpoint": "logs.es"}
    assert result.one("aws:opensearch/domain:Domain").id == "logs-id"


def test_get_policy_document_is_computed_from_its_statements():
    def program():
        doc = aws.iam.get_policy_document(
            statements=[
                aws.iam.GetPolicyDocumentStatementArgs(
                    actions=["s3:GetObject", "s3:ListBucket"],
                    resources=["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                    principals=[
                        aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="AWS", identifiers=["111122223333"])
                    ],
                    conditions=[
                        aws.iam.GetPolicyDocumentStatementConditionArgs(
                            test="StringEquals", variable="aws:PrincipalTag/team", values=["data"]
                        )
                    ],
                ),
                {"sid": "NoDelete", "effect": "Deny", "not_actions": ["s3:Get*"], "resources": ["*"]},
            ]
        )
        pulumi.export("json", doc.json)

    assert json.loads(run_program(program).outputs["json"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetObject"],
                "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b"],
                "Principal": {"AWS": "111122223333"},
                "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}},
            },
            {"Sid": "NoDelete", "Effect": "Deny", "NotAction": "s3:Get*", "Resource": "*"},
        ],
    }


def test_an_exported_resource_is_its_state_and_nested_outputs_resolve():
    def program():
        bucket = aws.s3.Bucket("logs", bucket="logs")
        pulumi.export("bucket", bucket)
        pulumi.export("nested", {"arn": bucket.arn, "n": 1})

    outputs = run_program(program).outputs
    assert outputs["nested"] == {"arn": "arn:aws:s3:::logs", "n": 1}
    assert outputs["bucket"]["arn"] == "arn:aws:s3:::logs"
    assert outputs["bucket"]["urn"].endswith("aws:s3/bucket:Bucket::logs")


def test_a_resource_read_with_get_is_named_by_its_id():
    def program():
        pulumi.export("bucket", aws.s3.BucketV2.get("existing", "shared-assets").arn)
        pulumi.export("table", aws.dynamodb.Table.get("orders", "orders-prod").arn)

    assert run_program(program, preview=True).outputs == {
        "bucket": "arn:aws:s3:::shared-assets",
        "table": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders-prod",
    }


def test_resources_and_data_sources_of_an_explicit_provider_live_in_its_region():
    def program():
        use1 = aws.Provider("use1", region="us-east-1")
        opts = pulumi.ResourceOptions(provider=use1)
        pulumi.export("queue", aws.sqs.Queue("q", name="q", opts=opts).arn)
        pulumi.export("default", aws.sqs.Queue("d", name="d").arn)
        pulumi.export("region", aws.get_region(opts=pulumi.InvokeOptions(provider=use1)).region)

    assert run_program(program).outputs == {
        "queue": "arn:aws:sqs:us-east-1:123456789012:q",
        "default": "arn:aws:sqs:eu-west-1:123456789012:d",
        "region": "us-east-1",
    }
