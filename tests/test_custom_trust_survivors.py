"""Behaviours the last mutation run of ``custom_trust.py`` found unspecified (the components' type checks stop
most malformed input before it, so these are the checks themselves): what exactly is wrong with a hand-written
trust statement, which condition values are accepted, and a resolved condition on a key the trust already
sets, whatever its case."""

from __future__ import annotations

from typing import Any

import pytest

from irsa_components import IrsaConfigError
from irsa_components.custom_trust import (
    POD_IDENTITY,
    TARGET_ROLE,
    customise_trust,
    validate_trust_conditions,
    validate_trust_statements,
)

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
