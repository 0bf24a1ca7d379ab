"""Behaviours the last mutation run of ``validation.py`` found unspecified: limits on both sides of the edge,
non-list and non-mapping inputs, the partition a refusal names, and child names that stay unique and stable."""

from __future__ import annotations

import hashlib

import pytest

from irsa_components import IrsaConfigError
from irsa_components.validation import (
    MAX_ANNOTATIONS_SIZE,
    TOKEN_EXPIRATION_RANGE,
    SamePartition,
    unique_child_names,
    validate_annotations,
    validate_client_ids,
    validate_path,
    validate_tags,
    validate_webhook_annotations,
)

C = "ServiceAccountRole 'app'"


# ---- IAM path: the suggested fix for a wildcard path is offered only while it is itself a valid path --------


def test_a_wildcard_path_of_512_characters_once_cleaned_gets_the_cleaned_path_as_its_fix():
    cleaned = "/" + "a" * 510 + "/"
    assert len(cleaned) == 512
    assert validate_path(C, cleaned) == cleaned
    with pytest.raises(IrsaConfigError) as err:
        validate_path(C, "/" + "a" * 510 + "*/")
    assert err.value.fix == f"use e.g. {cleaned!r}"


def test_a_wildcard_path_of_513_characters_once_cleaned_gets_no_suggestion_iam_would_refuse():
    too_long = "/" + "a" * 511 + "/"
    with pytest.raises(IrsaConfigError):
        validate_path(C, too_long)
    with pytest.raises(IrsaConfigError) as err:
        validate_path(C, "/" + "a" * 511 + "?/")
    assert err.value.fix == "remove '*' and '?' from the path"


# ---- OIDC client IDs: a list of at least one audience --------------------------------------------------------


@pytest.mark.parametrize("value", [[], (), "sts.amazonaws.com", None, 3])
def test_client_ids_that_are_empty_or_not_a_list_are_refused(value):
    with pytest.raises(IrsaConfigError) as err:
        validate_client_ids(C, value)
    assert err.value.field == "client_ids"
    assert "sts.amazonaws.com" in err.value.fix


def test_one_client_id_is_enough():
    assert validate_client_ids(C, ["sts.amazonaws.com"]) == ["sts.amazonaws.com"]


# ---- tags: a fix never suggests the reserved 'aws:' prefix --------------------------------------------------


def test_an_invalid_tag_value_with_the_reserved_prefix_is_not_fixed_into_another_reserved_value():
    with pytest.raises(IrsaConfigError) as err:
        validate_tags(C, {"team": "aws:platform!"})
    assert err.value.fix == "rename the tag"


def test_an_invalid_tag_value_without_the_prefix_gets_a_valid_suggestion():
    with pytest.raises(IrsaConfigError) as err:
        validate_tags(C, {"team": "platform!"})
    assert err.value.fix == "use e.g. 'platform-'"
    assert validate_tags(C, {"team": "platform-"}) == {"team": "platform-"}


# ---- ServiceAccount annotations ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [["a=b"], "example.com/team=a", 1])
def test_annotations_that_are_not_a_mapping_are_refused_as_a_config_error(value):
    with pytest.raises(IrsaConfigError) as err:
        validate_annotations(C, value)
    assert err.value.field == "service_account_annotations"


def test_annotations_of_exactly_256_kib_are_accepted():
    annotations = {"a": "x" * (MAX_ANNOTATIONS_SIZE - 1)}
    assert MAX_ANNOTATIONS_SIZE == 256 * 1024
    assert validate_annotations(C, annotations) == annotations


def test_annotations_one_byte_over_256_kib_are_refused():
    with pytest.raises(IrsaConfigError) as err:
        validate_annotations(C, {"a": "x" * MAX_ANNOTATIONS_SIZE})
    assert err.value.value == f"{MAX_ANNOTATIONS_SIZE + 1} bytes"


def test_multibyte_annotation_values_count_in_bytes():
    # 'é' is 2 bytes in UTF-8: half as many characters reach the limit.
    with pytest.raises(IrsaConfigError):
        validate_annotations(C, {"a": "é" * (MAX_ANNOTATIONS_SIZE // 2)})


# ---- annotations the pod identity webhook reads --------------------------------------------------------------


@pytest.mark.parametrize("value", ["true", "false"])
def test_sts_regional_endpoints_accepts_true_and_false(value):
    validate_webhook_annotations(C, {"eks.amazonaws.com/sts-regional-endpoints": value})


@pytest.mark.parametrize("value", ["yes", "True", ""])
def test_sts_regional_endpoints_refuses_anything_else(value):
    with pytest.raises(IrsaConfigError):
        validate_webhook_annotations(C, {"eks.amazonaws.com/sts-regional-endpoints": value})


def test_a_refused_token_expiration_names_the_range_the_webhook_honours():
    assert TOKEN_EXPIRATION_RANGE == (600, 86400)
    with pytest.raises(IrsaConfigError) as err:
        validate_webhook_annotations(C, {"eks.amazonaws.com/token-expiration": "599"})
    assert "from 600 to 86400" in err.value.problem


# ---- one partition per component -----------------------------------------------------------------------------

AWS_ROLE = "arn:aws:iam::111122223333:role/app"
CN_ROLE = "arn:aws-cn:iam::111122223333:role/app"


def test_a_second_partition_is_refused_naming_both_arns():
    partitions = SamePartition(C)
    partitions.check("role_arn", AWS_ROLE)
    with pytest.raises(IrsaConfigError) as err:
        partitions.check("target_role_arn", CN_ROLE)
    assert err.value.field == "target_role_arn"
    assert err.value.value == CN_ROLE
    assert f"role_arn={AWS_ROLE!r}" in err.value.problem
    assert "'aws-cn'" in err.value.problem


def test_a_partition_given_without_an_arn_is_named_by_the_partition_itself():
    partitions = SamePartition(C)
    partitions.check_partition("addon_policies['karpenter'].partition", "aws-us-gov")
    with pytest.raises(IrsaConfigError) as err:
        partitions.check("role_arn", AWS_ROLE)
    assert "addon_policies['karpenter'].partition='aws-us-gov'" in err.value.problem

    partitions = SamePartition(C)
    partitions.check("role_arn", AWS_ROLE)
    with pytest.raises(IrsaConfigError) as err:
        partitions.check_partition("addon_policies['karpenter'].partition", "aws-us-gov")
    assert err.value.value == "aws-us-gov"


def test_arns_of_one_partition_and_non_arns_pass():
    partitions = SamePartition(C)
    assert partitions.check("role_arn", AWS_ROLE) == AWS_ROLE
    assert partitions.check("policy_arn", "arn:aws:iam::aws:policy/ReadOnlyAccess")
    assert partitions.check("name", "not-an-arn") == "not-an-arn"
    partitions.check_partition("addon_policies['karpenter'].partition", "aws")


# ---- unique child names --------------------------------------------------------------------------------------


def _suffix(identity: str, length: int = 8) -> str:
    return hashlib.sha256(identity.encode()).hexdigest()[:length]


def test_a_hashed_name_never_takes_a_natural_name_claimed_later():
    taken = f"app-{_suffix('b')}"
    claims = [("app", "a"), ("app", "b"), (taken, "c")]
    names = unique_child_names(claims)
    assert len(set(names)) == 3
    assert names[0] == "app"
    assert names[2] == taken  # the only claimant of that name keeps it
    assert names[1] != taken


def test_a_hashed_name_that_collides_grows_to_a_pinned_longer_name():
    # Child names are in URNs: the scheme is pinned so an upgrade renames (replaces) nothing.
    keep = {"app", f"app-{_suffix('b')}"}
    names = unique_child_names([("app", "b")], keep=keep)
    assert names == [f"app-{_suffix('b', 12)}"]
    assert names == ["app-3e23e8160039"]
