"""Presets on the components: one customer-managed policy per preset document, AWS-managed ARNs attached as is."""

from __future__ import annotations

import json

import pulumi
import pytest
from conftest import PROVIDER_ARN, assert_all_policies_valid

from irsa_components import IrsaConfigError, PodIdentityAssociation, ServiceAccountRole
from irsa_components.policies import preset
from irsa_components.review.report import build_report
from irsa_components.testing import IrsaMocks, run_program

KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ZONE = "arn:aws:route53:::hostedzone/Z123EXAMPLE"
EBS = {"preset": "ebs-csi-driver", "kms_key_arns": [KEY]}
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY = "aws:iam/policy:Policy"


def ebs_role(**args):
    base = {
        "oidc_provider_arn": PROVIDER_ARN,
        "namespace": "kube-system",
        "service_account": "ebs-csi-controller-sa",
        "addon_policies": [EBS],
    }
    return lambda: ServiceAccountRole("ebs", {**base, **args})


def test_preset_document_becomes_a_tagged_policy_attached_with_its_managed_arns():
    result = run_program(ebs_role(tags={"team": "platform"}))
    role = result.one("aws:iam/role:Role")
    policy = result.one(POLICY)
    assert policy.name == "ebs-ebs-csi-driver"
    assert json.loads(policy.inputs["policy"]) == preset("ebs-csi-driver", kms_key_arns=[KEY]).document
    assert policy.inputs["tags"] == {"team": "platform", "irsa-components/preset": "ebs-csi-driver"}
    attachments = {a.name: a.inputs for a in result.of_type(ATTACHMENT)}
    assert attachments == {
        "ebs-ebs-csi-driver": {"role": role.outputs["name"], "policyArn": policy.outputs["arn"]},
        "ebs-ebs-csi-driver-AmazonEBSCSIDriverPolicy": {
            "role": role.outputs["name"],
            "policyArn": "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
        },
    }
    assert_all_policies_valid(result)


def test_managed_only_preset_creates_no_policy():
    result = run_program(ebs_role(addon_policies=[{"preset": "cloudwatch-observability"}]))
    assert result.of_type(POLICY) == []
    assert sorted(a.inputs["policyArn"] for a in result.of_type(ATTACHMENT)) == [
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
    ]


def test_pod_identity_takes_presets_too():
    result = run_program(
        lambda: PodIdentityAssociation(
            "dns",
            {
                "cluster_name": "prod",
                "namespace": "kube-system",
                "service_account": "external-dns",
                "addon_policies": [{"preset": "external-dns", "hosted_zone_arns": [ZONE]}],
            },
        )
    )
    document = json.loads(result.one(POLICY).inputs["policy"])
    assert document == preset("external-dns", hosted_zone_arns=[ZONE]).document
    assert result.one(ATTACHMENT).name == "dns-external-dns"


def test_preset_options_may_be_deploy_time_values():
    def program():
        key = pulumi.Output.from_input(KEY)
        ebs_role(addon_policies=[{"preset": "ebs-csi-driver", "kms_key_arns": [key]}])()

    result = run_program(program)
    assert json.loads(result.one(POLICY).inputs["policy"]) == preset("ebs-csi-driver", kms_key_arns=[KEY]).document
    assert len(result.of_type(ATTACHMENT)) == 2


def test_deploy_time_option_that_replaces_a_managed_policy_attaches_the_same_as_a_plain_one():
    workspace = "arn:aws:aps:eu-west-1:123456789012:workspace/ws-12345678-abcd-1234-abcd-123456789012"

    def program():
        arn = pulumi.Output.from_input(workspace)
        ebs_role(addon_policies=[{"preset": "adot-collector", "workspace_arns": [arn]}])()

    result = run_program(program)
    plain = run_program(ebs_role(addon_policies=[{"preset": "adot-collector", "workspace_arns": [workspace]}]))
    for run in (result, plain):
        assert (
            json.loads(run.one(POLICY).inputs["policy"])
            == preset("adot-collector", workspace_arns=[workspace]).document
        )
        assert sorted(a.name for a in run.of_type(ATTACHMENT)) == [
            "ebs-adot-collector",
            "ebs-adot-collector-AWSXrayWriteOnlyAccess",
            "ebs-adot-collector-CloudWatchAgentServerPolicy",
        ]


def test_deploy_time_preset_option_is_validated_with_the_same_message():
    def program():
        bad = pulumi.Output.from_input("arn:aws:s3:::not-a-key")
        ebs_role(addon_policies=[{"preset": "ebs-csi-driver", "kms_key_arns": [bad]}])()

    with pytest.raises(IrsaConfigError) as late:
        run_program(program)
    with pytest.raises(IrsaConfigError) as early:
        run_program(ebs_role(addon_policies=[{"preset": "ebs-csi-driver", "kms_key_arns": ["arn:aws:s3:::not-a-key"]}]))
    assert str(late.value) == str(early.value)
    assert early.value.field == "kms_key_arns"


def refused(program):
    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    assert [r for r in mocks.resources if r.type.startswith(("aws:", "kubernetes:"))] == []
    return err.value


def test_missing_required_scope_is_an_error_before_any_resource():
    error = refused(ebs_role(addon_policies=[{"preset": "external-dns"}]))
    assert (error.component, error.field) == ("ServiceAccountRole 'ebs'", "hosted_zone_arns")
    assert "preset 'external-dns'" in error.problem


def test_unknown_preset_is_an_error_before_any_resource():
    assert refused(ebs_role(addon_policies=[{"preset": "nginx"}])).field == "preset"


def test_entry_without_preset_key_is_an_error():
    assert refused(ebs_role(addon_policies=[{"kms_key_arns": [KEY]}])).field == "addon_policies"


def test_same_preset_twice_is_an_error():
    assert refused(ebs_role(addon_policies=[EBS, EBS])).problem == "is listed twice"


def test_managed_arn_listed_both_directly_and_by_a_preset_is_an_error():
    error = refused(ebs_role(policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]))
    assert (error.field, error.problem) == ("policy_arns", "is also attached by preset 'ebs-csi-driver'")


def test_presets_count_against_the_attachment_quota():
    nine = [f"arn:aws:iam::aws:policy/P{i}" for i in range(9)]
    error = refused(ebs_role(policy_arns=nine))  # 9 + the preset's document + its managed policy = 11
    assert (error.field, error.value) == ("policy_arns", "11 managed policies")
    assert len(run_program(ebs_role(policy_arns=nine, max_policy_attachments=20)).of_type(ATTACHMENT)) == 11


def test_preset_document_over_the_managed_policy_limit_is_an_error():
    zones = [f"arn:aws:route53:::hostedzone/Z{i:020d}" for i in range(200)]
    error = refused(ebs_role(addon_policies=[{"preset": "external-dns", "hosted_zone_arns": zones}]))
    assert error.field == "addon_policies"
    assert "6144-character limit" in error.problem


def test_existing_pod_identity_role_refuses_presets():
    error = refused(
        lambda: PodIdentityAssociation(
            "x",
            {
                "cluster_name": "prod",
                "namespace": "a",
                "service_account": "b",
                "role_arn": "arn:aws:iam::123456789012:role/existing",
                "addon_policies": [EBS],
            },
        )
    )
    assert error.field == "addon_policies"


def test_plan_shows_which_preset_each_policy_came_from():
    result = run_program(ebs_role(policy_arns=["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]))
    report = build_report(result, project="p", stack="s")
    sources = {p["arn"]: p.get("preset") for p in report["roles"][0]["managed_policies"]}
    assert sources == {
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess": None,
        "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy": "ebs-csi-driver",
        result.one(POLICY).outputs["arn"]: "ebs-csi-driver",
    }


def test_deploy_time_cluster_name_keeps_the_managed_policy_its_preset_attaches():
    def program():
        name = pulumi.Output.from_input("prod")
        ebs_role(addon_policies=[{"preset": "vpc-cni", "enable_cloudwatch_logs": True, "cluster_name": name}])()

    result = run_program(program)
    expected = preset("vpc-cni", enable_cloudwatch_logs=True, cluster_name="prod")
    assert json.loads(result.one(POLICY).inputs["policy"]) == expected.document
    assert "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy" in [a.inputs["policyArn"] for a in result.of_type(ATTACHMENT)]
