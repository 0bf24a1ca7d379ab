"""Existing roles and ServiceAccounts, per-cluster subjects, customer-managed policies, downstream outputs."""

from __future__ import annotations

import json

import pulumi
import pulumi_kubernetes as k8s
import pytest
from conftest import ISSUER_HOST, OTHER_PROVIDER_ARN, PROVIDER_ARN, assert_all_policies_valid

from irsa_components import (
    ClusterOidcProvider,
    CrossAccountTargetRole,
    IrsaConfigError,
    PodIdentityAssociation,
    ServiceAccountRole,
)
from irsa_components.review.analysis import Decision, can_assume, web_identity_request
from irsa_components.testing import ROOT_CA_THUMBPRINT, IrsaMocks, run_program

ROLE = "aws:iam/role:Role"
SA = "kubernetes:core/v1:ServiceAccount"
PATCH = "kubernetes:core/v1:ServiceAccountPatch"
POLICY = "aws:iam/policy:Policy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
EXISTING = "arn:aws:iam::123456789012:role/platform/helm-made"
OTHER_HOST = OTHER_PROVIDER_ARN.split("oidc-provider/")[1]
READ_DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}],
}


def irsa(**args):
    base = {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}
    return lambda: ServiceAccountRole("app", {**base, **args})


def refused(program) -> tuple[IrsaConfigError, list]:
    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    return err.value, [r for r in mocks.resources if r.type.startswith(("aws:", "kubernetes:"))]


# ---- an existing role ----------------------------------------------------------------------------


def test_an_existing_role_only_annotates_the_service_account():
    def program():
        role = ServiceAccountRole("app", {"role_arn": EXISTING, "namespace": "apps", "service_account": "api"})
        for key in ("role_arn", "role_name", "role_path", "role_unique_id", "policy_arns", "trust_policy"):
            pulumi.export(key, getattr(role, key))

    result = run_program(program)
    assert [r.type for r in result.resources if r.custom] == [SA]
    assert result.one(SA).inputs["metadata"] == {
        "name": "api",
        "namespace": "apps",
        "annotations": {"eks.amazonaws.com/role-arn": EXISTING},
    }
    assert result.outputs == {
        "role_arn": EXISTING,
        "role_name": "helm-made",
        "role_path": "/platform/",
        "role_unique_id": "",
        "policy_arns": {},
        "trust_policy": "",
    }


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"policy_arns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]}, "policy_arns"),
        ({"trust_conditions": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}, "trust_conditions"),
        ({"oidc_provider_arn": PROVIDER_ARN}, "oidc_provider_arn"),
        ({"mode": "both"}, "mode"),
        ({"role_arn": "arn:aws:iam::123456789012:user/x"}, "role_arn"),
    ],
)
def test_options_next_to_an_existing_role_are_refused(extra, field):
    args = {"role_arn": EXISTING, "namespace": "apps", "service_account": "api", **extra}
    error, created = refused(lambda: ServiceAccountRole("app", args))
    assert error.field == field
    assert created == []


# ---- ServiceAccount modes ------------------------------------------------------------------------


def test_patch_mode_annotates_a_service_account_owned_elsewhere_by_server_side_apply():
    result = run_program(irsa(service_account_mode="patch"))
    assert result.of_type(SA) == []
    patch = result.one(PATCH)
    assert patch.name == "app-sa-patch"
    assert patch.inputs["metadata"] == {
        "name": "api",
        "namespace": "apps",
        "annotations": {
            "eks.amazonaws.com/role-arn": result.one(ROLE).outputs["arn"],
            "pulumi.com/patchFieldManager": "irsa-components",
        },
    }
    assert not patch.retain_on_delete


def test_patch_mode_with_an_existing_role():
    result = run_program(
        lambda: ServiceAccountRole(
            "lbc",
            {
                "role_arn": EXISTING,
                "namespace": "kube-system",
                "service_account": "aws-load-balancer-controller",
                "service_account_mode": "patch",
            },
        )
    )
    assert [r.type for r in result.resources if r.custom] == [PATCH]


@pytest.mark.parametrize(
    "args,created",
    [
        ({}, [SA]),
        ({"create_service_account": True}, [SA]),
        ({"create_service_account": False}, []),
        ({"service_account_mode": "none"}, []),
        ({"service_account_mode": "create", "create_service_account": True}, [SA]),
    ],
)
def test_create_service_account_stays_an_alias_of_the_mode(args, created):
    result = run_program(irsa(**args))
    assert [r.type for r in result.resources if r.type.startswith("kubernetes:")] == created


@pytest.mark.parametrize(
    "args,field",
    [
        ({"service_account_mode": "adopt"}, "service_account_mode"),
        ({"service_account_mode": "patch", "create_service_account": True}, "create_service_account"),
    ],
)
def test_bad_service_account_modes_are_refused(args, field):
    error, created = refused(irsa(**args))
    assert error.field == field
    assert created == []


def test_pod_identity_patch_mode_needs_something_to_patch():
    base = {"cluster_name": "prod", "namespace": "shop", "service_account": "orders", "service_account_mode": "patch"}
    error, _ = refused(lambda: PodIdentityAssociation("orders", base))
    assert error.field == "service_account_mode"
    result = run_program(lambda: PodIdentityAssociation("orders", {**base, "service_account_labels": {"team": "a"}}))
    assert result.one(PATCH).inputs["metadata"]["labels"] == {"team": "a"}


# ---- different subjects per cluster --------------------------------------------------------------


def test_oidc_providers_trust_each_clusters_own_service_accounts_only():
    providers = [
        {"arn": PROVIDER_ARN, "service_accounts": ["apps:api", "apps:worker"]},
        {"arn": OTHER_PROVIDER_ARN, "service_accounts": ["jobs:report"]},
    ]
    result = run_program(lambda: ServiceAccountRole("app", {"oidc_providers": providers}))
    trust = json.loads(result.one(ROLE).inputs["assumeRolePolicy"])
    assert trust == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": PROVIDER_ARN},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{ISSUER_HOST}:sub": ["system:serviceaccount:apps:api", "system:serviceaccount:apps:worker"],
                        f"{ISSUER_HOST}:aud": "sts.amazonaws.com",
                    }
                },
            },
            {
                "Effect": "Allow",
                "Principal": {"Federated": OTHER_PROVIDER_ARN},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{OTHER_HOST}:sub": "system:serviceaccount:jobs:report",
                        f"{OTHER_HOST}:aud": "sts.amazonaws.com",
                    }
                },
            },
        ],
    }
    aud = "sts.amazonaws.com"
    assert can_assume(trust, web_identity_request(OTHER_PROVIDER_ARN, "jobs", "report", aud)) is Decision.ALLOW
    assert can_assume(trust, web_identity_request(OTHER_PROVIDER_ARN, "apps", "api", aud)) is Decision.IMPLICIT_DENY
    assert can_assume(trust, web_identity_request(PROVIDER_ARN, "jobs", "report", aud)) is Decision.IMPLICIT_DENY
    assert {sa.name for sa in result.of_type(SA)} == {"app-apps-api", "app-apps-worker", "app-jobs-report"}


def test_oidc_providers_create_each_service_account_with_its_clusters_provider():
    def program():
        eu = k8s.Provider("eu-k8s", kubeconfig="{}")
        us = k8s.Provider("us-k8s", kubeconfig="{}")
        ServiceAccountRole(
            "app",
            {
                "oidc_providers": [
                    {"arn": PROVIDER_ARN, "service_accounts": ["apps:api"], "name": "eu", "kubernetes_provider": eu},
                    {
                        "arn": OTHER_PROVIDER_ARN,
                        "service_accounts": ["apps:api"],
                        "name": "us",
                        "kubernetes_provider": us,
                    },
                ]
            },
        )

    accounts = {sa.name: sa for sa in run_program(program).of_type(SA)}
    assert set(accounts) == {"app-eu-apps-api", "app-us-apps-api"}
    assert accounts["app-eu-apps-api"].provider.split("::")[-2] == "eu-k8s"
    assert accounts["app-us-apps-api"].provider.split("::")[-2] == "us-k8s"


@pytest.mark.parametrize(
    "args,field",
    [
        ({"oidc_providers": []}, "oidc_providers"),
        ({"oidc_providers": [{"arn": PROVIDER_ARN, "service_accounts": []}]}, "oidc_providers.service_accounts"),
        (
            {"oidc_providers": [{"arn": PROVIDER_ARN, "service_accounts": ["apps:api"]}], "namespace": "apps"},
            "oidc_providers / namespace",
        ),
        (
            {
                "oidc_providers": [
                    {"arn": PROVIDER_ARN, "service_accounts": ["apps:api"]},
                    {"arn": OTHER_PROVIDER_ARN, "service_accounts": ["apps:api"]},
                ]
            },
            "oidc_providers.name",
        ),
        (
            {"oidc_providers": [{"arn": PROVIDER_ARN, "service_accounts": ["apps:api"]}], "mode": "both"},
            "mode",
        ),
    ],
)
def test_bad_oidc_providers_are_refused(args, field):
    error, created = refused(lambda: ServiceAccountRole("app", args))
    assert error.field == field
    assert created == []


# ---- customer-managed policies and downstream outputs --------------------------------------------


def test_managed_policies_create_a_policy_and_attachment_each_and_are_output_by_name():
    def program():
        role = ServiceAccountRole(
            "app",
            {
                "oidc_provider_arn": PROVIDER_ARN,
                "namespace": "apps",
                "service_account": "api",
                "path": "/eks/",
                "managed_policies": {"read-reports": READ_DOC},
                "policy_name_prefix": "app-",
                "policy_path": "/policies/",
            },
        )
        for key in ("policy_arns", "role_unique_id", "role_path"):
            pulumi.export(key, getattr(role, key))

    result = run_program(program)
    policy = result.one(POLICY)
    assert policy.name == "app-managed-read-reports"
    assert policy.inputs == {"name": "app-read-reports", "path": "/policies/", "policy": json.dumps(READ_DOC, indent=2)}
    attachment = result.one(ATTACHMENT)
    assert attachment.name == "app-managed-read-reports"
    assert attachment.inputs == {"role": result.one(ROLE).outputs["name"], "policyArn": policy.outputs["arn"]}
    assert result.outputs["policy_arns"] == {
        "read-reports": "arn:aws:iam::123456789012:policy/policies/app-read-reports"
    }
    assert result.outputs["role_path"] == "/eks/"
    assert result.outputs["role_unique_id"] == result.one(ROLE).outputs["uniqueId"]
    assert_all_policies_valid(result)


def test_policy_arns_output_lists_preset_policies_too():
    def program():
        role = CrossAccountTargetRole(
            "target",
            {
                "pod_identity_role_arn": "arn:aws:iam::111122223333:role/orders",
                "addon_policies": [{"preset": "velero", "bucket_arns": ["arn:aws:s3:::backups"]}],
                "managed_policies": {"read": READ_DOC},
            },
        )
        pulumi.export("policy_arns", role.policy_arns)

    arns = run_program(program).outputs["policy_arns"]
    assert set(arns) == {"velero", "read"}


def test_managed_policies_count_against_the_attachment_quota():
    many = {f"p{i}": READ_DOC for i in range(11)}
    error, created = refused(irsa(managed_policies=many))
    assert error.field == "policy_arns"
    assert created == []


@pytest.mark.parametrize(
    "args,field",
    [
        ({"managed_policies": {"bad name": READ_DOC}}, "managed_policies"),
        ({"managed_policies": {"read": {"Statement": "nope"}}}, "managed_policies['read']"),
        ({"managed_policies": {"read": READ_DOC}, "policy_path": "no-slash"}, "policy_path"),
    ],
)
def test_bad_managed_policies_are_refused(args, field):
    error, created = refused(irsa(**args))
    assert error.field == field
    assert created == []


# ---- ClusterOidcProvider --------------------------------------------------------------------------


def test_extra_thumbprints_are_added_to_the_looked_up_one():
    extra = "B" * 40
    result = run_program(lambda: ClusterOidcProvider("prod", {"cluster_name": "prod", "extra_thumbprints": [extra]}))
    provider = result.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.inputs["thumbprintLists"] == [ROOT_CA_THUMBPRINT, extra.lower()]


@pytest.mark.parametrize(
    "args",
    [
        {"cluster_name": "prod", "extra_thumbprints": ["b" * 40], "thumbprints": ["a" * 40]},
        {"cluster_name": "prod", "extra_thumbprints": ["b" * 40] * 5},
        {"cluster_name": "prod", "extra_thumbprints": ["not-hex"]},
    ],
)
def test_bad_extra_thumbprints_are_refused(args):
    error, created = refused(lambda: ClusterOidcProvider("prod", args))
    assert error.field == "extra_thumbprints"
    assert created == []
