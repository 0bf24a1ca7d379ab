"""Every condition operator the evaluator models, against a truth table taken from the IAM documentation.

Source: IAM User Guide, "IAM JSON policy elements: Condition operators" (string, ARN, Boolean, Null and
...IfExists operators) and "Single-valued vs. multivalued context keys" (ForAnyValue / ForAllValues).
Each row is one condition value, one request value and whether the condition holds. A condition that holds
lets the Allow statement admit the request (ALLOW); one that does not leaves it unadmitted (IMPLICIT_DENY).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ISSUER_HOST, PROVIDER_ARN

from irsa_components.review.analysis import (
    Decision,
    Request,
    can_assume,
    pod_identity_request,
    web_identity_request,
)

SUB = f"{ISSUER_HOST}:sub"
SUBJECT = "system:serviceaccount:apps:api"
CLUSTER_ARN = "arn:aws:eks:eu-west-1:123456789012:cluster/prod"
CLUSTER_ARN_TAG = "aws:RequestTag/eks-cluster-arn"


def web_trust(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": PROVIDER_ARN},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": condition,
            }
        ],
    }


def pods_trust(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "pods.eks.amazonaws.com"},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": condition,
            }
        ],
    }


def holds(decision: Decision) -> bool:
    assert decision in (Decision.ALLOW, Decision.IMPLICIT_DENY), decision
    return decision is Decision.ALLOW


# ---- string operators -----------------------------------------------------------------------------

# Condition values tried against the request's sub "system:serviceaccount:apps:api".
EXACT = SUBJECT
OTHER_CASE = SUBJECT.upper()
PATTERN = "system:serviceaccount:apps:*"
PATTERN_OTHER_CASE = "SYSTEM:SERVICEACCOUNT:APPS:*"
ONE_CHAR = "system:serviceaccount:apps:ap?"
DIFFERENT = "system:serviceaccount:apps:web"

STRING_TABLE = {
    # operator: holds for (EXACT, OTHER_CASE, PATTERN, PATTERN_OTHER_CASE, ONE_CHAR, DIFFERENT)
    "StringEquals": (True, False, False, False, False, False),
    "StringNotEquals": (False, True, True, True, True, True),
    "StringEqualsIgnoreCase": (True, True, False, False, False, False),
    "StringNotEqualsIgnoreCase": (False, False, True, True, True, True),
    "StringLike": (True, False, True, False, True, False),
    "StringNotLike": (False, True, False, True, False, True),
}
VALUES = (EXACT, OTHER_CASE, PATTERN, PATTERN_OTHER_CASE, ONE_CHAR, DIFFERENT)


@pytest.mark.parametrize(
    "operator,condition_value,expected",
    [
        pytest.param(op, value, row[i], id=f"{op}-{value}")
        for op, row in STRING_TABLE.items()
        for i, value in enumerate(VALUES)
    ],
)
def test_string_operator_truth_table(operator, condition_value, expected):
    request = web_identity_request(PROVIDER_ARN, "apps", "api", "sts.amazonaws.com")
    assert holds(can_assume(web_trust({operator: {SUB: condition_value}}), request)) is expected


@pytest.mark.parametrize("operator", list(STRING_TABLE))
def test_several_values_of_one_key_are_ored_and_negated_operators_nor_them(operator):
    request = web_identity_request(PROVIDER_ARN, "apps", "api", "sts.amazonaws.com")
    # One value matching, one not: a positive operator holds, a negated one does not.
    matching = {"StringNotEqualsIgnoreCase": EXACT, "StringNotLike": PATTERN}.get(operator, EXACT)
    decision = can_assume(web_trust({operator: {SUB: [DIFFERENT, matching]}}), request)
    assert holds(decision) is not operator.startswith("StringNot")


@pytest.mark.parametrize(
    "operator,expected",
    [
        ("StringEquals", False),
        ("StringLike", False),
        ("StringEqualsIgnoreCase", False),
        ("StringNotEquals", True),
        ("StringNotLike", True),
        ("StringNotEqualsIgnoreCase", True),
        ("StringEqualsIfExists", True),
        ("StringLikeIfExists", True),
        ("StringNotEqualsIfExists", True),
    ],
)
def test_a_missing_key_fails_positive_operators_and_satisfies_negated_and_ifexists_ones(operator, expected):
    # A session opened without session tags has no aws:RequestTag/kubernetes-namespace.
    request = pod_identity_request("prod", "shop", "orders", session_tags=False)
    trust = pods_trust({operator: {"aws:RequestTag/kubernetes-namespace": "shop"}})
    assert holds(can_assume(trust, request)) is expected


@pytest.mark.parametrize("operator", ["StringEqualsIfExists", "StringLikeIfExists"])
def test_ifexists_still_compares_a_key_that_is_present(operator):
    request = web_identity_request(PROVIDER_ARN, "apps", "api", "sts.amazonaws.com")
    assert holds(can_assume(web_trust({operator: {SUB: EXACT}}), request)) is True
    assert holds(can_assume(web_trust({operator: {SUB: DIFFERENT}}), request)) is False


def test_operator_names_are_case_insensitive():
    request = web_identity_request(PROVIDER_ARN, "apps", "api", "sts.amazonaws.com")
    assert holds(can_assume(web_trust({"stringlike": {SUB: PATTERN}}), request)) is True


# ---- ARN operators ---------------------------------------------------------------------------------

ARN_VALUES = (
    CLUSTER_ARN,
    "arn:aws:eks:*:123456789012:cluster/prod",
    "arn:aws:eks:eu-west-?:123456789012:cluster/*",
    "arn:aws:eks:eu-west-1:123456789012:cluster/PROD",
    "arn:aws:eks:eu-west-1:210987654321:cluster/prod",
)
ARN_TABLE = {
    # ArnEquals and ArnLike are the same test: each of the six parts matched separately, case-sensitively,
    # with * and ? wildcards allowed (the IAM docs list them together).
    "ArnEquals": (True, True, True, False, False),
    "ArnLike": (True, True, True, False, False),
    "ArnNotEquals": (False, False, False, True, True),
    "ArnNotLike": (False, False, False, True, True),
}


@pytest.mark.parametrize(
    "operator,condition_value,expected",
    [
        pytest.param(op, value, row[i], id=f"{op}-{value}")
        for op, row in ARN_TABLE.items()
        for i, value in enumerate(ARN_VALUES)
    ],
)
def test_arn_operator_truth_table(operator, condition_value, expected):
    request = pod_identity_request("prod", "shop", "orders", cluster_arn=CLUSTER_ARN)
    assert holds(can_assume(pods_trust({operator: {CLUSTER_ARN_TAG: condition_value}}), request)) is expected


@pytest.mark.parametrize("operator", ["ArnEquals", "ArnLike"])
def test_an_arn_wildcard_does_not_span_the_colons_between_parts(operator):
    # Matched as one string, '*' would swallow "eu-west-1:123456789012"; matched part by part, the pattern has
    # five parts against the ARN's six and admits nothing that can be shown.
    request = pod_identity_request("prod", "shop", "orders", cluster_arn=CLUSTER_ARN)
    decision = can_assume(pods_trust({operator: {CLUSTER_ARN_TAG: "arn:aws:eks:*:cluster/prod"}}), request)
    assert decision is not Decision.ALLOW


@pytest.mark.parametrize("operator", ["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"])
def test_an_arn_pattern_without_six_parts_is_not_analysed(operator):
    request = pod_identity_request("prod", "shop", "orders", cluster_arn=CLUSTER_ARN)
    trust = pods_trust({operator: {CLUSTER_ARN_TAG: "arn:aws:eks:*:cluster/prod"}})
    assert can_assume(trust, request) is Decision.NOT_ANALYSED


def test_an_arn_operator_does_not_match_a_value_that_is_not_an_arn():
    request = pod_identity_request("prod", "shop", "orders", cluster_arn="prod")
    trust = pods_trust({"ArnLike": {CLUSTER_ARN_TAG: "arn:aws:eks:*:*:cluster/*"}})
    assert can_assume(trust, request) is Decision.IMPLICIT_DENY


# ---- Null and Bool ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tags,null_value,expected",
    [
        (True, "true", False),  # the tag is present: "is it null?" is false
        (True, "false", True),
        (False, "true", True),
        (False, "false", False),
        (False, "True", True),
    ],
)
def test_null_truth_table(tags, null_value, expected):
    request = pod_identity_request("prod", "shop", "orders", session_tags=tags)
    trust = pods_trust({"Null": {"aws:RequestTag/kubernetes-namespace": null_value}})
    assert holds(can_assume(trust, request)) is expected


def secure_request(value: str | None) -> Request:
    context = {} if value is None else {"aws:securetransport": (value,)}
    return Request(
        "Federated",
        PROVIDER_ARN,
        ("sts:AssumeRoleWithWebIdentity",),
        context,
        frozenset({"aws:securetransport"}),
    )


@pytest.mark.parametrize(
    "operator,condition_value,request_value,expected",
    [
        ("Bool", "true", "true", True),
        ("Bool", "true", "false", False),
        ("Bool", "false", "false", True),
        ("Bool", "false", "true", False),
        ("Bool", "True", "true", True),  # Boolean values compare without case
        ("Bool", "true", None, False),  # a missing key matches no value
        ("BoolIfExists", "true", None, True),
        ("BoolIfExists", "true", "false", False),
    ],
)
def test_bool_truth_table(operator, condition_value, request_value, expected):
    trust = web_trust({operator: {"aws:SecureTransport": condition_value}})
    assert holds(can_assume(trust, secure_request(request_value))) is expected


# ---- set operators on the multivalued aws:TagKeys ----------------------------------------------------

# EKS Pod Identity sends six tag keys: eks-cluster-arn, eks-cluster-name, kubernetes-namespace,
# kubernetes-service-account, kubernetes-pod-name, kubernetes-pod-uid.
ALL_KEYS = [
    "eks-cluster-arn",
    "eks-cluster-name",
    "kubernetes-namespace",
    "kubernetes-service-account",
    "kubernetes-pod-name",
    "kubernetes-pod-uid",
]


@pytest.mark.parametrize(
    "operator,values,expected",
    [
        # ForAllValues: every request value must satisfy the operator
        ("ForAllValues:StringEquals", ALL_KEYS, True),
        ("ForAllValues:StringEquals", ALL_KEYS[:5], False),
        ("ForAllValues:StringLike", ["eks-*", "kubernetes-*"], True),
        ("ForAllValues:StringLike", ["kubernetes-*"], False),
        ("ForAllValues:StringNotEquals", ["other-key"], True),
        ("ForAllValues:StringNotEquals", ["eks-cluster-name"], False),
        # ForAnyValue: at least one request value must satisfy the operator
        ("ForAnyValue:StringEquals", ["eks-cluster-name"], True),
        ("ForAnyValue:StringEquals", ["other-key"], False),
        ("ForAnyValue:StringLike", ["kubernetes-pod-*"], True),
        ("ForAnyValue:StringNotEquals", ["eks-cluster-name"], True),
        ("ForAnyValue:StringNotEquals", ALL_KEYS, False),
        ("ForAnyValue:StringNotLike", ["eks-*", "kubernetes-*"], False),
        ("ForAnyValue:StringNotLike", ["eks-*"], True),
    ],
)
def test_set_operator_truth_table(operator, values, expected):
    trust = pods_trust({operator: {"aws:TagKeys": values}})
    assert holds(can_assume(trust, pod_identity_request("prod", "shop", "orders"))) is expected


@pytest.mark.parametrize(
    "operator,expected",
    [
        ("ForAllValues:StringEquals", True),  # vacuously true: no value to fail
        ("ForAllValues:StringNotEquals", True),
        ("ForAnyValue:StringEquals", False),  # no value to satisfy it
        ("ForAnyValue:StringNotEquals", False),
    ],
)
def test_set_operators_on_a_missing_key(operator, expected):
    trust = pods_trust({operator: {"aws:TagKeys": ["eks-cluster-name"]}})
    request = pod_identity_request("prod", "shop", "orders", session_tags=False)
    assert holds(can_assume(trust, request)) is expected


def test_an_unknown_set_operator_is_not_analysed():
    trust = pods_trust({"ForSomeValues:StringEquals": {"aws:TagKeys": ["eks-cluster-name"]}})
    assert can_assume(trust, pod_identity_request("prod", "shop", "orders")) is Decision.NOT_ANALYSED


def test_a_plain_operator_on_the_multivalued_tag_keys_is_not_analysed():
    trust = pods_trust({"StringEquals": {"aws:TagKeys": "eks-cluster-name"}})
    assert can_assume(trust, pod_identity_request("prod", "shop", "orders")) is Decision.NOT_ANALYSED


@pytest.mark.parametrize("operator", ["NumericLessThan", "DateGreaterThan", "IpAddress", "BinaryEquals"])
def test_operators_outside_the_model_are_not_analysed(operator):
    request = web_identity_request(PROVIDER_ARN, "apps", "api", "sts.amazonaws.com")
    assert can_assume(web_trust({operator: {SUB: "1"}}), request) is Decision.NOT_ANALYSED


def test_bool_with_several_values_holds_when_any_matches():
    trust = web_trust({"Bool": {"aws:SecureTransport": ["false", "true"]}})
    assert holds(can_assume(trust, secure_request("true"))) is True


def test_a_policy_variable_in_any_value_makes_the_answer_not_analysed():
    request = web_identity_request(PROVIDER_ARN, "apps", "web", "sts.amazonaws.com")
    values = [EXACT, "system:serviceaccount:${aws:PrincipalTag/team}:*"]
    assert can_assume(web_trust({"StringLike": {SUB: values}}), request) is Decision.NOT_ANALYSED


def test_a_malformed_condition_block_is_not_analysed():
    request = web_identity_request(PROVIDER_ARN, "apps", "api", "sts.amazonaws.com")
    assert can_assume(web_trust({"StringEquals": EXACT}), request) is Decision.NOT_ANALYSED
