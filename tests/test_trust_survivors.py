"""Behaviours the last mutation run of ``trust.py`` found unspecified: appending no hand-written statement
hands the document back as it was, whatever it holds."""

from __future__ import annotations

from irsa_components.trust import append_trust_statements


def test_appending_no_statement_returns_the_document_as_given_even_one_without_statements():
    document = {"Version": "2012-10-17"}
    result = append_trust_statements(document, [])
    assert result == {"Version": "2012-10-17"}
    result["Id"] = "changed"
    assert document == {"Version": "2012-10-17"}


def test_appended_statements_are_copies_after_the_built_ones():
    extra = {"Sid": "B", "Effect": "Allow"}
    result = append_trust_statements({"Version": "2012-10-17", "Statement": [{"Sid": "A"}]}, [extra])
    assert result["Statement"] == [{"Sid": "A"}, {"Sid": "B", "Effect": "Allow"}]
    result["Statement"][1]["Effect"] = "Deny"
    assert extra["Effect"] == "Allow"
