"""Custom trust conditions and statements: they narrow or extend the exact trust, never weaken it."""

from __future__ import annotations

import dataclasses
import json

import pulumi
import pytest
from conftest import ISSUER_HOST, PROVIDER_ARN, assert_valid_trust_policy

from irsa_components import (
    CrossAccountTargetRole,
    IrsaConfigError,
    PodIdentityAssociation,
    PodIdentityRole,
    ServiceAccountRole,
)
from irsa_components.custom_trust import (
    POD_IDENTITY,
    REQUEST_KINDS,
    TARGET_ROLE,
    WEB_IDENTITY,
    validate_trust_conditions,
)
from irsa_components.review.analysis import Decision, can_assume, pod_identity_request, web_identity_request
from irsa_components.testing import IrsaMocks, run_program
from irsa_components.trust import add_trust_conditions, append_trust_statements

ROLE = "aws:iam/role:Role"
SOURCE_ACCOUNT = {"StringEquals": {"aws:SourceAccount": "123456789012"}}
REGION = {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}
POD_ROLE = "arn:aws:iam::111122223333:role/orders-pod-identity"
EXTRA_STATEMENT = {
    "Sid": "BreakGlass",
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::123456789012:role/admin"},
    "Action": "sts:AssumeRole",
}


def irsa(**args):
    base = {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}
    return lambda: ServiceAccountRole("app", {**base, **args})


def pod_identity(**args):
    base = {"cluster_name": "prod", "namespace": "shop", "service_account": "orders"}
    return lambda: PodIdentityAssociation("orders", {**base, **args})


def trust_of(program) -> dict:
    return json.loads(run_program(program).one(ROLE).inputs["assumeRolePolicy"])


def refused(program) -> tuple[IrsaConfigError, list]:
    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    return err.value, [r for r in mocks.resources if r.type.startswith(("aws:", "kubernetes:"))]


def with_source_account(request, account: str):
    """A Pod Identity request as EKS makes it, with the aws:SourceAccount key it carries."""
    return dataclasses.replace(
        request,
        context={**request.context, "aws:sourceaccount": (account,)},
        modelled_keys=request.modelled_keys | {"aws:sourceaccount"},
    )


# ---- the key tables -------------------------------------------------------------------------------


def test_every_request_kind_records_its_keys_and_their_source():
    assert set(REQUEST_KINDS) == {WEB_IDENTITY, POD_IDENTITY, TARGET_ROLE}
    for kind in REQUEST_KINDS.values():
        assert kind.carries and kind.absent and kind.source
    assert "aws:sourceaccount" in REQUEST_KINDS[WEB_IDENTITY].absent
    assert "aws:SourceAccount" in REQUEST_KINDS[POD_IDENTITY].carries


@pytest.mark.parametrize(
    "kind,key",
    [
        (WEB_IDENTITY, f"{ISSUER_HOST}:sub"),
        (WEB_IDENTITY, f"{ISSUER_HOST}:aud"),
        (POD_IDENTITY, "aws:RequestTag/kubernetes-namespace"),
        (POD_IDENTITY, "aws:requesttag/KUBERNETES-SERVICE-ACCOUNT"),
        (POD_IDENTITY, "aws:RequestTag/eks-cluster-name"),
        (TARGET_ROLE, "aws:PrincipalARN"),
        (TARGET_ROLE, "sts:ExternalId"),
    ],
)
def test_a_key_the_component_sets_is_refused(kind, key):
    with pytest.raises(IrsaConfigError, match="sets itself"):
        validate_trust_conditions("c", {"StringLike": {key: "x"}}, [kind])


@pytest.mark.parametrize(
    "kind,key",
    [
        (WEB_IDENTITY, "aws:SourceAccount"),
        (WEB_IDENTITY, "aws:SourceArn"),
        (WEB_IDENTITY, "aws:PrincipalTag/team"),
        (POD_IDENTITY, "aws:FederatedProvider"),
        (POD_IDENTITY, f"{ISSUER_HOST}:amr"),
        (TARGET_ROLE, "aws:PrincipalServiceName"),
    ],
)
def test_a_key_absent_from_that_kind_of_request_is_refused(kind, key):
    with pytest.raises(IrsaConfigError, match="absent from every"):
        validate_trust_conditions("c", {"StringEquals": {key: "x"}}, [kind])


@pytest.mark.parametrize(
    "conditions",
    [{}, {"StringEqualz": {"aws:SourceAccount": "1"}}, {"StringEquals": {}}, {"StringEquals": {"nocolon": "1"}}],
)
def test_malformed_conditions_are_refused(conditions):
    with pytest.raises(IrsaConfigError):
        validate_trust_conditions("c", conditions, [POD_IDENTITY])


# ---- in the components ----------------------------------------------------------------------------


def test_irsa_conditions_are_anded_into_the_exact_statement():
    trust = trust_of(irsa(trust_conditions=REGION))
    assert trust["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Federated": PROVIDER_ARN},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    f"{ISSUER_HOST}:sub": "system:serviceaccount:apps:api",
                    f"{ISSUER_HOST}:aud": "sts.amazonaws.com",
                    "aws:RequestedRegion": "us-east-1",
                }
            },
        }
    ]
    assert_valid_trust_policy(trust)


def test_source_account_on_an_irsa_role_is_refused_before_any_resource():
    error, created = refused(irsa(trust_conditions=SOURCE_ACCOUNT))
    assert error.field == "trust_conditions.StringEquals"
    assert error.value == "aws:SourceAccount"
    assert created == []


def test_the_sub_condition_can_not_be_replaced():
    error, created = refused(irsa(trust_conditions={"StringLike": {f"{ISSUER_HOST}:sub": "system:serviceaccount:*"}}))
    assert "sets itself" in error.problem
    assert created == []


def test_pod_identity_confused_deputy_guard_is_anded_into_the_session_tag_statement():
    trust = trust_of(pod_identity(trust_conditions=SOURCE_ACCOUNT))
    assert trust == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowEksAuthToAssumeRoleForPodIdentity",
                "Effect": "Allow",
                "Principal": {"Service": "pods.eks.amazonaws.com"},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {
                        "aws:RequestTag/eks-cluster-name": "prod",
                        "aws:RequestTag/kubernetes-namespace": "shop",
                        "aws:RequestTag/kubernetes-service-account": "orders",
                        "aws:SourceAccount": "123456789012",
                    }
                },
            }
        ],
    }
    request = pod_identity_request("prod", "shop", "orders")
    assert can_assume(trust, with_source_account(request, "123456789012")) is Decision.ALLOW
    assert can_assume(trust, with_source_account(request, "999999999999")) is Decision.IMPLICIT_DENY


def test_a_session_tag_key_under_another_operator_is_still_refused():
    error, created = refused(
        pod_identity(trust_conditions={"StringLike": {"aws:RequestTag/kubernetes-namespace": "*"}})
    )
    assert "sets itself" in error.problem
    assert created == []


def test_conditions_reach_every_statement_of_a_pod_identity_role():
    associations = [
        {"cluster_name": "prod", "namespace": "apps", "service_account": "api"},
        {"cluster_name": "stage", "namespace": "apps", "service_account": "api"},
    ]
    trust = trust_of(
        lambda: PodIdentityRole("shared", {"associations": associations, "trust_conditions": SOURCE_ACCOUNT})
    )
    assert len(trust["Statement"]) == 2
    assert all(s["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012" for s in trust["Statement"])


def test_in_migration_mode_both_a_key_absent_from_irsa_requests_is_refused():
    error, _ = refused(irsa(mode="both", pod_identity={"cluster_name": "prod"}, trust_conditions=SOURCE_ACCOUNT))
    assert error.value == "aws:SourceAccount"


def test_target_role_conditions_and_its_own_keys():
    args = {"pod_identity_role_arn": POD_ROLE, "trust_conditions": {"Bool": {"aws:SecureTransport": "true"}}}
    trust = trust_of(lambda: CrossAccountTargetRole("target", args))
    assert trust["Statement"][0]["Condition"] == {
        "ArnEquals": {"aws:PrincipalARN": POD_ROLE},
        "Bool": {"aws:SecureTransport": "true"},
    }
    error, created = refused(
        lambda: CrossAccountTargetRole(
            "target",
            {"pod_identity_role_arn": POD_ROLE, "trust_conditions": {"ArnLike": {"aws:PrincipalArn": "arn:*"}}},
        )
    )
    assert "sets itself" in error.problem
    assert created == []


def test_deploy_time_condition_values_are_resolved_into_the_trust():
    def program():
        account = pulumi.Output.from_input("123456789012")
        pod_identity(trust_conditions={"StringEquals": {"aws:SourceAccount": account}})()

    trust = trust_of(program)
    assert trust["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"


# ---- extra statements -----------------------------------------------------------------------------


def test_trust_statements_are_appended_as_given_and_the_reviewer_sees_them():
    trust = trust_of(irsa(trust_statements=[EXTRA_STATEMENT]))
    assert trust["Statement"][1] == EXTRA_STATEMENT
    assert len(trust["Statement"]) == 2
    request = web_identity_request(PROVIDER_ARN, "apps", "api", "sts.amazonaws.com")
    assert can_assume(trust, request) is Decision.ALLOW
    assert_valid_trust_policy(trust)


@pytest.mark.parametrize(
    "statement",
    [
        {**EXTRA_STATEMENT, "Resource": "*"},
        {**EXTRA_STATEMENT, "Action": "s3:GetObject"},
        {**EXTRA_STATEMENT, "Effect": "Maybe"},
        {k: v for k, v in EXTRA_STATEMENT.items() if k != "Principal"},
        {**EXTRA_STATEMENT, "Sid": "has spaces"},
    ],
)
def test_invalid_trust_statements_are_refused_before_any_resource(statement):
    error, created = refused(irsa(trust_statements=[statement]))
    assert error.field == "trust_statements"
    assert created == []


def test_a_repeated_sid_is_refused():
    error, _ = refused(
        pod_identity(trust_statements=[{**EXTRA_STATEMENT, "Sid": "AllowEksAuthToAssumeRoleForPodIdentity"}])
    )
    assert error.field == "trust_statements"


def test_the_trust_quota_covers_the_extra_statements():
    big = [{**EXTRA_STATEMENT, "Sid": f"S{i}"} for i in range(20)]
    error, created = refused(irsa(trust_statements=big))
    assert error.field == "trust policy"
    assert created == []


def test_custom_trust_with_an_existing_role_is_refused():
    error, _ = refused(pod_identity(role_arn="arn:aws:iam::123456789012:role/shared", trust_conditions=SOURCE_ACCOUNT))
    assert error.field == "trust_conditions"


# ---- the pure builders ----------------------------------------------------------------------------


def test_add_trust_conditions_joins_an_operator_block_and_adds_new_ones_to_every_statement():
    document = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "a"}, "Action": "sts:AssumeRole"},
            {
                "Effect": "Allow",
                "Principal": {"Service": "b"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"k:x": "1"}},
            },
        ],
    }
    result = add_trust_conditions(document, {"StringEquals": {"k:y": "2"}, "Bool": {"aws:SecureTransport": "true"}})
    assert [s["Condition"] for s in result["Statement"]] == [
        {"StringEquals": {"k:y": "2"}, "Bool": {"aws:SecureTransport": "true"}},
        {"StringEquals": {"k:x": "1", "k:y": "2"}, "Bool": {"aws:SecureTransport": "true"}},
    ]
    assert "Condition" not in document["Statement"][0]  # the input is left alone


def test_append_trust_statements_keeps_the_built_ones_first():
    document = {"Version": "2012-10-17", "Statement": [{"Sid": "A"}]}
    assert append_trust_statements(document, [{"Sid": "B"}])["Statement"] == [{"Sid": "A"}, {"Sid": "B"}]
    assert append_trust_statements(document, []) == document


def test_an_absent_key_under_if_exists_is_refused_as_a_guard_that_guards_nothing():
    with pytest.raises(IrsaConfigError, match="guard nothing"):
        validate_trust_conditions("c", {"StringEqualsIfExists": {"aws:SourceAccount": "1"}}, [WEB_IDENTITY])
