"""Behaviours the last mutation run of ``custom_trust.py`` found unspecified (the components' type checks stop
most malformed input before it, so these are the checks themselves): what exactly is wrong with a hand-written
trust statement, which condition values are accepted, and a resolved condition on a key the trust already
sets, whatever its case."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from irsa_components import IrsaConfigError, PodIdentityAssociation
from irsa_components.custom_trust import (
    POD_IDENTITY,
    TARGET_ROLE,
    WEB_IDENTITY,
    customise_trust,
    validate_trust_conditions,
    validate_trust_statements,
)
from irsa_components.testing import IrsaMocks, run_program

C = "CrossAccountTargetRole 'app'"
GOOD = {
    "Sid": "BreakGlass",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::123456789012:role/admin"},
    "Action": "sts:AssumeRole",
}


def without(key: str) -> dict[str, Any]:
    return {k: v for k, v in GOOD.items() if k != key}


# ---- trust_statements: each problem named -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "problem"),
    [
        ("Allow", "is not an object"),
        ({**GOOD, "Resource": "*"}, "has Resource, which trust policy statements do not take"),
        ({**GOOD, "Effect": "allow"}, "has Effect 'allow', not 'Allow' or 'Deny'"),
        ({**GOOD, "Sid": "break-glass"}, "has a Sid that is not letters and digits only"),
        (without("Principal"), "needs exactly one of Principal and NotPrincipal"),
        ({**GOOD, "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}}, "needs exactly one of Principal and"),
        ({**GOOD, "Principal": "arn:aws:iam::123456789012:root"}, "has a Principal that is not '*' or {AWS|"),
        ({**GOOD, "Principal": {}}, "has a Principal that is not '*' or {AWS|"),
        ({**GOOD, "Principal": {"User": "x"}}, "has a Principal that is not '*' or {AWS|"),
        ({**GOOD, "Principal": {"AWS": ""}}, "has a Principal whose values are not non-empty strings"),
        ({**GOOD, "Principal": {"AWS": []}}, "has a Principal whose values are not non-empty strings"),
        ({**GOOD, "Principal": {"AWS": ["arn:aws:iam::123456789012:root", 7]}}, "has a Principal whose values"),
        (without("Action"), "needs exactly one of Action and NotAction"),
        ({**GOOD, "NotAction": "sts:TagSession"}, "needs exactly one of Action and NotAction"),
        ({**GOOD, "Action": []}, "has an Action that is not a non-empty string or list of strings"),
        ({**GOOD, "Action": ["sts:AssumeRole", 1]}, "has an Action that is not a non-empty string or list"),
        ({**GOOD, "Action": {"sts": "AssumeRole"}}, "has an Action that is not a non-empty string or list"),
        ({**GOOD, "Action": "s3:GetObject"}, "has an action that is not an STS action"),
        ({**GOOD, "Condition": "aws:SourceAccount"}, "has a Condition that is not {operator: {key: value}}"),
        ({**GOOD, "Condition": {"StringEqualz": {"aws:SourceAccount": "1"}}}, "has a Condition that is not"),
        ({**GOOD, "Condition": {"StringEquals": "1"}}, "has a Condition that is not {operator: {key: value}}"),
    ],
)
def test_a_malformed_trust_statement_is_refused_saying_what_is_wrong(statement, problem):
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_statements(C, [GOOD, statement])
    assert (err.value.component, err.value.field, err.value.value) == (C, "trust_statements", statement)
    assert err.value.problem.startswith(f"has a statement that {problem}")


@pytest.mark.parametrize(
    "statement",
    [
        GOOD,
        {**without("Principal"), "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Effect": "Deny"},
        {**GOOD, "Principal": "*"},
        {**GOOD, "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "arn:aws:iam::210987654321:root"]}},
        {**without("Action"), "NotAction": ["sts:TagSession", "sts:SetSourceIdentity"]},
        {**GOOD, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}},
        without("Sid"),
    ],
)
def test_a_well_formed_trust_statement_is_kept_as_given(statement):
    assert validate_trust_statements(C, [statement]) == [statement]


@pytest.mark.parametrize("statements", [GOOD, "[]", [], (), None])
def test_trust_statements_must_be_a_non_empty_list(statements):
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_statements(C, statements)
    assert (err.value.field, err.value.value) == ("trust_statements", statements)
    assert err.value.problem == "must be a non-empty list of statements"


# ---- trust_conditions: values are a string, number, bool or a non-empty list of them -------------------------


@pytest.mark.parametrize("value", ["123456789012", 7, 1.5, True, ["a", "b"], [1, False]])
def test_a_condition_value_of_scalars_is_kept(value):
    conditions = {"StringEquals": {"aws:PrincipalOrgID": value}}
    assert validate_trust_conditions(C, conditions, [TARGET_ROLE]) == conditions


@pytest.mark.parametrize("value", [[], None, {"a": "b"}, ("a",), [{"a": "b"}], ["a", ["b"]], ["a", None]])
def test_a_condition_value_that_is_not_scalars_is_refused(value):
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_conditions(C, {"StringEquals": {"aws:PrincipalOrgID": value}}, [TARGET_ROLE])
    assert (err.value.field, err.value.value) == ("trust_conditions.StringEquals.aws:PrincipalOrgID", value)
    assert err.value.problem == "must be a string, number, bool or a non-empty list of them"


# ---- customise_trust: a resolved condition never conditions a key the trust sets -----------------------------


@pytest.mark.parametrize("key", ["aws:PrincipalOrgID", "AWS:principalorgid"])
def test_a_resolved_condition_on_a_key_the_trust_already_sets_is_refused_whatever_its_case(key):
    document = {"Version": "2012-10-17", "Statement": [{**GOOD, "Condition": {"StringEquals": {key: "o-abc"}}}]}
    with pytest.raises(IrsaConfigError) as err:
        customise_trust(C, document, [POD_IDENTITY], {"StringLike": {"aws:PrincipalOrgID": "o-*"}}, [])
    assert (err.value.field, err.value.value) == ("trust_conditions.StringLike", "aws:PrincipalOrgID")
    assert err.value.problem == "is a condition key the component sets itself for the exact trust"


def test_a_resolved_condition_on_another_key_is_anded_in():
    document = {"Version": "2012-10-17", "Statement": [{**GOOD, "Condition": {"StringEquals": {"aws:X": "1"}}}]}
    result = customise_trust(C, document, [POD_IDENTITY], {"StringLike": {"aws:PrincipalOrgID": "o-*"}}, [])
    assert result["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:X": "1"},
        "StringLike": {"aws:PrincipalOrgID": "o-*"},
    }


# ---- keys and operators that are not strings -------------------------------------------------------------------


def test_a_condition_key_that_is_not_a_string_is_refused_as_not_a_key():
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_conditions(C, {"StringEquals": {3: "x"}}, [TARGET_ROLE])
    assert (err.value.field, err.value.value, err.value.problem) == (
        "trust_conditions.StringEquals",
        3,
        "is not an IAM condition key",
    )


def test_an_operator_that_is_not_a_string_is_refused_as_not_an_operator():
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_conditions(C, {3: {"aws:PrincipalOrgID": "o-abc"}}, [TARGET_ROLE])
    assert (err.value.field, err.value.value, err.value.problem) == (
        "trust_conditions",
        3,
        "is not an IAM condition operator",
    )


# ---- token claims of an issuer without a path ------------------------------------------------------------------


@pytest.mark.parametrize("key", ["accounts.google.com:aud", "token.actions.githubusercontent.com:sub"])
def test_a_token_claim_of_an_issuer_without_a_path_is_absent_from_pod_identity_requests(key):
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_conditions(C, {"StringEquals": {key: "x"}}, [POD_IDENTITY])
    assert err.value.problem.startswith(f"is absent from every {POD_IDENTITY} assume-role request")


def test_the_sub_claim_of_an_issuer_without_a_path_is_the_components_own_for_irsa():
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_conditions(C, {"StringLike": {"accounts.google.com:sub": "x"}}, [WEB_IDENTITY])
    assert err.value.problem.startswith("is a condition key the component sets itself")


def test_a_service_key_with_a_dot_free_prefix_is_no_token_claim():
    conditions = {"StringEquals": {"aws:SourceAccount": "111122223333"}}
    assert validate_trust_conditions(C, conditions, [POD_IDENTITY]) == conditions


# ---- the fix for an absent key lists what that kind of request carries -----------------------------------------


def test_the_fix_for_a_key_pod_identity_requests_lack_lists_every_key_they_carry():
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_conditions(C, {"StringEquals": {"aws:FederatedProvider": "x"}}, [POD_IDENTITY])
    assert err.value.fix == (
        "drop it, or use a key that kind of request carries (aws:RequestTag/eks-cluster-arn, "
        "aws:RequestTag/eks-cluster-name, aws:RequestTag/kubernetes-namespace, "
        "aws:RequestTag/kubernetes-service-account, aws:RequestTag/kubernetes-pod-name, "
        "aws:RequestTag/kubernetes-pod-uid, aws:SourceAccount, aws:SourceArn, aws:PrincipalServiceName)"
    )


def test_the_fix_for_a_key_target_role_requests_lack_lists_every_key_they_carry():
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_conditions(C, {"StringEquals": {"aws:PrincipalServiceName": "x"}}, [TARGET_ROLE])
    assert err.value.fix == (
        "drop it, or use a key that kind of request carries "
        "(aws:PrincipalARN, aws:PrincipalAccount, aws:PrincipalTag/<tag>, sts:ExternalId)"
    )


def test_the_fix_for_a_key_web_identity_requests_lack_lists_every_key_they_carry():
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_conditions(C, {"StringEquals": {"aws:SourceAccount": "x"}}, [WEB_IDENTITY])
    assert err.value.fix == (
        "drop it, or use a key that kind of request carries "
        "(<issuer>:sub, <issuer>:aud, <issuer>:amr, aws:FederatedProvider)"
    )


# ---- values known only at deploy time are checked once resolved ----------------------------------------------


@pytest.mark.parametrize("value", [[], {"a": "b"}])
def test_a_resolved_condition_value_that_is_not_scalars_is_refused(value):
    document = {"Version": "2012-10-17", "Statement": [GOOD]}
    with pytest.raises(IrsaConfigError) as err:
        customise_trust(C, document, [TARGET_ROLE], {"StringEquals": {"aws:PrincipalOrgID": value}}, [])
    assert (err.value.field, err.value.value) == ("trust_conditions.StringEquals.aws:PrincipalOrgID", value)


def test_a_deploy_time_condition_value_that_resolves_to_an_empty_list_is_refused_at_deploy_time():
    def program() -> None:
        PodIdentityAssociation(
            "orders",
            {
                "cluster_name": "prod",
                "namespace": "shop",
                "service_account": "orders",
                "trust_conditions": {"StringEquals": {"aws:SourceAccount": pulumi.Output.from_input([])}},
            },
        )

    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=IrsaMocks())
    assert err.value.field == "trust_conditions.StringEquals.aws:SourceAccount"


# ---- every key AWS documents as absent from a web identity request is refused ----------------------------------

WEB_IDENTITY_ABSENT = [
    # service principals on behalf of a resource only
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    # signed requests only (AssumeRoleWithWebIdentity is unsigned)
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalTag/team",
    "aws:PrincipalType",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
]


@pytest.mark.parametrize("key", WEB_IDENTITY_ABSENT)
def test_every_key_absent_from_web_identity_requests_is_refused_for_irsa(key):
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_conditions(C, {"StringEquals": {key: "x"}}, [WEB_IDENTITY])
    assert err.value.problem.startswith(f"is absent from every {WEB_IDENTITY} assume-role request")


def test_a_token_claim_other_than_sub_and_aud_may_narrow_an_irsa_trust():
    conditions = {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:amr": "authenticated"}}
    assert validate_trust_conditions(C, conditions, [WEB_IDENTITY]) == conditions


def test_a_statement_with_one_action_that_is_not_an_sts_action_is_refused():
    statement = {**GOOD, "Action": ["sts:AssumeRole", "s3:GetObject"]}
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_statements(C, [statement])
    assert err.value.problem.startswith("has a statement that has an action that is not an STS action")


@pytest.mark.parametrize("key", ["aws:RequestTag/kubernetes-pod-name", "aws:SourceArn"])
def test_a_session_tag_or_source_key_may_narrow_a_pod_identity_trust(key):
    conditions = {"StringEquals": {key: "x"}}
    assert validate_trust_conditions(C, conditions, [POD_IDENTITY]) == conditions


@pytest.mark.parametrize(
    "principal",
    [
        {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},
        {"Service": "ec2.amazonaws.com"},
        {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
    ],
)
def test_a_statement_may_trust_every_kind_of_principal(principal):
    statement = {**GOOD, "Principal": principal}
    assert validate_trust_statements(C, [statement]) == [statement]


@pytest.mark.parametrize("statements", [3, {"Sid": "A"}.keys()])
def test_trust_statements_that_are_no_sequence_at_all_are_refused(statements):
    with pytest.raises(IrsaConfigError) as err:
        validate_trust_statements(C, statements)
    assert err.value.problem == "must be a non-empty list of statements"
