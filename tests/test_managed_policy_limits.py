"""Customer-managed policies (`managed_policies`) and role tags at IAM's limits: each limit tested on both sides."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import PROVIDER_ARN

from irsa_components import IrsaConfigError, ServiceAccountRole
from irsa_components.testing import IrsaMocks, run_program
from irsa_components.validation import MANAGED_POLICY_MAX_SIZE, policy_size

EBS = {"preset": "ebs-csi-driver"}
"""A preset that adds a policy document of its own (tagged with the library's preset tag)."""


def irsa(**args: Any):
    base = {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}
    return lambda: ServiceAccountRole("app", {**base, **args})


def refused(program) -> IrsaConfigError:
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=IrsaMocks())
    return err.value


def document_of_size(size: int) -> dict[str, Any]:
    """A valid identity policy whose size, as IAM counts it, is exactly ``size``."""
    doc: dict[str, Any] = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/"}],
    }
    doc["Statement"][0]["Resource"] += "x" * (size - policy_size(doc))
    assert policy_size(doc) == size
    return doc


def test_a_managed_policy_at_iams_size_limit_is_created_as_given():
    result = run_program(irsa(managed_policies={"big": document_of_size(MANAGED_POLICY_MAX_SIZE)}), mocks=IrsaMocks())
    (policy,) = result.of_type("aws:iam/policy:Policy")
    assert json.loads(policy.inputs["policy"]) == document_of_size(MANAGED_POLICY_MAX_SIZE)


def test_a_managed_policy_one_character_over_the_limit_is_refused_before_any_resource():
    error = refused(irsa(managed_policies={"big": document_of_size(MANAGED_POLICY_MAX_SIZE + 1)}))
    assert (error.field, error.value) == ("managed_policies['big']", f"{MANAGED_POLICY_MAX_SIZE + 1} characters")


def test_a_policy_name_prefix_is_checked_with_each_name_it_makes():
    assert refused(irsa(managed_policies={"read": document_of_size(200)}, policy_name_prefix="eks team-")).field == (
        "policy_name_prefix"
    )
    too_long = "p" * (128 - len("read") + 1)
    assert refused(irsa(managed_policies={"read": document_of_size(200)}, policy_name_prefix=too_long)).field == (
        "policy_name_prefix"
    )


def test_a_prefix_that_keeps_the_name_within_128_characters_names_the_policy():
    prefix = "p" * (128 - len("read"))
    result = run_program(
        irsa(managed_policies={"read": document_of_size(200)}, policy_name_prefix=prefix), mocks=IrsaMocks()
    )
    (policy,) = result.of_type("aws:iam/policy:Policy")
    assert policy.inputs["name"] == f"{prefix}read"


def test_a_managed_policy_named_like_a_preset_beside_it_is_refused():
    error = refused(irsa(addon_policies=[EBS], managed_policies={"ebs-csi-driver": document_of_size(200)}))
    assert (error.field, error.value) == ("managed_policies", "ebs-csi-driver")


def test_the_preset_tag_counts_against_the_50_tags_only_when_a_preset_adds_a_document():
    tags = {f"k{i}": "v" for i in range(49)}
    run_program(irsa(addon_policies=[EBS], tags=tags), mocks=IrsaMocks())
    run_program(irsa(tags={**tags, "k49": "v"}), mocks=IrsaMocks())
    error = refused(irsa(addon_policies=[EBS], tags={**tags, "k49": "v"}))
    assert (error.field, error.value) == ("tags", "50 tags")
