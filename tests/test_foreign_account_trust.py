"""IRSA020: a trust that delegates to every principal of another account, and IRSA019 when that role is powerful.

``{"AWS": "999999999999"}`` and ``{"AWS": "arn:aws:iam::999999999999:root"}`` both mean "any role or user of
that account whose own identity policies allow ``sts:AssumeRole`` on this role" (IAM user guide, "Specifying a
principal: AWS account principals"). That is the ordinary cross-account pattern, so alone it is low; on a role
holding admin or escalation permissions it hands the account to whoever administers the other one (IRSA019).
Naming the role (``aws:PrincipalArn``) or requiring the third party's ``sts:ExternalId`` pins the caller.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi_aws as aws
import pytest

from irsa_components.review.exposure import Exposure, TrustIssue, trust_issues
from irsa_components.review.findings import KINDS, Finding, Severity, find_issues
from irsa_components.testing import run_program

ROLE = "arn:aws:iam::111122223333:role/app"
OTHER = "999999999999"
OTHER_ROOT = f"arn:aws:iam::{OTHER}:root"
DETAIL = (
    f"any role or user of account {OTHER} that its own policies allow to call sts:AssumeRole (no condition pins "
    "aws:PrincipalArn or sts:ExternalId)"
)


def trust(principal: Any, condition: dict[str, Any] | None = None, action: Any = "sts:AssumeRole") -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": action}
    if condition is not None:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


@pytest.mark.parametrize(
    "document",
    [
        trust(OTHER_ROOT),
        trust(OTHER),
        trust([f"arn:aws:iam::{ROLE.split(':')[4]}:role/ci", OTHER_ROOT]),
        trust(OTHER_ROOT, action="sts:*"),
        trust(OTHER_ROOT, action=["sts:AssumeRole", "sts:TagSession"]),
        # a pattern is not a name: every role of the account matches it
        trust(OTHER_ROOT, {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{OTHER}:role/*"}}),
        # keys the probe does not model are taken to hold: MFA does not say which principal
        trust(OTHER_ROOT, {"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
        # pinned to the account it already names: no narrowing at all
        trust(OTHER_ROOT, {"StringEquals": {"aws:PrincipalAccount": OTHER}}),
    ],
)
def test_a_whole_other_account_is_reported(document):
    principal = next(p for p in json.dumps(document["Statement"][0]["Principal"]["AWS"]).split('"') if OTHER in p)
    assert trust_issues(document, role_arn=ROLE) == [
        TrustIssue(Exposure.WHOLE_OTHER_ACCOUNT, 0, f"AWS {principal}", DETAIL)
    ]


@pytest.mark.parametrize(
    "document",
    [
        trust(f"arn:aws:iam::{OTHER}:role/deployer"),  # one named role
        trust(f"arn:aws:iam::{OTHER}:user/alice"),
        trust(OTHER_ROOT, {"StringEquals": {"sts:ExternalId": "a1b2c3"}}),  # the third party's external id
        trust(OTHER_ROOT, {"ArnEquals": {"aws:PrincipalArn": f"arn:aws:iam::{OTHER}:role/deployer"}}),
        trust(OTHER_ROOT, {"StringEquals": {"aws:PrincipalArn": f"arn:aws:iam::{OTHER}:role/deployer"}}),
        trust("arn:aws:iam::111122223333:root"),  # the role's own account: its administrators decide
        trust("111122223333"),
        trust(OTHER_ROOT, action="sts:TagSession"),  # cannot assume at all
        trust(OTHER_ROOT, action="sts:AssumeRoleWithWebIdentity"),
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": {"AWS": OTHER_ROOT}, "Action": "*"}]},
    ],
)
def test_a_named_or_pinned_caller_or_the_own_account_is_not(document):
    assert trust_issues(document, role_arn=ROLE) == []


def test_the_account_is_compared_with_the_roles_own():
    # Trusting 111122223333 is delegating to another account for a role of 999999999999, and not the reverse.
    assert [i.exposure for i in trust_issues(trust("111122223333"), role_arn=f"arn:aws:iam::{OTHER}:role/r")] == [
        Exposure.WHOLE_OTHER_ACCOUNT
    ]
    assert trust_issues(trust(OTHER), role_arn=f"arn:aws:iam::{OTHER}:role/r") == []


def test_without_the_roles_arn_no_account_can_be_called_other():
    # `plan --preview` of a role being created: its ARN (and so its account) is unknown.
    assert trust_issues(trust(OTHER_ROOT)) == []


def test_each_principal_of_the_statement_is_judged():
    document = trust([OTHER_ROOT, "arn:aws:iam::888888888888:root"])
    assert [i.principal for i in trust_issues(document, role_arn=ROLE)] == [
        f"AWS {OTHER_ROOT}",
        "AWS arn:aws:iam::888888888888:root",
    ]


# ---- through the review of a program ---------------------------------------------------------------------


def review(document: dict[str, Any], *, admin: bool) -> list[Finding]:
    def program() -> None:
        role = aws.iam.Role("deployer", assume_role_policy=json.dumps(document))
        if admin:
            aws.iam.RolePolicyAttachment(
                "admin", role=role.name, policy_arn="arn:aws:iam::aws:policy/AdministratorAccess"
            )

    return find_issues(run_program(program).resources)


def test_irsa020_is_low_with_the_principal_and_the_fix():
    assert KINDS["IRSA020"].severity is Severity.LOW
    [finding] = review(trust(OTHER_ROOT), admin=False)
    assert (finding.id, finding.severity, finding.resource) == ("IRSA020", Severity.LOW, "deployer")
    assert finding.message.endswith(f"statement 0 trusts AWS {OTHER_ROOT}: {DETAIL}")
    assert "aws:PrincipalArn" in finding.fix and "sts:ExternalId" in finding.fix


def test_on_an_admin_role_the_other_accounts_administrators_own_this_one():
    found = {f.id: f for f in review(trust(OTHER), admin=True)}
    assert set(found) == {"IRSA020", "IRSA017", "IRSA008", "IRSA019"}
    assert found["IRSA019"].severity is Severity.HIGH
    assert "(IRSA020: Trust delegates to every principal of another account)" in found["IRSA019"].message


def test_an_admin_role_a_named_role_of_the_other_account_assumes_is_not_irsa019():
    pinned = trust(OTHER_ROOT, {"ArnEquals": {"aws:PrincipalArn": f"arn:aws:iam::{OTHER}:role/deployer"}})
    assert {f.id for f in review(pinned, admin=True)} == {"IRSA017", "IRSA008"}


def test_a_condition_only_some_roles_of_the_account_meet_still_admits_the_account():
    # Roles of an organization: the account's roles in it get in, whichever they are.
    document = trust(OTHER_ROOT, {"Null": {"aws:PrincipalOrgID": "false"}})
    assert [i.exposure for i in trust_issues(document, role_arn=ROLE)] == [Exposure.WHOLE_OTHER_ACCOUNT]
