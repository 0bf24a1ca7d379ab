"""Which condition keys each kind of principal's requests carry (``review.condition_keys``), pinned where the
mutation run of ``condition_keys.py`` found it unspecified: every key of every row of ``ABSENT_KEYS`` and every
Pod Identity session tag, for every kind of principal, with the expected answer written here from the IAM and EKS
documentation rather than read from the table; keys named after identity providers; the reason a finding gives;
the claims that pin a caller of each web identity provider; and how a statement's principal is classified.
"""

from __future__ import annotations

import pytest

from irsa_components.review.condition_keys import (
    PrincipalKind,
    foreign_key_reason,
    key_absent,
    pinning_claims,
    principal_kind,
    provider_host,
)

HOST = "oidc.eks.eu-west-1.amazonaws.com/id/ABC"
EKS = f"arn:aws:iam::123456789012:oidc-provider/{HOST}"
GOOGLE = "accounts.google.com"

# (principal type, principal) for each kind, in the order of the answer strings below
EKS_WEB, WEB, PODS, SERVICE, AWS = (
    ("Federated", EKS),
    ("Federated", GOOGLE),
    ("Service", "pods.eks.amazonaws.com"),
    ("Service", "lambda.amazonaws.com"),
    ("AWS", "arn:aws:iam::111122223333:role/ci"),
)
KINDS = {"eks-web": EKS_WEB, "web": WEB, "pods": PODS, "service": SERVICE, "aws": AWS}

# Key -> the kinds whose requests never carry it (IAM global condition keys; STS AssumeRoleWithWebIdentity; EKS
# user guide on Pod Identity session tags; IAM user guide on session tags and web identity federation keys).
ABSENT_FOR = {
    "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": {"eks-web", "web", "pods", "service", "aws"},
    "http://issuer.example.com:aud": {"eks-web", "web", "pods", "service", "aws"},
    "aws:PrincipalArn": {"eks-web", "web", "pods", "service"},
    "aws:PrincipalAccount": {"eks-web", "web"},
    "aws:PrincipalOrgID": {"eks-web", "web"},
    "aws:PrincipalOrgPaths": {"eks-web", "web"},
    "aws:PrincipalTag/team": {"eks-web", "web", "pods", "service"},
    "aws:PrincipalType": {"eks-web", "web"},
    "aws:userid": {"eks-web", "web", "pods", "service"},
    "aws:username": {"eks-web", "web", "pods", "service"},
    "aws:RequestTag/team": {"eks-web", "pods"},
    "aws:TagKeys": {"eks-web"},
    "aws:RequestTag/eks-cluster-arn": {"eks-web"},
    "aws:RequestTag/eks-cluster-name": {"eks-web"},
    "aws:RequestTag/kubernetes-namespace": {"eks-web"},
    "aws:RequestTag/kubernetes-service-account": {"eks-web"},
    "aws:RequestTag/kubernetes-pod-name": {"eks-web"},
    "aws:RequestTag/kubernetes-pod-uid": {"eks-web"},
    "aws:RequestTag/KUBERNETES-NAMESPACE": {"eks-web"},
    "aws:SourceIp": set(),
    "aws:PrincipalServiceName": set(),
    "sts:ExternalId": set(),
    f"{HOST}:sub": {"web", "pods", "service", "aws"},
    f"{GOOGLE}:aud": {"eks-web", "pods", "service", "aws"},
}


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("key", list(ABSENT_FOR))
def test_which_keys_each_kind_of_principal_never_carries(key, kind):
    principal_type, principal = KINDS[kind]
    assert key_absent(principal_type, principal, key) is (kind in ABSENT_FOR[key])


def test_a_provider_key_is_matched_without_regard_to_case():
    assert not key_absent("Federated", EKS, f"{HOST.upper()}:sub")
    assert key_absent("Federated", EKS, "oidc.eks.eu-west-1.amazonaws.com/id/OTHER:sub")


@pytest.mark.parametrize(
    ("principal_type", "principal", "key", "reason"),
    [
        (
            *EKS_WEB,
            "https://x/id/1:sub",
            "https://x/id/1:sub starts with a scheme: IAM condition keys of OIDC providers never do",
        ),
        (*EKS_WEB, "HTTP://x:aud", "HTTP://x:aud starts with a scheme: IAM condition keys of OIDC providers never do"),
        (*AWS, f"{HOST}:sub", f"{HOST}:sub belongs to the identity provider {HOST}, not to {AWS[1]}"),
        (*EKS_WEB, "aws:PrincipalArn", f"aws:PrincipalArn is never in the requests of {EKS}"),
    ],
)
def test_the_reason_names_the_key_and_why(principal_type, principal, key, reason):
    assert foreign_key_reason(principal_type, principal, key) == reason


@pytest.mark.parametrize(
    ("provider", "claims"),
    [
        ("cognito-identity.amazonaws.com", ("aud",)),
        ("accounts.google.com", ("aud", "sub", "oaud")),
        ("graph.facebook.com", ("app_id", "id")),
        ("www.amazon.com", ("app_id", "user_id")),
        (
            "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com",
            ("sub", "repository", "repository_id", "repository_owner", "repository_owner_id", "job_workflow_ref"),
        ),
        ("ACCOUNTS.GOOGLE.COM", ("aud", "sub", "oaud")),
        (EKS, ("sub", "aud")),
    ],
)
def test_the_claims_that_pin_a_caller_of_each_provider(provider, claims):
    assert pinning_claims(provider) == claims


@pytest.mark.parametrize(
    ("principal_type", "principal", "kind"),
    [
        (
            "Federated",
            "arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC",
            PrincipalKind.EKS_WEB_IDENTITY,
        ),
        (
            "Federated",
            "arn:aws:iam::123456789012:oidc-provider/OIDC.EKS.US-EAST-1.AMAZONAWS.COM/id/ABC",
            PrincipalKind.EKS_WEB_IDENTITY,
        ),
        ("Federated", HOST, PrincipalKind.EKS_WEB_IDENTITY),
        (
            "Federated",
            "arn:aws:iam::1:oidc-provider/evil.com/oidc.eks.us-east-1.amazonaws.com/id/ABC",
            PrincipalKind.WEB_IDENTITY,
        ),
        ("Federated", "arn:aws:iam::1:oidc-provider/oidc.eks.us-east-1.amazonaws.com", PrincipalKind.WEB_IDENTITY),
        ("Service", "PODS.EKS.AMAZONAWS.COM", PrincipalKind.SERVICE),
        ("AWS", "*", PrincipalKind.AWS),
        ("CanonicalUser", "abc", PrincipalKind.AWS),
    ],
)
def test_how_a_principal_is_classified(principal_type, principal, kind):
    assert principal_kind(principal_type, principal) is kind


def test_the_host_of_a_provider_is_its_issuer_without_the_arn():
    assert provider_host(EKS) == HOST
    assert provider_host(GOOGLE) == GOOGLE


@pytest.mark.parametrize("principal_type", ["Service", "AWS"])
def test_a_principal_that_is_not_a_web_identity_never_carries_provider_keys_even_if_named_like_one(principal_type):
    assert key_absent(principal_type, GOOGLE, f"{GOOGLE}:aud")


@pytest.mark.parametrize("key", ["custom/key", "x.y"])
def test_a_key_without_a_colon_is_named_after_no_provider(key):
    assert not key_absent("Federated", EKS, key)
    assert not key_absent("AWS", AWS[1], key)
