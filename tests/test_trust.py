"""The trust policy builders: exact documents, and the property that they admit exactly the subjects asked for."""

from __future__ import annotations

import json

from conftest import ISSUER_HOST, OTHER_PROVIDER_ARN, PROVIDER_ARN, assert_valid_trust_policy
from hypothesis import given, settings
from hypothesis import strategies as st

from irsa_components.review.analysis import Decision, can_assume, pod_identity_request, web_identity_request
from irsa_components.trust import (
    build_irsa_trust_policy,
    build_pod_identity_trust_policy,
    provider_url_from_arn,
    service_account_subject,
)
from irsa_components.validation import validate_namespace, validate_service_account_name


def test_subject_is_the_projected_token_sub_claim():
    assert service_account_subject("kube-system", "ebs-csi") == "system:serviceaccount:kube-system:ebs-csi"


def test_condition_key_prefix_is_the_arn_after_oidc_provider_without_scheme():
    assert provider_url_from_arn(PROVIDER_ARN) == ISSUER_HOST


def test_single_subject_trust_is_the_documented_shape():
    assert build_irsa_trust_policy([PROVIDER_ARN], [("apps", "s3-reader")]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": PROVIDER_ARN},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{ISSUER_HOST}:sub": "system:serviceaccount:apps:s3-reader",
                        f"{ISSUER_HOST}:aud": "sts.amazonaws.com",
                    }
                },
            }
        ],
    }


def test_several_subjects_become_a_list_of_sub_values():
    doc = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "web"), ("jobs", "batch")])
    assert doc["Statement"][0]["Condition"]["StringEquals"][f"{ISSUER_HOST}:sub"] == [
        "system:serviceaccount:apps:web",
        "system:serviceaccount:jobs:batch",
    ]


def test_several_providers_get_one_statement_each():
    doc = build_irsa_trust_policy([PROVIDER_ARN, OTHER_PROVIDER_ARN], [("apps", "web")])
    assert [s["Principal"]["Federated"] for s in doc["Statement"]] == [PROVIDER_ARN, OTHER_PROVIDER_ARN]
    other_host = provider_url_from_arn(OTHER_PROVIDER_ARN)
    assert doc["Statement"][1]["Condition"]["StringEquals"] == {
        f"{other_host}:sub": "system:serviceaccount:apps:web",
        f"{other_host}:aud": "sts.amazonaws.com",
    }


def test_wildcard_subject_moves_sub_to_string_like_and_keeps_aud_exact():
    doc = build_irsa_trust_policy([PROVIDER_ARN], [("team-*", "*")])
    assert doc["Statement"][0]["Condition"] == {
        "StringEquals": {f"{ISSUER_HOST}:aud": "sts.amazonaws.com"},
        "StringLike": {f"{ISSUER_HOST}:sub": "system:serviceaccount:team-*:*"},
    }


def test_custom_audience_is_required_exactly():
    doc = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "web")], audience="vault")
    assert doc["Statement"][0]["Condition"]["StringEquals"][f"{ISSUER_HOST}:aud"] == "vault"


def test_pod_identity_trust_is_narrowed_to_cluster_namespace_and_service_account():
    assert build_pod_identity_trust_policy("prod", "shop", "orders") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowEksAuthToAssumeRoleForPodIdentity",
                "Effect": "Allow",
                "Principal": {"Service": "pods.eks.amazonaws.com"},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {
                        "aws:RequestTag/eks-cluster-name": "prod",
                        "aws:RequestTag/kubernetes-namespace": "shop",
                        "aws:RequestTag/kubernetes-service-account": "orders",
                    }
                },
            }
        ],
    }


def test_unnarrowed_pod_identity_trust_has_no_condition():
    statement = build_pod_identity_trust_policy()["Statement"][0]
    assert "Condition" not in statement
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]


def test_pod_identity_trust_admits_only_its_own_service_account():
    doc = build_pod_identity_trust_policy("prod", "shop", "orders")
    assert can_assume(doc, pod_identity_request("prod", "shop", "orders")) is Decision.ALLOW
    assert can_assume(doc, pod_identity_request("prod", "shop", "payments")) is Decision.IMPLICIT_DENY
    assert can_assume(doc, pod_identity_request("staging", "shop", "orders")) is Decision.IMPLICIT_DENY


def test_built_trust_policies_pass_moto_validation():
    assert_valid_trust_policy(build_irsa_trust_policy([PROVIDER_ARN, OTHER_PROVIDER_ARN], [("a", "b"), ("c", "d")]))
    assert_valid_trust_policy(build_pod_identity_trust_policy("prod", "shop", "orders"))
    assert_valid_trust_policy(build_pod_identity_trust_policy())


# ---- properties ------------------------------------------------------------------------------

label = st.from_regex(r"\A[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\Z")
subject = st.tuples(label, label)
subject_sets = st.lists(subject, min_size=1, max_size=6, unique=True)


@settings(max_examples=150, deadline=None)
@given(subjects=subject_sets, probes=st.lists(subject, max_size=6))
def test_irsa_trust_admits_exactly_the_requested_subjects(subjects, probes):
    for ns, sa in subjects:
        validate_namespace("test", ns)
        validate_service_account_name("test", sa)
    document = json.loads(json.dumps(build_irsa_trust_policy([PROVIDER_ARN], subjects)))
    for ns, sa in [*subjects, *probes]:
        expected = Decision.ALLOW if (ns, sa) in subjects else Decision.IMPLICIT_DENY
        assert can_assume(document, web_identity_request(PROVIDER_ARN, ns, sa, "sts.amazonaws.com")) is expected
        # The audience is always checked, and another cluster's provider is never trusted.
        assert can_assume(document, web_identity_request(PROVIDER_ARN, ns, sa, "other")) is Decision.IMPLICIT_DENY
        assert (
            can_assume(document, web_identity_request(OTHER_PROVIDER_ARN, ns, sa, "sts.amazonaws.com"))
            is Decision.IMPLICIT_DENY
        )


@settings(max_examples=100, deadline=None)
@given(namespace=label, probes=st.lists(subject, max_size=8))
def test_namespace_wildcard_admits_exactly_that_namespace(namespace, probes):
    document = build_irsa_trust_policy([PROVIDER_ARN], [(namespace, "*")])
    for ns, sa in probes:
        decision = can_assume(document, web_identity_request(PROVIDER_ARN, ns, sa, "sts.amazonaws.com"))
        assert decision is (Decision.ALLOW if ns == namespace else Decision.IMPLICIT_DENY)
