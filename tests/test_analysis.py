"""The trust policy evaluator: IAM's documented semantics, case by case, and who a trust policy lists as grantees.

Cases follow the IAM policy evaluation docs (condition operators, multiple keys and values, set operators,
IfExists, Null, Deny wins, NotAction); anything outside the model must answer NOT_ANALYSED, never a guess.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import ISSUER_HOST, OTHER_PROVIDER_ARN, PROVIDER_ARN
from hypothesis import given, settings
from hypothesis import strategies as st

from irsa_components.review.analysis import (
    Constraint,
    Decision,
    IrsaGrant,
    NotAnalysedStatement,
    OtherPrincipal,
    PodIdentityGrant,
    Request,
    arn_match,
    can_assume,
    grants,
    may_assume,
    pod_identity_request,
    split_subject,
    web_identity_request,
    wildcard_match,
)
from irsa_components.trust import build_irsa_trust_policy, build_pod_identity_trust_policy

SUB = f"{ISSUER_HOST}:sub"
AUD = f"{ISSUER_HOST}:aud"
NS_TAG = "aws:RequestTag/kubernetes-namespace"
SA_TAG = "aws:RequestTag/kubernetes-service-account"
CLUSTER_ARN = "arn:aws:eks:eu-west-1:123456789012:cluster/prod"
ALLOW_ALL = Decision.ALLOW
NO = Decision.IMPLICIT_DENY
DENIED = Decision.EXPLICIT_DENY
UNKNOWN = Decision.NOT_ANALYSED


def web(condition: dict[str, Any] | None = None, *, effect: str = "Allow", **extra: Any) -> dict[str, Any]:
    """A one-statement trust policy for the test provider."""
    statement: dict[str, Any] = {
        "Effect": effect,
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        **extra,
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


def pods(condition: dict[str, Any] | None = None, *, effect: str = "Allow", **extra: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": effect,
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        **extra,
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def token(namespace: str = "apps", name: str = "api", audience: str = "sts.amazonaws.com") -> Request:
    return web_identity_request(PROVIDER_ARN, namespace, name, audience)


def session(
    namespace: str = "apps", name: str = "api", *, tags: bool = True, cluster_arn: str | None = None
) -> Request:
    return pod_identity_request("prod", namespace, name, session_tags=tags, cluster_arn=cluster_arn)


EXACT = {"StringEquals": {SUB: "system:serviceaccount:apps:api", AUD: "sts.amazonaws.com"}}

CASES = [
    # (id, policy, request, expected)
    ("StringEquals matches the exact value", policy(web(EXACT)), token(), ALLOW_ALL),
    ("StringEquals is case-sensitive", policy(web(EXACT)), token("Apps"), NO),
    (
        "StringEqualsIgnoreCase ignores case",
        policy(web({"StringEqualsIgnoreCase": {SUB: "SYSTEM:SERVICEACCOUNT:APPS:API"}})),
        token(),
        ALLOW_ALL,
    ),
    (
        "StringEquals treats * literally",
        policy(web({"StringEquals": {SUB: "system:serviceaccount:apps:*"}})),
        token(),
        NO,
    ),
    (
        "StringLike * matches any run of characters",
        policy(web({"StringLike": {SUB: "system:serviceaccount:apps:*"}})),
        token("apps", "anything-at-all"),
        ALLOW_ALL,
    ),
    (
        "StringLike * matches the empty string",
        policy(web({"StringLike": {SUB: "system:serviceaccount:apps:api*"}})),
        token("apps", "api"),
        ALLOW_ALL,
    ),
    (
        "StringLike ? matches exactly one character",
        policy(web({"StringLike": {SUB: "system:serviceaccount:apps:ap?"}})),
        token("apps", "api"),
        ALLOW_ALL,
    ),
    (
        "StringLike ? does not match two characters",
        policy(web({"StringLike": {SUB: "system:serviceaccount:apps:a?"}})),
        token("apps", "api"),
        NO,
    ),
    (
        "StringLike is case-sensitive",
        policy(web({"StringLike": {SUB: "system:serviceaccount:APPS:*"}})),
        token(),
        NO,
    ),
    (
        "several values of one key are ORed",
        policy(web({"StringEquals": {SUB: ["system:serviceaccount:jobs:batch", "system:serviceaccount:apps:api"]}})),
        token(),
        ALLOW_ALL,
    ),
    (
        "several keys of one operator are ANDed",
        policy(web(EXACT)),
        token(audience="other-audience"),
        NO,
    ),
    (
        "several operators are ANDed",
        policy(web({"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: "system:serviceaccount:jobs:*"}})),
        token(),
        NO,
    ),
    (
        "StringNotEquals admits values not listed",
        policy(web({"StringNotEquals": {SUB: "system:serviceaccount:apps:admin"}})),
        token(),
        ALLOW_ALL,
    ),
    (
        "StringNotEquals with several values is a NOR",
        policy(web({"StringNotEquals": {SUB: ["system:serviceaccount:jobs:batch", "system:serviceaccount:apps:api"]}})),
        token(),
        NO,
    ),
    (
        "StringNotLike refuses matching values",
        policy(web({"StringNotLike": {SUB: "system:serviceaccount:apps:*"}})),
        token(),
        NO,
    ),
    (
        "condition key names are case-insensitive",
        policy(web({"StringEquals": {SUB.upper(): "system:serviceaccount:apps:api"}})),
        token(),
        ALLOW_ALL,
    ),
    ("a statement without conditions applies to every token of the provider", policy(web()), token(), ALLOW_ALL),
    (
        "another provider's token is not admitted",
        policy(web()),
        web_identity_request(OTHER_PROVIDER_ARN, "apps", "api", "sts.amazonaws.com"),
        NO,
    ),
    (
        'Principal "*" admits everyone',
        policy({"Effect": "Allow", "Principal": "*", "Action": "sts:*"}),
        token(),
        ALLOW_ALL,
    ),
    (
        'Principal {"AWS": "*"} admits everyone',
        policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRoleWithWebIdentity"}),
        token(),
        ALLOW_ALL,
    ),
    ("actions match with wildcards", policy(web(Action="sts:AssumeRole*")), token(), ALLOW_ALL),
    ("actions match case-insensitively", policy(web(Action="STS:assumerolewithwebidentity")), token(), ALLOW_ALL),
    ("an action not listed is not allowed", policy(web(Action="sts:AssumeRole")), token(), NO),
    (
        "NotAction allows every action it does not list",
        policy({"Effect": "Allow", "Principal": {"Federated": PROVIDER_ARN}, "NotAction": "sts:AssumeRole"}),
        token(),
        ALLOW_ALL,
    ),
    (
        "NotAction listing the action does not allow it",
        policy({"Effect": "Allow", "Principal": {"Federated": PROVIDER_ARN}, "NotAction": "sts:AssumeRoleWith*"}),
        token(),
        NO,
    ),
    ("a matching Deny wins over an Allow", policy(web(EXACT), web(effect="Deny")), token(), DENIED),
    (
        "a Deny that does not match leaves the Allow",
        policy(web(EXACT), web({"StringEquals": {SUB: "system:serviceaccount:apps:admin"}}, effect="Deny")),
        token(),
        ALLOW_ALL,
    ),
    ("a lone statement object counts", {"Version": "2012-10-17", "Statement": web(EXACT)}, token(), ALLOW_ALL),
    # Missing keys: Pod Identity sessions without session tags carry no aws:RequestTag keys.
    (
        "a missing key fails a positive operator",
        policy(pods({"StringEquals": {NS_TAG: "apps"}})),
        session(tags=False),
        NO,
    ),
    (
        "a missing key satisfies a negated operator",
        policy(pods({"StringNotEquals": {NS_TAG: "kube-system"}})),
        session(tags=False),
        ALLOW_ALL,
    ),
    (
        "IfExists passes when the key is missing",
        policy(pods({"StringEqualsIfExists": {NS_TAG: "apps"}})),
        session(tags=False),
        ALLOW_ALL,
    ),
    (
        "IfExists still checks a present key",
        policy(pods({"StringEqualsIfExists": {NS_TAG: "apps"}})),
        session("jobs"),
        NO,
    ),
    ('Null "true" holds for a missing key', policy(pods({"Null": {NS_TAG: "true"}})), session(tags=False), ALLOW_ALL),
    ('Null "false" fails for a missing key', policy(pods({"Null": {NS_TAG: "false"}})), session(tags=False), NO),
    ('Null "false" holds for a present key', policy(pods({"Null": {NS_TAG: "false"}})), session(), ALLOW_ALL),
    # Set operators over aws:TagKeys, the multivalued key of a Pod Identity session.
    (
        "ForAnyValue holds when one request value matches",
        policy(pods({"ForAnyValue:StringEquals": {"aws:TagKeys": ["kubernetes-namespace", "team"]}})),
        session(),
        ALLOW_ALL,
    ),
    (
        "ForAnyValue fails when the key is missing",
        policy(pods({"ForAnyValue:StringEquals": {"aws:TagKeys": "kubernetes-namespace"}})),
        session(tags=False),
        NO,
    ),
    (
        "ForAllValues fails when one request value is outside the set",
        policy(pods({"ForAllValues:StringEquals": {"aws:TagKeys": ["eks-cluster-name", "kubernetes-namespace"]}})),
        session(),
        NO,
    ),
    (
        "ForAllValues holds when every request value is in the set",
        policy(pods({"ForAllValues:StringLike": {"aws:TagKeys": ["eks-*", "kubernetes-*"]}})),
        session(),
        ALLOW_ALL,
    ),
    (
        "ForAllValues holds vacuously when the key is missing",
        policy(pods({"ForAllValues:StringEquals": {"aws:TagKeys": "team"}})),
        session(tags=False),
        ALLOW_ALL,
    ),
    (
        "ForAllValues:StringNotEquals needs every request value outside the set",
        policy(pods({"ForAllValues:StringNotEquals": {"aws:TagKeys": "kubernetes-pod-uid"}})),
        session(),
        NO,
    ),
    (
        "ForAnyValue:StringNotEquals needs one request value outside the set",
        policy(pods({"ForAnyValue:StringNotEquals": {"aws:TagKeys": "kubernetes-pod-uid"}})),
        session(),
        ALLOW_ALL,
    ),
    (
        "a multivalued key without a set operator is not analysed",
        policy(pods({"StringEquals": {"aws:TagKeys": "kubernetes-namespace"}})),
        session(),
        UNKNOWN,
    ),
    # ARN operators compare each of the six parts, wildcards allowed (ArnEquals too).
    (
        "ArnLike matches part by part",
        policy(pods({"ArnLike": {"aws:RequestTag/eks-cluster-arn": "arn:aws:eks:*:123456789012:cluster/*"}})),
        session(cluster_arn=CLUSTER_ARN),
        ALLOW_ALL,
    ),
    (
        "ArnEquals honours wildcards too",
        policy(pods({"ArnEquals": {"aws:RequestTag/eks-cluster-arn": "arn:aws:eks:eu-west-1:*:cluster/prod"}})),
        session(cluster_arn=CLUSTER_ARN),
        ALLOW_ALL,
    ),
    (
        "ArnNotLike refuses a matching ARN",
        policy(pods({"ArnNotLike": {"aws:RequestTag/eks-cluster-arn": "arn:aws:eks:*:*:cluster/prod"}})),
        session(cluster_arn=CLUSTER_ARN),
        NO,
    ),
    # Outside the model: the answer is NOT_ANALYSED, not a guess.
    (
        "a key the request does not model is not analysed",
        policy(pods({"StringEquals": {"aws:SourceAccount": "123456789012"}})),
        session(),
        UNKNOWN,
    ),
    (
        "the cluster ARN tag is not analysed when the request does not know the ARN",
        policy(pods({"ArnLike": {"aws:RequestTag/eks-cluster-arn": "arn:aws:eks:*:*:cluster/prod"}})),
        session(),
        UNKNOWN,
    ),
    (
        "an operator outside the model is not analysed",
        policy(web({"NumericLessThan": {SUB: "3"}})),
        token(),
        UNKNOWN,
    ),
    (
        "a policy variable is not analysed",
        policy(pods({"StringEquals": {NS_TAG: "${aws:PrincipalTag/team}"}})),
        session(),
        UNKNOWN,
    ),
    (
        "NotPrincipal is not analysed",
        policy({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:*"}),
        token(),
        UNKNOWN,
    ),
    (
        "an unanalysed Allow does not matter when another Allow applies",
        policy(web(EXACT), web({"NumericLessThan": {SUB: "3"}})),
        token(),
        ALLOW_ALL,
    ),
    (
        "an unanalysed Deny makes an allowed request not analysed",
        policy(web(EXACT), web({"NumericLessThan": {SUB: "3"}}, effect="Deny")),
        token(),
        UNKNOWN,
    ),
    (
        "an unanalysed Deny leaves a request nothing allows denied, explicitly or not",
        policy(
            web({"StringEquals": {SUB: "system:serviceaccount:apps:admin"}}),
            web({"IpAddress": {SUB: "x"}}, effect="Deny"),
        ),
        token(),
        Decision.DENY,
    ),
    (
        "a known Deny wins over an unanalysed Allow",
        policy(web({"NumericLessThan": {SUB: "3"}}), web(effect="Deny")),
        token(),
        DENIED,
    ),
    # Pod Identity needs both sts:AssumeRole and sts:TagSession.
    ("Pod Identity without sts:TagSession is refused", policy(pods(Action="sts:AssumeRole")), session(), NO),
]


@pytest.mark.parametrize(("document", "request_", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_evaluation_follows_iam_semantics(document, request_, expected):
    assert can_assume(document, request_) is expected


# ---- properties -------------------------------------------------------------------------------

names = st.from_regex(r"[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?", fullmatch=True)
literals = st.text(alphabet=st.characters(blacklist_characters="*?", codec="ascii"), max_size=20)


@given(literals)
def test_a_literal_pattern_matches_only_itself(text):
    assert wildcard_match(text, text)
    assert not wildcard_match(text, text + "x")


@given(literals, literals)
def test_a_star_matches_any_middle(prefix, middle):
    assert wildcard_match(f"{prefix}*", prefix + middle)


@settings(max_examples=40)
@given(names, names, st.lists(st.tuples(names, names), min_size=1, max_size=4))
def test_a_deny_of_the_same_statement_always_wins(namespace, name, subjects):
    trust = build_irsa_trust_policy([PROVIDER_ARN], subjects)
    trust["Statement"].append({**trust["Statement"][0], "Effect": "Deny"})
    assert can_assume(trust, token(namespace, name)) is not Decision.ALLOW


@settings(max_examples=40)
@given(names, names, st.lists(st.tuples(names, names), min_size=1, max_size=4))
def test_not_equals_admits_exactly_what_equals_refuses(namespace, name, subjects):
    values = [f"system:serviceaccount:{ns}:{sa}" for ns, sa in subjects]
    equals = can_assume(policy(web({"StringEquals": {SUB: values}})), token(namespace, name))
    not_equals = can_assume(policy(web({"StringNotEquals": {SUB: values}})), token(namespace, name))
    assert {equals, not_equals} == {Decision.ALLOW, Decision.IMPLICIT_DENY}


@settings(max_examples=40)
@given(st.permutations(["exact", "deny", "like"]), names, names)
def test_statement_order_does_not_matter(order, namespace, name):
    statements = {
        "exact": web(EXACT),
        "deny": web({"StringEquals": {SUB: "system:serviceaccount:apps:admin"}}, effect="Deny"),
        "like": web({"StringLike": {SUB: "system:serviceaccount:jobs-*:*"}}),
    }
    reference = can_assume(policy(*statements.values()), token(namespace, name))
    assert can_assume(policy(*(statements[k] for k in order)), token(namespace, name)) is reference


@settings(max_examples=40)
@given(names, names, names)
def test_an_irsa_grant_admits_what_can_assume_allows(namespace, name, pattern_ns):
    trust = policy(
        web({"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: f"system:serviceaccount:{pattern_ns}*:*"}})
    )
    (grant,) = grants(trust)
    assert isinstance(grant, IrsaGrant)
    listed = all(c.admits(f"system:serviceaccount:{namespace}:{name}") for c in grant.subject)
    assert listed == (can_assume(trust, token(namespace, name)) is Decision.ALLOW)


# ---- smaller pieces ---------------------------------------------------------------------------


def test_arn_parts_are_matched_separately():
    assert arn_match("arn:aws:eks:*:*:cluster/*", CLUSTER_ARN)
    assert not arn_match("arn:aws:eks:*:*:cluster/*", "not-an-arn")


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("system:serviceaccount:apps:api", ("apps", "api")),
        ("system:serviceaccount:apps:*", ("apps", "*")),
        ("system:serviceaccount:*", ("*", "*")),
        ("system:serviceaccount:team-*", ("team-*", "*")),
        ("*", ("*", "*")),
        ("system:serviceaccount:apps", None),
        ("user:alice", None),
    ],
)
def test_split_subject(pattern, expected):
    assert split_subject(pattern) == expected


def test_pod_identity_session_tag_keys_are_the_six_eks_sets():
    assert session().context["aws:tagkeys"] == (
        "eks-cluster-arn",
        "eks-cluster-name",
        "kubernetes-namespace",
        "kubernetes-service-account",
        "kubernetes-pod-name",
        "kubernetes-pod-uid",
    )


# ---- grants -----------------------------------------------------------------------------------


def constraint(operator: str, *values: str, negated=False, wildcards=False, if_exists=False) -> Constraint:
    return Constraint(operator, values, negated, wildcards, False, if_exists)


def test_irsa_trust_lists_one_grant_per_provider_with_its_subjects_and_audience():
    trust = build_irsa_trust_policy([PROVIDER_ARN, OTHER_PROVIDER_ARN], [("apps", "api"), ("jobs", "batch")])
    other_host = OTHER_PROVIDER_ARN.split("oidc-provider/")[1]
    subjects = ("system:serviceaccount:apps:api", "system:serviceaccount:jobs:batch")
    assert grants(trust) == [
        IrsaGrant(
            0,
            PROVIDER_ARN,
            ISSUER_HOST,
            (constraint("StringEquals", *subjects),),
            (constraint("StringEquals", "sts.amazonaws.com"),),
        ),
        IrsaGrant(
            1,
            OTHER_PROVIDER_ARN,
            other_host,
            (constraint("StringEquals", *subjects),),
            (constraint("StringEquals", "sts.amazonaws.com"),),
        ),
    ]


def test_wildcard_subjects_are_listed_as_patterns():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "*")])
    (grant,) = grants(trust)
    assert isinstance(grant, IrsaGrant)
    assert grant.subject == (constraint("StringLike", "system:serviceaccount:apps:*", wildcards=True),)


def test_narrowed_pod_identity_trust_lists_its_session_tags():
    assert grants(build_pod_identity_trust_policy("prod", "apps", "api")) == [
        PodIdentityGrant(
            0,
            cluster_name=(constraint("StringEquals", "prod"),),
            cluster_arn=(),
            namespace=(constraint("StringEquals", "apps"),),
            service_account=(constraint("StringEquals", "api"),),
        )
    ]


def test_unnarrowed_pod_identity_trust_is_any_association():
    (grant,) = grants(build_pod_identity_trust_policy())
    assert isinstance(grant, PodIdentityGrant)
    assert not grant.narrowed


def test_other_principals_are_listed_with_their_actions():
    trust = policy(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole"}
    )
    assert grants(trust) == [OtherPrincipal(0, "AWS", "arn:aws:iam::210987654321:root", ("sts:AssumeRole",), False)]


def test_pod_identity_without_tag_session_is_another_principal():
    assert grants(policy(pods(Action="sts:AssumeRole"))) == [
        OtherPrincipal(0, "Service", "pods.eks.amazonaws.com", ("sts:AssumeRole",), False)
    ]


def test_a_condition_outside_the_model_makes_the_statement_not_analysed():
    trust = policy(pods({"StringEquals": {NS_TAG: "apps", "aws:SourceAccount": "123456789012"}}))
    assert grants(trust) == [
        NotAnalysedStatement(0, "condition on aws:SourceAccount, which is not a modelled Pod Identity session tag")
    ]


def test_a_deny_statement_is_reported_as_not_analysed():
    assert grants(policy(web(EXACT), web(effect="Deny"))) == [
        IrsaGrant(
            0,
            PROVIDER_ARN,
            ISSUER_HOST,
            (constraint("StringEquals", "system:serviceaccount:apps:api"),),
            (constraint("StringEquals", "sts.amazonaws.com"),),
        ),
        NotAnalysedStatement(1, "Deny statement: it narrows the grants; ask can_assume for a request"),
    ]


def test_if_exists_constraints_admit_a_missing_key():
    (grant,) = grants(policy(pods({"StringEqualsIfExists": {SA_TAG: "api"}})))
    assert isinstance(grant, PodIdentityGrant)
    assert grant.service_account[0].admits(None)
    assert not grant.service_account[0].admits("other")


# ---- principals by meaning, keys a principal never carries, the sound mode ---------------------------------


def caller(arn: str) -> Request:
    """A signed sts:AssumeRole call from an IAM principal."""
    return Request("AWS", arn, ("sts:AssumeRole",), {"aws:principalarn": (arn,)}, frozenset({"aws:principalarn"}))


def aws_trust(principal: str) -> dict[str, Any]:
    return policy({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"})


@pytest.mark.parametrize("written", ["111122223333", "arn:aws:iam::111122223333:root"])
def test_an_account_id_and_its_root_arn_are_the_same_principal(written):
    assert can_assume(aws_trust(written), caller("arn:aws:iam::111122223333:role/ci")) is ALLOW_ALL
    assert can_assume(aws_trust(written), caller("arn:aws:iam::444455556666:role/ci")) is NO


def test_a_role_principal_admits_that_role_only():
    trust = aws_trust("arn:aws:iam::111122223333:role/ci")
    assert can_assume(trust, caller("arn:aws:iam::111122223333:role/ci")) is ALLOW_ALL
    assert can_assume(trust, caller("arn:aws:iam::111122223333:role/other")) is NO


def test_a_provider_of_another_account_than_the_role_admits_nobody():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api")])
    assert can_assume(trust, token(), role_arn="arn:aws:iam::123456789012:role/r") is ALLOW_ALL
    assert can_assume(trust, token(), role_arn="arn:aws:iam::444455556666:role/r") is NO


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {f"{OTHER_PROVIDER_ARN.split('/', 1)[1]}:sub": "system:serviceaccount:apps:api"}},
        {"StringEquals": {f"https://{SUB}": "system:serviceaccount:apps:api"}},
        {"StringEquals": {NS_TAG: "apps"}},
        {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/ci"}},
    ],
    ids=["another provider's sub", "a key with https://", "a session tag", "aws:PrincipalArn"],
)
def test_a_key_the_token_never_carries_is_absent_not_unknown(condition):
    assert can_assume(policy(web(condition)), token()) is NO


def test_a_negated_condition_on_a_key_the_token_never_carries_holds():
    assert can_assume(policy(web({"StringNotEquals": {NS_TAG: "kube-system"}})), token()) is ALLOW_ALL


def test_pod_identity_sessions_carry_only_the_eks_tags():
    assert can_assume(policy(pods({"StringEquals": {"aws:RequestTag/team": "a"}})), session()) is NO


def test_an_unreadable_deny_over_a_request_nothing_allows_is_a_deny_of_unknown_kind():
    trust = policy(
        web({"StringEquals": {SUB: "system:serviceaccount:apps:other"}}), web({"IpAddress": {SUB: "x"}}, effect="Deny")
    )
    assert can_assume(trust, token()) is Decision.DENY


@pytest.mark.parametrize(
    ("trust", "expected"),
    [
        (policy(web({"NumericLessThan": {SUB: "3"}})), True),
        (policy(web({"StringEquals": {SUB: "${aws:username}"}})), True),
        (policy(web(), web({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, effect="Deny")), True),
        (policy(web(), web(effect="Deny")), False),
        (policy(web({"StringEquals": {SUB: "system:serviceaccount:apps:other"}})), False),
        (
            policy({"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:*"}),
            True,
        ),
    ],
    ids=["unreadable Allow condition", "policy variable", "unreadable Deny", "Deny", "other subject", "NotPrincipal"],
)
def test_may_assume_reads_what_it_cannot_read_in_the_callers_favour(trust, expected):
    assert may_assume(trust, token()) is expected
    if can_assume(trust, token()) is ALLOW_ALL:
        assert may_assume(trust, token())


def test_set_operators_on_the_single_valued_sub_are_drawn_in_the_matrix():
    (grant,) = grants(policy(web({"ForAnyValue:StringLike": {SUB: "system:serviceaccount:*:*"}})))
    assert isinstance(grant, IrsaGrant)
    assert [c.values for c in grant.subject] == [("system:serviceaccount:*:*",)]


@pytest.mark.parametrize("operator", ["StringEqualsIfExists", "ForAllValues:StringEquals", "StringNotEquals"])
def test_tag_conditions_untagged_sessions_pass_do_not_narrow_a_pod_identity_grant(operator):
    (grant,) = grants(policy(pods({operator: {NS_TAG: "shop", SA_TAG: "orders"}})))
    assert isinstance(grant, PodIdentityGrant)
    assert not grant.narrowed
    assert can_assume(policy(pods({operator: {NS_TAG: "shop"}})), session("apps", tags=False)) is ALLOW_ALL


def test_the_matrix_says_a_statement_keyed_on_another_provider_never_admits_a_token():
    other = OTHER_PROVIDER_ARN.split(":oidc-provider/", 1)[1]
    (grant,) = grants(policy(web({"StringEquals": {f"{other}:sub": "system:serviceaccount:apps:api"}})))
    assert grant == NotAnalysedStatement(0, f"never admits a token of this provider: its tokens carry no {other}:sub")
