"""Which condition keys each kind of principal's assume-role requests carry."""

from __future__ import annotations

import pytest

from irsa_components.review.condition_keys import PrincipalKind, key_absent, pinning_claims, principal_kind

EKS = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
OTHER_EKS = "oidc.eks.us-east-1.amazonaws.com/id/XYZ"
GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


@pytest.mark.parametrize(
    ("principal_type", "principal", "kind"),
    [
        ("Federated", EKS, PrincipalKind.EKS_WEB_IDENTITY),
        ("Federated", GITHUB, PrincipalKind.WEB_IDENTITY),
        ("Federated", "accounts.google.com", PrincipalKind.WEB_IDENTITY),
        ("Service", "pods.eks.amazonaws.com", PrincipalKind.POD_IDENTITY),
        ("Service", "ec2.amazonaws.com", PrincipalKind.SERVICE),
        ("AWS", "111122223333", PrincipalKind.AWS),
    ],
)
def test_principal_kinds(principal_type, principal, kind):
    assert principal_kind(principal_type, principal) is kind


@pytest.mark.parametrize(
    ("principal_type", "principal", "key"),
    [
        ("Federated", EKS, f"{OTHER_EKS}:sub"),
        ("Federated", EKS, "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub"),
        ("Federated", EKS, "aws:RequestTag/kubernetes-namespace"),
        ("Federated", EKS, "aws:PrincipalArn"),
        ("Federated", "accounts.google.com", "aws:PrincipalOrgID"),
        ("Service", "pods.eks.amazonaws.com", "aws:RequestTag/team"),
        ("Service", "pods.eks.amazonaws.com", f"{OTHER_EKS}:sub"),
        ("Service", "pods.eks.amazonaws.com", "aws:PrincipalArn"),
        ("AWS", "arn:aws:iam::111122223333:role/ci", "accounts.google.com:aud"),
    ],
)
def test_keys_a_principal_never_carries(principal_type, principal, key):
    assert key_absent(principal_type, principal, key)


@pytest.mark.parametrize(
    ("principal_type", "principal", "key"),
    [
        ("Federated", EKS, "oidc.eks.eu-west-1.amazonaws.com/id/abc:SUB"),
        ("Federated", EKS, "aws:SourceIp"),
        ("Federated", GITHUB, "aws:RequestTag/team"),
        ("Service", "pods.eks.amazonaws.com", "aws:RequestTag/kubernetes-namespace"),
        ("Service", "pods.eks.amazonaws.com", "aws:SourceAccount"),
        ("AWS", "arn:aws:iam::111122223333:role/ci", "aws:PrincipalArn"),
        ("AWS", "arn:aws:iam::111122223333:role/ci", "sts:ExternalId"),
        ("Federated", "arn:aws:iam::111122223333:saml-provider/Okta", "SAML:aud"),
    ],
)
def test_keys_a_principal_may_carry(principal_type, principal, key):
    assert not key_absent(principal_type, principal, key)


def test_the_claims_that_pin_a_caller_depend_on_the_provider():
    assert pinning_claims("cognito-identity.amazonaws.com") == ("aud",)
    assert "aud" not in pinning_claims(GITHUB)
    assert pinning_claims("arn:aws:iam::1:oidc-provider/issuer.example.com") == ("sub", "aud")
