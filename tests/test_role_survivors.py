"""Behaviours the last mutation run of ``_role.py`` found unspecified: the shape checks of ``plan_role`` and
``plan_service_account`` themselves (the components check types first, but these plans are what every
component calls), attachment names that stay apart from a preset's, the path of a preset's own policy, and
the role ``create_role`` hands back."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest
from conftest import PROVIDER_ARN

from irsa_components import IrsaConfigError, ServiceAccountRole
from irsa_components._role import PRESET_TAG, create_role, plan_role, plan_service_account
from irsa_components.testing import IrsaMocks, run_program

C = "ServiceAccountRole 'app'"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY = "aws:iam/policy:Policy"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}],
}


def irsa(**args: Any):
    base = {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}
    return lambda: ServiceAccountRole("app", {**base, **args})


# ---- plan_role: list and mapping fields of another shape are refused, naming the field --------------------


@pytest.mark.parametrize("value", [READ_ONLY, {"read": READ_ONLY}, 3])
def test_plan_role_refuses_policy_arns_that_are_not_a_list(value):
    with pytest.raises(IrsaConfigError) as err:
        plan_role(C, "app-role", {"policy_arns": value})
    assert (err.value.component, err.value.field, err.value.value) == (C, "policy_arns", value)
    assert err.value.problem == "must be a list"
    assert err.value.fix == "wrap the value in a list: policy_arns=[...]"


def test_plan_role_takes_policy_arns_as_a_tuple_too():
    plan = plan_role(C, "app-role", {"policy_arns": (READ_ONLY,)})
    assert plan.policy_attachments == [("ReadOnlyAccess", READ_ONLY)]


@pytest.mark.parametrize("value", [[DOCUMENT], json.dumps(DOCUMENT)])
def test_plan_role_refuses_inline_policies_that_are_not_a_mapping(value):
    with pytest.raises(IrsaConfigError) as err:
        plan_role(C, "app-role", {"inline_policies": value})
    assert (err.value.component, err.value.field, err.value.value) == (C, "inline_policies", value)
    assert err.value.problem == "must be a dict of policy name -> document"


@pytest.mark.parametrize("value", [[("read", DOCUMENT)], "read"])
def test_plan_role_refuses_managed_policies_that_are_not_a_mapping(value):
    with pytest.raises(IrsaConfigError) as err:
        plan_role(C, "app-role", {"managed_policies": value})
    assert (err.value.field, err.value.value, err.value.problem) == (
        "managed_policies",
        value,
        "must be a mapping name -> document",
    )


@pytest.mark.parametrize("prefix", ["", 3])
def test_a_policy_name_prefix_that_is_empty_or_not_a_string_is_refused(prefix):
    with pytest.raises(IrsaConfigError) as err:
        plan_role(C, "app-role", {"managed_policies": {"read": DOCUMENT}, "policy_name_prefix": prefix})
    assert (err.value.field, err.value.value, err.value.problem) == (
        "policy_name_prefix",
        prefix,
        "must be a non-empty string",
    )


# ---- the library's preset tag is the library's once a preset adds a policy ---------------------------------


def test_the_preset_tag_is_refused_on_a_role_whose_preset_adds_a_policy():
    with pytest.raises(IrsaConfigError) as err:
        run_program(irsa(addon_policies=[{"preset": "efs-csi-driver"}], tags={PRESET_TAG: "x"}), mocks=IrsaMocks())
    assert (err.value.field, err.value.value) == ("tags", PRESET_TAG)
    assert err.value.problem == "is the tag the library puts on preset policies"


def test_the_preset_tag_is_an_ordinary_tag_without_a_preset_policy():
    result = run_program(irsa(tags={PRESET_TAG: "x"}), mocks=IrsaMocks())
    assert result.one("aws:iam/role:Role").inputs["tags"] == {PRESET_TAG: "x"}


# ---- plan_service_account: labels and annotations are a mapping of plain strings ---------------------------


@pytest.mark.parametrize("field", ["service_account_labels", "service_account_annotations"])
@pytest.mark.parametrize("value", [["team"], "team=a"])
def test_plan_service_account_refuses_labels_or_annotations_that_are_not_a_mapping(field, value):
    with pytest.raises(IrsaConfigError) as err:
        plan_service_account(C, {field: value}, irsa=True)
    assert (err.value.component, err.value.field, err.value.value) == (C, field, value)
    assert err.value.problem == "must be a mapping of plain strings"


def test_plan_service_account_refuses_labels_only_known_at_deploy_time():
    def program() -> None:
        labels = {"team": pulumi.Output.from_input("a")}
        with pytest.raises(IrsaConfigError) as err:
            plan_service_account(C, {"service_account_labels": labels}, irsa=True)
        assert (err.value.field, err.value.problem) == ("service_account_labels", "must be a mapping of plain strings")

    run_program(program, mocks=IrsaMocks())


@pytest.mark.parametrize("value", ["yes", 1])
def test_create_service_account_must_be_a_bool(value):
    with pytest.raises(IrsaConfigError) as err:
        plan_service_account(C, {"create_service_account": value}, irsa=True)
    assert (err.value.field, err.value.value, err.value.problem) == (
        "create_service_account",
        value,
        "must be True or False",
    )


def test_plan_service_account_keeps_plain_labels_and_annotations():
    plan = plan_service_account(
        C, {"service_account_labels": {"team": "a"}, "service_account_annotations": {"note": "b"}}, irsa=True
    )
    assert (plan.labels, plan.annotations) == ({"team": "a"}, {"note": "b"})


# ---- attachment names: a policy_arns entry never takes the name of a preset's attachment -------------------


def test_a_policy_named_like_a_presets_attachment_gets_a_name_of_its_own():
    lookalike = "arn:aws:iam::111122223333:policy/vpc-cni-AmazonEKS_CNI_Policy"
    result = run_program(irsa(addon_policies=[{"preset": "vpc-cni"}], policy_arns=[lookalike]), mocks=IrsaMocks())
    attached = {r.name: r.inputs["policyArn"] for r in result.of_type(ATTACHMENT)}
    # The preset's attachment keeps its natural name; the look-alike is told apart by a hash of its ARN.
    assert attached["app-vpc-cni-AmazonEKS_CNI_Policy"] == "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"
    (own,) = [name for name, arn in attached.items() if arn == lookalike]
    assert own.startswith("app-vpc-cni-AmazonEKS_CNI_Policy-")
    assert len(attached) == len(result.of_type(ATTACHMENT))


# ---- the path of a preset's own policy --------------------------------------------------------------------


def test_a_presets_policy_goes_under_policy_path_when_one_is_given():
    result = run_program(
        irsa(addon_policies=[{"preset": "efs-csi-driver"}], path="/roles/", policy_path="/presets/"), mocks=IrsaMocks()
    )
    assert result.one(POLICY, "app-efs-csi-driver").inputs["path"] == "/presets/"
    assert result.one("aws:iam/role:Role").inputs["path"] == "/roles/"


def test_a_presets_policy_goes_under_the_role_path_without_policy_path():
    result = run_program(irsa(addon_policies=[{"preset": "efs-csi-driver"}], path="/roles/"), mocks=IrsaMocks())
    assert result.one(POLICY, "app-efs-csi-driver").inputs["path"] == "/roles/"


# ---- create_role: the role it registered ------------------------------------------------------------------


def test_create_role_returns_the_role_it_registered():
    trust = json.dumps({"Version": "2012-10-17", "Statement": []})

    def program() -> None:
        plan = plan_role(C, "app-role", {"policy_arns": [READ_ONLY]})
        role = create_role(pulumi.ResourceOptions(), "app", plan, trust)
        pulumi.export("urn", role.urn)

    result = run_program(program, mocks=IrsaMocks())
    role = result.one("aws:iam/role:Role")
    assert result.outputs["urn"] == role.urn
    assert role.inputs["assumeRolePolicy"] == trust
    assert result.one(ATTACHMENT).inputs == {"role": role.outputs["name"], "policyArn": READ_ONLY}


def test_a_managed_policy_goes_under_the_role_path_without_policy_path():
    result = run_program(irsa(managed_policies={"read": DOCUMENT}, path="/roles/"), mocks=IrsaMocks())
    assert result.one(POLICY, "app-managed-read").inputs["path"] == "/roles/"
