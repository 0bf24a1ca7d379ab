"""Who can assume a role, as ``review.exposure`` judges it, pinned where the mutation run of ``exposure.py`` found it
unspecified: the exact issue (exposure, statement, principal, detail) for each shape of trust, statements that
repeat a principal, callers a public trust's conditions keep out (``aws:Source*`` keys, organizations), web identity
providers other than EKS, statements no request can ever meet, and statements the evaluator cannot read.
"""

from __future__ import annotations

from typing import Any

import pytest

from irsa_components.review.exposure import Exposure, TrustIssue, trust_issues

ACCOUNT = "111122223333"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
HOST = "oidc.eks.us-east-1.amazonaws.com/id/ABC"
PROVIDER = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{HOST}"
SUB, AUD = f"{HOST}:sub", f"{HOST}:aud"
PODS = "pods.eks.amazonaws.com"
CLUSTER_TAG = "aws:RequestTag/eks-cluster-name"
NAMESPACE_TAG = "aws:RequestTag/kubernetes-namespace"
SA_TAG = "aws:RequestTag/kubernetes-service-account"
UNNARROWED_TAIL = ": any Pod Identity association in any cluster of the account that names the role can use it"


def trust(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def irsa(condition: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
        **extra,
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


def pods(condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": PODS},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


def aws_star(condition: dict[str, Any] | None = None, action: str = "sts:AssumeRole") -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": action}
    if condition is not None:
        statement["Condition"] = condition
    return statement


def issues(document: dict[str, Any], role_arn: str | None = ROLE) -> list[tuple[Exposure, int, str, str]]:
    return [(i.exposure, i.statement, i.principal, i.detail) for i in trust_issues(document, role_arn=role_arn)]


EXACT = {"StringEquals": {SUB: "system:serviceaccount:apps:api", AUD: "sts.amazonaws.com"}}


# ---- IRSA: subjects and audiences ----------------------------------------------------------------------------


def test_exact_subject_and_audience_admit_no_one_else():
    assert issues(trust(irsa(EXACT))) == []


def test_a_name_pattern_in_one_namespace_is_reported_with_a_filled_example():
    condition = {"StringLike": {SUB: "system:serviceaccount:apps:*"}, "StringEquals": {AUD: "sts.amazonaws.com"}}
    assert issues(trust(irsa(condition))) == [
        (
            Exposure.SUBJECTS_IN_NAMESPACE,
            0,
            PROVIDER,
            f"tokens of service accounts the policy does not list in namespace 'apps' of {HOST}, "
            "e.g. sub 'system:serviceaccount:apps:<any>'",
        )
    ]


def test_a_question_mark_in_a_name_stands_for_one_character():
    condition = {"StringLike": {SUB: "system:serviceaccount:apps:?pi"}, "StringEquals": {AUD: "sts.amazonaws.com"}}
    assert issues(trust(irsa(condition))) == [
        (
            Exposure.SUBJECTS_IN_NAMESPACE,
            0,
            PROVIDER,
            f"tokens of service accounts the policy does not list in namespace 'apps' of {HOST}, "
            "e.g. sub 'system:serviceaccount:apps:qpi'",
        )
    ]


def test_a_negated_subject_admits_every_other_namespace():
    condition = {"StringNotEquals": {SUB: "system:serviceaccount:apps:api"}, "StringEquals": {AUD: "sts.amazonaws.com"}}
    assert issues(trust(irsa(condition))) == [
        (
            Exposure.SUBJECTS_ACROSS_NAMESPACES,
            0,
            PROVIDER,
            f"tokens of service accounts in any namespace of {HOST}, e.g. sub 'system:serviceaccount:<any>:<any>'",
        )
    ]


@pytest.mark.parametrize(
    "audience_condition",
    [{}, {"StringLike": {AUD: "sts.*"}}],
    ids=["no-aud-condition", "aud-pattern"],
)
def test_an_unpinned_audience_is_reported_with_a_subject_the_policy_admits(audience_condition):
    condition = {"StringEquals": {SUB: "system:serviceaccount:apps:api"}, **audience_condition}
    assert issues(trust(irsa(condition))) == [
        (
            Exposure.AUDIENCE_UNPINNED,
            0,
            PROVIDER,
            f"tokens of {HOST} minted for audiences it does not list (e.g. with sub 'system:serviceaccount:apps:api')",
        )
    ]


def test_an_audience_other_than_sts_pinned_exactly_is_pinned():
    condition = {"StringEquals": {SUB: "system:serviceaccount:apps:api", AUD: "vault"}}
    assert issues(trust(irsa(condition))) == []


def test_two_statements_for_one_provider_are_judged_once_as_a_whole():
    broad = {"StringLike": {SUB: "system:serviceaccount:*"}}
    found = issues(trust(irsa(broad), irsa(broad)))
    assert [(exposure, statement) for exposure, statement, _, _ in found] == [
        (Exposure.SUBJECTS_ACROSS_NAMESPACES, 0),
        (Exposure.AUDIENCE_UNPINNED, 0),
    ]


def test_a_provider_statement_without_the_web_identity_action_is_not_an_irsa_grant():
    assert issues(trust(irsa(None, Action="sts:AssumeRole"))) == []


def test_a_provider_of_another_account_admits_no_token():
    other = PROVIDER.replace(ACCOUNT, "999988887777")
    statement = irsa(EXACT, Principal={"Federated": other})
    assert issues(trust(statement)) == [
        (
            Exposure.PROVIDER_IN_OTHER_ACCOUNT,
            0,
            other,
            f"the OIDC provider is in account 999988887777, the role in {ACCOUNT}: STS only consults identity "
            "providers of the role's own account, so no token is ever admitted",
        )
    ]


def test_without_the_role_arn_a_provider_account_cannot_be_compared():
    other = PROVIDER.replace(ACCOUNT, "999988887777")
    assert issues(trust(irsa(EXACT, Principal={"Federated": other})), role_arn=None) == []


# ---- Pod Identity ----------------------------------------------------------------------------------------------


def test_pods_without_a_tag_condition_admit_every_association():
    assert issues(trust(pods())) == [
        (Exposure.POD_IDENTITY_UNNARROWED, 0, PODS, "no session-tag condition narrows it" + UNNARROWED_TAIL)
    ]


def test_tag_conditions_untagged_sessions_pass_admit_every_association():
    condition = {"StringEqualsIfExists": {CLUSTER_TAG: "prod", NAMESPACE_TAG: "apps", SA_TAG: "api"}}
    assert issues(trust(pods(condition))) == [
        (
            Exposure.POD_IDENTITY_UNNARROWED,
            0,
            PODS,
            "sessions without session tags (an association with disable_session_tags) pass its tag conditions"
            + UNNARROWED_TAIL,
        )
    ]


def test_two_pod_identity_statements_are_judged_once():
    assert [exposure for exposure, _, _, _ in issues(trust(pods(), pods()))] == [Exposure.POD_IDENTITY_UNNARROWED]


def test_pods_narrowed_to_cluster_namespace_and_service_account_admit_that_association_only():
    assert issues(trust(pods({"StringEquals": {CLUSTER_TAG: "prod", NAMESPACE_TAG: "apps", SA_TAG: "api"}}))) == []


@pytest.mark.parametrize(
    ("tags", "detail"),
    [
        ({CLUSTER_TAG: "prod", NAMESPACE_TAG: "apps"}, "every service account in namespace 'apps' of cluster 'prod'"),
        ({CLUSTER_TAG: "prod"}, "every service account in any namespace of cluster 'prod'"),
        ({NAMESPACE_TAG: "apps"}, "every service account in namespace 'apps' of any cluster"),
        ({CLUSTER_TAG: "prod", SA_TAG: "api"}, "service account 'api' in any namespace of cluster 'prod'"),
        ({SA_TAG: "api"}, "service account 'api' in any namespace of any cluster"),
    ],
    ids=["cluster-and-namespace", "cluster", "namespace", "cluster-and-name", "name"],
)
def test_pods_narrowed_partly_are_reported_with_what_they_admit(tags, detail):
    assert issues(trust(pods({"StringEquals": tags}))) == [
        (Exposure.POD_IDENTITY_BROAD, 0, PODS, f"Pod Identity sessions of {detail}")
    ]


def test_pods_without_the_assume_role_action_are_not_a_pod_identity_grant():
    statement = {**pods(), "Action": "sts:TagSession"}
    assert issues(trust(statement)) == []


# ---- public principals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("principal", ["*", {"AWS": "*"}])
def test_everyone_is_public(principal):
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    assert issues(trust(statement)) == [
        (
            Exposure.PUBLIC,
            0,
            "AWS *",
            "any AWS principal of any account (no condition pins the account, organization or principal ARN)",
        )
    ]


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalOrgID": "o-mine"}},
        {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}},
        {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}},
        # Keys a direct AssumeRole call by another account's role never carries: the condition never holds for it.
        {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
        {"ArnEquals": {"aws:SourceArn": f"arn:aws:s3:::{ACCOUNT}-bucket"}},
        {"StringEquals": {"aws:SourceOrgID": "o-mine"}},
        {"StringEquals": {"aws:username": "deploy"}},
    ],
    ids=["org", "account", "principal-arn", "source-account", "source-arn", "source-org", "username"],
)
def test_everyone_pinned_by_a_condition_a_stranger_cannot_meet_is_not_public(condition):
    assert issues(trust(aws_star(condition))) == []


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"aws:PrincipalOrgID": "o-banned"}},
        {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-mine"}},
    ],
    ids=["not-one-org", "org-if-exists"],
)
def test_everyone_but_one_organization_is_still_public(condition):
    assert [(e, p) for e, _, p, _ in issues(trust(aws_star(condition)))] == [(Exposure.PUBLIC, "AWS *")]


@pytest.mark.parametrize("role_arn", [ROLE, None], ids=["role-arn-known", "role-arn-unknown"])
def test_everyone_with_the_web_identity_action_means_any_identity_provider(role_arn):
    assert issues(trust(aws_star(action="sts:AssumeRoleWithWebIdentity")), role_arn=role_arn) == [
        (
            Exposure.PUBLIC,
            0,
            "AWS *",
            "any web identity of any identity provider (no condition pins the provider's sub or aud)",
        )
    ]


def test_everyone_with_another_action_only_is_not_public():
    assert issues(trust(aws_star(action="sts:TagSession"))) == []


@pytest.mark.parametrize(
    ("provider", "claims"),
    [
        ("accounts.google.com", {}),
        ("cognito-identity.amazonaws.com", {"cognito-identity.amazonaws.com:amr": "authenticated"}),
        ("graph.facebook.com", {}),
        ("token.actions.githubusercontent.com", {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}),
    ],
)
def test_a_web_identity_provider_whose_pinning_claims_are_not_named_is_public(provider, claims):
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": "sts:AssumeRoleWithWebIdentity",
        **({"Condition": {"StringEquals": claims}} if claims else {}),
    }
    assert issues(trust(statement)) == [
        (
            Exposure.PUBLIC,
            0,
            f"Federated {provider}",
            f"any user of the identity provider {provider} (no condition pins its sub or aud)",
        )
    ]


@pytest.mark.parametrize(
    ("provider", "claim"),
    [
        ("accounts.google.com", "aud"),
        ("cognito-identity.amazonaws.com", "aud"),
        ("graph.facebook.com", "app_id"),
        ("www.amazon.com", "app_id"),
        ("token.actions.githubusercontent.com", "sub"),
    ],
)
def test_a_web_identity_provider_pinned_by_its_app_or_user_claim_is_not_public(provider, claim):
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {f"{provider}:{claim}": "mine"}},
    }
    assert issues(trust(statement)) == []


def test_a_saml_provider_is_not_judged_as_a_web_identity():
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:saml-provider/corp"},
        "Action": "sts:AssumeRoleWithWebIdentity",
    }
    assert issues(trust(statement)) == []


def test_a_web_identity_provider_without_the_web_identity_action_is_not_public():
    statement = {"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRole"}
    assert issues(trust(statement)) == []


# ---- statements no request can meet -----------------------------------------------------------------------------


def test_an_absent_key_under_a_positive_operator_names_the_key():
    condition = {**EXACT, "StringEquals": {**EXACT["StringEquals"], "aws:PrincipalTag/team": "x"}}
    assert issues(trust(irsa(condition))) == [
        (
            Exposure.NEVER_ASSUMABLE,
            0,
            f"Federated {PROVIDER}",
            f"aws:PrincipalTag/team is never in the requests of {PROVIDER}",
        )
    ]


@pytest.mark.parametrize(
    "negated",
    [
        {"ForAnyValue:StringNotEquals": {"aws:PrincipalTag/team": "x"}},
        {"ForAnyValue:ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}},
    ],
    ids=["string-not", "arn-not"],
)
def test_an_absent_key_under_for_any_value_of_a_negated_operator_never_holds(negated):
    # ForAnyValue over no values is false; the key is not to blame as the statement's key, the operator is.
    assert issues(trust(irsa({**EXACT, **negated}))) == [
        (Exposure.NEVER_ASSUMABLE, 0, f"Federated {PROVIDER}", "its conditions can never all hold")
    ]


def test_a_negated_operator_on_an_absent_key_always_holds():
    condition = {**EXACT, "StringNotEquals": {"aws:PrincipalTag/team": "x"}}
    assert issues(trust(irsa(condition))) == []


def test_a_service_principal_spelled_like_an_account_is_judged_as_that_service():
    # Only an AWS principal that names an account is probed with a role of that account.
    statement = {"Effect": "Allow", "Principal": {"Service": ACCOUNT}, "Action": "sts:AssumeRole"}
    assert issues(trust(statement)) == []


def test_an_account_principal_is_probed_with_a_role_of_that_account():
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}},
    }
    assert issues(trust(statement)) == []


def test_a_principal_that_is_neither_everyone_nor_a_map_names_no_one():
    statement = {"Effect": "Allow", "Principal": f"arn:aws:iam::{ACCOUNT}:root", "Action": "sts:AssumeRole"}
    assert issues(trust(statement)) == []


# ---- statements the evaluator cannot read ------------------------------------------------------------------------


def test_an_unknown_effect_is_not_analysable():
    statement = {"Effect": "Alow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    assert issues(trust(statement)) == [(Exposure.NOT_ANALYSABLE, 0, "", "Effect 'Alow'")]


def test_a_deny_is_not_judged_as_a_grant():
    statement = {"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    assert issues(trust(irsa(EXACT), statement)) == []


@pytest.mark.parametrize(
    ("condition", "detail"),
    [
        ("x", "Condition is not an object"),
        ({"StringEquals": "x"}, "condition StringEquals is not an object"),
        (
            {"StringEqualz": {SUB: "system:serviceaccount:apps:api"}},
            "operator StringEqualz is not an IAM condition operator",
        ),
        (
            {"ForSomeValues:StringEquals": {SUB: "system:serviceaccount:apps:api"}},
            "operator ForSomeValues:StringEquals is not an IAM condition operator",
        ),
        (
            {"StringLike": {SUB: "system:serviceaccount:${aws:username}:*"}},
            "StringLike " + SUB + " uses a policy variable, resolved only at request time",
        ),
    ],
    ids=["condition-string", "block-string", "unknown-operator", "unknown-set-operator", "policy-variable"],
)
def test_an_unreadable_condition_is_not_analysable_and_judged_as_letting_the_caller_in(condition, detail):
    found = issues(trust(irsa(condition)))
    assert found[0] == (Exposure.NOT_ANALYSABLE, 0, "", detail)
    assert Exposure.SUBJECTS_ACROSS_NAMESPACES in [exposure for exposure, _, _, _ in found[1:]]


def test_not_principal_is_not_analysable_and_public():
    statement = {"Effect": "Allow", "NotPrincipal": {"AWS": ROLE}, "Action": "sts:AssumeRole"}
    assert issues(trust(statement)) == [
        (Exposure.NOT_ANALYSABLE, 0, "", "NotPrincipal (who it admits depends on every principal it does not list)"),
        (
            Exposure.PUBLIC,
            0,
            "AWS *",
            "any AWS principal of any account (no condition pins the account, organization or principal ARN)",
        ),
    ]


def test_issues_name_the_statement_they_come_from():
    found = issues(trust(irsa(EXACT), pods()))
    assert [(exposure, statement) for exposure, statement, _, _ in found] == [(Exposure.POD_IDENTITY_UNNARROWED, 1)]


def test_a_trust_issue_is_a_plain_value():
    (issue,) = trust_issues(trust(pods()), role_arn=ROLE)
    assert issue == TrustIssue(Exposure.POD_IDENTITY_UNNARROWED, 0, PODS, issue.detail)


def test_a_provider_is_judged_on_its_first_statement_with_the_web_identity_action():
    not_web_identity = irsa(None, Action="sts:AssumeRole")
    broad = irsa({"StringLike": {SUB: "system:serviceaccount:*"}, "StringEquals": {AUD: "sts.amazonaws.com"}})
    assert [(e, s) for e, s, _, _ in issues(trust(not_web_identity, broad))] == [
        (Exposure.SUBJECTS_ACROSS_NAMESPACES, 1)
    ]


# Every condition operator IAM documents (IAM JSON policy elements: condition operators), written independently.
IAM_OPERATORS = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
]


@pytest.mark.parametrize(
    "operator",
    [*IAM_OPERATORS, "ForAnyValue:StringLike", "ForAllValues:StringEquals", "StringLikeIfExists", "ArnNotLikeIfExists"],
)
def test_every_documented_operator_is_readable(operator):
    condition = {**EXACT, operator: {"aws:SourceIp": "203.0.113.0/24"}}
    assert Exposure.NOT_ANALYSABLE not in [exposure for exposure, _, _, _ in issues(trust(irsa(condition)))]


def test_of_several_absent_keys_the_first_written_is_named():
    absent = {"aws:PrincipalTag/team": "x", "aws:RequestTag/env": "prod"}
    condition = {**EXACT, "StringEquals": {**EXACT["StringEquals"], **absent}}
    assert [detail for _, _, _, detail in issues(trust(irsa(condition)))] == [
        f"aws:PrincipalTag/team is never in the requests of {PROVIDER}"
    ]


# ---- patterns the policy writes stand for names it does not list (fixed with issue 14's review run) --------------


@pytest.mark.parametrize("audience", ["vault-*", "vaul?"])
def test_any_subject_for_an_audience_pattern_is_open_across_namespaces(audience):
    condition = {"StringLike": {SUB: "*", AUD: audience}}
    assert [e for e, _, _, _ in issues(trust(irsa(condition)))] == [
        Exposure.SUBJECTS_ACROSS_NAMESPACES,
        Exposure.AUDIENCE_UNPINNED,
    ]


def test_a_name_pattern_for_an_audience_pattern_is_open_within_its_namespace():
    condition = {"StringLike": {SUB: "system:serviceaccount:apps:*", AUD: "vault-*"}}
    assert [e for e, _, _, _ in issues(trust(irsa(condition)))] == [
        Exposure.SUBJECTS_IN_NAMESPACE,
        Exposure.AUDIENCE_UNPINNED,
    ]


def test_a_listed_subject_for_an_audience_pattern_is_only_unpinned():
    condition = {"StringEquals": {SUB: "system:serviceaccount:apps:api"}, "StringLike": {AUD: "vault-*"}}
    assert [e for e, _, _, _ in issues(trust(irsa(condition)))] == [Exposure.AUDIENCE_UNPINNED]


def test_pods_with_a_service_account_pattern_admit_names_the_policy_does_not_list():
    condition = {
        "StringEquals": {CLUSTER_TAG: "prod", NAMESPACE_TAG: "apps"},
        "StringLike": {SA_TAG: "api-*"},
    }
    assert issues(trust(pods(condition))) == [
        (
            Exposure.POD_IDENTITY_BROAD,
            0,
            PODS,
            "Pod Identity sessions of service accounts the policy does not list in namespace 'apps' of cluster "
            "'prod', e.g. 'api-<any>'",
        )
    ]


def test_pods_with_a_namespace_pattern_admit_a_service_account_in_namespaces_the_policy_does_not_list():
    condition = {
        "StringEquals": {CLUSTER_TAG: "prod", SA_TAG: "api"},
        "StringLike": {NAMESPACE_TAG: "team-?"},
    }
    assert issues(trust(pods(condition))) == [
        (
            Exposure.POD_IDENTITY_BROAD,
            0,
            PODS,
            "Pod Identity sessions of service account 'api' in namespaces the policy does not list of cluster "
            "'prod', e.g. 'team-q'",
        )
    ]


def test_pods_with_listed_names_and_namespaces_only_are_narrow():
    condition = {"StringEquals": {CLUSTER_TAG: "prod", NAMESPACE_TAG: ["apps", "jobs"], SA_TAG: ["api", "worker"]}}
    assert issues(trust(pods(condition))) == []


def test_an_eks_issuer_named_without_its_provider_arn_is_not_an_irsa_grant():
    # IAM only accepts the provider's ARN for an EKS issuer: a bare host is no principal STS will ever present.
    statement = irsa({"StringLike": {SUB: "*"}}, Principal={"Federated": HOST})
    assert [e for e, _, _, _ in issues(trust(statement))] == []


def test_a_federated_star_is_any_user_of_any_provider_not_any_aws_principal():
    statement = {"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": "sts:AssumeRoleWithWebIdentity"}
    assert issues(trust(statement)) == [
        (Exposure.PUBLIC, 0, "Federated *", "any user of the identity provider * (no condition pins its sub or aud)")
    ]


def test_an_audience_with_a_question_mark_under_string_equals_is_an_audience_a_pod_can_ask_for():
    # Kubernetes mints a token for any audience string; IRSA003 says the "?" is literal, here it is still probed.
    condition = {"StringEquals": {AUD: "vaul?"}, "StringLike": {SUB: "system:serviceaccount:apps:*"}}
    assert [e for e, _, _, _ in issues(trust(irsa(condition)))] == [Exposure.SUBJECTS_IN_NAMESPACE]


def test_subjects_in_several_namespaces_name_the_first_namespace_and_example():
    subjects = ["system:serviceaccount:apps:*", "system:serviceaccount:jobs:*"]
    condition = {"StringLike": {SUB: subjects}, "StringEquals": {AUD: "sts.amazonaws.com"}}
    assert [d for _, _, _, d in issues(trust(irsa(condition)))] == [
        f"tokens of service accounts the policy does not list in namespace 'apps' of {HOST}, "
        "e.g. sub 'system:serviceaccount:apps:<any>'"
    ]


def test_a_listed_subject_that_is_not_a_service_account_is_only_itself():
    condition = {
        "StringEquals": {SUB: ["system:serviceaccount:apps:api", "system:node:ip-10-0-0-1"], AUD: "sts.amazonaws.com"}
    }
    assert issues(trust(irsa(condition))) == []


def test_a_principal_tag_does_not_pin_a_stranger_who_tags_their_own_role():
    condition = {"Null": {"aws:PrincipalOrgID": "false"}, "StringEquals": {"aws:PrincipalTag/team": "payments"}}
    assert [(e, p) for e, _, p, _ in issues(trust(aws_star(condition)))] == [(Exposure.PUBLIC, "AWS *")]


def test_an_account_principal_whose_condition_no_request_meets_is_never_assumable():
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {SUB: "system:serviceaccount:apps:api"}},
    }
    assert issues(trust(statement)) == [
        (
            Exposure.NEVER_ASSUMABLE,
            0,
            f"AWS arn:aws:iam::{ACCOUNT}:root",
            f"{SUB} belongs to the identity provider {HOST}, not to arn:aws:iam::{ACCOUNT}:root",
        )
    ]


@pytest.mark.parametrize("principal", ["*", "AROAEXAMPLEUNIQUEID"], ids=["everyone", "unique-id"])
def test_a_statement_no_request_meets_for_everyone_or_an_unparsed_principal_is_not_reported(principal):
    # Only principals the probe can stand in for (an account, a role of it, a provider, a service) are judged
    # never assumable; a "*" no condition lets through admits no one, which is not public either.
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"https://issuer.example.com:sub": "x"}},
    }
    assert issues(trust(statement)) == []


def test_an_unpinned_audience_names_the_first_subject_it_admits():
    condition = {"StringLike": {SUB: "system:serviceaccount:apps:*"}}
    assert [d for e, _, _, d in issues(trust(irsa(condition))) if e is Exposure.AUDIENCE_UNPINNED] == [
        f"tokens of {HOST} minted for audiences it does not list (e.g. with sub 'system:serviceaccount:apps:<any>')"
    ]


def test_pods_are_judged_on_their_first_statement_with_the_assume_role_action():
    tag_only = {**pods(), "Action": "sts:TagSession"}
    assert [(e, s) for e, s, _, _ in issues(trust(tag_only, pods()))] == [(Exposure.POD_IDENTITY_UNNARROWED, 1)]
