"""Every example is a real Pulumi program: run it under the mocks, check what it creates, and run `plan` on it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import assert_all_policies_valid

from irsa_components.cli import main, run_folder
from irsa_components.review.analysis import Decision, can_assume, pod_identity_request, web_identity_request
from irsa_components.testing import run_project

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(
    p
    for p in (ROOT / "examples").iterdir()
    if (p / "Pulumi.yaml").exists() and yaml.safe_load((p / "Pulumi.yaml").read_text()).get("runtime") == "python"
)
"""The Python examples (examples/yaml uses the package from Pulumi YAML: tests/test_schema.py checks it)."""


def test_there_are_examples():
    assert {p.name for p in EXAMPLES} >= {"quickstart", "pod-identity", "multi-cluster", "addons", "migration"}


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_and_every_policy_is_valid(folder):
    _, result = run_folder(folder)
    assert any(r.type.startswith("aws:") for r in result.resources)
    assert_all_policies_valid(result)


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_example_runs_as_a_preview_with_the_same_resources(folder):
    applied = run_project(folder)
    previewed = run_project(folder, preview=True)
    assert previewed.preview is True
    assert [r.urn for r in previewed.resources] == [r.urn for r in applied.resources]
    # Computed outputs of created resources are unknown in a preview, as `pulumi preview` shows them.
    for resource in previewed.resources:
        if resource.custom and resource.type.startswith("aws:") and "arn" in resource.outputs:
            pytest.fail(f"{resource.name}: the ARN of a resource to be created is known in a preview")


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("preview", [False, True], ids=["up", "preview"])
@pytest.mark.parametrize("output", ["text", "json", "markdown"])
def test_every_example_plans_in_both_modes_and_every_format(folder, preview, output, capsys):
    args = ["plan", str(folder), "--format", output, *(["--preview"] if preview else [])]
    assert main(args) == 0
    out = capsys.readouterr().out
    if output == "json":
        report = json.loads(out)
        assert report["preview"] is preview
        assert bool(report["unknowns"]) is preview
    elif preview:
        assert "(known after apply)" in out
    else:
        assert "(known after apply)" not in out


def test_root_project_deploys_the_quickstart():
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    assert project["main"].rstrip("/") == "examples/quickstart"
    assert project["config"] == yaml.safe_load((ROOT / "examples/quickstart/Pulumi.yaml").read_text())["config"]


def test_quickstart_trusts_exactly_its_service_account():
    _, result = run_folder(ROOT / "examples/quickstart")
    provider_arn = result.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider").outputs["arn"]
    trust = json.loads(result.one("aws:iam/role:Role").inputs["assumeRolePolicy"])
    assert (
        can_assume(trust, web_identity_request(provider_arn, "apps", "s3-reader", "sts.amazonaws.com"))
        is Decision.ALLOW
    )
    assert (
        can_assume(trust, web_identity_request(provider_arn, "apps", "other", "sts.amazonaws.com"))
        is Decision.IMPLICIT_DENY
    )
    sa = result.one("kubernetes:core/v1:ServiceAccount")
    assert sa.inputs["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": result.one("aws:iam/role:Role").outputs["arn"]
    }


def test_quickstart_config_can_be_overridden():
    _, result = run_folder(ROOT / "examples/quickstart", overrides=["namespace=payments", "bucketName=ledger"])
    assert result.one("kubernetes:core/v1:ServiceAccount").inputs["metadata"]["namespace"] == "payments"
    assert "arn:aws:s3:::ledger/*" in result.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"]


def test_pod_identity_example_installs_the_agent_first_and_narrows_trust():
    _, result = run_folder(ROOT / "examples/pod-identity")
    addon = result.one("aws:eks/addon:Addon")
    associations = result.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
    assert len(associations) == 2
    for association in associations:
        # The association itself (not just its component) waits for the agent add-on.
        assert any(urn.endswith(f"::{addon.name}") for urn in association.dependencies)
    trust = json.loads(result.one("aws:iam/role:Role").inputs["assumeRolePolicy"])
    assert can_assume(trust, pod_identity_request("demo", "shop", "orders")) is Decision.ALLOW
    assert can_assume(trust, pod_identity_request("demo", "analytics", "reporting")) is Decision.IMPLICIT_DENY


def test_pod_identity_example_on_auto_mode_skips_the_agent():
    _, result = run_folder(ROOT / "examples/pod-identity", overrides=["installAgent=false"])
    assert result.of_type("aws:eks/addon:Addon") == []


def test_multi_cluster_example_trusts_both_clusters_and_annotates_a_service_account_in_each():
    _, result = run_folder(ROOT / "examples/multi-cluster")
    providers = [p.outputs["arn"] for p in result.of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")]
    role = result.one("aws:iam/role:Role")
    trust = json.loads(role.inputs["assumeRolePolicy"])
    for arn in providers:
        assert can_assume(trust, web_identity_request(arn, "billing", "worker", "sts.amazonaws.com")) is Decision.ALLOW
    accounts = result.of_type("kubernetes:core/v1:ServiceAccount")
    assert {a.provider.split("::")[3] for a in accounts} == {"blue-k8s::blue-k8s-id", "green-k8s::green-k8s-id"} or len(
        {a.provider for a in accounts}
    ) == 2
    for account in accounts:
        assert account.inputs["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": role.outputs["arn"]}


# ---- the CLI ----------------------------------------------------------------------------------


def test_plan_prints_tree_trust_policy_and_service_account_yaml(capsys):
    assert main(["plan", str(ROOT / "examples/quickstart")]) == 0
    out = capsys.readouterr().out
    assert "irsa-components:index:ServiceAccountRole  s3-reader" in out
    assert "aws:iam/role:Role  s3-reader-role" in out
    assert '"system:serviceaccount:apps:s3-reader"' in out
    manifests = [m for m in yaml.safe_load_all(out.split("ServiceAccounts\n", 1)[1].split("\nOutputs", 1)[0]) if m]
    assert manifests[0]["kind"] == "ServiceAccount"
    assert manifests[0]["metadata"]["name"] == "s3-reader"
    assert manifests[0]["metadata"]["annotations"]["eks.amazonaws.com/role-arn"].startswith(
        "arn:aws:iam::123456789012:role/"
    )


def test_plan_bad_input_is_one_line_without_traceback(capsys):
    assert main(["plan", str(ROOT / "examples/quickstart"), "--config", "namespace=Bad_Namespace"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ServiceAccountRole 's3-reader': namespace='Bad_Namespace'")
    assert "Traceback" not in captured.err


def test_plan_refuses_a_folder_without_a_program(tmp_path, capsys):
    assert main(["plan", str(tmp_path)]) == 2
    assert "has no Pulumi.yaml" in capsys.readouterr().err


def test_plan_reads_stack_config(tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: demo\nruntime: python\n")
    (tmp_path / "Pulumi.prod.yaml").write_text("config:\n  demo:namespace: prod-apps\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi\nimport irsa_components as irsa\n"
        "irsa.ServiceAccountRole('r', {'oidc_provider_arn': 'arn:aws:iam::123456789012:oidc-provider/x.example.com',"
        " 'namespace': pulumi.Config().require('namespace'), 'service_account': 'api'})\n"
    )
    assert main(["plan", str(tmp_path), "--stack", "prod"]) == 0
    assert "namespace: prod-apps" in capsys.readouterr().out


def test_addons_example_gives_each_addon_its_preset_via_irsa_or_pod_identity():
    _, result = run_folder(ROOT / "examples/addons")
    policies = {p.inputs["tags"]["irsa-components/preset"] for p in result.of_type("aws:iam/policy:Policy")}
    assert policies == {"aws-load-balancer-controller", "ebs-csi-driver", "external-dns", "cert-manager", "karpenter"}
    irsa_roles = {r.name for r in result.of_type("irsa-components:index:ServiceAccountRole")}
    pod_identity = {r.name for r in result.of_type("irsa-components:index:PodIdentityAssociation")}
    assert (irsa_roles, pod_identity) == (
        {"aws-lb-controller", "ebs-csi", "external-dns"},
        {"cert-manager", "karpenter"},
    )
    karpenter = json.loads(result.one("aws:iam/policy:Policy", "karpenter-karpenter").inputs["policy"])
    # Region and account came from deploy-time invokes and were folded into the preset's ARNs.
    assert any(
        "arn:aws:sqs:eu-west-1:123456789012:demo-karpenter-interruptions" in json.dumps(s)
        for s in karpenter["Statement"]
    )
    assert any(
        ":eu-west-1:123456789012:" in json.dumps(s) and "eks:DescribeCluster" in json.dumps(s)
        for s in karpenter["Statement"]
    )


def test_pod_identity_role_example_admits_each_listed_workload_in_its_cluster_only():
    _, result = run_folder(ROOT / "examples/pod-identity-role")
    trust = json.loads(result.one("aws:iam/role:Role").inputs["assumeRolePolicy"])
    associations = result.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
    assert sorted(a.name for a in associations) == [
        "order-workers-prod-eu-orders-replayer",
        "order-workers-prod-eu-orders-worker",
        "order-workers-prod-us-orders-worker",
    ]
    for a in associations:
        request = pod_identity_request(a.inputs["clusterName"], a.inputs["namespace"], a.inputs["serviceAccount"])
        assert can_assume(trust, request) is Decision.ALLOW
    assert can_assume(trust, pod_identity_request("prod-us", "orders", "replayer")) is Decision.IMPLICIT_DENY


def test_custom_trust_example_guards_pod_identity_and_keeps_irsa_exact():
    _, result = run_folder(ROOT / "examples/custom-trust")
    orders = json.loads(result.one("aws:iam/role:Role", "orders-role").inputs["assumeRolePolicy"])
    assert orders["Statement"][0]["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    reports = json.loads(result.one("aws:iam/role:Role", "reports-role").inputs["assumeRolePolicy"])
    assert [s.get("Sid") for s in reports["Statement"]] == [None, "BreakGlass"]
    assert reports["Statement"][0]["Condition"]["StringEquals"]["aws:RequestedRegion"] == "eu-west-1"


def test_managed_addons_example_wires_each_addon_to_its_role():
    _, result = run_folder(ROOT / "examples/managed-addons")
    addons = {a.inputs["addonName"]: a for a in result.of_type("aws:eks/addon:Addon")}
    assert (
        addons["aws-ebs-csi-driver"].inputs["podIdentityAssociations"][0]["serviceAccount"] == "ebs-csi-controller-sa"
    )
    assert addons["aws-mountpoint-s3-csi-driver"].inputs["podIdentityAssociations"][0]["serviceAccount"] == (
        "s3-csi-driver-sa"
    )
    assert (
        addons["vpc-cni"].inputs["serviceAccountRoleArn"]
        == result.one("aws:iam/role:Role", "vpc-cni-role").outputs["arn"]
    )
    agent = addons["eks-pod-identity-agent"]
    assert any(d.endswith(f"::{agent.name}") for d in addons["aws-ebs-csi-driver"].dependencies)


def test_existing_resources_example_patches_the_helm_service_account_and_creates_the_policy():
    _, result = run_folder(ROOT / "examples/existing-resources")
    patch = result.one("kubernetes:core/v1:ServiceAccountPatch")
    assert patch.inputs["metadata"]["annotations"]["eks.amazonaws.com/role-arn"] == (
        "arn:aws:iam::123456789012:role/platform/external-dns"
    )
    assert [
        r.type for r in result.children_of(result.one("irsa-components:index:ServiceAccountRole", "external-dns"))
    ] == ["kubernetes:core/v1:ServiceAccountPatch"]
    assert result.one("aws:iam/policy:Policy").inputs["name"] == "reports-read-reports"
    assert (
        len(
            result.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "cluster-oidc-provider").inputs[
                "thumbprintLists"
            ]
        )
        == 2
    )
