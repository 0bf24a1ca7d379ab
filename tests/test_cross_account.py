"""Cross-account access: a Pod Identity target role's trust, end to end, and IRSA through a provider in another account.

The target role trust shapes are the EKS user guide's, "Access AWS Resources using EKS Pod Identity Target IAM
Roles" (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html; source in
awsdocs/amazon-eks-user-guide, latest/ug/manage-access/aws-access/pod-id-assign-target-role.adoc).
"""

from __future__ import annotations

import json

import pulumi
import pytest
from conftest import ISSUER_HOST, assert_all_policies_valid, assert_valid_trust_policy

from irsa_components import IrsaConfigError, PodIdentityAssociation, ServiceAccountRole
from irsa_components.cross_account import (
    CrossAccountTargetRole,
    target_role_trust_policy,
    untagged_external_id,
)
from irsa_components.review.analysis import Decision, Request, can_assume, web_identity_request
from irsa_components.testing import IrsaMocks, run_program
from irsa_components.trust import build_irsa_trust_policy

CLUSTER_ACCOUNT = "111122223333"
SOURCE_ROLE = f"arn:aws:iam::{CLUSTER_ACCOUNT}:role/eks-pod-identity-primary-role"
EXTERNAL_ID = f"eu-west-1/{CLUSTER_ACCOUNT}/prod/shop/orders"
ROLE = "aws:iam/role:Role"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
TAG_KEYS = ("eks-cluster-name", "kubernetes-namespace", "kubernetes-service-account")


def chained(
    role_arn: str, actions: tuple[str, ...], *, tags: tuple[str, str, str] | None = None, external_id: str | None = None
) -> Request:
    """EKS Pod Identity's second hop: the association's role session asking for the target role."""
    account = role_arn.split(":")[4]
    context: dict[str, tuple[str, ...]] = {"aws:principalarn": (role_arn,)}
    if tags is not None:
        context.update({f"aws:requesttag/{key}": (value,) for key, value in zip(TAG_KEYS, tags, strict=True)})
    if external_id is not None:
        context["sts:externalid"] = (external_id,)
    modelled = {"aws:principalarn", "sts:externalid", *(f"aws:requesttag/{key}" for key in TAG_KEYS)}
    return Request("AWS", f"arn:aws:iam::{account}:root", actions, context, frozenset(modelled))


BOTH = ("sts:AssumeRole", "sts:TagSession")


# ---- the trust document ----------------------------------------------------------------------------


def test_target_trust_with_session_tags_is_the_documented_shape():
    assert target_role_trust_policy(SOURCE_ROLE, cluster_name="prod", namespace="shop", service_account="orders") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{CLUSTER_ACCOUNT}:root"},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {
                        "aws:RequestTag/eks-cluster-name": "prod",
                        "aws:RequestTag/kubernetes-namespace": "shop",
                        "aws:RequestTag/kubernetes-service-account": "orders",
                    },
                    "ArnEquals": {"aws:PrincipalARN": SOURCE_ROLE},
                },
            }
        ],
    }


def test_target_trust_without_narrowing_still_pins_the_association_role():
    statement = target_role_trust_policy(SOURCE_ROLE)["Statement"][0]
    assert statement["Condition"] == {"ArnEquals": {"aws:PrincipalARN": SOURCE_ROLE}}


def test_target_trust_with_session_tags_disabled_requires_the_external_id():
    assert target_role_trust_policy(SOURCE_ROLE, external_id=EXTERNAL_ID) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{CLUSTER_ACCOUNT}:root"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"sts:ExternalId": EXTERNAL_ID},
                    "ArnEquals": {"aws:PrincipalARN": SOURCE_ROLE},
                },
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{CLUSTER_ACCOUNT}:root"},
                "Action": "sts:TagSession",
                "Condition": {"ArnEquals": {"aws:PrincipalARN": SOURCE_ROLE}},
            },
        ],
    }


def test_partition_of_the_association_role_carries_into_the_principal():
    role = "arn:aws-cn:iam::111122223333:role/primary"
    principal = target_role_trust_policy(role)["Statement"][0]["Principal"]
    assert principal == {"AWS": "arn:aws-cn:iam::111122223333:root"}


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"cluster_name": "prod", "namespace": "shop", "service_account": "orders"}, {"external_id": EXTERNAL_ID}],
)
def test_every_target_trust_passes_iam_validation(kwargs):
    assert_valid_trust_policy(target_role_trust_policy(SOURCE_ROLE, **kwargs))


def test_tagged_target_trust_admits_only_the_association_role_with_its_tags():
    trust = target_role_trust_policy(SOURCE_ROLE, cluster_name="prod", namespace="shop", service_account="orders")
    assert can_assume(trust, chained(SOURCE_ROLE, BOTH, tags=("prod", "shop", "orders"))) is Decision.ALLOW
    other_role = SOURCE_ROLE.replace("primary-role", "other")
    assert can_assume(trust, chained(other_role, BOTH, tags=("prod", "shop", "orders"))) is Decision.IMPLICIT_DENY
    assert can_assume(trust, chained(SOURCE_ROLE, BOTH, tags=("prod", "shop", "billing"))) is Decision.IMPLICIT_DENY
    elsewhere = SOURCE_ROLE.replace(CLUSTER_ACCOUNT, "999988887777")
    assert can_assume(trust, chained(elsewhere, BOTH, tags=("prod", "shop", "orders"))) is Decision.IMPLICIT_DENY


def test_untagged_target_trust_admits_only_the_matching_external_id():
    trust = target_role_trust_policy(SOURCE_ROLE, external_id=EXTERNAL_ID)
    assert can_assume(trust, chained(SOURCE_ROLE, ("sts:AssumeRole",), external_id=EXTERNAL_ID)) is Decision.ALLOW
    assert can_assume(trust, chained(SOURCE_ROLE, ("sts:TagSession",))) is Decision.ALLOW
    wrong = EXTERNAL_ID.replace("orders", "billing")
    assert can_assume(trust, chained(SOURCE_ROLE, ("sts:AssumeRole",), external_id=wrong)) is Decision.IMPLICIT_DENY
    assert can_assume(trust, chained(SOURCE_ROLE, ("sts:AssumeRole",))) is Decision.IMPLICIT_DENY


def test_untagged_external_id_is_the_documented_format():
    assert untagged_external_id("eu-west-1", CLUSTER_ACCOUNT, "prod", "shop", "orders") == EXTERNAL_ID


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"pod_identity_role_arn": "arn:aws:iam::111122223333:user/x"}, "pod_identity_role_arn"),
        ({"external_id": "x"}, "external_id"),
        ({"external_id": "has space"}, "external_id"),
        ({"external_id": EXTERNAL_ID, "namespace": "shop"}, "namespace"),
        ({"namespace": "Shop"}, "namespace"),
        ({"service_account": "Orders"}, "service_account"),
        ({"cluster_name": "bad name"}, "cluster_name"),
    ],
)
def test_bad_target_trust_input_is_refused(kwargs, field):
    rest = {key: value for key, value in kwargs.items() if key != "pod_identity_role_arn"}
    with pytest.raises(IrsaConfigError) as err:
        target_role_trust_policy(kwargs.get("pod_identity_role_arn", SOURCE_ROLE), **rest)
    assert err.value.field == field


# ---- the component -------------------------------------------------------------------------------


def test_target_role_component_creates_the_role_with_that_trust():
    result = run_program(
        lambda: CrossAccountTargetRole(
            "data",
            {
                "pod_identity_role_arn": SOURCE_ROLE,
                "namespace": "shop",
                "service_account": "orders",
                "role_name": "data-reader",
                "policy_arns": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
            },
        )
    )
    component = result.one("irsa-components:index:CrossAccountTargetRole", "data")
    role = result.one(ROLE, "data-role")
    assert role.parent == component.urn
    assert role.inputs == {
        "name": "data-reader",
        "assumeRolePolicy": json.dumps(
            target_role_trust_policy(SOURCE_ROLE, namespace="shop", service_account="orders"), indent=2
        ),
    }
    attachment = result.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert (attachment.name, attachment.parent) == ("data-AmazonS3ReadOnlyAccess", component.urn)
    assert_all_policies_valid(result)


def test_association_and_target_role_chain_end_to_end():
    target_arn = "arn:aws:iam::123456789012:role/data-reader"

    def program():
        association = PodIdentityAssociation(
            "orders",
            {
                "cluster_name": "prod",
                "namespace": "shop",
                "service_account": "orders",
                "target_role_arn": target_arn,
                "disable_session_tags": True,
            },
        )
        target = CrossAccountTargetRole(
            "data",
            {
                "pod_identity_role_arn": association.role_arn,
                "external_id": association.external_id,
                "role_name": "data-reader",
            },
        )
        pulumi.export("target", target.role_arn)
        pulumi.export("trust", target.trust_policy)

    mocks = IrsaMocks()
    result = run_program(program, mocks=mocks)
    source_role = result.one(ROLE, "orders-role").outputs["arn"]
    assert result.outputs["target"] == target_arn
    assert result.one(ASSOCIATION).inputs["targetRoleArn"] == target_arn
    permission = json.loads(result.one("aws:iam/rolePolicy:RolePolicy", "orders-assume-target-role").inputs["policy"])
    assert permission["Statement"] == [
        # The user guide's permission, the same with session tags disabled.
        {
            "Sid": "AssumeTargetRole",
            "Effect": "Allow",
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Resource": target_arn,
        }
    ]
    external_id = untagged_external_id(mocks.region, mocks.account_id, "prod", "shop", "orders")
    assert result.one(ASSOCIATION).outputs["externalId"] == external_id
    trust = json.loads(result.one(ROLE, "data-role").inputs["assumeRolePolicy"])
    assert trust == target_role_trust_policy(source_role, external_id=external_id)
    assert json.loads(result.outputs["trust"]) == trust
    assert can_assume(trust, chained(source_role, ("sts:AssumeRole",), external_id=external_id)) is Decision.ALLOW
    assert_all_policies_valid(result)


def test_deploy_time_role_arn_is_validated_with_the_same_message():
    def program():
        bad = pulumi.Output.from_input("arn:aws:iam::123456789012:user/x")
        CrossAccountTargetRole("data", {"pod_identity_role_arn": bad})

    with pytest.raises(IrsaConfigError) as later:
        run_program(program)
    with pytest.raises(IrsaConfigError) as now:
        run_program(
            lambda: CrossAccountTargetRole("data", {"pod_identity_role_arn": "arn:aws:iam::123456789012:user/x"})
        )
    assert str(later.value) == str(now.value)


@pytest.mark.parametrize(
    "args,field",
    [
        ({}, "pod_identity_role_arn"),
        ({"pod_identity_role_arn": "not-an-arn"}, "pod_identity_role_arn"),
        ({"pod_identity_role_arn": SOURCE_ROLE, "external_id": "?"}, "external_id"),
        ({"pod_identity_role_arn": SOURCE_ROLE, "external_id": EXTERNAL_ID, "namespace": "a"}, "namespace"),
        ({"pod_identity_role_arn": SOURCE_ROLE, "role_name": "x" * 65}, "role_name"),
        ({"pod_identity_role_arn": SOURCE_ROLE, "policy_arns": ["AmazonS3ReadOnlyAccess"]}, "policy_arns"),
    ],
)
def test_bad_target_role_input_creates_nothing(args, field):
    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(lambda: CrossAccountTargetRole("data", args), mocks=mocks)
    assert err.value.field == field
    assert [r for r in mocks.resources if r.type.startswith("aws:")] == []


def test_narrowing_beside_an_external_id_is_refused_even_when_the_role_arn_is_an_output():
    mocks = IrsaMocks()

    def program():
        role = pulumi.Output.from_input(SOURCE_ROLE)
        CrossAccountTargetRole("data", {"pod_identity_role_arn": role, "external_id": EXTERNAL_ID, "namespace": "a"})

    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    assert err.value.field == "namespace"
    assert [r for r in mocks.resources if r.type.startswith("aws:")] == []


# ---- IRSA through an OIDC provider in another account --------------------------------------------


def test_irsa_role_refuses_a_provider_arn_of_another_account():
    """EKS's "Authenticate to another account with IRSA": STS looks the provider up in the role's own account, so
    account B creates its own OIDC provider for cluster A's issuer; a provider ARN of account A never works there."""
    provider_arn = f"arn:aws:iam::{CLUSTER_ACCOUNT}:oidc-provider/{ISSUER_HOST}"
    with pytest.raises(IrsaConfigError) as err:
        run_program(
            lambda: ServiceAccountRole(
                "remote", {"oidc_provider_arn": provider_arn, "namespace": "apps", "service_account": "api"}
            ),
            mocks=IrsaMocks(account_id="444455556666"),
        )
    assert err.value.field == "oidc_provider_arn"
    assert "create the provider in account 444455556666" in str(err.value)
    trust = build_irsa_trust_policy([provider_arn], [("apps", "api")])
    request = web_identity_request(provider_arn, "apps", "api", "sts.amazonaws.com")
    assert can_assume(trust, request, role_arn="arn:aws:iam::444455556666:role/remote") is Decision.IMPLICIT_DENY


def test_irsa_role_trusts_its_own_accounts_provider_for_another_accounts_cluster():
    provider_arn = f"arn:aws:iam::444455556666:oidc-provider/{ISSUER_HOST}"
    result = run_program(
        lambda: ServiceAccountRole(
            "remote", {"oidc_provider_arn": provider_arn, "namespace": "apps", "service_account": "api"}
        ),
        mocks=IrsaMocks(account_id="444455556666"),
    )
    trust = json.loads(result.one(ROLE).inputs["assumeRolePolicy"])
    request = web_identity_request(provider_arn, "apps", "api", "sts.amazonaws.com")
    assert can_assume(trust, request, role_arn=result.one(ROLE).outputs["arn"]) is Decision.ALLOW
    assert_all_policies_valid(result)
