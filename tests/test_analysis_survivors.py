"""Behaviours the last mutation run of ``review/analysis.py`` found unspecified: NotPrincipal trusts (``"*"``,
lists of AWS principals, shapes the model cannot read), principal lists, case-insensitive NotAction, and why a
grant is reported as not analysed when a condition names a key the session never carries."""

from __future__ import annotations

from typing import Any

import pytest

from irsa_components.review.analysis import (
    Decision,
    IrsaGrant,
    NotAnalysedStatement,
    PodIdentityGrant,
    Request,
    can_assume,
    constraints_admit,
    grants,
    may_assume,
    web_identity_request,
)
from irsa_components.trust import POD_IDENTITY_ACTIONS, POD_IDENTITY_SERVICE, WEB_IDENTITY_ACTION

ME = "arn:aws:iam::111122223333:role/ci"
OTHER = "arn:aws:iam::111122223333:role/other"
STRANGER = "arn:aws:iam::444455556666:role/ci"
HOST = "oidc.eks.us-east-1.amazonaws.com/id/ABC"
PROVIDER = f"arn:aws:iam::111122223333:oidc-provider/{HOST}"
OTHER_HOST = "oidc.eks.us-east-1.amazonaws.com/id/OTHER"


def _role_request(principal: str) -> Request:
    return Request("AWS", principal, ("sts:AssumeRole",), {})


def _trust(**statement: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", **statement}]}


# ---- Principal lists -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("principal", [ME, OTHER])
def test_every_aws_principal_of_a_list_is_admitted(principal):
    trust = _trust(Principal={"AWS": [OTHER, ME]})
    assert can_assume(trust, _role_request(principal)) is Decision.ALLOW
    assert can_assume(trust, _role_request(STRANGER)) is Decision.IMPLICIT_DENY


# ---- NotAction: action names are case-insensitive ------------------------------------------------------------


def test_not_action_excludes_an_action_written_in_another_case():
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"AWS": ME}, "NotAction": "STS:ASSUMEROLE"}]}
    assert can_assume(trust, _role_request(ME)) is Decision.IMPLICIT_DENY
    assert not may_assume(trust, _role_request(ME))
    tag_only = Request("AWS", ME, ("sts:TagSession",), {})
    assert can_assume(trust, tag_only) is Decision.ALLOW


# ---- NotPrincipal (may_assume: what the model cannot read favours the requester) ------------------------------


def test_an_allow_with_not_principal_star_admits_nobody():
    assert not may_assume(_trust(NotPrincipal="*"), _role_request(ME))


def test_an_allow_with_not_principal_aws_star_admits_nobody():
    trust = _trust(NotPrincipal={"AWS": "*"})
    assert not may_assume(trust, _role_request(ME))
    assert not may_assume(trust, _role_request(STRANGER))


def test_not_principal_excludes_every_principal_of_its_list_and_admits_the_rest():
    trust = _trust(NotPrincipal={"AWS": [OTHER, ME]})
    assert not may_assume(trust, _role_request(ME))
    assert not may_assume(trust, _role_request(OTHER))
    assert may_assume(trust, _role_request(STRANGER))


def test_not_principal_naming_an_account_excludes_its_roles():
    trust = _trust(NotPrincipal={"AWS": "arn:aws:iam::111122223333:root"})
    assert not may_assume(trust, _role_request(ME))
    assert may_assume(trust, _role_request(STRANGER))


@pytest.mark.parametrize("excluded", [[ME], "arn:aws:iam::111122223333:root", 7])
def test_a_not_principal_the_model_cannot_read_is_taken_to_admit_on_the_sound_side(excluded):
    trust = _trust(NotPrincipal=excluded)
    assert may_assume(trust, _role_request(ME)) is True
    assert can_assume(trust, _role_request(ME)) is Decision.NOT_ANALYSED


def test_a_deny_with_not_principal_never_makes_may_assume_true():
    trust = {
        "Statement": [
            {"Effect": "Deny", "NotPrincipal": {"AWS": OTHER}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": ME}, "Action": "sts:AssumeRole"},
        ]
    }
    assert may_assume(trust, _role_request(ME))


# ---- grants: why a statement is not analysed -----------------------------------------------------------------


def _irsa_trust(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": PROVIDER},
                "Action": WEB_IDENTITY_ACTION,
                "Condition": condition,
            }
        ]
    }


def _pod_identity_trust(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": POD_IDENTITY_SERVICE},
                "Action": list(POD_IDENTITY_ACTIONS),
                "Condition": condition,
            }
        ]
    }


def _only(document: dict[str, Any]) -> Any:
    (grant,) = grants(document)
    return grant


def test_another_providers_sub_in_a_negated_condition_is_not_read_as_this_providers_sub():
    grant = _only(_irsa_trust({"StringNotEquals": {f"{OTHER_HOST}:sub": "system:serviceaccount:a:b"}}))
    assert isinstance(grant, NotAnalysedStatement)
    assert f"{OTHER_HOST}:sub" in grant.reason
    assert "never admits" not in grant.reason


def test_a_key_every_web_identity_token_may_carry_is_not_analysed_rather_than_dropped():
    grant = _only(
        _irsa_trust(
            {
                "StringEquals": {f"{HOST}:sub": "system:serviceaccount:a:b", "aws:SourceIp": "10.0.0.1"},
            }
        )
    )
    assert isinstance(grant, NotAnalysedStatement)
    assert "aws:SourceIp" in grant.reason


def test_this_providers_sub_and_aud_make_an_irsa_grant():
    grant = _only(
        _irsa_trust({"StringEquals": {f"{HOST}:sub": "system:serviceaccount:a:b", f"{HOST}:aud": "sts.amazonaws.com"}})
    )
    assert isinstance(grant, IrsaGrant)


def test_a_pod_identity_condition_on_a_tag_its_sessions_never_carry_never_admits():
    grant = _only(_pod_identity_trust({"StringEquals": {"aws:RequestTag/team": "a"}}))
    assert isinstance(grant, NotAnalysedStatement)
    assert "never admits" in grant.reason


@pytest.mark.parametrize("operator", ["StringEqualsIfExists", "StringNotEquals", "StringNotLike"])
def test_an_absent_tag_under_if_exists_or_a_negated_operator_is_not_said_to_never_admit(operator):
    # Both hold when the key is absent: the statement may well admit sessions.
    grant = _only(_pod_identity_trust({operator: {"aws:RequestTag/team": "a"}}))
    assert isinstance(grant, NotAnalysedStatement)
    assert "never admits" not in grant.reason
    assert "aws:RequestTag/team" in grant.reason


@pytest.mark.parametrize("operator", ["StringEquals", "ForAllValues:StringEquals", "ForAnyValue:StringLike"])
def test_a_condition_on_the_multivalued_tag_keys_is_reported_as_such(operator):
    grant = _only(_pod_identity_trust({operator: {"aws:TagKeys": "kubernetes-namespace"}}))
    assert isinstance(grant, NotAnalysedStatement)
    assert "multivalued" in grant.reason


def test_pod_identity_session_tags_make_a_pod_identity_grant():
    grant = _only(_pod_identity_trust({"StringEquals": {"aws:RequestTag/kubernetes-namespace": "a"}}))
    assert isinstance(grant, PodIdentityGrant)


# ---- a second sample of mutants (after the session-tag list moved to condition_keys) --------------------------


def _web_identity(namespace: str = "a", service_account: str = "b") -> Request:
    return web_identity_request(PROVIDER, namespace, service_account, "sts.amazonaws.com")


def test_a_null_condition_without_a_value_is_not_analysed_rather_than_a_crash():
    trust = _irsa_trust({"Null": {f"{HOST}:sub": []}})
    assert can_assume(trust, _web_identity()) is Decision.NOT_ANALYSED
    assert may_assume(trust, _web_identity())


@pytest.mark.parametrize("condition", ["StringEquals", ["StringEquals"]])
def test_a_malformed_condition_block_on_an_allow_is_taken_to_admit_on_the_sound_side(condition):
    trust = _irsa_trust(condition)  # type: ignore[arg-type]
    assert may_assume(trust, _web_identity()) is True
    assert can_assume(trust, _web_identity()) is Decision.NOT_ANALYSED


def test_a_malformed_condition_block_on_a_deny_does_not_deny_on_the_sound_side():
    trust = _irsa_trust({"StringEquals": {f"{HOST}:aud": "sts.amazonaws.com"}})
    trust["Statement"].append(
        {"Effect": "Deny", "Principal": {"Federated": PROVIDER}, "Action": WEB_IDENTITY_ACTION, "Condition": "x"}
    )
    assert may_assume(trust, _web_identity())


def test_a_subject_must_pass_every_constraint_on_sub():
    grant = _only(
        _irsa_trust(
            {
                "StringLike": {f"{HOST}:sub": "system:serviceaccount:a:*"},
                "StringNotEquals": {f"{HOST}:sub": "system:serviceaccount:a:admin"},
            }
        )
    )
    assert isinstance(grant, IrsaGrant)
    assert constraints_admit(grant.subject, "system:serviceaccount:a:app")
    assert not constraints_admit(grant.subject, "system:serviceaccount:a:admin")
    assert not constraints_admit(grant.subject, "system:serviceaccount:b:app")
    assert constraints_admit((), "anything")


@pytest.mark.parametrize(
    ("operator", "admits_absent"),
    [
        ("ForAllValues:StringEqualsIfExists", True),
        ("ForAllValues:StringEquals", True),
        ("ForAnyValue:StringEquals", False),
        ("StringEquals", False),
    ],
)
def test_set_operators_on_sub_are_analysed_with_iams_meaning_for_an_absent_key(operator, admits_absent):
    grant = _only(_irsa_trust({operator: {f"{HOST}:sub": "system:serviceaccount:a:b"}}))
    assert isinstance(grant, IrsaGrant)
    assert constraints_admit(grant.subject, "system:serviceaccount:a:b")
    assert not constraints_admit(grant.subject, "system:serviceaccount:a:c")
    assert constraints_admit(grant.subject, None) is admits_absent


@pytest.mark.parametrize("claim", ["amr", "email", "azp"])
def test_another_claim_of_this_provider_is_not_analysed_and_not_said_to_never_admit(claim):
    grant = _only(_irsa_trust({"StringEquals": {f"{HOST}:sub": "system:serviceaccount:a:b", f"{HOST}:{claim}": "x"}}))
    assert isinstance(grant, NotAnalysedStatement)
    assert f"{HOST}:{claim}" in grant.reason
    assert "never admits" not in grant.reason
