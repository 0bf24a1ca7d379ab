"""ManagedAddon: an EKS managed add-on with its role, for each add-on the table knows, and refusals."""

from __future__ import annotations

import json

import pulumi
import pytest
from conftest import ISSUER_HOST, PROVIDER_ARN, assert_all_policies_valid

from irsa_components import MANAGED_ADDONS, IrsaConfigError, ManagedAddon, PodIdentityAgent
from irsa_components.policies import PRESETS
from irsa_components.review.analysis import Decision, can_assume, pod_identity_request, web_identity_request
from irsa_components.testing import IrsaMocks, run_program

ADDON = "aws:eks/addon:Addon"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
BUCKET = "arn:aws:s3:::amzn-s3-demo-bucket"

EXPECTED = {
    "vpc-cni": ("kube-system", "aws-node", "vpc-cni"),
    "aws-ebs-csi-driver": ("kube-system", "ebs-csi-controller-sa", "ebs-csi-driver"),
    "aws-efs-csi-driver": ("kube-system", "efs-csi-controller-sa", "efs-csi-driver"),
    "aws-mountpoint-s3-csi-driver": ("kube-system", "s3-csi-driver-sa", "mountpoint-s3-csi"),
    "aws-fsx-csi-driver": ("kube-system", "fsx-csi-controller-sa", "fsx-lustre-csi"),
    "amazon-cloudwatch-observability": ("amazon-cloudwatch", "cloudwatch-agent", "cloudwatch-observability"),
    "adot": ("opentelemetry-operator-system", "adot-col-otlp-ingest", "adot-collector"),
}
OPTIONS = {"aws-mountpoint-s3-csi-driver": {"bucket_arns": [BUCKET]}}


def addon(name: str = "addon", **args):
    return lambda: ManagedAddon(name, {"cluster_name": "prod", **args})


def refused(program) -> tuple[IrsaConfigError, list]:
    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    return err.value, [r for r in mocks.resources if r.type.startswith(("aws:", "kubernetes:"))]


def test_the_table_holds_each_addon_with_its_documented_service_account_preset_and_source():
    assert {n: (a.namespace, a.service_account, a.preset) for n, a in MANAGED_ADDONS.items()} == EXPECTED
    for facts in MANAGED_ADDONS.values():
        assert facts.source
        assert facts.preset is None or facts.preset in PRESETS


@pytest.mark.parametrize("addon_name", sorted(EXPECTED))
def test_each_known_addon_gets_a_role_narrowed_to_its_service_account_and_the_association(addon_name):
    namespace, service_account, _ = EXPECTED[addon_name]
    policy = {"addon_policy": OPTIONS[addon_name]} if addon_name in OPTIONS else {}
    result = run_program(addon(addon_name=addon_name, **policy))
    role = result.one(ROLE, "addon-role")
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {
            "aws:RequestTag/eks-cluster-name": "prod",
            "aws:RequestTag/kubernetes-namespace": namespace,
            "aws:RequestTag/kubernetes-service-account": service_account,
        }
    }
    assert can_assume(trust, pod_identity_request("prod", namespace, service_account)) is Decision.ALLOW
    assert can_assume(trust, pod_identity_request("prod", "default", service_account)) is Decision.IMPLICIT_DENY
    assert result.one(ADDON).inputs == {
        "clusterName": "prod",
        "addonName": addon_name,
        "podIdentityAssociations": [{"roleArn": role.outputs["arn"], "serviceAccount": service_account}],
    }
    assert result.of_type(ATTACHMENT)
    assert_all_policies_valid(result)


def test_ebs_attaches_the_aws_managed_policy_of_its_preset():
    result = run_program(addon(addon_name="aws-ebs-csi-driver"))
    attachment = result.one(ATTACHMENT, "addon-ebs-csi-driver-AmazonEBSCSIDriverPolicy")
    assert attachment.inputs["policyArn"] == "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"


def test_adot_attaches_the_managed_policies_its_docs_list():
    result = run_program(addon(addon_name="adot"))
    assert sorted(a.inputs["policyArn"] for a in result.of_type(ATTACHMENT)) == [
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonPrometheusRemoteWriteAccess",
        "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    ]


def test_irsa_identity_uses_the_oidc_trust_and_service_account_role_arn():
    result = run_program(addon(addon_name="vpc-cni", identity="irsa", oidc_provider_arn=PROVIDER_ARN))
    role = result.one(ROLE)
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {
            f"{ISSUER_HOST}:sub": "system:serviceaccount:kube-system:aws-node",
            f"{ISSUER_HOST}:aud": "sts.amazonaws.com",
        }
    }
    assert (
        can_assume(trust, web_identity_request(PROVIDER_ARN, "kube-system", "aws-node", "sts.amazonaws.com"))
        is Decision.ALLOW
    )
    assert result.one(ADDON).inputs == {
        "clusterName": "prod",
        "addonName": "vpc-cni",
        "serviceAccountRoleArn": role.outputs["arn"],
    }


def test_preset_options_version_configuration_and_conflict_modes_pass_through():
    result = run_program(
        addon(
            addon_name="aws-mountpoint-s3-csi-driver",
            addon_version="v1.15.0-eksbuild.1",
            addon_policy={"bucket_arns": [BUCKET]},
            configuration_values='{"node": {"tolerateAllTaints": true}}',
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="PRESERVE",
            tags={"team": "storage"},
        )
    )
    inputs = result.one(ADDON).inputs
    assert inputs["addonVersion"] == "v1.15.0-eksbuild.1"
    assert inputs["configurationValues"] == '{"node": {"tolerateAllTaints": true}}'
    assert inputs["resolveConflictsOnCreate"] == "OVERWRITE"
    assert inputs["resolveConflictsOnUpdate"] == "PRESERVE"
    assert inputs["tags"] == {"team": "storage"}
    policy = json.loads(result.one("aws:iam/policy:Policy").inputs["policy"])
    assert BUCKET in json.dumps(policy)


def test_the_addon_waits_for_its_role_policies_and_the_clusters_agent():
    def program():
        PodIdentityAgent("agent", {"cluster_name": "prod"})
        ManagedAddon("ebs", {"cluster_name": "prod", "addon_name": "aws-ebs-csi-driver"})

    result = run_program(program)
    dependencies = result.one(ADDON, "ebs-addon").dependencies
    assert any(d.endswith("::agent-addon") for d in dependencies)
    assert any(d.endswith("::ebs-ebs-csi-driver-AmazonEBSCSIDriverPolicy") for d in dependencies)


def test_outputs():
    def program():
        a = ManagedAddon("ebs", {"cluster_name": "prod", "addon_name": "aws-ebs-csi-driver"})
        for key in ("role_arn", "service_account", "namespace", "policy_arns", "addon_arn"):
            pulumi.export(key, getattr(a, key))

    outputs = run_program(program).outputs
    assert outputs["service_account"] == "ebs-csi-controller-sa"
    assert outputs["namespace"] == "kube-system"
    assert list(outputs["policy_arns"]) == ["ebs-csi-driver"]
    assert outputs["policy_arns"]["ebs-csi-driver"].startswith("arn:aws:iam::123456789012:policy/ebs-ebs-csi-driver-")
    assert outputs["addon_arn"].startswith("arn:aws:eks:eu-west-1:123456789012:addon/prod/aws-ebs-csi-driver/")


def test_an_unknown_addon_needs_its_service_account_and_a_policy():
    error, created = refused(addon(addon_name="my-vendor-addon"))
    assert error.field == "addon_name"
    assert created == []
    result = run_program(
        addon(addon_name="my-vendor-addon", service_account="vendor-sa", policy_arns=["arn:aws:iam::aws:policy/X"])
    )
    assert result.one(ADDON).inputs["podIdentityAssociations"][0]["serviceAccount"] == "vendor-sa"


def test_a_missing_required_preset_option_names_it_under_addon_policy():
    error, created = refused(addon(addon_name="aws-mountpoint-s3-csi-driver"))
    assert error.field == "addon_policy.bucket_arns"
    assert "mountpoint-s3-csi" in error.problem
    assert created == []


@pytest.mark.parametrize(
    "args,field",
    [
        ({"addon_name": "vpc-cni", "identity": "kiam"}, "identity"),
        ({"addon_name": "vpc-cni", "identity": "irsa"}, "oidc_provider_arn"),
        ({"addon_name": "vpc-cni", "oidc_provider_arn": PROVIDER_ARN}, "oidc_provider_arn"),
        ({"addon_name": "vpc-cni", "addon_version": "1.0"}, "addon_version"),
        ({"addon_name": "vpc-cni", "resolve_conflicts_on_create": "PRESERVE"}, "resolve_conflicts_on_create"),
        ({"addon_name": "Not An Addon"}, "addon_name"),
        ({"addon_name": "my-vendor-addon", "service_account": "x", "addon_policy": {"partition": "aws"}}, "addon_name"),
    ],
)
def test_bad_input_is_refused_before_any_resource(args, field):
    error, created = refused(addon(**args))
    assert error.field == field
    assert created == []
