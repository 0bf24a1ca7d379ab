"""``get_policy_document`` behaviours the first mutation run of ``policy_document.py`` found unspecified.

Pinned here, each with the exact document the provider returns (hashicorp/terraform-provider-aws
``policy_document_data_source.go`` at 04e9356d7f061e7be1890e030f420c81a783d651 and ``policy_model.go`` at
084fd7bc4c3ce01ca0fa51a7016dc0287a00de30, read for the expected values, not copied):

- camelCase keys win over their snake_case twins; an absent (``None``) camelCase key falls back to snake_case;
- ``&{...}`` in principal identifiers and condition values becomes ``${...}``; version 2008-10-17 refuses it
  there too, accepts documents without it, and any other version is refused;
- principals: only ``{"*": ["*"]}`` alone is written ``"*"`` (``{"AWS": "*"}`` stays an object); blocks of
  one type merge (string + string, string + list, list + string) in block order, types sorted;
- an empty identifiers or values list is written ``[]``;
- parsed source/override documents: errors name the document kind and index; a document without Version,
  Id or Statement; Principal/NotPrincipal objects with sorted keys and reverse-sorted lists; Actions kept
  as written; condition values of one element written as a string, numbers and nulls dropped (as the Go
  model's unmarshalling does), non-string list elements refused;
- merging: an empty Id never replaces a previous one, Version only goes up, statements without a Sid are
  never replaced, ``None`` entries of the document lists are skipped;
- ``json``/``minifiedJson``: non-ASCII kept, ``>`` and U+2028/U+2029 escaped as Go does;
- the result echoes the arguments that are set.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from irsa_components.policy_document import PolicyDocumentError, policy_document


def document(args: dict[str, Any]) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(policy_document(args)["json"])
    return parsed


def statement_of(args: dict[str, Any]) -> dict[str, Any]:
    statements: list[dict[str, Any]] = document(args)["Statement"]
    assert len(statements) == 1
    return statements[0]


def source(*statements: dict[str, Any], **fields: Any) -> str:
    return json.dumps({**fields, "Statement": list(statements)} if statements else fields)


# ---- camelCase and snake_case -------------------------------------------------------------------------


def test_the_camel_case_key_wins_when_both_spellings_are_given():
    args = {
        "statements": [{"actions": ["s3:GetObject"], "resources": ["*"]}],
        "statement": [{"actions": ["s3:PutObject"], "resources": ["*"]}],
        "policyId": "Camel",
        "policy_id": "Snake",
    }
    assert document(args) == {
        "Version": "2012-10-17",
        "Id": "Camel",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }


def test_a_camel_case_key_set_to_none_falls_back_to_the_snake_case_key():
    args = {
        "statements": None,
        "statement": [{"notActions": None, "not_actions": ["iam:*"], "notResources": None, "not_resources": ["*"]}],
    }
    assert statement_of(args) == {"Effect": "Allow", "NotAction": "iam:*", "NotResource": "*"}


def test_snake_case_documents_lists_and_policy_id_are_read():
    base = source({"Sid": "Base", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"})
    override = source({"Sid": "Base", "Effect": "Deny", "Action": "s3:ListBucket", "Resource": "*"})
    assert document({"source_policy_documents": [base], "override_policy_documents": [override], "policy_id": "P"}) == {
        "Version": "2012-10-17",
        "Id": "P",
        "Statement": [{"Sid": "Base", "Effect": "Deny", "Action": "s3:ListBucket", "Resource": "*"}],
    }


# ---- versions and policy variables ----------------------------------------------------------------------


def test_a_2008_document_without_variables_is_written_with_its_version():
    args = {
        "version": "2008-10-17",
        "statements": [
            {
                "actions": ["s3:GetObject"],
                "resources": ["arn:aws:s3:::b/*"],
                "principals": [{"type": "AWS", "identifiers": ["111122223333"]}],
                "conditions": [{"test": "StringEquals", "variable": "aws:PrincipalTag/team", "values": ["data"]}],
            }
        ],
    }
    assert document(args) == {
        "Version": "2008-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/*",
                "Principal": {"AWS": "111122223333"},
                "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}},
            }
        ],
    }


@pytest.mark.parametrize(
    "statement",
    [
        {"principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::1:user/&{aws:username}"]}]},
        {"conditions": [{"test": "StringLike", "variable": "s3:prefix", "values": ["home/&{aws:username}/"]}]},
        {"not_resources": ["arn:aws:s3:::b/&{aws:username}"]},
    ],
    ids=["identifiers", "condition-values", "not-resources"],
)
def test_version_2008_refuses_a_variable_wherever_it_is_written(statement):
    with pytest.raises(PolicyDocumentError, match=r"found &\{ sequence in .*not supported in document version"):
        policy_document({"version": "2008-10-17", "statements": [{"actions": ["s3:*"], **statement}]})


def test_variables_in_identifiers_and_condition_values_become_dollar_variables():
    args = {
        "statements": [
            {
                "actions": ["s3:ListBucket"],
                "principals": [{"type": "AWS", "identifiers": ["arn:aws:iam::1:user/&{aws:username}"]}],
                "conditions": [
                    {"test": "StringLike", "variable": "s3:prefix", "values": ["home/&{aws:username}/", "shared/"]}
                ],
            }
        ]
    }
    assert statement_of(args) == {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Principal": {"AWS": "arn:aws:iam::1:user/${aws:username}"},
        "Condition": {"StringLike": {"s3:prefix": ["home/${aws:username}/", "shared/"]}},
    }


@pytest.mark.parametrize("version", ["2012-10-18", "latest", "2008-10-17 "])
def test_a_version_other_than_the_two_iam_versions_is_refused(version):
    with pytest.raises(PolicyDocumentError, match="must be one of 2008-10-17, 2012-10-17"):
        policy_document({"version": version})


# ---- principals -------------------------------------------------------------------------------------------


def principal(*blocks: dict[str, Any]) -> Any:
    return statement_of({"statements": [{"actions": ["sts:AssumeRole"], "principals": list(blocks)}]})["Principal"]


def test_an_aws_star_principal_stays_an_object_only_star_star_becomes_a_string():
    # IAM refuses "*" in a trust policy but accepts {"AWS": "*"} (the comment in policy_model.go).
    assert principal({"type": "AWS", "identifiers": ["*"]}) == {"AWS": "*"}
    assert principal({"type": "*", "identifiers": ["*"]}) == "*"


def test_a_star_type_with_another_identifier_is_an_object():
    assert principal({"type": "*", "identifiers": ["*", "arn:aws:iam::1:root"]}) == {"*": ["arn:aws:iam::1:root", "*"]}


def test_two_star_star_blocks_are_not_collapsed():
    assert principal({"type": "*", "identifiers": ["*"]}, {"type": "*", "identifiers": ["*"]}) == {"*": ["*", "*"]}


def test_blocks_of_one_type_merge_in_block_order_whatever_their_shape():
    merged = principal(
        {"type": "Service", "identifiers": ["b.amazonaws.com"]},
        {"type": "Service", "identifiers": ["a.amazonaws.com"]},
        {"type": "AWS", "identifiers": ["2"]},
        {"type": "AWS", "identifiers": ["1", "3"]},
        {"type": "Federated", "identifiers": ["x", "y"]},
        {"type": "Federated", "identifiers": ["z"]},
    )
    assert merged == {
        "AWS": ["2", "3", "1"],
        "Federated": ["y", "x", "z"],
        "Service": ["b.amazonaws.com", "a.amazonaws.com"],
    }
    assert list(merged) == ["AWS", "Federated", "Service"]


def test_principal_types_are_written_in_sorted_order():
    got = principal({"type": "Service", "identifiers": ["ec2.amazonaws.com"]}, {"type": "AWS", "identifiers": ["1"]})
    assert list(got) == ["AWS", "Service"]


def test_an_empty_identifier_list_is_written_as_an_empty_list():
    # The SDK may leave an empty list out of the invoke's arguments: absent and empty are the same.
    assert principal({"type": "AWS", "identifiers": []}) == {"AWS": []}
    assert principal({"type": "AWS"}) == {"AWS": []}


# ---- conditions ----------------------------------------------------------------------------------------------


def condition(*blocks: dict[str, Any]) -> Any:
    return statement_of({"statements": [{"actions": ["s3:GetObject"], "conditions": list(blocks)}]})["Condition"]


def test_condition_values_of_two_are_a_list_in_the_order_given():
    assert condition(
        {"test": "StringEquals", "variable": "aws:RequestedRegion", "values": ["us-east-2", "eu-west-1"]}
    ) == {"StringEquals": {"aws:RequestedRegion": ["us-east-2", "eu-west-1"]}}


def test_an_empty_value_list_is_written_as_an_empty_list():
    assert condition({"test": "Null", "variable": "aws:TagKeys", "values": []}) == {"Null": {"aws:TagKeys": []}}
    assert condition({"test": "Null", "variable": "aws:TagKeys"}) == {"Null": {"aws:TagKeys": []}}


def test_operators_and_keys_are_written_in_sorted_order():
    got = condition(
        {"test": "StringLike", "variable": "s3:prefix", "values": ["a/"]},
        {"test": "Bool", "variable": "aws:SecureTransport", "values": ["true"]},
        {"test": "StringLike", "variable": "aws:userid", "values": ["AIDA*"]},
    )
    assert list(got) == ["Bool", "StringLike"]
    assert list(got["StringLike"]) == ["aws:userid", "s3:prefix"]


# ---- source and override documents: parsing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"Statement": [', "merging source document 1: "),
        (["not", "a", "string"], "merging source document 1: "),
        ('["a list"]', "merging source document 1: not a JSON object"),
        ('{"Statement": {"Effect": "Allow"}}', "merging source document 1: Statement must be a list"),
    ],
    ids=["invalid-json", "not-text", "not-an-object", "statement-not-a-list"],
)
def test_an_unreadable_source_document_is_an_error_naming_its_index(text, problem):
    with pytest.raises(PolicyDocumentError, match=problem):
        policy_document({"sourcePolicyDocuments": [source(), text]})


def test_an_unreadable_override_document_is_an_error_naming_its_index():
    with pytest.raises(PolicyDocumentError, match="merging override document 0: not a JSON object"):
        policy_document({"overridePolicyDocuments": ["7"]})


def test_a_source_document_with_only_an_id_gives_its_id_and_the_call_s_version():
    assert document({"sourcePolicyDocuments": [source(Id="FromSource")]}) == {
        "Version": "2012-10-17",
        "Id": "FromSource",
    }


def test_a_source_document_without_version_and_id_adds_only_its_statements():
    text = source({"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:PutObject"], "Resource": "*"})
    assert document({"sourcePolicyDocuments": [text]}) == {
        "Version": "2012-10-17",
        # Actions of a parsed document are kept as written: no sorting, no deduplication.
        "Statement": [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject", "s3:PutObject"], "Resource": "*"}],
    }


def test_parsed_principals_have_sorted_types_and_reverse_sorted_lists():
    text = source(
        {
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Principal": {"Service": ["a.amazonaws.com", "b.amazonaws.com"], "AWS": "111122223333"},
        },
        {
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "*",
            "NotPrincipal": {"AWS": ["arn:aws:iam::1:root", "arn:aws:iam::2:root"], "Federated": ["x"]},
        },
    )
    first, second = document({"sourcePolicyDocuments": [text]})["Statement"]
    assert first["Principal"] == {"AWS": "111122223333", "Service": ["b.amazonaws.com", "a.amazonaws.com"]}
    assert list(first["Principal"]) == ["AWS", "Service"]
    # A list of one stays a list: only condition values are flattened by the provider's model.
    assert second["NotPrincipal"] == {"AWS": ["arn:aws:iam::2:root", "arn:aws:iam::1:root"], "Federated": ["x"]}
    assert list(second["NotPrincipal"]) == ["AWS", "Federated"]


def test_parsed_condition_values_of_one_element_are_written_as_a_string():
    text = source(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:PrincipalTag/team": ["data"], "aws:RequestedRegion": ["eu-west-1", "us-east-2"]},
                "ForAnyValue:StringLike": {"aws:TagKeys": []},
            },
        }
    )
    assert statement_of({"overridePolicyDocuments": [text]})["Condition"] == {
        "ForAnyValue:StringLike": {"aws:TagKeys": []},
        "StringEquals": {"aws:PrincipalTag/team": "data", "aws:RequestedRegion": ["eu-west-1", "us-east-2"]},
    }


def test_parsed_condition_numbers_and_nulls_are_dropped_as_the_provider_drops_them():
    text = source(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "*",
            "Condition": {
                "NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
                "Null": {"aws:TokenIssueTime": None},
                "NumericGreaterThan": {"s3:max-keys": "10", "s3:other": 5},
            },
        }
    )
    assert statement_of({"sourcePolicyDocuments": [text]}) == {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {"NumericGreaterThan": {"s3:max-keys": "10"}},
    }


def test_parsed_condition_lists_of_anything_but_strings_are_refused():
    text = source({"Effect": "Allow", "Action": "s3:*", "Condition": {"NumericLessThan": {"s3:max-keys": [10]}}})
    with pytest.raises(PolicyDocumentError, match=r"merging source document 0: .*s3:max-keys"):
        policy_document({"sourcePolicyDocuments": [text]})


# ---- merging --------------------------------------------------------------------------------------------------


def test_an_empty_id_never_replaces_the_id_of_an_earlier_document():
    assert document({"sourcePolicyDocuments": [source(Id="S")], "overridePolicyDocuments": [source()]}) == {
        "Version": "2012-10-17",
        "Id": "S",
    }
    assert document({"sourcePolicyDocuments": [source(Id="S")], "overridePolicyDocuments": [source(Id="O")]}) == {
        "Version": "2012-10-17",
        "Id": "O",
    }


def test_the_version_only_goes_up():
    older = source(Version="2008-10-17")
    assert document({"version": "2008-10-17", "overridePolicyDocuments": [source(Version="2012-10-17")]}) == {
        "Version": "2012-10-17"
    }
    assert document({"overridePolicyDocuments": [older]}) == {"Version": "2012-10-17"}
    assert document({"version": "2008-10-17", "sourcePolicyDocuments": [older]}) == {"Version": "2008-10-17"}


def test_statements_without_a_sid_are_all_kept():
    unnamed = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}
    args = {
        "sourcePolicyDocuments": [source(unnamed)],
        "statements": [{"actions": ["s3:GetObject"], "resources": ["*"]}, {"actions": ["s3:PutObject"]}],
        "overridePolicyDocuments": [source({"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"})],
    }
    assert document(args)["Statement"] == [
        unnamed,
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:PutObject"},
        {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
    ]


def test_none_entries_of_the_document_lists_are_skipped():
    one = source({"Sid": "One", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})
    args = {"sourcePolicyDocuments": [None, one], "overridePolicyDocuments": [None]}
    assert document(args)["Statement"] == [{"Sid": "One", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]


def test_a_sid_repeated_inside_one_source_document_names_the_statement():
    text = source(
        {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"},
        {"Sid": "A", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"},
    )
    with pytest.raises(
        PolicyDocumentError, match=r"^merging source document 1: duplicate Sid \(A\) in source_policy_documents "
    ) as err:
        policy_document({"sourcePolicyDocuments": [source(), text]})
    assert "(statement 2)" in str(err.value)


def test_statements_of_the_call_without_a_sid_are_not_duplicates():
    args = {"statements": [{"actions": ["s3:GetObject"]}, {"actions": ["s3:GetObject"]}]}
    assert len(document(args)["Statement"]) == 2


# ---- output -------------------------------------------------------------------------------------------------


def test_non_ascii_is_kept_and_go_s_other_escapes_are_applied():
    result = policy_document(
        {"statements": [{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::café/a>b\u2028c\u2029d"]}]}
    )
    written = '"Resource": "arn:aws:s3:::café/a\\u003eb\\u2028c\\u2029d"'
    assert written in result["json"]
    assert written.replace(": ", ":") in result["minifiedJson"]


def test_the_result_echoes_the_arguments_that_are_set():
    result = policy_document({"version": "2012-10-17", "policyId": None, "statements": []})
    assert {k: v for k, v in result.items() if k not in ("id", "json", "minifiedJson")} == {
        "version": "2012-10-17",
        "statements": [],
    }


@pytest.mark.parametrize("identifiers", [12, ["arn:aws:iam::1:root", 12], {"arn": "x"}])
def test_parsed_principal_identifiers_other_than_strings_are_refused(identifiers):
    text = source({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": identifiers}})
    with pytest.raises(
        PolicyDocumentError, match="merging override document 0: Principal AWS must be a string or a list"
    ):
        policy_document({"overridePolicyDocuments": [text]})
