"""Evaluator behaviours no test reached before (found by the mutation run of ``review/analysis.py``): on the
optimistic side a Deny whose condition block can't be read does not apply, a provider of another account admits
no one even optimistically, and an unknown set operator makes a statement not analysed instead of an exact
grant."""

from __future__ import annotations

from typing import Any

from irsa_components.review.analysis import (
    Decision,
    IrsaGrant,
    NotAnalysedStatement,
    Request,
    can_assume,
    grants,
    may_assume,
    web_identity_request,
)
from irsa_components.trust import WEB_IDENTITY_ACTION

HOST = "oidc.eks.us-east-1.amazonaws.com/id/ABC"
PROVIDER = f"arn:aws:iam::111122223333:oidc-provider/{HOST}"
ROLE_HERE = "arn:aws:iam::111122223333:role/app"
ROLE_ELSEWHERE = "arn:aws:iam::444455556666:role/app"
EXACT = {"StringEquals": {f"{HOST}:sub": "system:serviceaccount:apps:api", f"{HOST}:aud": "sts.amazonaws.com"}}
API = web_identity_request(PROVIDER, "apps", "api", "sts.amazonaws.com")


def statement(effect: str, condition: Any) -> dict[str, Any]:
    return {
        "Effect": effect,
        "Principal": {"Federated": PROVIDER},
        "Action": WEB_IDENTITY_ACTION,
        "Condition": condition,
    }


def test_a_deny_whose_condition_block_cannot_be_read_does_not_apply_optimistically():
    trust = {"Statement": [statement("Allow", EXACT), statement("Deny", {"StringEquals": "apps"})]}
    assert may_assume(trust, API) is True
    assert can_assume(trust, API) is Decision.NOT_ANALYSED


def test_an_allow_whose_condition_block_cannot_be_read_is_taken_to_hold_optimistically():
    trust = {"Statement": [statement("Allow", {**EXACT, "StringLike": "apps"})]}
    assert may_assume(trust, API) is True
    assert can_assume(trust, API) is Decision.NOT_ANALYSED


def test_a_provider_of_another_account_admits_no_one_even_optimistically():
    trust = {"Statement": [statement("Allow", EXACT)]}
    assert may_assume(trust, API, role_arn=ROLE_HERE) is True
    assert may_assume(trust, API, role_arn=ROLE_ELSEWHERE) is False
    assert can_assume(trust, API, role_arn=ROLE_ELSEWHERE) is Decision.IMPLICIT_DENY


def test_an_unknown_set_operator_makes_the_statement_not_analysed():
    condition = {
        "ForSomeValues:StringEquals": {f"{HOST}:sub": "system:serviceaccount:apps:api"},
        "StringEquals": {f"{HOST}:aud": "sts.amazonaws.com"},
    }
    (grant,) = grants({"Statement": [statement("Allow", condition)]})
    assert grant == NotAnalysedStatement(0, "operator ForSomeValues:StringEquals")
    (exact,) = grants({"Statement": [statement("Allow", EXACT)]})
    assert isinstance(exact, IrsaGrant)


def test_the_provider_account_rule_is_for_web_identity_requests_only():
    foreign = "arn:aws:iam::444455556666:oidc-provider/" + HOST
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": foreign}, "Action": "sts:AssumeRole"}]}
    request = Request("AWS", foreign, ("sts:AssumeRole",), {})
    assert can_assume(trust, request, role_arn=ROLE_HERE) is Decision.ALLOW
    assert may_assume(trust, request, role_arn=ROLE_HERE) is True
