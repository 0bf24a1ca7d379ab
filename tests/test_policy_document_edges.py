"""Permission policy documents and audiences the validators must refuse before AWS does."""

from __future__ import annotations

import pytest

from irsa_components import IrsaConfigError
from irsa_components.validation import parse_policy_document, validate_audience

C = "ServiceAccountRole 'app'"


def statement(**overrides: object) -> dict[str, object]:
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", **overrides}


@pytest.mark.parametrize("resource", [[123], [""], ["arn:aws:s3:::b/*", None], []])
def test_resources_must_be_non_empty_strings(resource):
    with pytest.raises(IrsaConfigError, match="Resource is not a non-empty string or list of strings"):
        parse_policy_document(C, {"Statement": [statement(Resource=resource)]}, field="p")


@pytest.mark.parametrize("action", [[7], [""], "", ["s3:GetObject", 1]])
def test_actions_must_be_non_empty_strings(action):
    with pytest.raises(IrsaConfigError, match="Action is not a non-empty string or list of strings"):
        parse_policy_document(C, {"Statement": [statement(Action=action)]}, field="p")


def test_not_action_and_not_resource_are_checked_like_action_and_resource():
    document = {"Statement": [{"Effect": "Deny", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::b/*"}]}
    assert parse_policy_document(C, document, field="p") == document
    with pytest.raises(IrsaConfigError, match="Resource is not a non-empty string"):
        parse_policy_document(
            C, {"Statement": [{"Effect": "Deny", "NotAction": "iam:*", "NotResource": [1]}]}, field="p"
        )


def test_a_document_without_a_version_is_accepted_and_both_iam_versions_are():
    for document in (
        {"Statement": [statement()]},
        {"Version": "2012-10-17", "Statement": [statement()]},
        {"Version": "2008-10-17", "Statement": [statement()]},
    ):
        assert parse_policy_document(C, document, field="p") == document


def test_invalid_json_is_reported_with_its_first_80_characters():
    text = "{" + "x" * 200
    with pytest.raises(IrsaConfigError, match="is not valid JSON") as err:
        parse_policy_document(C, text, field="p")
    assert err.value.value == text[:80]


@pytest.mark.parametrize("audience", ["*", "sts.*", "sts.amazonaws.co?", "sts amazonaws", "", None])
def test_audiences_with_wildcards_spaces_or_nothing_are_refused(audience):
    with pytest.raises(IrsaConfigError) as err:
        validate_audience(C, audience)
    assert (err.value.field, err.value.value) == ("audience", audience)


def test_a_plain_audience_is_accepted():
    assert validate_audience(C, "sts.amazonaws.com") == "sts.amazonaws.com"


@pytest.mark.parametrize("statement", ["Allow s3:GetObject", ["Effect", "Allow"], 7])
def test_a_statement_that_is_not_an_object_is_refused(statement):
    with pytest.raises(IrsaConfigError) as err:
        parse_policy_document(C, {"Statement": [statement]}, field="p")
    assert err.value.problem == "has a statement that is not an object"


def test_every_action_of_a_list_must_be_service_colon_action():
    with pytest.raises(IrsaConfigError, match="not of the form 'service:Action'"):
        parse_policy_document(C, {"Statement": [statement(Action=["s3:GetObject", "GetObject"])]}, field="p")


@pytest.mark.parametrize("statements", ["Allow", [], 7])
def test_a_statement_element_that_is_no_list_of_statements_is_refused(statements):
    with pytest.raises(IrsaConfigError) as err:
        parse_policy_document(C, {"Statement": statements}, field="p")
    assert err.value.problem == "has no statement"


def test_an_action_given_as_an_object_is_refused():
    with pytest.raises(IrsaConfigError, match="Action is not a non-empty string or list of strings"):
        parse_policy_document(C, {"Statement": [statement(Action={"s3:GetObject": True})]}, field="p")


@pytest.mark.parametrize("condition", [["StringEquals"], "StringEquals", {"StringEquals": "x"}])
def test_a_condition_that_is_not_operator_key_value_is_refused(condition):
    with pytest.raises(IrsaConfigError, match="Condition is not"):
        parse_policy_document(C, {"Statement": [statement(Condition=condition)]}, field="p")
