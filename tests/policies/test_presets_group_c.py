"""Presets for DNS, certificates, secrets and backups: external-dns, cert-manager, external-secrets, velero,
aws-privateca-issuer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from moto.iam.policy_validation import IAMPolicyDocumentValidator

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import AddonPolicy
from irsa_components.policies.aws_privateca_issuer import aws_privateca_issuer
from irsa_components.policies.cert_manager import cert_manager
from irsa_components.policies.external_dns import external_dns
from irsa_components.policies.external_secrets import external_secrets
from irsa_components.policies.upstream import record_actions
from irsa_components.policies.velero import velero

UPSTREAM = Path(__file__).resolve().parents[1] / "data" / "upstream"

ZONE = "arn:aws:route53:::hostedzone/Z0123456789ABC"
SECRET = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/*"
PARAMETER = "arn:aws:ssm:eu-west-1:111122223333:parameter/app/*"
KEY = "arn:aws:kms:eu-west-1:111122223333:key/0123abcd-0123-abcd-0123-0123456789ab"
BUCKET = "arn:aws:s3:::velero-backups"
DNS_MANAGER = "arn:aws:iam::444455556666:role/dns-manager"
CA = "arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/0123abcd-0123-abcd-0123-0123456789ab"

READ_ONLY_PREFIXES = ("Describe", "Get", "List")


def in_partition(arn: str, partition: str) -> str:
    return arn.replace("arn:aws:", f"arn:{partition}:", 1)


def typical(partition: str = "aws") -> dict[str, AddonPolicy]:
    """Each preset built with its scope options set (external-secrets with every option)."""
    return {
        "external-dns": external_dns(hosted_zone_arns=[in_partition(ZONE, partition)], partition=partition),
        "cert-manager": cert_manager(hosted_zone_arns=[in_partition(ZONE, partition)], partition=partition),
        "external-secrets": external_secrets(
            secrets_manager_arns=[in_partition(SECRET, partition)],
            ssm_parameter_arns=[in_partition(PARAMETER, partition)],
            kms_key_arns=[in_partition(KEY, partition)],
            allow_write=True,
            partition=partition,
        ),
        "velero": velero(bucket_arns=[in_partition(BUCKET, partition)], partition=partition),
        "aws-privateca-issuer": aws_privateca_issuer(ca_arns=[in_partition(CA, partition)], partition=partition),
    }


def document(policy: AddonPolicy) -> dict[str, Any]:
    assert policy.document is not None
    return policy.document


def statements_with(policy: AddonPolicy, action: str) -> list[dict[str, Any]]:
    return [s for s in document(policy)["Statement"] if action in s["Action"]]


def resources_of(policy: AddonPolicy, action: str) -> list[str]:
    found: list[str] = []
    for stmt in statements_with(policy, action):
        resource = stmt["Resource"]
        found.extend([resource] if isinstance(resource, str) else resource)
    return found


def all_arns(doc: dict[str, Any]) -> list[str]:
    arns: list[str] = []
    for stmt in doc["Statement"]:
        resource = stmt["Resource"]
        arns.extend(r for r in ([resource] if isinstance(resource, str) else resource) if r != "*")
    return arns


# --- every preset ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(typical()))
def test_document_is_accepted_by_the_iam_validator(slug: str) -> None:
    IAMPolicyDocumentValidator(json.dumps(document(typical()[slug]))).validate()


@pytest.mark.parametrize("slug", sorted(typical()))
def test_preset_carries_its_slug_and_no_managed_policies(slug: str) -> None:
    policy = typical()[slug]
    assert policy.slug == slug
    assert policy.managed_policy_arns == []


@pytest.mark.parametrize("slug", sorted(typical()))
def test_statement_ids_are_unique_and_alphanumeric(slug: str) -> None:
    sids = [s["Sid"] for s in document(typical()[slug])["Statement"]]
    assert len(sids) == len(set(sids))
    assert all(sid.isalnum() for sid in sids)


@pytest.mark.parametrize("slug", sorted(typical()))
def test_no_write_action_is_granted_on_every_resource(slug: str) -> None:
    for stmt in document(typical()[slug])["Statement"]:
        if stmt["Resource"] == "*" or stmt["Resource"] == ["*"]:
            writes = [a for a in stmt["Action"] if not a.split(":", 1)[1].startswith(READ_ONLY_PREFIXES)]
            assert writes == [], stmt["Sid"]


@pytest.mark.parametrize("slug", sorted(typical()))
def test_document_fits_the_managed_policy_size_limit_with_ten_scope_arns(slug: str) -> None:
    many = {
        "external-dns": lambda: external_dns(hosted_zone_arns=[f"{ZONE}{i}" for i in range(10)]),
        "cert-manager": lambda: cert_manager(hosted_zone_arns=[f"{ZONE}{i}" for i in range(10)]),
        "external-secrets": lambda: external_secrets(
            secrets_manager_arns=[f"{SECRET}{i}" for i in range(10)],
            ssm_parameter_arns=[f"{PARAMETER}{i}" for i in range(10)],
            kms_key_arns=[f"{KEY}{i}" for i in range(10)],
            allow_write=True,
        ),
        "velero": lambda: velero(bucket_arns=[f"{BUCKET}{i}" for i in range(10)]),
        "aws-privateca-issuer": lambda: aws_privateca_issuer(ca_arns=[f"{CA}{i}" for i in range(10)]),
    }
    assert len(json.dumps(document(many[slug]()), separators=(",", ":"))) <= 6144


@pytest.mark.parametrize("partition", ["aws-cn", "aws-us-gov"])
@pytest.mark.parametrize("slug", sorted(typical()))
def test_every_arn_is_in_the_requested_partition(slug: str, partition: str) -> None:
    arns = all_arns(document(typical(partition)[slug]))
    assert arns
    assert all(arn.startswith(f"arn:{partition}:") for arn in arns)


@pytest.mark.parametrize(
    "build",
    [
        lambda: external_dns(hosted_zone_arns=[ZONE], partition="aws-iso"),
        lambda: cert_manager(hosted_zone_arns=[ZONE], partition="aws-iso"),
        lambda: external_secrets(secrets_manager_arns=[SECRET], partition="aws-iso"),
        lambda: velero(bucket_arns=[BUCKET], partition="aws-iso"),
        lambda: aws_privateca_issuer(ca_arns=[CA], partition="aws-iso"),
    ],
)
def test_unknown_partition_is_refused(build: Any) -> None:
    with pytest.raises(IrsaConfigError) as err:
        build()
    assert err.value.field == "partition"


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: external_dns(hosted_zone_arns=[ZONE], partition="aws-cn"), "hosted_zone_arns"),
        (lambda: cert_manager(hosted_zone_arns=[ZONE], partition="aws-us-gov"), "hosted_zone_arns"),
        (lambda: velero(bucket_arns=[BUCKET], partition="aws-cn"), "bucket_arns"),
        (lambda: aws_privateca_issuer(ca_arns=[CA], partition="aws-cn"), "ca_arns"),
        (lambda: external_secrets(secrets_manager_arns=[SECRET], partition="aws-cn"), "secrets_manager_arns"),
    ],
)
def test_scope_arn_from_another_partition_is_refused(build: Any, field: str) -> None:
    with pytest.raises(IrsaConfigError) as err:
        build()
    assert err.value.field == field


# --- external-dns -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, []])
def test_external_dns_without_hosted_zones_names_the_option(missing: list[str] | None) -> None:
    with pytest.raises(IrsaConfigError) as err:
        external_dns(hosted_zone_arns=missing)
    assert err.value.field == "hosted_zone_arns"


def test_external_dns_record_changes_listing_and_tags_are_scoped_to_the_zones() -> None:
    policy = external_dns(hosted_zone_arns=[ZONE])
    for action in (
        "route53:ChangeResourceRecordSets",
        "route53:ListResourceRecordSets",
        "route53:ListTagsForResources",
    ):
        assert resources_of(policy, action) == [ZONE]


def test_external_dns_only_zone_discovery_is_unscoped() -> None:
    unscoped = [s for s in document(external_dns(hosted_zone_arns=[ZONE]))["Statement"] if s["Resource"] == "*"]
    assert [s["Action"] for s in unscoped] == [["route53:ListHostedZones"]]


def test_external_dns_grants_every_upstream_action() -> None:
    record = json.loads((UPSTREAM / "external-dns.json").read_text())
    granted = {a for s in document(external_dns(hosted_zone_arns=[ZONE]))["Statement"] for a in s["Action"]}
    assert set(record_actions(record)) <= granted


# --- cert-manager -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, []])
def test_cert_manager_without_hosted_zones_names_the_option(missing: list[str] | None) -> None:
    with pytest.raises(IrsaConfigError) as err:
        cert_manager(hosted_zone_arns=missing)
    assert err.value.field == "hosted_zone_arns"


def test_cert_manager_changes_only_acme_challenge_txt_records_in_the_zones() -> None:
    [change] = statements_with(cert_manager(hosted_zone_arns=[ZONE]), "route53:ChangeResourceRecordSets")
    assert change["Resource"] == [ZONE]
    assert change["Condition"] == {
        "ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsRecordTypes": ["TXT"]},
        "ForAllValues:StringLike": {"route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"]},
    }


def test_cert_manager_reads_records_of_the_zones_only() -> None:
    assert resources_of(cert_manager(hosted_zone_arns=[ZONE]), "route53:ListResourceRecordSets") == [ZONE]


def test_cert_manager_polls_changes_by_change_arn() -> None:
    policy = cert_manager(hosted_zone_arns=[ZONE])
    assert resources_of(policy, "route53:GetChange") == ["arn:aws:route53:::change/*"]
    cn = cert_manager(hosted_zone_arns=[in_partition(ZONE, "aws-cn")], partition="aws-cn")
    assert resources_of(cn, "route53:GetChange") == ["arn:aws-cn:route53:::change/*"]


def test_cert_manager_grants_every_upstream_action() -> None:
    record = json.loads((UPSTREAM / "cert-manager.json").read_text())
    policy = cert_manager(hosted_zone_arns=[ZONE], assume_role_arns=[DNS_MANAGER])
    granted = {a for s in document(policy)["Statement"] for a in s["Action"]}
    assert set(record_actions(record)) <= granted


def test_cert_manager_cross_account_only_assumes_the_zone_owner_role() -> None:
    policy = cert_manager(assume_role_arns=[DNS_MANAGER])
    assert document(policy)["Statement"] == [
        {"Sid": "AssumeZoneOwnerRoles", "Effect": "Allow", "Action": ["sts:AssumeRole"], "Resource": [DNS_MANAGER]}
    ]


def test_cert_manager_without_zones_or_roles_names_hosted_zone_arns() -> None:
    with pytest.raises(IrsaConfigError) as err:
        cert_manager()
    assert err.value.field == "hosted_zone_arns"
    assert "assume_role_arns" in err.value.problem


# --- external-secrets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("secrets", "parameters"), [(None, None), ([], []), ([], None)])
def test_external_secrets_without_any_store_names_both_options(
    secrets: list[str] | None, parameters: list[str] | None
) -> None:
    with pytest.raises(IrsaConfigError) as err:
        external_secrets(secrets_manager_arns=secrets, ssm_parameter_arns=parameters)
    assert "secrets_manager_arns" in err.value.field
    assert "ssm_parameter_arns" in err.value.field


def test_external_secrets_refuses_a_kms_arn_that_is_not_a_key() -> None:
    with pytest.raises(IrsaConfigError) as err:
        external_secrets(secrets_manager_arns=[SECRET], kms_key_arns=[SECRET])
    assert err.value.field == "kms_key_arns"


def test_external_secrets_is_read_only_by_default() -> None:
    doc = document(external_secrets(secrets_manager_arns=[SECRET], ssm_parameter_arns=[PARAMETER]))
    actions = {a for s in doc["Statement"] for a in s["Action"]}
    assert actions == {
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetResourcePolicy",
        "secretsmanager:GetSecretValue",
        "secretsmanager:ListSecretVersionIds",
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
        "ssm:ListTagsForResource",
    }


def test_external_secrets_scopes_reads_to_the_given_secrets_and_parameters() -> None:
    policy = external_secrets(secrets_manager_arns=[SECRET], ssm_parameter_arns=[PARAMETER])
    assert resources_of(policy, "secretsmanager:GetSecretValue") == [SECRET]
    assert resources_of(policy, "ssm:GetParametersByPath") == [PARAMETER]


def test_external_secrets_with_only_parameters_grants_no_secrets_manager_access() -> None:
    doc = document(external_secrets(ssm_parameter_arns=[PARAMETER], allow_write=True))
    assert not [a for s in doc["Statement"] for a in s["Action"] if a.startswith("secretsmanager:")]


def test_external_secrets_allow_write_adds_push_actions_on_the_same_arns() -> None:
    policy = external_secrets(secrets_manager_arns=[SECRET], ssm_parameter_arns=[PARAMETER], allow_write=True)
    for action in (
        "secretsmanager:CreateSecret",
        "secretsmanager:PutSecretValue",
        "secretsmanager:TagResource",
    ):
        assert resources_of(policy, action) == [SECRET]
    for action in (
        "ssm:PutParameter",
        "ssm:AddTagsToResource",
        "ssm:RemoveTagsFromResource",
        "ssm:DeleteParameter",
    ):
        assert resources_of(policy, action) == [PARAMETER]


def test_external_secrets_deletes_only_secrets_it_manages() -> None:
    policy = external_secrets(secrets_manager_arns=[SECRET], allow_write=True)
    [delete] = statements_with(policy, "secretsmanager:DeleteSecret")
    assert delete["Action"] == ["secretsmanager:DeleteSecret"]
    assert delete["Condition"] == {"StringEquals": {"secretsmanager:ResourceTag/managed-by": "external-secrets"}}


def test_external_secrets_without_kms_keys_grants_no_kms_action() -> None:
    doc = document(external_secrets(secrets_manager_arns=[SECRET], allow_write=True))
    assert not [a for s in doc["Statement"] for a in s["Action"] if a.startswith("kms:")]


def test_external_secrets_kms_keys_get_decrypt_only_when_read_only() -> None:
    policy = external_secrets(secrets_manager_arns=[SECRET], kms_key_arns=[KEY])
    kms_actions = {a for s in document(policy)["Statement"] for a in s["Action"] if a.startswith("kms:")}
    assert kms_actions == {"kms:Decrypt"}
    assert resources_of(policy, "kms:Decrypt") == [KEY]


def test_external_secrets_kms_keys_also_encrypt_when_writing() -> None:
    policy = external_secrets(secrets_manager_arns=[SECRET], kms_key_arns=[KEY], allow_write=True)
    for action in ("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"):
        assert resources_of(policy, action) == [KEY]


# --- velero -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, [], "arn:aws:s3:::velero-backups"])
def test_velero_without_a_bucket_list_names_the_option(missing: Any) -> None:
    with pytest.raises(IrsaConfigError) as err:
        velero(bucket_arns=missing)
    assert err.value.field == "bucket_arns"


def test_velero_accepts_s3_arns_without_region_or_account() -> None:
    assert resources_of(velero(bucket_arns=[BUCKET]), "s3:ListBucket") == [BUCKET]


def test_velero_object_access_is_limited_to_objects_in_the_buckets() -> None:
    policy = velero(bucket_arns=[BUCKET])
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"):
        assert resources_of(policy, action) == [f"{BUCKET}/*"]


def test_velero_ec2_writes_are_limited_to_volumes_and_snapshots() -> None:
    policy = velero(bucket_arns=[BUCKET])
    volumes, snapshots = "arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*::snapshot/*"
    assert resources_of(policy, "ec2:CreateSnapshot") == [volumes, snapshots]
    assert resources_of(policy, "ec2:CreateVolume") == [volumes, snapshots]
    assert resources_of(policy, "ec2:DeleteSnapshot") == [snapshots]


def test_velero_may_only_tag_while_creating_volumes_and_snapshots() -> None:
    [tag] = statements_with(velero(bucket_arns=[BUCKET]), "ec2:CreateTags")
    assert tag["Condition"] == {"StringEquals": {"ec2:CreateAction": ["CreateSnapshot", "CreateVolume"]}}


def test_velero_by_default_grants_upstreams_policy_with_object_tagging() -> None:
    record = json.loads((UPSTREAM / "velero.json").read_text())
    granted = {a for s in document(velero(bucket_arns=[BUCKET]))["Statement"] for a in s["Action"]}
    assert granted == set(record["sources"][0]["actions"])
    assert "s3:PutObjectTagging" in granted


def test_velero_without_object_tagging_drops_only_put_object_tagging() -> None:
    with_tagging = {a for s in document(velero(bucket_arns=[BUCKET]))["Statement"] for a in s["Action"]}
    policy = velero(bucket_arns=[BUCKET], allow_object_tagging=False)
    assert with_tagging - {a for s in document(policy)["Statement"] for a in s["Action"]} == {"s3:PutObjectTagging"}


def test_velero_kms_keys_get_the_documented_actions_on_those_keys() -> None:
    record = json.loads((UPSTREAM / "velero.json").read_text())
    policy = velero(bucket_arns=[BUCKET], kms_key_arns=[KEY])
    (on_keys,) = [s for s in document(policy)["Statement"] if s["Resource"] == [KEY]]
    (listing,) = [s for s in document(policy)["Statement"] if s["Action"] == ["kms:ListRetirableGrants"]]
    assert set(on_keys["Action"]) | {"kms:ListRetirableGrants"} == set(record["sources"][1]["actions"])
    assert listing["Resource"] == "*"


def test_velero_path_arns_replace_bucket_wide_object_access() -> None:
    path = f"{BUCKET}/cluster-a/*"
    policy = velero(bucket_arns=[BUCKET], path_arns=[path])
    (objects,) = [s for s in document(policy)["Statement"] if "s3:GetObject" in s["Action"]]
    assert objects["Resource"] == [path]
    (listing,) = [s for s in document(policy)["Statement"] if s["Action"] == ["s3:ListBucket"]]
    assert listing["Resource"] == [BUCKET]


@pytest.mark.parametrize("path", ["arn:aws:s3:::other-bucket/x/*", f"{BUCKET}"])
def test_velero_path_outside_the_buckets_is_refused(path: str) -> None:
    with pytest.raises(IrsaConfigError) as err:
        velero(bucket_arns=[BUCKET], path_arns=[path])
    assert (err.value.field, err.value.value) == ("path_arns", path)


# --- aws-privateca-issuer ---------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", [None, []])
def test_privateca_issuer_without_cas_names_the_option(missing: list[str] | None) -> None:
    with pytest.raises(IrsaConfigError) as err:
        aws_privateca_issuer(ca_arns=missing)
    assert err.value.field == "ca_arns"


def test_privateca_issuer_is_the_exact_upstream_document_scoped_to_the_cas() -> None:
    other = CA.replace("0123abcd-0123", "4567cdef-4567")
    assert document(aws_privateca_issuer(ca_arns=[CA, other])) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "IssueFromPrivateCAs",
                "Effect": "Allow",
                "Action": [
                    "acm-pca:DescribeCertificateAuthority",
                    "acm-pca:GetCertificate",
                    "acm-pca:IssueCertificate",
                ],
                "Resource": [CA, other],
            }
        ],
    }
