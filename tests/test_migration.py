"""Migrating a ServiceAccountRole from IRSA to EKS Pod Identity without downtime (``mode``).

'both': the role trusts the OIDC provider AND Pod Identity for the same subjects, one association per subject,
and the ServiceAccount keeps its role-arn annotation (IRSA variables win in the SDKs' credential chain).
'pod-identity': no annotation, no OIDC statement, the associations stay. Nothing is ever replaced.
"""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest
from conftest import ISSUER_HOST, OTHER_PROVIDER_ARN, PROVIDER_ARN, assert_all_policies_valid, assert_valid_trust_policy

from irsa_components import IrsaConfigError, ServiceAccountRole
from irsa_components.cli import run_folder
from irsa_components.review.analysis import Decision, can_assume, pod_identity_request, web_identity_request
from irsa_components.testing import IrsaMocks, run_program
from irsa_components.trust import (
    build_irsa_trust_policy,
    build_pod_identity_subjects_trust_policy,
    build_pod_identity_trust_policy,
    combine_trust_policies,
)

ROOT = Path(__file__).resolve().parent.parent
ROLE = "aws:iam/role:Role"
SA = "kubernetes:core/v1:ServiceAccount"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
COMPONENT = "irsa-components:index:ServiceAccountRole"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"

IRSA_STATEMENT = {
    "Effect": "Allow",
    "Principal": {"Federated": PROVIDER_ARN},
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Condition": {
        "StringEquals": {
            f"{ISSUER_HOST}:sub": "system:serviceaccount:apps:api",
            f"{ISSUER_HOST}:aud": "sts.amazonaws.com",
        }
    },
}
POD_IDENTITY_STATEMENT = {
    "Sid": "AllowEksAuthToAssumeRoleForPodIdentity",
    "Effect": "Allow",
    "Principal": {"Service": "pods.eks.amazonaws.com"},
    "Action": ["sts:AssumeRole", "sts:TagSession"],
    "Condition": {
        "StringEquals": {
            "aws:RequestTag/eks-cluster-name": "prod",
            "aws:RequestTag/kubernetes-namespace": "apps",
            "aws:RequestTag/kubernetes-service-account": "api",
        }
    },
}


def role(mode: str | None = None, name: str = "app", **args):
    base = {
        "oidc_provider_arn": PROVIDER_ARN,
        "namespace": "apps",
        "service_account": "api",
        "policy_arns": [S3_READ],
        "pod_identity": {"cluster_name": "prod"},
    }
    if mode is not None:
        base["mode"] = mode
    return lambda: ServiceAccountRole(name, {k: v for k, v in {**base, **args}.items() if v is not None})


def refused(program) -> tuple[IrsaConfigError, list]:
    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    return err.value, [r for r in mocks.resources if r.type.startswith(("aws:", "kubernetes:"))]


def trust_of(result) -> dict:
    return json.loads(result.one(ROLE).inputs["assumeRolePolicy"])


def irsa_token(namespace: str = "apps", service_account: str = "api"):
    return web_identity_request(PROVIDER_ARN, namespace, service_account, "sts.amazonaws.com")


# ---- the pure builders ---------------------------------------------------------------------------


def test_one_subject_pod_identity_trust_is_the_pod_identity_association_trust():
    assert build_pod_identity_subjects_trust_policy("prod", [("apps", "api")]) == build_pod_identity_trust_policy(
        "prod", "apps", "api"
    )


def test_pod_identity_trust_of_several_subjects_has_one_statement_per_namespace_with_unique_sids():
    document = build_pod_identity_subjects_trust_policy("prod", [("apps", "web"), ("jobs", "batch"), ("apps", "api")])
    assert [(s["Sid"], s["Condition"]["StringEquals"]) for s in document["Statement"]] == [
        (
            "AllowEksAuthToAssumeRoleForPodIdentity1",
            {
                "aws:RequestTag/eks-cluster-name": "prod",
                "aws:RequestTag/kubernetes-namespace": "apps",
                "aws:RequestTag/kubernetes-service-account": ["web", "api"],
            },
        ),
        (
            "AllowEksAuthToAssumeRoleForPodIdentity2",
            {
                "aws:RequestTag/eks-cluster-name": "prod",
                "aws:RequestTag/kubernetes-namespace": "jobs",
                "aws:RequestTag/kubernetes-service-account": "batch",
            },
        ),
    ]
    assert_valid_trust_policy(document)


def test_pod_identity_trust_of_several_subjects_admits_no_cross_pairing():
    document = build_pod_identity_subjects_trust_policy("prod", [("apps", "web"), ("jobs", "batch")])
    assert can_assume(document, pod_identity_request("prod", "apps", "web")) is Decision.ALLOW
    assert can_assume(document, pod_identity_request("prod", "jobs", "batch")) is Decision.ALLOW
    assert can_assume(document, pod_identity_request("prod", "apps", "batch")) is Decision.IMPLICIT_DENY
    assert can_assume(document, pod_identity_request("dev", "apps", "web")) is Decision.IMPLICIT_DENY


def test_combined_trust_keeps_every_statement_in_order():
    irsa = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api")])
    pod = build_pod_identity_trust_policy("prod", "apps", "api")
    assert combine_trust_policies(irsa, pod) == {
        "Version": "2012-10-17",
        "Statement": [IRSA_STATEMENT, POD_IDENTITY_STATEMENT],
    }


def test_combining_statements_with_the_same_sid_is_refused():
    pod = build_pod_identity_trust_policy("prod", "apps", "api")
    with pytest.raises(ValueError, match="repeat a Sid"):
        combine_trust_policies(pod, pod)


# ---- mode 'irsa' (the default) -------------------------------------------------------------------


def test_default_mode_is_irsa_and_creates_no_association():
    def program():
        component = ServiceAccountRole(
            "app", {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}
        )
        pulumi.export("mode", component.mode)
        pulumi.export("associations", component.association_arns)

    result = run_program(program)
    assert trust_of(result) == {"Version": "2012-10-17", "Statement": [IRSA_STATEMENT]}
    assert result.of_type(ASSOCIATION) == []
    assert result.outputs == {"mode": "irsa", "associations": []}


def test_explicit_irsa_mode_may_keep_pod_identity_configured_for_a_rollback():
    result = run_program(role("irsa"))
    assert trust_of(result) == {"Version": "2012-10-17", "Statement": [IRSA_STATEMENT]}
    assert result.of_type(ASSOCIATION) == []


# ---- mode 'both' ---------------------------------------------------------------------------------


def test_both_trusts_irsa_and_pod_identity_for_the_same_subject():
    result = run_program(role("both"))
    assert trust_of(result) == {"Version": "2012-10-17", "Statement": [IRSA_STATEMENT, POD_IDENTITY_STATEMENT]}
    assert_all_policies_valid(result)


def test_both_creates_the_association_and_keeps_the_annotation():
    result = run_program(role("both", tags={"team": "core"}))
    arn = result.one(ROLE).outputs["arn"]
    association = result.one(ASSOCIATION, "app-association")
    assert association.inputs == {
        "clusterName": "prod",
        "namespace": "apps",
        "serviceAccount": "api",
        "roleArn": arn,
        "tags": {"team": "core"},
    }
    assert result.one(SA, "app-sa").inputs["metadata"] == {
        "name": "api",
        "namespace": "apps",
        "annotations": {"eks.amazonaws.com/role-arn": arn},
    }
    component = result.one(COMPONENT)
    assert association.parent == component.urn


def test_both_admits_irsa_tokens_and_pod_identity_sessions_of_the_subject_only():
    trust = trust_of(run_program(role("both")))
    assert can_assume(trust, irsa_token()) is Decision.ALLOW
    assert can_assume(trust, pod_identity_request("prod", "apps", "api")) is Decision.ALLOW
    assert can_assume(trust, irsa_token("apps", "other")) is Decision.IMPLICIT_DENY
    assert can_assume(trust, pod_identity_request("prod", "apps", "other")) is Decision.IMPLICIT_DENY
    assert can_assume(trust, pod_identity_request("dev", "apps", "api")) is Decision.IMPLICIT_DENY
    assert can_assume(trust, pod_identity_request("prod", "apps", "api", session_tags=False)) is (
        Decision.IMPLICIT_DENY
    )


def test_both_outputs_mode_and_association_arns():
    def program():
        component = role("both")()
        pulumi.export("mode", component.mode)
        pulumi.export("associations", component.association_arns)
        pulumi.export("annotations", component.service_account_annotations)

    result = run_program(program)
    assert result.outputs == {
        "mode": "both",
        "associations": [result.one(ASSOCIATION).outputs["associationArn"]],
        "annotations": {"eks.amazonaws.com/role-arn": result.one(ROLE).outputs["arn"]},
    }


def test_both_with_several_service_accounts_creates_one_association_each():
    result = run_program(
        role("both", namespace=None, service_account=None, service_accounts=["apps:web", "jobs:batch"])
    )
    arn = result.one(ROLE).outputs["arn"]
    associations = {a.name: a.inputs for a in result.of_type(ASSOCIATION)}
    assert associations == {
        "app-apps-web-association": {
            "clusterName": "prod",
            "namespace": "apps",
            "serviceAccount": "web",
            "roleArn": arn,
        },
        "app-jobs-batch-association": {
            "clusterName": "prod",
            "namespace": "jobs",
            "serviceAccount": "batch",
            "roleArn": arn,
        },
    }
    trust = trust_of(result)
    for ns, sa in (("apps", "web"), ("jobs", "batch")):
        assert can_assume(trust, irsa_token(ns, sa)) is Decision.ALLOW
        assert can_assume(trust, pod_identity_request("prod", ns, sa)) is Decision.ALLOW
    assert can_assume(trust, pod_identity_request("prod", "apps", "batch")) is Decision.IMPLICIT_DENY
    assert_all_policies_valid(result)


def test_cluster_name_known_only_at_deploy_time_builds_the_trust_then():
    def program():
        cluster = pulumi.Output.from_input("prod")
        ServiceAccountRole(
            "app",
            {
                "oidc_provider_arn": PROVIDER_ARN,
                "namespace": "apps",
                "service_account": "api",
                "mode": "both",
                "pod_identity": {"cluster_name": cluster},
            },
        )

    result = run_program(program)
    assert trust_of(result)["Statement"] == [IRSA_STATEMENT, POD_IDENTITY_STATEMENT]
    assert result.one(ASSOCIATION).inputs["clusterName"] == "prod"


def test_bad_cluster_name_known_only_at_deploy_time_is_refused_with_the_same_message():
    def program():
        cluster = pulumi.Output.from_input("bad name")
        ServiceAccountRole(
            "app",
            {
                "oidc_provider_arn": PROVIDER_ARN,
                "namespace": "apps",
                "service_account": "api",
                "mode": "both",
                "pod_identity": {"cluster_name": cluster},
            },
        )

    with pytest.raises(IrsaConfigError) as later:
        run_program(program)
    error, _ = refused(role("both", pod_identity={"cluster_name": "bad name"}))
    assert str(later.value) == str(error)


# ---- mode 'pod-identity' -------------------------------------------------------------------------


def test_pod_identity_mode_drops_the_oidc_statement_and_the_annotation():
    result = run_program(role("pod-identity"))
    assert trust_of(result) == {"Version": "2012-10-17", "Statement": [POD_IDENTITY_STATEMENT]}
    assert result.one(SA, "app-sa").inputs["metadata"] == {"name": "api", "namespace": "apps"}
    assert result.one(ASSOCIATION, "app-association").inputs == {
        "clusterName": "prod",
        "namespace": "apps",
        "serviceAccount": "api",
        "roleArn": result.one(ROLE).outputs["arn"],
    }
    assert_all_policies_valid(result)


def test_pod_identity_mode_admits_pod_identity_sessions_only():
    trust = trust_of(run_program(role("pod-identity")))
    assert can_assume(trust, pod_identity_request("prod", "apps", "api")) is Decision.ALLOW
    assert can_assume(trust, irsa_token()) is Decision.IMPLICIT_DENY


def test_pod_identity_mode_needs_no_oidc_provider():
    result = run_program(role("pod-identity", oidc_provider_arn=None))
    assert trust_of(result) == {"Version": "2012-10-17", "Statement": [POD_IDENTITY_STATEMENT]}


def test_pod_identity_mode_outputs_no_annotation_to_hand_to_helm():
    def program():
        component = role("pod-identity", create_service_account=False)()
        pulumi.export("annotations", component.service_account_annotations)
        pulumi.export("mode", component.mode)

    result = run_program(program)
    assert result.outputs == {"annotations": {}, "mode": "pod-identity"}
    assert result.of_type(SA) == []


def test_keep_oidc_trust_drops_only_the_annotation_until_pods_are_rolled():
    result = run_program(role("pod-identity", pod_identity={"cluster_name": "prod", "keep_oidc_trust": True}))
    assert trust_of(result)["Statement"] == [IRSA_STATEMENT, POD_IDENTITY_STATEMENT]
    assert result.one(SA).inputs["metadata"] == {"name": "api", "namespace": "apps"}


# ---- switching modes replaces nothing ------------------------------------------------------------


def test_every_child_keeps_its_urn_across_modes_and_only_associations_come_and_go():
    children = {}
    for mode in ("irsa", "both", "pod-identity"):
        result = run_program(role(mode))
        children[mode] = {(r.type, r.urn) for r in result.resources if r.custom}
    role_urns = {mode: {urn for typ, urn in found if typ == ROLE} for mode, found in children.items()}
    assert role_urns["irsa"] == role_urns["both"] == role_urns["pod-identity"]
    assert len(role_urns["irsa"]) == 1
    assert children["both"] == children["pod-identity"]
    assert children["both"] - children["irsa"] == {
        (ASSOCIATION, urn) for typ, urn in children["both"] if typ == ASSOCIATION
    }
    assert len(children["both"] - children["irsa"]) == 1


def test_the_role_takes_only_a_new_trust_policy_when_the_mode_changes():
    inputs = {mode: dict(run_program(role(mode)).one(ROLE, "app-role").inputs) for mode in ("irsa", "pod-identity")}
    assert inputs["irsa"].pop("assumeRolePolicy") != inputs["pod-identity"].pop("assumeRolePolicy")
    assert inputs["irsa"] == inputs["pod-identity"]


# ---- validation: refused before any resource -----------------------------------------------------


@pytest.mark.parametrize(
    "program,field",
    [
        (role("irsa-only"), "mode"),
        (role(None), "pod_identity"),
        (role("both", pod_identity=None), "pod_identity"),
        (role("both", pod_identity={"cluster": "prod"}), "pod_identity.cluster"),
        (role("both", pod_identity={"cluster_name": "prod", "extra": 1}), "pod_identity.extra"),
        (role("both", pod_identity={"cluster_name": "bad name"}), "pod_identity.cluster_name"),
        (role("both", pod_identity={"cluster_name": "prod", "keep_oidc_trust": True}), "pod_identity.keep_oidc_trust"),
        (
            role(
                "pod-identity", oidc_provider_arn=None, pod_identity={"cluster_name": "prod", "keep_oidc_trust": True}
            ),
            "pod_identity.keep_oidc_trust",
        ),
        (
            role("pod-identity", pod_identity={"cluster_name": "prod", "keep_oidc_trust": "yes"}),
            "pod_identity.keep_oidc_trust",
        ),
        (role("pod-identity", oidc_provider_arn=None, oidc_provider_arns=[PROVIDER_ARN, OTHER_PROVIDER_ARN]), "mode"),
        (role("pod-identity", oidc_provider_arn="arn:aws:iam::123456789012:role/x"), "oidc_provider_arn"),
        (role("both", oidc_provider_arn=None), "oidc_provider_arn / oidc_provider_arns"),
        (role("both", service_account="*", allow_wildcard=True, create_service_account=False), "service_account"),
        (
            role("both", namespace=None, service_account=None, service_accounts=["apps:*"], allow_wildcard=True),
            "service_accounts",
        ),
        (role("both", service_account_annotations={"eks.amazonaws.com/role-arn": "x"}), "service_account_annotations"),
    ],
)
def test_bad_migration_input_creates_nothing(program, field):
    error, created = refused(program)
    assert error.field == field
    assert created == []


def test_pod_identity_without_a_mode_is_refused_rather_than_ignored():
    error, _ = refused(role(None))
    assert "defaults to 'irsa'" in error.problem
    assert "mode='both'" in error.fix


def test_wildcard_subjects_can_not_get_an_association():
    error, _ = refused(role("both", service_account="*", allow_wildcard=True, create_service_account=False))
    assert "wildcard" in error.problem
    assert error.value == "apps:*"


def test_a_multi_cluster_role_keeps_irsa_trust_while_only_one_cluster_moves():
    result = run_program(role("both", oidc_provider_arn=None, oidc_provider_arns=[PROVIDER_ARN, OTHER_PROVIDER_ARN]))
    trust = trust_of(result)
    for provider in (PROVIDER_ARN, OTHER_PROVIDER_ARN):
        request = web_identity_request(provider, "apps", "api", "sts.amazonaws.com")
        assert can_assume(trust, request) is Decision.ALLOW
    assert can_assume(trust, pod_identity_request("prod", "apps", "api")) is Decision.ALLOW


# ---- the example program -------------------------------------------------------------------------


def test_migration_example_defaults_to_both():
    _, result = run_folder(ROOT / "examples/migration")
    trust = json.loads(result.one(ROLE).inputs["assumeRolePolicy"])
    provider_arn = result.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").outputs["arn"]
    request = web_identity_request(provider_arn, "apps", "reports-reader", "sts.amazonaws.com")
    assert can_assume(trust, request) is Decision.ALLOW
    assert can_assume(trust, pod_identity_request("demo", "apps", "reports-reader")) is Decision.ALLOW
    assert result.outputs["mode"] == "both"
    assert len(result.outputs["associationArns"]) == 1
    assert "eks.amazonaws.com/role-arn" in result.outputs["serviceAccountAnnotations"]
    assert_all_policies_valid(result)


def test_migration_example_switches_to_pod_identity_by_config_without_renaming_anything():
    _, both = run_folder(ROOT / "examples/migration")
    _, switched = run_folder(ROOT / "examples/migration", overrides=["mode=pod-identity"])
    assert {r.urn for r in switched.resources} == {r.urn for r in both.resources}
    trust = json.loads(switched.one(ROLE).inputs["assumeRolePolicy"])
    provider_arn = switched.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").outputs["arn"]
    request = web_identity_request(provider_arn, "apps", "reports-reader", "sts.amazonaws.com")
    assert can_assume(trust, request) is Decision.IMPLICIT_DENY
    assert can_assume(trust, pod_identity_request("demo", "apps", "reports-reader")) is Decision.ALLOW
    assert switched.outputs["serviceAccountAnnotations"] == {}
    assert switched.outputs["mode"] == "pod-identity"
    assert_all_policies_valid(switched)


def test_migration_example_starts_from_plain_irsa():
    _, result = run_folder(ROOT / "examples/migration", overrides=["mode=irsa"])
    assert result.of_type(ASSOCIATION) == []
    assert result.outputs["mode"] == "irsa"
