"""What a role may do: broad resources, escalation actions, admin-equivalent managed policies."""

from __future__ import annotations

import pytest

from irsa_components.review.permissions import (
    ADMIN_EQUIVALENT_POLICIES,
    ESCALATION_ACTIONS,
    admin_equivalent,
    escalation_grants,
    is_broad_resource,
    service_wide_grants,
)


@pytest.mark.parametrize(
    "resource",
    ["*", "arn:*", "arn:aws:s3:::*", "arn:aws:iam::*:role/*", "arn:aws:iam::123456789012:user/*", "arn:aws:ec2:*:*:*"],
)
def test_broad_resources(resource):
    assert is_broad_resource(resource)


@pytest.mark.parametrize(
    "resource",
    [
        "arn:aws:s3:::bucket/*",
        "arn:aws:iam::123456789012:role/node",
        "arn:aws:iam::*:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*",
        "arn:aws:iam::123456789012:role/eks-*",
        "arn:aws:kms:eu-west-1:123456789012:key/1",
    ],
)
def test_narrow_resources(resource):
    assert not is_broad_resource(resource)


def statement(**fields):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **fields}]}


@pytest.mark.parametrize("row", ESCALATION_ACTIONS, ids=lambda r: r.action)
def test_every_escalation_action_on_every_resource_is_reported(row):
    assert escalation_grants(statement(Action=row.action, Resource="*"))


def test_an_escalation_action_on_one_named_role_is_not_reported():
    assert escalation_grants(statement(Action="iam:PassRole", Resource="arn:aws:iam::123456789012:role/node")) == []


def test_a_deny_is_never_a_grant():
    assert escalation_grants({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}) == []


def test_not_action_covers_the_escalation_actions_it_does_not_exclude():
    (found,) = escalation_grants(statement(NotAction="iam:*", Resource="*"))
    assert "lambda:UpdateFunctionCode" in found and "iam:PassRole" not in found


def test_a_service_wildcard_on_one_bucket_is_not_service_wide():
    assert service_wide_grants(statement(Action="s3:*", Resource="arn:aws:s3:::bucket/*")) == []
    assert service_wide_grants(statement(Action="s3:*", Resource="arn:aws:s3:::*")) == [
        "statement 0 allows s3:* on arn:aws:s3:::*"
    ]


@pytest.mark.parametrize("row", ADMIN_EQUIVALENT_POLICIES, ids=lambda r: r.name)
def test_admin_equivalent_aws_managed_policies_in_any_partition(row):
    assert admin_equivalent(f"arn:aws:iam::aws:policy/{row.name}") is row
    assert admin_equivalent(f"arn:aws-us-gov:iam::aws:policy/{row.name}") is row
    assert row.source.startswith("https://docs.aws.amazon.com/")


def test_a_customer_policy_named_like_an_aws_one_is_not_admin_equivalent_by_name():
    assert admin_equivalent("arn:aws:iam::123456789012:policy/AdministratorAccess") is None
    assert admin_equivalent("arn:aws:iam::aws:policy/ReadOnlyAccess") is None
