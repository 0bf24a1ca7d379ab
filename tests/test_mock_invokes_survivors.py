"""What the mocks answer for each data source, pinned where the first mutation run of ``mock_invokes.py`` found
it unspecified: the complete answer to every invoke token of ``INVOKE_ANSWERS`` for representative arguments.

- arguments are echoed (``None`` ones dropped) and computed values win over them;
- ``getPartition``: the DNS suffix and reverse DNS prefix of the partition (``aws-cn`` differs);
- ``getRegion``: ``region`` before ``name`` before the provider's region;
- ``getAvailabilityZones``: names ``a``-``c`` and AZ IDs in AWS's form (``use2-az1``, ``apse2-az1``, ``cnn1-az1``);
- ``getZone``: by name (trailing dot dropped) or by ID, private or public;
- ``getKey``: a key ID, key ARN, alias name or alias ARN resolved to the key; ``getAlias`` agrees;
- ``getSecret``: by name, by ARN (name without the 6-character suffix) or neither;
- ``getPolicy``: by name and path prefix, by ARN, or neither; ``getRole``, ``getCluster``, ``getClusterAuth``,
  ``getAddonVersion`` (known and unknown add-ons), ``getParameter``, ``getVpc`` (by ID or filters),
  ``getSubnets``, ``getBucket`` (the S3 hosted zone of the region), ``getQueue``, ``getCallerIdentity``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from irsa_components.mock_invokes import INVOKE_ANSWERS, InvokeContext

IC = InvokeContext("aws", "us-east-2", "111122223333", lambda name: f"https://oidc.example/{name}")
CN = InvokeContext("aws-cn", "cn-north-1", "111122223333", lambda name: f"https://oidc.example/{name}")
KEY = "1234abcd-12ab-34cd-56ef-1234567890ab"
SHARED_KEY = "cbf9afc3-e225-42b2-a8b4-f2116f86ed47"  # the fake key behind alias/shared
KMS = {
    "awsAccountId": "111122223333",
    "enabled": True,
    "keyManager": "CUSTOMER",
    "keySpec": "SYMMETRIC_DEFAULT",
    "keyState": "Enabled",
    "keyUsage": "ENCRYPT_DECRYPT",
    "origin": "AWS_KMS",
    "multiRegion": False,
}
NAME_SERVERS = ["ns-1.awsdns-01.com", "ns-2.awsdns-02.net", "ns-3.awsdns-03.org"]
POLICY = {"policy": '{"Version":"2012-10-17","Statement":[]}', "description": "", "attachmentCount": 1, "tags": {}}

ANSWERS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "aws:index/getCallerIdentity:getCallerIdentity",
        {"id": None},
        {
            "id": "111122223333",
            "accountId": "111122223333",
            "arn": "arn:aws:iam::111122223333:user/ci",
            "userId": "AIDAEXAMPLEUSERID",
        },
    ),
    (
        "aws:index/getPartition:getPartition",
        {},
        {"id": "aws", "partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws"},
    ),
    (
        "aws:index/getRegion:getRegion",
        {"name": "eu-west-3"},
        {
            "id": "eu-west-3",
            "name": "eu-west-3",
            "region": "eu-west-3",
            "description": "eu-west-3",
            "endpoint": "ec2.eu-west-3.amazonaws.com",
        },
    ),
    (
        "aws:index/getRegion:getRegion",
        {"region": "ap-south-1", "name": "eu-west-3"},
        {
            "id": "ap-south-1",
            "name": "ap-south-1",
            "region": "ap-south-1",
            "description": "ap-south-1",
            "endpoint": "ec2.ap-south-1.amazonaws.com",
        },
    ),
    (
        "aws:index/getAvailabilityZones:getAvailabilityZones",
        {},
        {
            "id": "us-east-2",
            "names": ["us-east-2a", "us-east-2b", "us-east-2c"],
            "zoneIds": ["use2-az1", "use2-az2", "use2-az3"],
            "groupNames": ["us-east-2", "us-east-2", "us-east-2"],
        },
    ),
    (
        "aws:route53/getZone:getZone",
        {"name": "example.com.", "privateZone": True},
        {
            "id": "ZKVQ54Z0G1EW0ZY9ACUGY",
            "zoneId": "ZKVQ54Z0G1EW0ZY9ACUGY",
            "name": "example.com",
            "arn": "arn:aws:route53:::hostedzone/ZKVQ54Z0G1EW0ZY9ACUGY",
            "privateZone": True,
            "nameServers": NAME_SERVERS,
            "resourceRecordSetCount": 2,
            "callerReference": "77b2f6dd-bab3-49d2-ad64-55461a32da5f",
            "comment": "",
        },
    ),
    (
        "aws:route53/getZone:getZone",
        {"zoneId": "Z123"},
        {
            "id": "Z123",
            "zoneId": "Z123",
            "name": "zone-Z123.example.com",
            "arn": "arn:aws:route53:::hostedzone/Z123",
            "privateZone": False,
            "nameServers": NAME_SERVERS,
            "resourceRecordSetCount": 2,
            "callerReference": "dc182d9f-0aaf-4fa6-a86c-bf3b11ddc8e0",
            "comment": "",
        },
    ),
    (
        "aws:s3/getBucket:getBucket",
        {"bucket": "logs"},
        {
            "bucket": "logs",
            "id": "logs",
            "arn": "arn:aws:s3:::logs",
            "bucketDomainName": "logs.s3.amazonaws.com",
            "bucketRegionalDomainName": "logs.s3.us-east-2.amazonaws.com",
            "region": "us-east-2",
            "hostedZoneId": "Z2O1EMRO9K5GLX",
        },
    ),
    (
        "aws:kms/getKey:getKey",
        {"keyId": KEY},
        {"keyId": KEY, "id": KEY, "arn": f"arn:aws:kms:us-east-2:111122223333:key/{KEY}", **KMS},
    ),
    (
        "aws:kms/getKey:getKey",
        {"keyId": f"arn:aws:kms:us-east-2:111122223333:key/{KEY}"},
        {
            "keyId": f"arn:aws:kms:us-east-2:111122223333:key/{KEY}",
            "id": KEY,
            "arn": f"arn:aws:kms:us-east-2:111122223333:key/{KEY}",
            **KMS,
        },
    ),
    (
        "aws:kms/getKey:getKey",
        {"keyId": "alias/shared"},
        {
            "keyId": "alias/shared",
            "id": SHARED_KEY,
            "arn": f"arn:aws:kms:us-east-2:111122223333:key/{SHARED_KEY}",
            **KMS,
        },
    ),
    (
        "aws:kms/getKey:getKey",
        {"keyId": "arn:aws:kms:us-east-2:111122223333:alias/shared"},
        {
            "keyId": "arn:aws:kms:us-east-2:111122223333:alias/shared",
            "id": SHARED_KEY,
            "arn": f"arn:aws:kms:us-east-2:111122223333:key/{SHARED_KEY}",
            **KMS,
        },
    ),
    (
        "aws:kms/getAlias:getAlias",
        {"name": "alias/shared"},
        {
            "name": "alias/shared",
            "id": "arn:aws:kms:us-east-2:111122223333:alias/shared",
            "arn": "arn:aws:kms:us-east-2:111122223333:alias/shared",
            "targetKeyId": SHARED_KEY,
            "targetKeyArn": f"arn:aws:kms:us-east-2:111122223333:key/{SHARED_KEY}",
        },
    ),
    (
        "aws:secretsmanager/getSecret:getSecret",
        {"name": "db"},
        {
            "name": "db",
            "id": "arn:aws:secretsmanager:us-east-2:111122223333:secret:db-wRcp6a",
            "arn": "arn:aws:secretsmanager:us-east-2:111122223333:secret:db-wRcp6a",
            "description": "",
            "kmsKeyId": "",
            "tags": {},
        },
    ),
    (
        "aws:secretsmanager/getSecret:getSecret",
        {"arn": "arn:aws:secretsmanager:us-east-2:111122223333:secret:app/db-creds-AbC123"},
        {
            "arn": "arn:aws:secretsmanager:us-east-2:111122223333:secret:app/db-creds-AbC123",
            "id": "arn:aws:secretsmanager:us-east-2:111122223333:secret:app/db-creds-AbC123",
            "name": "app/db-creds",
            "description": "",
            "kmsKeyId": "",
            "tags": {},
        },
    ),
    (
        "aws:secretsmanager/getSecret:getSecret",
        {},
        {
            "id": "arn:aws:secretsmanager:us-east-2:111122223333:secret:secret-j43U7y",
            "arn": "arn:aws:secretsmanager:us-east-2:111122223333:secret:secret-j43U7y",
            "name": "secret",
            "description": "",
            "kmsKeyId": "",
            "tags": {},
        },
    ),
    (
        "aws:sqs/getQueue:getQueue",
        {"name": "jobs"},
        {
            "name": "jobs",
            "id": "https://sqs.us-east-2.amazonaws.com/111122223333/jobs",
            "url": "https://sqs.us-east-2.amazonaws.com/111122223333/jobs",
            "arn": "arn:aws:sqs:us-east-2:111122223333:jobs",
            "tags": {},
        },
    ),
    (
        "aws:iam/getRole:getRole",
        {"name": "ops"},
        {
            "name": "ops",
            "id": "ops",
            "arn": "arn:aws:iam::111122223333:role/ops",
            "path": "/",
            "uniqueId": "AROACS1AR1VL408I68YDE",
            "assumeRolePolicy": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
                    ],
                },
                separators=(",", ":"),
            ),
            "maxSessionDuration": 3600,
            "createDate": "2026-01-01T00:00:00Z",
            "description": "",
            "tags": {},
        },
    ),
    (
        "aws:iam/getPolicy:getPolicy",
        {"name": "ops", "pathPrefix": "/team/"},
        {
            "name": "ops",
            "pathPrefix": "/team/",
            "id": "arn:aws:iam::111122223333:policy/team/ops",
            "arn": "arn:aws:iam::111122223333:policy/team/ops",
            "path": "/team/",
            "policyId": "ANPAUTT28PSJGNPNJMLC0",
            **POLICY,
        },
    ),
    (
        "aws:iam/getPolicy:getPolicy",
        {"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
        {
            "arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "id": "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "name": "ReadOnlyAccess",
            "path": "/",
            "policyId": "ANPALYSOBD4HUGNONSO12",
            **POLICY,
        },
    ),
    (
        "aws:iam/getPolicy:getPolicy",
        {},
        {
            "id": "arn:aws:iam::111122223333:policy/policy",
            "arn": "arn:aws:iam::111122223333:policy/policy",
            "name": "policy",
            "path": "/",
            "policyId": "ANPAUCODSZPAXT37V7177",
            **POLICY,
        },
    ),
    (
        "aws:eks/getCluster:getCluster",
        {"name": "prod"},
        {
            "name": "prod",
            "id": "prod",
            "arn": "arn:aws:eks:us-east-2:111122223333:cluster/prod",
            "identities": [{"oidcs": [{"issuer": "https://oidc.example/prod"}]}],
            "endpoint": "https://6754AF9632A2745E85C293E5AAC08633.gr7.us-east-2.eks.amazonaws.com",
            "certificateAuthorities": [{"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"}],
            "roleArn": "arn:aws:iam::111122223333:role/prod-cluster",
            "status": "ACTIVE",
            "version": "1.33",
            "platformVersion": "eks.9",
            "tags": {},
        },
    ),
    (
        "aws:eks/getClusterAuth:getClusterAuth",
        {"name": "prod"},
        {
            "name": "prod",
            "id": "prod",
            "token": "k8s-aws-v1.b933fdbe13a9a7049d63fff7d8a0c16e89f1212cb8b9a5eb4712c3e3ce7dcc37",
        },
    ),
    (
        "aws:eks/getAddonVersion:getAddonVersion",
        {"addonName": "coredns", "kubernetesVersion": "1.33"},
        {"addonName": "coredns", "kubernetesVersion": "1.33", "id": "coredns", "version": "v1.12.1-eksbuild.2"},
    ),
    (
        "aws:eks/getAddonVersion:getAddonVersion",
        {"addonName": "other"},
        {"addonName": "other", "id": "other", "version": "v1.0.0-eksbuild.1"},
    ),
    (
        "aws:ssm/getParameter:getParameter",
        {"name": "/app/db/url"},
        {
            "name": "/app/db/url",
            "id": "/app/db/url",
            "arn": "arn:aws:ssm:us-east-2:111122223333:parameter/app/db/url",
            "type": "String",
            "value": "value-of-app-db-url",
            "insecureValue": "value-of-app-db-url",
            "version": 1,
        },
    ),
    (
        "aws:ec2/getVpc:getVpc",
        {"id": "vpc-0123"},
        {
            "id": "vpc-0123",
            "arn": "arn:aws:ec2:us-east-2:111122223333:vpc/vpc-0123",
            "cidrBlock": "10.0.0.0/16",
            "default": False,
            "ownerId": "111122223333",
            "state": "available",
        },
    ),
    (
        "aws:ec2/getVpc:getVpc",
        {"tags": {"Name": "main"}},
        {
            "tags": {"Name": "main"},
            "id": "vpc-74e6468d1fc8d5c03",
            "arn": "arn:aws:ec2:us-east-2:111122223333:vpc/vpc-74e6468d1fc8d5c03",
            "cidrBlock": "10.0.0.0/16",
            "default": False,
            "ownerId": "111122223333",
            "state": "available",
        },
    ),
    (
        "aws:ec2/getSubnets:getSubnets",
        {"filters": [{"name": "vpc-id", "values": ["vpc-1"]}]},
        {
            "filters": [{"name": "vpc-id", "values": ["vpc-1"]}],
            "id": "us-east-2",
            "ids": ["subnet-7f30face55f841d08", "subnet-e999e93578eef06a9", "subnet-4cb8913620e5f2c9e"],
        },
    ),
]


@pytest.mark.parametrize(
    ("token", "args", "answer"), ANSWERS, ids=[f"{t.rsplit(':', 1)[1]}-{sorted(a)}" for t, a, _ in ANSWERS]
)
def test_the_complete_answer_to_a_data_source(token, args, answer):
    assert INVOKE_ANSWERS[token](args, IC) == answer


def test_every_data_source_of_the_table_has_a_complete_answer_pinned():
    assert {t for t, *_ in ANSWERS} == set(INVOKE_ANSWERS) - {"aws:iam/getPolicyDocument:getPolicyDocument"}


def test_the_china_partition_has_its_own_dns_suffix_reverse_prefix_and_az_ids():
    assert INVOKE_ANSWERS["aws:index/getPartition:getPartition"]({}, CN) == {
        "id": "aws-cn",
        "partition": "aws-cn",
        "dnsSuffix": "amazonaws.com.cn",
        "reverseDnsPrefix": "cn.com.amazonaws",
    }
    assert INVOKE_ANSWERS["aws:index/getAvailabilityZones:getAvailabilityZones"]({}, CN)["zoneIds"] == [
        "cnn1-az1",
        "cnn1-az2",
        "cnn1-az3",
    ]


@pytest.mark.parametrize(
    ("region", "zone_id"),
    [("ap-southeast-2", "apse2-az1"), ("eu-central-1", "euc1-az1"), ("us-gov-west-1", "usgw1-az1")],
)
def test_az_ids_abbreviate_the_region_as_aws_does(region, zone_id):
    context = InvokeContext("aws", region, "111122223333", lambda name: name)
    assert INVOKE_ANSWERS["aws:index/getAvailabilityZones:getAvailabilityZones"]({}, context)["zoneIds"][0] == zone_id


def test_a_public_and_a_private_zone_of_one_name_have_different_ids():
    get_zone = INVOKE_ANSWERS["aws:route53/getZone:getZone"]
    assert (
        get_zone({"name": "example.com"}, IC)["zoneId"]
        != get_zone({"name": "example.com", "privateZone": True}, IC)["zoneId"]
    )


def test_get_policy_document_is_answered_by_the_computed_document():
    answer = INVOKE_ANSWERS["aws:iam/getPolicyDocument:getPolicyDocument"](
        {"statements": [{"actions": ["s3:GetObject"]}]}, IC
    )
    assert answer["minifiedJson"] == '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}'
