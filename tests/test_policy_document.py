"""`aws.iam.get_policy_document` computed offline as the provider computes it.

Expected outputs follow hashicorp/terraform-provider-aws internal/service/iam/policy_document_data_source.go
(commit 04e9356d7f061e7be1890e030f420c81a783d651) and policy_model.go (commit 084fd7bc4c3ce01ca0fa51a7016dc0287a00de30).
"""

from __future__ import annotations

import json
import zlib

import pytest

from irsa_components.policy_document import PolicyDocumentError, policy_document


def test_one_statement_is_indented_like_go_with_single_values_as_strings():
    result = policy_document({"statements": [{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"]}]})
    assert result["json"] == (
        "{\n"
        '  "Version": "2012-10-17",\n'
        '  "Statement": [\n'
        "    {\n"
        '      "Effect": "Allow",\n'
        '      "Action": "s3:GetObject",\n'
        '      "Resource": "arn:aws:s3:::b/*"\n'
        "    }\n"
        "  ]\n"
        "}"
    )
    assert result["minifiedJson"] == (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}'
    )
    assert result["id"] == str(zlib.crc32(result["json"].encode()))


def test_no_statements_is_just_the_version():
    assert policy_document({})["json"] == '{\n  "Version": "2012-10-17"\n}'


def test_sets_are_deduplicated_and_sorted_in_reverse():
    doc = json.loads(
        policy_document({"statements": [{"actions": ["b:X", "a:Y", "c:Z", "a:Y"], "resources": ["*"]}]})["json"]
    )
    assert doc["Statement"][0]["Action"] == ["c:Z", "b:X", "a:Y"]


def test_principals_group_by_type_and_a_lone_star_is_written_as_star():
    doc = json.loads(
        policy_document(
            {
                "statements": [
                    {
                        "actions": ["sts:AssumeRole"],
                        "principals": [
                            {"type": "Service", "identifiers": ["ec2.amazonaws.com"]},
                            {"type": "AWS", "identifiers": ["arn:aws:iam::111122223333:root", "444455556666"]},
                            {"type": "Service", "identifiers": ["lambda.amazonaws.com"]},
                        ],
                    },
                    {"actions": ["s3:GetObject"], "principals": [{"type": "*", "identifiers": ["*"]}]},
                ]
            }
        )["json"]
    )
    assert doc["Statement"][0]["Principal"] == {
        "AWS": ["arn:aws:iam::111122223333:root", "444455556666"],
        "Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"],
    }
    assert doc["Statement"][1]["Principal"] == "*"


def test_conditions_keep_value_order_and_merge_blocks_on_the_same_key():
    doc = json.loads(
        policy_document(
            {
                "statements": [
                    {
                        "actions": ["s3:GetObject"],
                        "resources": ["*"],
                        "conditions": [
                            {"test": "StringLike", "variable": "s3:prefix", "values": ["z/*", "a/*"]},
                            {"test": "StringLike", "variable": "s3:prefix", "values": ["m/*"]},
                            {"test": "Bool", "variable": "aws:SecureTransport", "values": ["true"]},
                        ],
                    }
                ]
            }
        )["json"]
    )
    assert doc["Statement"][0]["Condition"] == {
        "Bool": {"aws:SecureTransport": "true"},
        "StringLike": {"s3:prefix": ["z/*", "a/*", "m/*"]},
    }


def test_policy_variables_written_with_an_ampersand_become_dollar_variables():
    doc = json.loads(
        policy_document({"statements": [{"actions": ["s3:*"], "resources": ["arn:aws:s3:::home/&{aws:username}/*"]}]})[
            "json"
        ]
    )
    assert doc["Statement"][0]["Resource"] == "arn:aws:s3:::home/${aws:username}/*"
    with pytest.raises(PolicyDocumentError, match="not supported in document version 2008-10-17"):
        policy_document({"version": "2008-10-17", "statements": [{"resources": ["&{aws:username}"]}]})


def test_html_characters_are_escaped_as_go_does():
    result = policy_document(
        {
            "statements": [
                {
                    "actions": ["s3:*"],
                    "resources": ["*"],
                    "conditions": [{"test": "StringEquals", "variable": "k", "values": ["<a&b>"]}],
                }
            ]
        }
    )
    assert '"k": "\\u003ca\\u0026b\\u003e"' in result["json"]


def test_source_documents_then_statements_then_overrides_replacing_by_sid():
    source = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Keep", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"},
                {"Sid": "Replace", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            ],
        }
    )
    override = json.dumps(
        {"Statement": [{"Sid": "Replace", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}
    )
    doc = json.loads(
        policy_document(
            {
                "sourcePolicyDocuments": [source],
                "statements": [{"sid": "Own", "actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"]}],
                "overridePolicyDocuments": [override],
            }
        )["json"]
    )
    assert [(s.get("Sid"), s["Effect"]) for s in doc["Statement"]] == [
        ("Keep", "Allow"),
        ("Replace", "Deny"),
        ("Own", "Allow"),
    ]


def test_a_statement_sid_replaces_the_same_sid_from_a_source_document():
    source = json.dumps({"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "x:Y", "Resource": "*"}]})
    doc = json.loads(
        policy_document(
            {"source_policy_documents": [source], "statement": [{"sid": "A", "actions": ["x:Z"], "resources": ["*"]}]}
        )["json"]
    )
    assert doc["Statement"] == [{"Sid": "A", "Effect": "Allow", "Action": "x:Z", "Resource": "*"}]


def test_duplicate_sids_are_errors_as_in_the_provider():
    one = json.dumps({"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "x:Y", "Resource": "*"}]})
    with pytest.raises(PolicyDocumentError, match=r"duplicate Sid \(A\) in source_policy_documents"):
        policy_document({"sourcePolicyDocuments": [one, one]})
    with pytest.raises(PolicyDocumentError, match=r"duplicate Sid \(B\)"):
        policy_document({"statements": [{"sid": "B", "actions": ["x:Y"]}, {"sid": "B", "actions": ["x:Z"]}]})


def test_snake_case_and_camel_case_inputs_give_the_same_document():
    camel = {
        "statements": [
            {
                "notActions": ["iam:*"],
                "notResources": ["arn:aws:iam::*:role/x"],
                "notPrincipals": [{"type": "AWS", "identifiers": ["1"]}],
            }
        ]
    }
    snake = {
        "statement": [
            {
                "not_actions": ["iam:*"],
                "not_resources": ["arn:aws:iam::*:role/x"],
                "not_principals": [{"type": "AWS", "identifiers": ["1"]}],
            }
        ]
    }
    assert policy_document(camel)["json"] == policy_document(snake)["json"]
    assert json.loads(policy_document(camel)["json"])["Statement"][0] == {
        "Effect": "Allow",
        "NotAction": "iam:*",
        "NotResource": "arn:aws:iam::*:role/x",
        "NotPrincipal": {"AWS": "1"},
    }


def test_source_document_principal_star_and_boolean_conditions_are_normalised():
    source = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": "*",
                    "Condition": {"Bool": {"aws:SecureTransport": False}},
                }
            ],
        }
    )
    doc = json.loads(policy_document({"sourcePolicyDocuments": [source]})["json"])
    assert doc["Statement"][0]["Principal"] == "*"
    assert doc["Statement"][0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_policy_id_is_kept():
    assert json.loads(policy_document({"policyId": "P1"})["json"]) == {"Version": "2012-10-17", "Id": "P1"}
