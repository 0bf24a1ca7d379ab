"""Shared fixtures: a provider ARN, and checks every emitted policy document must pass."""

from __future__ import annotations

import json
from typing import Any

import pytest
from moto.iam.policy_validation import IAMPolicyDocumentValidator, IAMTrustPolicyDocumentValidator

from irsa_components.testing import ProgramResult

ACCOUNT = "123456789012"
ISSUER_HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
PROVIDER_ARN = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{ISSUER_HOST}"
OTHER_PROVIDER_ARN = (
    f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/0THERCLUSTER000000000000000000AB"
)


def cloud_resources(result: ProgramResult) -> list[Any]:
    """Every aws: or kubernetes: resource the program registered (components excluded)."""
    return [r for r in result.resources if r.type.startswith(("aws:", "kubernetes:"))]


def assert_valid_trust_policy(document: str | dict[str, Any]) -> None:
    text = document if isinstance(document, str) else json.dumps(document)
    IAMTrustPolicyDocumentValidator(text).validate()


def assert_valid_permission_policy(document: str | dict[str, Any]) -> None:
    text = document if isinstance(document, str) else json.dumps(document)
    IAMPolicyDocumentValidator(text).validate()


def assert_all_policies_valid(result: ProgramResult) -> None:
    """Every trust and permission policy the program registered passes moto's IAM validators."""
    for role in result.of_type("aws:iam/role:Role"):
        assert_valid_trust_policy(role.inputs["assumeRolePolicy"])
    for typ in ("aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy"):
        for policy in result.of_type(typ):
            assert_valid_permission_policy(policy.inputs["policy"])


@pytest.fixture
def provider_arn() -> str:
    return PROVIDER_ARN
