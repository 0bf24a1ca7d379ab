"""Behaviours of the validators added for unknown keys, partitions, labels and tags, each at the edge a mistake
would move: every partition, a valid condition beside an unknown one, suggestions that are themselves valid."""

from __future__ import annotations

import pytest

from irsa_components import IrsaConfigError
from irsa_components.validation import (
    PARTITIONS,
    parse_policy_document,
    suggest_label_value,
    unique_child_names,
    validate_label_value,
    validate_policy_arn,
    validate_role_arn,
    validate_tags,
)

C = "ServiceAccountRole 'app'"


@pytest.mark.parametrize("partition", PARTITIONS)
def test_every_aws_partition_is_accepted_in_role_and_policy_arns(partition):
    assert validate_role_arn(C, f"arn:{partition}:iam::123456789012:role/app")
    assert validate_policy_arn(C, f"arn:{partition}:iam::123456789012:policy/app")


def test_the_partitions_are_botocores_eight():
    assert set(PARTITIONS) == {
        "aws",
        "aws-cn",
        "aws-us-gov",
        "aws-iso",
        "aws-iso-b",
        "aws-iso-e",
        "aws-iso-f",
        "aws-eusc",
    }


def test_a_known_condition_operator_is_accepted_and_an_unknown_one_refused_with_the_nearest():
    allowed = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    good = {"Statement": [{**allowed, "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}}]}
    assert parse_policy_document(C, good, field="p") == good
    bad = {"Statement": [{**allowed, "Condition": {"StringEqualz": {"aws:ResourceTag/team": "a"}}}]}
    with pytest.raises(IrsaConfigError) as err:
        parse_policy_document(C, bad, field="p")
    assert "StringEquals" in err.value.fix


@pytest.mark.parametrize("value", ["team a!", "-lead-", "x" * 80, "é-team", "a_b.c"])
def test_a_suggested_label_value_is_a_valid_label_value(value):
    suggestion = suggest_label_value(value)
    assert validate_label_value(C, "team", suggestion, field="service_account_labels") == suggestion


def test_tag_keys_differing_only_in_case_are_one_key_on_a_role_only():
    tags = {"Team": "a", "team": "b"}
    assert validate_tags(C, tags) == tags
    with pytest.raises(IrsaConfigError):
        validate_tags(C, tags, role=True)


def test_child_names_stay_unique_when_two_claims_share_a_name():
    names = unique_child_names([("app", "a"), ("app", "b"), ("app", "c")])
    assert len(set(names)) == 3
    assert names[0] == "app"


def test_an_issuer_url_of_255_characters_is_accepted_and_256_refused():
    from irsa_components.validation import validate_issuer_url

    base = "https://oidc.eks.eu-west-1.amazonaws.com/id/"
    at_limit = base + "A" * (255 - len(base))
    assert validate_issuer_url(C, at_limit) == at_limit
    with pytest.raises(IrsaConfigError):
        validate_issuer_url(C, at_limit + "A")


# IAM User Guide, "IAM JSON policy elements: Condition operators".
DOCUMENTED_OPERATORS = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
]


@pytest.mark.parametrize("operator", [*DOCUMENTED_OPERATORS, *(f"{op}IfExists" for op in DOCUMENTED_OPERATORS), "Null"])
def test_every_documented_condition_operator_is_accepted(operator):
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {operator: {"aws:k": "1"}}}
    assert parse_policy_document(C, {"Statement": [statement]}, field="p")["Statement"] == [statement]


@pytest.mark.parametrize(
    "value,ok", [("600", True), ("86400", True), ("599", False), ("86401", False), ("1h", False), ("", False)]
)
def test_token_expiration_is_600_to_86400_whole_seconds(value, ok):
    from irsa_components.validation import validate_webhook_annotations

    annotations = {"eks.amazonaws.com/token-expiration": value}
    if ok:
        validate_webhook_annotations(C, annotations)
    else:
        with pytest.raises(IrsaConfigError):
            validate_webhook_annotations(C, annotations)
