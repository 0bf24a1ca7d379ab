"""What any sound IAM reviewer must do, whatever its findings look like: never report a trust as narrower than it
is, never answer ALLOW (or a certain NO) where something it cannot analyse could change the answer.

These hold for the evaluator and findings as they are and as they grow (new findings, new grant kinds), so they
assert the property rather than the exact report.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pytest
from conftest import ISSUER_HOST, PROVIDER_ARN

from irsa_components.review.analysis import (
    Decision,
    PodIdentityGrant,
    Request,
    admitted_subjects,
    can_assume,
    constraints_admit,
    grants,
    pod_identity_request,
    web_identity_request,
)
from irsa_components.review.findings import Admission, Mode, find_issues, service_account_modes
from irsa_components.testing import run_program
from irsa_components.trust import build_irsa_trust_policy, build_pod_identity_trust_policy

SUB = f"{ISSUER_HOST}:sub"
AUD = f"{ISSUER_HOST}:aud"
ROLE_ARN = "arn:aws:iam::123456789012:role/app"
UNMODELLED = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
"""A condition the evaluator does not model: its answer must be NOT_ANALYSED, never a guess."""


def document(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def web(effect: str = "Allow", condition: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": effect,
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        **extra,
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


def token(namespace: str = "apps", name: str = "api") -> Any:
    return web_identity_request(PROVIDER_ARN, namespace, name, "sts.amazonaws.com")


EXACT = {"StringEquals": {SUB: "system:serviceaccount:apps:api", AUD: "sts.amazonaws.com"}}


# ---- the evaluator: Deny wins, and what it cannot analyse is never read as ALLOW ----------------------


def test_an_unanalysable_deny_beside_a_matching_allow_is_not_allow():
    trust = document(web(condition=EXACT), web("Deny", UNMODELLED))
    assert can_assume(trust, token()) is Decision.NOT_ANALYSED


def test_an_unanalysable_deny_is_not_forgotten_when_a_later_statement_is_unanalysable_too():
    trust = document(web("Deny", UNMODELLED), web("Allow", UNMODELLED), web(condition=EXACT))
    assert can_assume(trust, token()) is Decision.NOT_ANALYSED


def test_an_unanalysable_allow_is_not_forgotten_when_a_later_deny_is_unanalysable_too():
    trust = document(web("Allow", UNMODELLED), web("Deny", UNMODELLED))
    assert can_assume(trust, token()) is Decision.NOT_ANALYSED


def test_an_unanalysable_deny_alone_cannot_allow():
    assert can_assume(document(web("Deny", UNMODELLED)), token()) not in (Decision.ALLOW, Decision.NOT_ANALYSED)


def test_a_matching_deny_wins_wherever_it_stands():
    other = {"StringEquals": {SUB: "system:serviceaccount:apps:web"}}
    for statements in (
        [web("Deny", EXACT), web("Deny", other), web(condition=EXACT)],
        [web(condition=EXACT), web("Deny", EXACT), web("Deny", other)],
    ):
        assert can_assume(document(*statements), token()) is Decision.EXPLICIT_DENY


def test_a_matching_allow_is_not_undone_by_a_later_allow_that_does_not_match():
    other = {"StringEquals": {SUB: "system:serviceaccount:apps:web"}}
    assert can_assume(document(web(condition=EXACT), web(condition=other)), token()) is Decision.ALLOW


def test_not_action_listing_the_requested_action_among_others_does_not_grant_it():
    statement = web(condition=EXACT)
    del statement["Action"]
    statement["NotAction"] = ["sts:TagSession", "sts:AssumeRoleWithWebIdentity"]
    assert can_assume(document(statement), token()) is Decision.IMPLICIT_DENY
    statement["NotAction"] = ["sts:TagSession", "sts:AssumeRole"]
    assert can_assume(document(statement), token()) is Decision.ALLOW


def test_pod_identity_needs_both_actions_allowed():
    only_assume = {
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    request = pod_identity_request("prod", "shop", "orders")
    assert can_assume(document(only_assume), request) is Decision.IMPLICIT_DENY
    assert can_assume(build_pod_identity_trust_policy("prod", "shop", "orders"), request) is Decision.ALLOW


# ---- grants(): who a trust admits is never narrower than the truth -------------------------------------


def principals(trust: dict[str, Any]) -> list[str | None]:
    return [getattr(grant, "principal", None) for grant in grants(trust)]


def test_a_trust_open_to_anyone_appears_in_grants():
    trust = document({"Effect": "Allow", "Principal": "*", "Action": ["sts:AssumeRole", "sts:TagSession"]})
    assert "*" in principals(trust)
    assert can_assume(trust, pod_identity_request("prod", "shop", "orders")) is Decision.ALLOW


def test_a_trust_open_to_every_aws_account_appears_in_grants():
    trust = document({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})
    assert "*" in principals(trust)


def test_another_service_with_both_pod_identity_actions_is_not_a_pod_identity_grant():
    trust = document(
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
        }
    )
    assert not any(isinstance(grant, PodIdentityGrant) for grant in grants(trust))
    assert "ec2.amazonaws.com" in principals(trust)


def test_a_web_identity_trust_for_a_non_oidc_federated_principal_is_not_an_irsa_grant():
    trust = document(
        {
            "Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::123456789012:saml-provider/corp"},
            "Action": "sts:AssumeRoleWithSAML",
        }
    )
    assert "arn:aws:iam::123456789012:saml-provider/corp" in principals(trust)


def test_mixed_wildcard_and_exact_subjects_all_stay_admitted():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api"), ("jobs", "worker-*")])
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {AUD: "sts.amazonaws.com"},
        "StringLike": {SUB: ["system:serviceaccount:apps:api", "system:serviceaccount:jobs:worker-*"]},
    }
    assert can_assume(trust, token("apps", "api")) is Decision.ALLOW
    assert can_assume(trust, token("jobs", "worker-7")) is Decision.ALLOW
    assert can_assume(trust, token("jobs", "api")) is Decision.IMPLICIT_DENY


def test_exact_subjects_only_stay_under_string_equals():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api"), ("jobs", "worker")])
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {
            SUB: ["system:serviceaccount:apps:api", "system:serviceaccount:jobs:worker"],
            AUD: "sts.amazonaws.com",
        }
    }


# ---- findings: broad trusts are reported, unanalysable ones never become a certain NO -------------------


def role_program(trust: dict[str, Any], **role_args: Any):
    def program() -> None:
        aws.iam.Role("r", name="app", assume_role_policy=json.dumps(trust), **role_args)

    return program


def finding_ids(program) -> list[str]:
    return [f.id for f in find_issues(run_program(program).resources)]


def pods_statement(condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": condition,
    }


def test_a_pod_identity_trust_admitting_every_service_account_of_a_namespace_is_reported():
    condition = {
        "StringEquals": {"aws:RequestTag/eks-cluster-name": "prod", "aws:RequestTag/kubernetes-namespace": "shop"},
        "StringLike": {"aws:RequestTag/kubernetes-service-account": "*"},
    }
    assert "IRSA005" in finding_ids(role_program(document(pods_statement(condition))))


def test_a_pod_identity_trust_admitting_every_service_account_of_a_cluster_is_reported():
    condition = {
        "StringEquals": {"aws:RequestTag/eks-cluster-name": "prod"},
        "StringLike": {"aws:RequestTag/kubernetes-service-account": "*"},
    }
    assert "IRSA005" in finding_ids(role_program(document(pods_statement(condition))))


def test_a_pod_identity_trust_naming_the_service_account_is_not_reported_as_broad():
    trust = build_pod_identity_trust_policy("prod", "shop", "orders")
    assert "IRSA005" not in finding_ids(role_program(trust))


def test_an_irsa_trust_admitting_a_whole_namespace_is_reported():
    condition = {"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: "system:serviceaccount:apps:*"}}
    assert "IRSA005" in finding_ids(role_program(document(web(condition=condition))))


def test_an_unanalysable_trust_is_not_reported_as_refusing_its_service_account():
    trust = document(web(condition={**EXACT, **UNMODELLED}))

    def program() -> None:
        role_program(trust)()
        k8s.core.v1.ServiceAccount(
            "api",
            metadata={"name": "api", "namespace": "apps", "annotations": {"eks.amazonaws.com/role-arn": ROLE_ARN}},
        )

    result = run_program(program)
    (mode,) = service_account_modes(result.resources)
    assert mode.mode is Mode.IRSA
    assert mode.admitted is Admission.NOT_ANALYSED
    assert "IRSA001" not in [f.id for f in find_issues(result.resources)]


def test_an_unanalysable_pod_identity_trust_is_not_reported_as_refusing_its_association():
    trust = document(pods_statement({"StringEquals": {"aws:RequestTag/kubernetes-namespace": "shop"}, **UNMODELLED}))

    def program() -> None:
        role_program(trust)()
        aws.eks.PodIdentityAssociation(
            "orders", cluster_name="prod", namespace="shop", service_account="orders", role_arn=ROLE_ARN
        )

    assert "IRSA002" not in finding_ids(program)


def test_a_trust_that_really_refuses_the_service_account_is_reported():
    trust = document(web(condition={"StringEquals": {SUB: "system:serviceaccount:apps:web", AUD: "sts.amazonaws.com"}}))

    def program() -> None:
        role_program(trust)()
        k8s.core.v1.ServiceAccount(
            "api",
            metadata={"name": "api", "namespace": "apps", "annotations": {"eks.amazonaws.com/role-arn": ROLE_ARN}},
        )

    assert "IRSA001" in finding_ids(program)


@pytest.mark.parametrize(
    "arn,expected",
    [
        ("arn:aws:iam::aws:policy/AdministratorAccess", True),
        ("arn:aws-cn:iam::aws:policy/AdministratorAccess", True),
        ("arn:aws:iam::123456789012:policy/AdministratorAccess", False),  # a customer policy of that name
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", False),
    ],
)
def test_administrator_access_through_managed_policy_arns_is_reported(arn, expected):
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api")])
    assert ("IRSA008" in finding_ids(role_program(trust, managed_policy_arns=[arn]))) is expected


def test_admitted_subjects_lists_exactly_the_candidates_the_trust_admits():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api"), ("jobs", "worker-*")])
    candidates = [("apps", "api"), ("apps", "web"), ("jobs", "worker-1"), ("jobs", "api")]
    assert admitted_subjects(trust, PROVIDER_ARN, "sts.amazonaws.com", candidates) == [
        ("apps", "api"),
        ("jobs", "worker-1"),
    ]
    assert admitted_subjects(trust, PROVIDER_ARN, "other-audience", candidates) == []


def test_a_trust_with_not_principal_appears_in_grants():
    trust = document({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "*"})
    assert grants(trust) != []


def test_a_policy_variable_in_a_subject_condition_is_not_read_as_a_literal_subject():
    condition = {
        "StringLike": {SUB: "system:serviceaccount:${aws:PrincipalTag/team}:*"},
        **{"StringEquals": {AUD: "sts.amazonaws.com"}},
    }
    found = grants(document(web(condition=condition)))
    assert found != []
    assert not any(
        getattr(grant, "subject", ()) and "${" in " ".join(c for s in grant.subject for c in s.values)
        for grant in found
    )


def test_a_malformed_condition_block_still_appears_in_grants():
    assert grants(document(web(condition={"StringEquals": "system:serviceaccount:apps:api"}))) != []


def test_a_statement_whose_effect_is_neither_allow_nor_deny_grants_nothing():
    statement = web(condition=EXACT)
    statement["Effect"] = "Maybe"
    assert grants(document(statement)) == []
    assert can_assume(document(statement), token()) is Decision.IMPLICIT_DENY


def test_another_principal_with_not_action_is_listed_with_its_exceptions():
    trust = document({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "NotAction": "iam:*"})
    (grant,) = grants(trust)
    assert "NotAction" in " ".join(grant.actions)
    assert "iam:*" in " ".join(grant.actions)


def test_a_not_principal_statement_is_reported_as_not_analysed_naming_not_principal():
    trust = document({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "*"})
    reasons = [getattr(grant, "reason", "") for grant in grants(trust)]
    assert any("NotPrincipal" in reason for reason in reasons)


def test_a_policy_variable_among_literal_subjects_is_not_read_as_a_literal():
    values = ["system:serviceaccount:apps:api", "system:serviceaccount:${aws:PrincipalTag/team}:*"]
    condition = {"StringLike": {SUB: values}, "StringEquals": {AUD: "sts.amazonaws.com"}}
    for grant in grants(document(web(condition=condition))):
        assert "${" not in " ".join(v for c in getattr(grant, "subject", ()) for v in c.values)


def test_a_grant_listing_several_subjects_admits_each_of_them():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api"), ("jobs", "worker")])
    (grant,) = grants(trust)
    assert constraints_admit(grant.subject, "system:serviceaccount:apps:api")
    assert constraints_admit(grant.subject, "system:serviceaccount:jobs:worker")
    assert not constraints_admit(grant.subject, "system:serviceaccount:apps:worker")


def test_not_principal_excludes_every_principal_it_lists():
    statement = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": ["arn:aws:iam::111111111111:root", "arn:aws:iam::210987654321:role/app"]},
        "Action": "sts:AssumeRole",
    }
    request = Request("AWS", "arn:aws:iam::210987654321:role/app", ("sts:AssumeRole",), {}, frozenset())
    assert can_assume(document(statement), request) is not Decision.ALLOW


def test_not_principal_naming_an_account_excludes_its_roles():
    statement = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": "arn:aws:iam::210987654321:root"},
        "Action": "sts:AssumeRole",
    }
    request = Request("AWS", "arn:aws:iam::210987654321:role/app", ("sts:AssumeRole",), {}, frozenset())
    assert can_assume(document(statement), request) is not Decision.ALLOW
