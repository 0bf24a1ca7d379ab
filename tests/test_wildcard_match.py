"""IAM's ``*``/``?`` matching (``StringLike``, ``ArnLike``, ``Action``) of the whole value, in polynomial time.

Patterns are policy text anyone may write, and the review runs as a CI gate: a backtracking regex took 20 s for
``*a*a*a*a*a*a*a*a*a*a*b`` against 40 characters and hours for a few more stars. The matcher is checked against a
regular expression (fine for the short inputs generated here) and on such hostile patterns.
"""

from __future__ import annotations

import json
import re

import pulumi_aws as aws
import pytest
from hypothesis import given
from hypothesis import strategies as st

from irsa_components.review.analysis import wildcard_match
from irsa_components.review.findings import find_issues
from irsa_components.testing import run_program


def by_regex(pattern: str, value: str, ignore_case: bool) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch(regex, value, flags) is not None


@given(st.text("ab*?A:/", max_size=9), st.text("abAB:/", max_size=12), st.booleans())
def test_agrees_with_a_regular_expression(pattern, value, ignore_case):
    assert wildcard_match(pattern, value, ignore_case=ignore_case) is by_regex(pattern, value, ignore_case)


@pytest.mark.parametrize(
    ("pattern", "value", "ignore_case", "expected"),
    [
        ("*", "", False, True),  # '*' matches the empty run
        ("", "", False, True),
        ("", "a", False, False),
        ("?", "", False, False),  # '?' is exactly one character
        ("?", "ab", False, False),
        ("a?c", "abc", False, True),
        ("a*", "a", False, True),
        ("*a", "ba", False, True),
        ("*a", "ab", False, False),  # the whole value, not a search
        ("a*b*c", "axxbyyc", False, True),
        ("a*b*c", "axxbyyd", False, False),
        ("**", "anything", False, True),
        ("system:serviceaccount:apps:*", "system:serviceaccount:apps:api", False, True),
        ("system:serviceaccount:apps:*", "system:serviceaccount:apps-2:api", False, False),
        ("system:serviceaccount:apps:*", "System:ServiceAccount:apps:api", False, False),  # StringLike: case matters
        ("s3:get*", "S3:GetObject", True, True),  # actions: case does not
        ("s3:Get*", "s3:PutObject", True, False),
        ("i?m:Pass*", "iam:PassRole", True, True),
    ],
)
def test_iam_wildcards(pattern, value, ignore_case, expected):
    assert wildcard_match(pattern, value, ignore_case=ignore_case) is expected


@pytest.mark.parametrize("stars", [10, 40, 400])
def test_many_stars_against_a_value_that_almost_matches(stars):
    assert wildcard_match("*a" * stars + "*b", "a" * 1000) is False
    assert wildcard_match("*a" * stars + "*b", "a" * stars + "b") is True
    assert wildcard_match("*?" * stars + "*c", "ab" * 500) is False


def test_a_trust_written_to_stall_the_review_is_reviewed():
    host = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
    hostile = "system:serviceaccount:" + "*a" * 40 + "*b"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": f"arn:aws:iam::123456789012:oidc-provider/{host}"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringLike": {f"{host}:sub": hostile},
                    "StringEquals": {f"{host}:aud": "sts.amazonaws.com"},
                },
            }
        ],
    }
    result = run_program(lambda: aws.iam.Role("stall", assume_role_policy=json.dumps(trust)))
    # Any namespace whose name carries forty a's and ends in b: across namespaces.
    assert "IRSA012" in {f.id for f in find_issues(result.resources)}
