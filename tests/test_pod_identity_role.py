"""PodIdentityRole: one Pod Identity role, associations in many clusters, trust admitting exactly those."""

from __future__ import annotations

import json

import pulumi
import pulumi_kubernetes as k8s
import pytest
from conftest import assert_all_policies_valid, cloud_resources

from irsa_components import IrsaConfigError, PodIdentityAssociation, PodIdentityRole
from irsa_components.review.analysis import Decision, can_assume, pod_identity_request
from irsa_components.testing import IrsaMocks, run_program

ROLE = "aws:iam/role:Role"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
SA = "kubernetes:core/v1:ServiceAccount"
PROD_API = {"cluster_name": "prod", "namespace": "apps", "service_account": "api"}
PROD_WORKER = {"cluster_name": "prod", "namespace": "apps", "service_account": "worker"}
PROD_JOBS = {"cluster_name": "prod", "namespace": "jobs", "service_account": "api"}
STAGE_API = {"cluster_name": "stage", "namespace": "apps", "service_account": "api"}


def statement(sid: str, cluster: str, namespace: str, names: str | list[str]) -> dict:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
        "Condition": {
            "StringEquals": {
                "aws:RequestTag/eks-cluster-name": cluster,
                "aws:RequestTag/kubernetes-namespace": namespace,
                "aws:RequestTag/kubernetes-service-account": names,
            }
        },
    }


def shared(*entries: dict, **args):
    return lambda: PodIdentityRole("shared", {"associations": list(entries), **args})


def refused(program) -> tuple[IrsaConfigError, list]:
    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    return err.value, [r for r in mocks.resources if r.type.startswith(("aws:", "kubernetes:"))]


def test_trust_admits_exactly_the_listed_triples_one_statement_per_cluster_and_namespace():
    result = run_program(shared(PROD_API, PROD_WORKER, PROD_JOBS, STAGE_API))
    trust = json.loads(result.one(ROLE).inputs["assumeRolePolicy"])
    assert trust == {
        "Version": "2012-10-17",
        "Statement": [
            statement("AllowEksAuthToAssumeRoleForPodIdentity1", "prod", "apps", ["api", "worker"]),
            statement("AllowEksAuthToAssumeRoleForPodIdentity2", "prod", "jobs", "api"),
            statement("AllowEksAuthToAssumeRoleForPodIdentity3", "stage", "apps", "api"),
        ],
    }
    for cluster, namespace, name in [("prod", "apps", "api"), ("prod", "apps", "worker"), ("stage", "apps", "api")]:
        assert can_assume(trust, pod_identity_request(cluster, namespace, name)) is Decision.ALLOW
    # No cross pairings: stage's apps/worker, prod's jobs/worker, and a third cluster stay out.
    for cluster, namespace, name in [("stage", "apps", "worker"), ("prod", "jobs", "worker"), ("dev", "apps", "api")]:
        assert can_assume(trust, pod_identity_request(cluster, namespace, name)) is Decision.IMPLICIT_DENY
    assert_all_policies_valid(result)


def test_one_association_per_entry_with_exact_inputs_and_no_service_account_by_default():
    result = run_program(shared(PROD_API, STAGE_API, tags={"team": "a"}))
    role = result.one(ROLE)
    assert role.name == "shared-role"
    associations = {a.name: a.inputs for a in result.of_type(ASSOCIATION)}
    assert associations == {
        "shared-prod-apps-api": {
            "clusterName": "prod",
            "namespace": "apps",
            "serviceAccount": "api",
            "roleArn": role.outputs["arn"],
            "tags": {"team": "a"},
        },
        "shared-stage-apps-api": {
            "clusterName": "stage",
            "namespace": "apps",
            "serviceAccount": "api",
            "roleArn": role.outputs["arn"],
            "tags": {"team": "a"},
        },
    }
    assert result.of_type(SA) == []


def test_adding_or_removing_an_entry_never_renames_the_others():
    before = {r.name for r in run_program(shared(PROD_API, STAGE_API)).of_type(ASSOCIATION)}
    after = {r.name for r in run_program(shared(PROD_WORKER, STAGE_API)).of_type(ASSOCIATION)}
    assert before & after == {"shared-stage-apps-api"}


def test_outputs_map_each_triple_to_its_association_and_give_the_role():
    def program():
        role = PodIdentityRole("shared", {"associations": [PROD_API, STAGE_API], "role_name": "shared-api"})
        for key in ("role_arn", "role_name", "role_unique_id", "role_path", "policy_arns", "associations"):
            pulumi.export(key, getattr(role, key))

    result = run_program(program)
    outputs = result.outputs
    arns = {f"{a.inputs['clusterName']}/apps/api": a.outputs["associationArn"] for a in result.of_type(ASSOCIATION)}
    assert outputs["associations"] == arns
    assert set(arns) == {"prod/apps/api", "stage/apps/api"}
    assert outputs["role_name"] == "shared-api"
    assert outputs["role_arn"] == "arn:aws:iam::123456789012:role/shared-api"
    assert outputs["role_path"] == "/"
    assert outputs["role_unique_id"].startswith("AROA")
    assert outputs["policy_arns"] == {}


def test_entry_tags_and_target_role_reach_its_association_and_the_role_may_assume_the_target():
    target = "arn:aws:iam::210987654321:role/data-reader"
    result = run_program(shared(PROD_API, {**STAGE_API, "tags": {"env": "stage"}, "target_role_arn": target}))
    stage = result.one(ASSOCIATION, "shared-stage-apps-api")
    assert stage.inputs["targetRoleArn"] == target
    assert stage.inputs["tags"] == {"env": "stage"}
    assert "targetRoleArn" not in result.one(ASSOCIATION, "shared-prod-apps-api").inputs
    policy = result.one("aws:iam/rolePolicy:RolePolicy")
    assert policy.inputs["name"] == "assume-target-role"
    assert json.loads(policy.inputs["policy"])["Statement"] == [
        {
            "Sid": "AssumeTargetRoles",
            "Effect": "Allow",
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Resource": target,
        }
    ]


def test_create_service_accounts_uses_each_clusters_kubernetes_provider():
    def program():
        prod = k8s.Provider("prod-k8s", kubeconfig="{}")
        stage = k8s.Provider("stage-k8s", kubeconfig="{}")
        PodIdentityRole(
            "shared",
            {
                "associations": [
                    {**PROD_API, "kubernetes_provider": prod},
                    {**STAGE_API, "kubernetes_provider": stage},
                ],
                "create_service_accounts": True,
            },
        )

    result = run_program(program)
    accounts = {sa.name: sa for sa in result.of_type(SA)}
    assert set(accounts) == {"shared-prod-apps-api-sa", "shared-stage-apps-api-sa"}
    assert accounts["shared-prod-apps-api-sa"].inputs["metadata"] == {"name": "api", "namespace": "apps"}
    # A provider reference is "<provider URN>::<id>": each ServiceAccount goes to its own cluster.
    assert accounts["shared-prod-apps-api-sa"].provider.split("::")[-2] == "prod-k8s"
    assert accounts["shared-stage-apps-api-sa"].provider.split("::")[-2] == "stage-k8s"


def test_create_service_accounts_without_a_provider_per_cluster_is_refused_before_any_resource():
    error, created = refused(shared(PROD_API, create_service_accounts=True))
    assert error.field == "associations.kubernetes_provider"
    assert created == []


def test_a_pod_identity_association_can_use_the_roles_arn():
    def program():
        role = PodIdentityRole("shared", {"associations": [PROD_API]})
        PodIdentityAssociation(
            "extra", {"cluster_name": "dev", "namespace": "apps", "service_account": "api", "role_arn": role.role_arn}
        )

    result = run_program(program)
    assert result.one(ASSOCIATION, "extra-association").inputs["roleArn"] == result.one(ROLE).outputs["arn"]


def test_the_trust_quota_is_checked_with_the_usual_error():
    many = [{"cluster_name": f"cluster-{i:02d}", "namespace": "apps", "service_account": "api"} for i in range(20)]
    error, created = refused(shared(*many))
    assert error.field == "trust policy"
    assert "quota" in error.problem
    assert created == []


@pytest.mark.parametrize(
    "entries,field",
    [
        ([], "associations"),
        ([{**PROD_API, "namespace": "Bad_NS"}], "associations[0].namespace"),
        ([PROD_API, {**STAGE_API, "cluster_name": "bad name"}], "associations[1].cluster_name"),
        ([PROD_API, PROD_API], "associations"),
        ([{**PROD_API, "colour": "red"}], "associations[0].colour"),
        ([{**PROD_API, "target_role_arn": "arn:aws:iam::123456789012:user/x"}], "associations[0].target_role_arn"),
    ],
)
def test_bad_entries_are_refused_before_any_resource(entries, field):
    error, created = refused(shared(*entries))
    assert error.field == field
    assert created == []


def test_a_deploy_time_cluster_name_is_refused_because_it_keys_the_urn():
    error, created = refused(
        lambda: PodIdentityRole(
            "shared", {"associations": [{**PROD_API, "cluster_name": pulumi.Output.from_input("prod")}]}
        )
    )
    assert error.field == "associations[0].cluster_name"
    assert created == []


def test_resources_are_all_children_of_the_component():
    result = run_program(shared(PROD_API))
    component = result.one("irsa-components:index:PodIdentityRole")
    assert {r.parent for r in cloud_resources(result)} == {component.urn}
