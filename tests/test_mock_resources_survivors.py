"""What the mocks answer for a resource, pinned where the first mutation run of ``mock_resources.py`` found it
unspecified.

- the derived identifiers: ``digest`` (SHA-256 of the parts joined by ``/``), the version-4 shape of
  ``fake_uuid`` (its variant nibble drawn from the hash), ``alnum_id`` and ``secret_suffix``;
- the complete state of each row with extra outputs (S3 domain names, DynamoDB streams, SQS URL, KMS key ID
  and alias target, ECR URL, Route 53 zone ID and name servers, Lambda invoke/qualified ARNs, RDS resource ID
  and endpoint, EFS DNS name, EKS issuer/endpoint/version, IAM user unique ID);
- names: ``<name>Prefix`` gives the prefix and 26 digits, an empty name is auto-named, ``.fifo`` only for FIFO
  queues;
- types without a row: the generic ARN, no ARN when the type has none, the logical name (and a ``-id``
  placeholder ID) when the type has no name;
- an ``arn`` or any extra output given as input wins; ``tags`` become ``tagsAll``;
- Kubernetes: the five cluster-scoped kinds have no namespace and are named by name alone, namespaced
  kinds default to ``default``, ``apiVersion``/``kind`` derived from the token unless given, ``metadata.uid``
  known only after creation.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from irsa_components.mock_resources import (
    Context,
    alnum_id,
    default_issuer,
    digest,
    fake_uuid,
    kubernetes_outputs,
    resource_outputs,
    secret_suffix,
)

CTX = Context("aws", "us-east-2", "111122223333")
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


# ---- derived identifiers ------------------------------------------------------------------------------------


def test_digest_is_the_start_of_the_sha256_of_the_parts_joined_by_a_slash():
    # sha256("a/b") = c14cddc033f64b9dea80ea675cf280a015e672516090a5626781153dc68fea11
    assert digest("a", "b") == "c14cddc033f64b9dea80ea675cf280a0"
    assert digest("a", "b", length=7) == "c14cddc"


def test_fake_uuid_is_the_hash_in_uuid4_shape_with_its_variant_from_the_seventeenth_digit():
    # sha256("a") = ca978112ca1bbdcafac231b39a23dc4d...: digit 13 becomes the version 4, digit 17 ("f") picks "b".
    assert fake_uuid("a") == "ca978112-ca1b-4dca-bac2-31b39a23dc4d"
    # sha256("b") = 3e23e8160039594a33894f6564e1b134...: digit 17 is "3", also "b" (3 mod 4).
    assert fake_uuid("b") == "3e23e816-0039-494a-b389-4f6564e1b134"


def test_fake_uuids_use_all_four_variants():
    uuids = [fake_uuid(str(n)) for n in range(64)]
    assert all(UUID4.match(u) for u in uuids)
    assert {u[19] for u in uuids} == {"8", "9", "a", "b"}


def test_alnum_id_and_secret_suffix_have_their_length_and_alphabet():
    assert alnum_id("zone", "x", length=20) == "ZQACU8HZADZ6EXYEMS9N"
    assert alnum_id("q", length=5) == "S4IOP"
    assert secret_suffix("orders") == "BRXKos"
    assert secret_suffix("a", "b") == "88RWmY"


def test_the_default_issuer_is_the_eks_oidc_url_with_an_uppercase_id():
    assert (
        default_issuer("us-east-2", "prod")
        == "https://oidc.eks.us-east-2.amazonaws.com/id/6754AF9632A2745E85C293E5AAC08633"
    )


# ---- the whole state of rows with extra outputs ---------------------------------------------------------------

EXPECTED_STATES: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    (
        "aws:s3/bucketV2:BucketV2",
        {"bucket": "logs"},
        "logs",
        {
            "bucket": "logs",
            "arn": "arn:aws:s3:::logs",
            "bucketDomainName": "logs.s3.amazonaws.com",
            "bucketRegionalDomainName": "logs.s3.us-east-2.amazonaws.com",
            "region": "us-east-2",
            "hostedZoneId": "Z2O1EMRO9K5GLX",
        },
    ),
    (
        "aws:dynamodb/table:Table",
        {"name": "orders", "streamEnabled": True},
        "orders",
        {
            "name": "orders",
            "streamEnabled": True,
            "arn": "arn:aws:dynamodb:us-east-2:111122223333:table/orders",
            "streamLabel": "2026-01-01T00:00:00.000",
            "streamArn": "arn:aws:dynamodb:us-east-2:111122223333:table/orders/stream/2026-01-01T00:00:00.000",
        },
    ),
    (
        "aws:dynamodb/table:Table",
        {"name": "orders"},
        "orders",
        {"name": "orders", "arn": "arn:aws:dynamodb:us-east-2:111122223333:table/orders"},
    ),
    (
        "aws:sqs/queue:Queue",
        {"name": "orders"},
        "https://sqs.us-east-2.amazonaws.com/111122223333/orders",
        {
            "name": "orders",
            "arn": "arn:aws:sqs:us-east-2:111122223333:orders",
            "url": "https://sqs.us-east-2.amazonaws.com/111122223333/orders",
        },
    ),
    (
        "aws:kms/key:Key",
        {},
        "4310cacd-7e32-44dc-aa0f-0da53732ebd3",
        {
            "arn": "arn:aws:kms:us-east-2:111122223333:key/4310cacd-7e32-44dc-aa0f-0da53732ebd3",
            "keyId": "4310cacd-7e32-44dc-aa0f-0da53732ebd3",
        },
    ),
    (
        "aws:kms/alias:Alias",
        {"name": "alias/orders", "targetKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab"},
        "alias/orders",
        {
            "name": "alias/orders",
            "targetKeyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn": "arn:aws:kms:us-east-2:111122223333:alias/orders",
            "targetKeyArn": "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
    ),
    (
        "aws:kms/alias:Alias",
        {"name": "alias/orders"},
        "alias/orders",
        {"name": "alias/orders", "arn": "arn:aws:kms:us-east-2:111122223333:alias/orders"},
    ),
    (
        "aws:ecr/repository:Repository",
        {"name": "orders"},
        "orders",
        {
            "name": "orders",
            "arn": "arn:aws:ecr:us-east-2:111122223333:repository/orders",
            "repositoryUrl": "111122223333.dkr.ecr.us-east-2.amazonaws.com/orders",
            "registryId": "111122223333",
        },
    ),
    (
        "aws:route53/zone:Zone",
        {"name": "example.com"},
        "ZVRZLKX2WFJLAQJSIOU8X",
        {
            "name": "example.com",
            "arn": "arn:aws:route53:::hostedzone/ZVRZLKX2WFJLAQJSIOU8X",
            "zoneId": "ZVRZLKX2WFJLAQJSIOU8X",
            "nameServers": ["ns-1.awsdns-01.com", "ns-2.awsdns-02.net", "ns-3.awsdns-03.org"],
        },
    ),
    (
        "aws:lambda/function:Function",
        {"name": "orders"},
        "orders",
        {
            "name": "orders",
            "arn": "arn:aws:lambda:us-east-2:111122223333:function:orders",
            "invokeArn": "arn:aws:apigateway:us-east-2:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:us-east-2:111122223333:function:orders/invocations",
            "qualifiedArn": "arn:aws:lambda:us-east-2:111122223333:function:orders:$LATEST",
            "version": "$LATEST",
        },
    ),
    (
        "aws:rds/instance:Instance",
        {"identifier": "orders-db"},
        "db-ZN7Y5K1ARME1KPRZITL96EL027",
        {
            "identifier": "orders-db",
            "arn": "arn:aws:rds:us-east-2:111122223333:db:orders-db",
            "resourceId": "db-ZN7Y5K1ARME1KPRZITL96EL027",
            "endpoint": "orders-db.zn7y5k1arme1.us-east-2.rds.amazonaws.com:5432",
        },
    ),
    (
        "aws:efs/fileSystem:FileSystem",
        {},
        "fs-ecdc54a4eabe3c5da",
        {
            "arn": "arn:aws:elasticfilesystem:us-east-2:111122223333:file-system/fs-ecdc54a4eabe3c5da",
            "dnsName": "fs-ecdc54a4eabe3c5da.efs.us-east-2.amazonaws.com",
        },
    ),
    (
        "aws:eks/cluster:Cluster",
        {"name": "prod"},
        "prod",
        {
            "name": "prod",
            "arn": "arn:aws:eks:us-east-2:111122223333:cluster/prod",
            "identities": [
                {"oidcs": [{"issuer": "https://oidc.eks.us-east-2.amazonaws.com/id/6754AF9632A2745E85C293E5AAC08633"}]}
            ],
            "endpoint": "https://6754AF9632A2745E85C293E5AAC08633.gr7.us-east-2.eks.amazonaws.com",
            "certificateAuthority": {"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"},
            "clusterId": "d5fa379d-f837-4655-8b36-5b2f0f189115",
            "platformVersion": "eks.9",
            "status": "ACTIVE",
            "version": "1.33",
        },
    ),
    (
        "aws:iam/user:User",
        {"name": "ci"},
        "ci",
        {"name": "ci", "arn": "arn:aws:iam::111122223333:user/ci", "uniqueId": "AIDASFRZ925X73IADL67N"},
    ),
]


@pytest.mark.parametrize(
    ("type_token", "inputs", "resource_id", "state"),
    EXPECTED_STATES,
    ids=[f"{t}-{sorted(i)}" for t, i, *_ in EXPECTED_STATES],
)
def test_the_whole_state_of_a_row_with_extra_outputs(type_token, inputs, resource_id, state):
    got_id, got_state, computed = resource_outputs(type_token, "res", inputs, CTX, has_name=True)
    assert (got_id, got_state) == (resource_id, state)
    assert computed == set(state) - set(inputs)


def test_an_eks_cluster_keeps_the_version_it_was_given():
    _, state, computed = resource_outputs(
        "aws:eks/cluster:Cluster", "c", {"name": "prod", "version": "1.31"}, CTX, has_name=True
    )
    assert state["version"] == "1.31" and "version" not in computed


def test_an_rds_instance_without_identifier_is_auto_named_before_creation_and_its_endpoint_follows():
    resource_id, state, computed = resource_outputs("aws:rds/instance:Instance", "db", {}, CTX, has_name=True)
    assert resource_id == "db-HDQF3G187LF9DL2PBWA4RG9ZGZ"
    assert state == {
        "identifier": "db-7bdc25d",
        "arn": "arn:aws:rds:us-east-2:111122223333:db:db-7bdc25d",
        "resourceId": "db-HDQF3G187LF9DL2PBWA4RG9ZGZ",
        "endpoint": "db-7bdc25d.hdqf3g187lf9.us-east-2.rds.amazonaws.com:5432",
    }
    assert "identifier" not in computed


# ---- names -----------------------------------------------------------------------------------------------------


def test_a_name_prefix_gives_the_prefix_and_26_digits():
    # Terraform's name_prefix appends a 26-character unique suffix (id.PrefixedUniqueId).
    resource_id, state, _ = resource_outputs(
        "aws:sns/topic:Topic", "events", {"namePrefix": "events-"}, CTX, has_name=True
    )
    assert state["name"] == "events-00000000000147489575004099"
    assert resource_id == state["arn"] == "arn:aws:sns:us-east-2:111122223333:events-00000000000147489575004099"
    _, rds, _ = resource_outputs("aws:rds/instance:Instance", "db", {"identifierPrefix": "app-"}, CTX, has_name=True)
    assert rds["identifier"] == "app-00000000000136185457502542"


def test_an_empty_name_is_auto_named():
    _, state, _ = resource_outputs("aws:sqs/queue:Queue", "jobs", {"name": ""}, CTX, has_name=True)
    assert state["name"] == "jobs-5d9a17c"


def test_only_fifo_queues_get_the_fifo_suffix():
    _, fifo, _ = resource_outputs("aws:sqs/queue:Queue", "jobs", {"fifoQueue": True}, CTX, has_name=True)
    _, standard, _ = resource_outputs("aws:sqs/queue:Queue", "jobs", {"fifoQueue": False}, CTX, has_name=True)
    _, other, _ = resource_outputs("aws:mq/broker:Broker", "mq", {"fifoQueue": True}, CTX, has_name=True)
    assert (fifo["name"], standard["name"], other["name"]) == ("jobs-5d9a17c.fifo", "jobs-5d9a17c", "mq-d4a2b73")


# ---- types without a row --------------------------------------------------------------------------------------


def test_a_type_without_name_or_arn_gets_a_placeholder_id_and_no_arn():
    assert resource_outputs(
        "aws:lambda/permission:Permission", "p", {"action": "lambda:InvokeFunction"}, CTX, has_name=False, has_arn=False
    ) == (
        "p-id",
        {"action": "lambda:InvokeFunction"},
        frozenset(),
    )


def test_a_named_type_without_arn_is_auto_named_and_named_by_its_id():
    assert resource_outputs("aws:lambda/permission:Permission", "p", {}, CTX, has_name=True, has_arn=False) == (
        "p-148de9c",
        {"name": "p-148de9c"},
        frozenset(),
    )


def test_a_type_without_name_has_an_arn_from_its_logical_name():
    assert resource_outputs("aws:ecs/taskDefinition:TaskDefinition", "td", {}, CTX, has_name=False, has_arn=True) == (
        "td-id",
        {"arn": "arn:aws:ecs:us-east-2:111122223333:task-definition/td"},
        frozenset({"arn"}),
    )


def test_a_row_has_its_arn_and_name_whatever_the_schema_lookup_says():
    assert resource_outputs("aws:iam/user:User", "u", {"name": "ci"}, CTX, has_name=False, has_arn=False) == (
        "ci",
        {"name": "ci", "arn": "arn:aws:iam::111122223333:user/ci", "uniqueId": "AIDASFRZ925X73IADL67N"},
        frozenset({"arn", "uniqueId"}),
    )
    resource_id, vpc, _ = resource_outputs("aws:ec2/vpc:Vpc", "v", {}, CTX, has_name=False, has_arn=False)
    assert (resource_id, vpc) == (
        "vpc-756e143976d8a3865",
        {"arn": "arn:aws:ec2:us-east-2:111122223333:vpc/vpc-756e143976d8a3865"},
    )


# ---- inputs win ------------------------------------------------------------------------------------------------


def test_an_arn_and_extra_outputs_given_as_inputs_are_kept_and_tags_become_tags_all():
    _, state, computed = resource_outputs(
        "aws:sqs/queue:Queue",
        "jobs",
        {"name": "q", "arn": "arn:aws:sqs:us-east-2:111122223333:given", "tags": {"team": "data"}},
        CTX,
        has_name=True,
    )
    assert state == {
        "name": "q",
        "arn": "arn:aws:sqs:us-east-2:111122223333:given",
        "tags": {"team": "data"},
        "url": "https://sqs.us-east-2.amazonaws.com/111122223333/q",
        "tagsAll": {"team": "data"},
    }
    assert computed == {"url", "tagsAll"}
    _, user, user_computed = resource_outputs(
        "aws:iam/user:User", "u", {"name": "ci", "uniqueId": "AIDAGIVEN"}, CTX, has_name=True
    )
    assert user["uniqueId"] == "AIDAGIVEN" and user_computed == {"arn"}


# ---- Kubernetes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_token", "api_version"),
    [
        ("kubernetes:core/v1:Namespace", "v1"),
        ("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "rbac.authorization.k8s.io/v1"),
        ("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "rbac.authorization.k8s.io/v1"),
        ("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", "apiextensions.k8s.io/v1"),
        ("kubernetes:storage.k8s.io/v1:StorageClass", "storage.k8s.io/v1"),
    ],
)
def test_cluster_scoped_kinds_have_no_namespace_and_are_named_by_name(type_token, api_version):
    resource_id, state, computed = kubernetes_outputs(type_token, "x", {"metadata": {"name": "n"}})
    assert resource_id == "n"
    assert set(state["metadata"]) == {"name", "uid"}
    assert (state["apiVersion"], state["kind"]) == (api_version, type_token.rsplit(":", 1)[1])
    assert computed == {"metadata.uid"}


def test_a_namespaced_kind_defaults_to_the_default_namespace_and_derives_api_version_and_kind():
    resource_id, state, computed = kubernetes_outputs(
        "kubernetes:apps/v1:Deployment", "web", {"metadata": {"name": "web"}}
    )
    assert resource_id == "default/web"
    assert state["metadata"] == {
        "name": "web",
        "namespace": "default",
        "uid": fake_uuid("uid", "kubernetes:apps/v1:Deployment", "web"),
    }
    assert (state["apiVersion"], state["kind"]) == ("apps/v1", "Deployment")
    assert computed == {"metadata.uid"}


def test_a_given_namespace_api_version_and_kind_are_kept_and_an_absent_name_is_auto_named():
    resource_id, state, _ = kubernetes_outputs(
        "kubernetes:core/v1:ServiceAccount", "sa", {"metadata": {"namespace": "team"}, "apiVersion": "v9", "kind": "K"}
    )
    assert resource_id == "team/sa-4cf6829"
    assert (state["metadata"]["name"], state["apiVersion"], state["kind"]) == ("sa-4cf6829", "v9", "K")


def test_an_object_without_metadata_gets_all_of_it():
    resource_id, state, _ = kubernetes_outputs("kubernetes:core/v1:ServiceAccount", "sa", {})
    assert resource_id == "default/sa-4cf6829"
    assert state == {
        "metadata": {"name": "sa-4cf6829", "namespace": "default", "uid": "6ad1a0cf-ef74-451d-ad73-002fd902986f"},
        "apiVersion": "v1",
        "kind": "ServiceAccount",
    }
