"""Every input AWS or Kubernetes would reject, and every typo, is refused before deploy with a fix that works.

One row per rule. Each row is run with plain values (refused at construction: an ``IrsaConfigError`` naming
the field, and no ``aws:``/``kubernetes:`` resource registered) and, where the field takes deploy-time
values, with the same values as Outputs (refused with the same field once they resolve; a field that must be
plain is refused at construction for being an Output). When the fix suggests a value (``use e.g. 'x'``,
``did you mean 'x'``, ``pass field=20``), the program with that value applied no longer fails on that field.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pytest
from conftest import PROVIDER_ARN, cloud_resources

from irsa_components import (
    ClusterOidcProvider,
    IrsaConfigError,
    PodIdentityAgent,
    PodIdentityAssociation,
    ServiceAccountRole,
)
from irsa_components.cross_account import CrossAccountTargetRole
from irsa_components.testing import IrsaMocks, ProgramResult, run_program

KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
SOURCE_ROLE = "arn:aws:iam::111122223333:role/eks-pod-identity-primary-role"
GOV_PROVIDER = "arn:aws-us-gov:iam::123456789012:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/ABC"
ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"

BASES: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "irsa": (ServiceAccountRole, {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}),
    "pod": (PodIdentityAssociation, {"cluster_name": "prod", "namespace": "shop", "service_account": "orders"}),
    "target": (CrossAccountTargetRole, {"pod_identity_role_arn": SOURCE_ROLE}),
    "oidc": (ClusterOidcProvider, {"issuer_url": ISSUER, "thumbprints": [THUMBPRINT]}),
    "agent": (PodIdentityAgent, {"cluster_name": "prod"}),
}


def statement(**extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*", **extra}


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements or [statement()])}


DROP = object()
"""An override value meaning: remove this key from the base args."""


@dataclass
class Rule:
    id: str
    component: str
    args: dict[str, Any]
    field: str
    """The field the error must name (exactly)."""
    deferred: tuple[str, ...] = ()
    """Keys of ``args`` to pass as Outputs in the deploy-time form (none: no deploy-time form)."""
    plain_only: bool = False
    """The field must be plain: its Output form is refused at construction, naming the field."""
    fix_key: str | None = None
    """The key whose value the fix's suggestion replaces (default: ``field``)."""
    extra: dict[str, Any] = field(default_factory=dict)


LONG = "x" * 1001
TAGS_50 = {f"k{i}": "v" for i in range(50)}

RULES = [
    # ---- typos: unknown keys are refused, naming the closest known one ----
    Rule("typo-boundary", "irsa", {"permission_boundary": S3_READ}, "permission_boundary"),
    Rule("typo-policy-arns", "irsa", {"polcy_arns": [S3_READ]}, "polcy_arns"),
    Rule("typo-required", "irsa", {"service_account": DROP, "servce_account": "api"}, "servce_account"),
    Rule("camel-case", "irsa", {"oidc_provider_arn": DROP, "oidcProviderArn": PROVIDER_ARN}, "oidcProviderArn"),
    Rule(
        "typo-nested",
        "irsa",
        {"mode": "both", "pod_identity": {"clustr_name": "prod"}},
        "pod_identity.clustr_name",
        fix_key="pod_identity",
    ),
    Rule(
        "typo-addon-option",
        "irsa",
        {"addon_policies": [{"preset": "ebs-csi-driver", "kms_key_arn": [KEY]}]},
        "addon_policies[0].kms_key_arn",
        fix_key="addon_policies",
    ),
    Rule("typo-preset-slug", "irsa", {"addon_policies": [{"preset": "ebs-csi-drivers"}]}, "preset", fix_key="-"),
    Rule("typo-pod", "pod", {"namespace": DROP, "namepsace": "shop"}, "namepsace"),
    Rule("typo-oidc", "oidc", {"thumbprints": DROP, "thumbprint": [THUMBPRINT]}, "thumbprint"),
    Rule("typo-agent", "agent", {"addon_verison": "v1.3.4-eksbuild.1"}, "addon_verison"),
    Rule("camel-target", "target", {"externalId": "eu-west-1/1/c/n/s"}, "externalId"),
    # ---- names whose fixes used to be invalid themselves ----
    Rule("sa-space", "irsa", {"service_account": "my api"}, "service_account", ("service_account",)),
    Rule("ns-space", "irsa", {"namespace": "pay ments"}, "namespace", ("namespace",)),
    Rule("sa-leading-space", "irsa", {"service_account": " api"}, "service_account", ("service_account",)),
    Rule("ns-url", "irsa", {"namespace": "https://payments"}, "namespace", ("namespace",)),
    Rule("sa-cyrillic", "irsa", {"service_account": "\u0430pi"}, "service_account", ("service_account",)),
    Rule("sa-policy-variable", "irsa", {"service_account": "${aws:username}"}, "service_account"),
    Rule("sa-double-dot", "irsa", {"service_account": "a..b"}, "service_account", ("service_account",)),
    Rule("ns-64", "irsa", {"namespace": "n" * 64}, "namespace", ("namespace",)),
    Rule("pod-ns-space", "pod", {"namespace": "pay ments"}, "namespace", ("namespace",)),
    # ---- values IAM would refuse later ----
    Rule("description-long", "irsa", {"description": LONG}, "description", ("description",)),
    Rule("description-chars", "irsa", {"description": "caf\u00e9 \u2603"}, "description", ("description",)),
    Rule("description-type", "irsa", {"description": 42}, "description", ("description",)),
    Rule("tag-key-chars", "irsa", {"tags": {"team#1": "a"}}, "tags"),
    Rule("tag-value-chars", "irsa", {"tags": {"team": "a|b"}}, "tags['team']"),
    Rule("tag-key-aws", "pod", {"tags": {"aws:team": "a"}}, "tags"),
    Rule("tag-keys-differing-in-case", "irsa", {"tags": {"Team": "a", "team": "b"}}, "tags"),
    Rule(
        "policy-top-level-element",
        "irsa",
        {"inline_policies": {"read": {**policy(), "Statements": []}}},
        "inline_policies['read']",
    ),
    Rule("issuer-url-long", "oidc", {"issuer_url": f"https://oidc.example/{'i' * 250}"}, "issuer_url", ("issuer_url",)),
    Rule(
        "tags-50-plus-preset",
        "irsa",
        {"tags": TAGS_50, "addon_policies": [{"preset": "ebs-csi-driver", "kms_key_arns": [KEY]}]},
        "tags",
    ),
    Rule("attachments-over-20", "irsa", {"max_policy_attachments": 21}, "max_policy_attachments", plain_only=True),
    Rule("trust-quota-over-max", "irsa", {"max_trust_policy_size": 10000}, "max_trust_policy_size", plain_only=True),
    Rule(
        "sid-chars", "irsa", {"inline_policies": {"read": policy(statement(Sid="read-1"))}}, "inline_policies['read']"
    ),
    Rule(
        "sid-duplicate",
        "irsa",
        {"inline_policies": {"read": policy(statement(Sid="A"), statement(Sid="A"))}},
        "inline_policies['read']",
    ),
    Rule(
        "condition-operator",
        "irsa",
        {"inline_policies": {"read": policy(statement(Condition={"StringEqual": {"aws:ResourceTag/t": "a"}}))}},
        "inline_policies['read']",
    ),
    Rule(
        "resource-not-arn",
        "irsa",
        {"inline_policies": {"read": policy(statement(Resource="reports-bucket"))}},
        "inline_policies['read']",
    ),
    Rule(
        "principal-in-identity-policy",
        "irsa",
        {"inline_policies": {"read": policy(statement(NotPrincipal={"AWS": "*"}))}},
        "inline_policies['read']",
    ),
    Rule(
        "inline-total-size",
        "pod",
        {
            "inline_policies": {
                f"p{i}": policy(statement(Action=[f"s3:Get{'X' * 600}{j}" for j in range(3)])) for i in range(6)
            }
        },
        "inline_policies",
    ),
    Rule(
        "label-value-long",
        "irsa",
        {"service_account_labels": {"team": "v" * 64}},
        "service_account_labels['team']",
        fix_key="-",
    ),
    Rule(
        "label-value-ends",
        "pod",
        {"service_account_labels": {"team": "-a"}},
        "service_account_labels['team']",
        fix_key="-",
    ),
    Rule(
        "annotation-prefix-long",
        "irsa",
        {"service_account_annotations": {f"{'p' * 254}/name": "x"}},
        "service_account_annotations",
    ),
    Rule(
        "annotation-name-long",
        "irsa",
        {"service_account_annotations": {f"example.com/{'n' * 64}": "x"}},
        "service_account_annotations",
    ),
    Rule(
        "token-expiration-range",
        "irsa",
        {"service_account_annotations": {"eks.amazonaws.com/token-expiration": "60"}},
        "service_account_annotations['eks.amazonaws.com/token-expiration']",
        fix_key="-",
    ),
    Rule("client-ids-101", "oidc", {"client_ids": [f"client-{i}" for i in range(101)]}, "client_ids"),
    Rule("client-id-256", "oidc", {"client_ids": ["c" * 256]}, "client_ids"),
    Rule("client-id-variable", "oidc", {"client_ids": ["${aws:username}"]}, "client_ids"),
    Rule("audience-variable", "irsa", {"audience": "${aws:username}"}, "audience"),
    Rule("audience-non-ascii", "irsa", {"audience": "st\u0161.amazonaws.com"}, "audience"),
    Rule(
        "partitions-mixed",
        "irsa",
        {"oidc_provider_arn": GOV_PROVIDER, "policy_arns": ["arn:aws-cn:iam::aws:policy/ReadOnlyAccess"]},
        "policy_arns",
        ("oidc_provider_arn",),
        fix_key="-",
        extra={"or_fields": ("oidc_provider_arn",)},  # whichever of the two is known last is named
    ),
    Rule(
        "partitions-preset",
        "irsa",
        {"oidc_provider_arn": GOV_PROVIDER, "addon_policies": [{"preset": "ebs-csi-driver", "kms_key_arns": [KEY]}]},
        "addon_policies['ebs-csi-driver'].partition",
        fix_key="-",
    ),
    Rule(
        "partitions-target",
        "pod",
        {"target_role_arn": "arn:aws-cn:iam::111122223333:role/target", "policy_arns": [S3_READ]},
        "policy_arns",
        ("target_role_arn",),
        fix_key="-",
        extra={"or_fields": ("target_role_arn",)},
    ),
    Rule("path-wildcard", "target", {"path": "/team*/"}, "path", plain_only=True),
    Rule("path-question", "irsa", {"path": "/team?/"}, "path", plain_only=True),
    Rule(
        "source-role-wildcard",
        "target",
        {"pod_identity_role_arn": "arn:aws:iam::111122223333:role/team*/app"},
        "pod_identity_role_arn",
        ("pod_identity_role_arn",),
    ),
    # ---- an Output that narrows the trust resolving to nothing ----
    Rule(
        "target-external-id-none",
        "target",
        {"external_id": None},
        "external_id",
        ("external_id",),
        extra={"output_only": True},
    ),
    Rule(
        "target-namespace-empty", "target", {"namespace": ""}, "namespace", ("namespace",), extra={"output_only": True}
    ),
    Rule(
        "target-service-account-none",
        "target",
        {"service_account": None},
        "service_account",
        ("service_account",),
        extra={"output_only": True},
    ),
    Rule(
        "target-cluster-none",
        "target",
        {"cluster_name": None},
        "cluster_name",
        ("cluster_name",),
        extra={"output_only": True},
    ),
    Rule("irsa-namespace-none", "irsa", {"namespace": None}, "namespace", ("namespace",), extra={"output_only": True}),
    Rule("pod-service-account-empty", "pod", {"service_account": ""}, "service_account", ("service_account",)),
    # ---- wrong types get an IrsaConfigError with the real reason ----
    Rule("attachments-string", "irsa", {"max_policy_attachments": "20"}, "max_policy_attachments"),
    Rule(
        "service-accounts-output",
        "irsa",
        {"namespace": DROP, "service_account": DROP, "service_accounts": ["apps:api"]},
        "service_accounts",
        plain_only=True,
        extra={"output_only": True},
    ),
    Rule(
        "policy-arns-output",
        "irsa",
        {"policy_arns": [S3_READ]},
        "policy_arns",
        plain_only=True,
        extra={"output_only": True},
    ),
    Rule("inline-list", "irsa", {"inline_policies": [policy()]}, "inline_policies"),
    Rule(
        "inline-output",
        "pod",
        {"inline_policies": {"read": policy()}},
        "inline_policies",
        plain_only=True,
        extra={"output_only": True},
    ),
    Rule(
        "role-name-output", "irsa", {"role_name": "app-role"}, "role_name", plain_only=True, extra={"output_only": True}
    ),
    Rule(
        "session-output",
        "irsa",
        {"max_session_duration": 3600},
        "max_session_duration",
        plain_only=True,
        extra={"output_only": True},
    ),
    Rule("tags-output", "pod", {"tags": {"team": "a"}}, "tags", plain_only=True, extra={"output_only": True}),
    Rule("session-string-out-of-range", "irsa", {"max_session_duration": "20"}, "max_session_duration"),
    Rule("mode-typo", "irsa", {"mode": "pod_identity"}, "mode", fix_key="-"),
    Rule("agent-version", "agent", {"addon_version": "1.3.4"}, "addon_version"),
    Rule("label-key", "irsa", {"service_account_labels": {"team name": "a"}}, "service_account_labels"),
    Rule(
        "annotation-value-type",
        "pod",
        {"service_account_annotations": {"example.com/n": 1}},
        "service_account_annotations['example.com/n']",
    ),
    Rule("allow-wildcard-string", "irsa", {"allow_wildcard": "true"}, "allow_wildcard"),
    Rule(
        "preset-names-component",
        "irsa",
        {"addon_policies": [{"preset": "external-dns"}]},
        "hosted_zone_arns",
        fix_key="-",
    ),
]


def build_args(rule: Rule, as_outputs: bool) -> tuple[Callable[..., Any], dict[str, Any]]:
    component, base = BASES[rule.component]
    args = dict(base)
    for key, value in rule.args.items():
        if value is DROP:
            args.pop(key, None)
        elif as_outputs and (key in rule.deferred or (rule.plain_only and key == rule.field)):
            args[key] = pulumi.Output.from_input(value)
        else:
            args[key] = value
    return component, args


def refused(rule: Rule, *, as_outputs: bool) -> tuple[IrsaConfigError, list[Any]]:
    """Runs the rule's component (its Outputs made inside the program, under the run's own event loop)."""
    mocks = IrsaMocks()

    def program() -> None:
        component, args = build_args(rule, as_outputs)
        component("r", args)

    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    return err.value, cloud_resources(ProgramResult(mocks=mocks, outputs={}))


_SUGGESTION = re.compile(
    r"use e\.g\. ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|did you mean '([^']+)'|\w+=(\d+) rather than"
)


def suggestion(error: IrsaConfigError) -> tuple[str, Any] | None:
    """('value', v) for a suggested value, ('key', k) for a suggested key, or None."""
    match = _SUGGESTION.search(error.fix)
    if match is None:
        return None
    if match[1] is not None:
        return "value", ast.literal_eval(match[1])
    if match[2] is not None:
        return "key", match[2]
    return "value", int(match[3])


@pytest.mark.parametrize("rule", [r for r in RULES if not r.extra.get("output_only")], ids=lambda r: r.id)
def test_plain_value_is_refused_before_any_resource(rule: Rule) -> None:
    error, created = refused(rule, as_outputs=False)
    assert error.field == rule.field, str(error)
    assert error.component == f"{BASES[rule.component][0].__name__} 'r'"
    assert created == []


@pytest.mark.parametrize("rule", [r for r in RULES if r.deferred or r.plain_only], ids=lambda r: r.id)
def test_deploy_time_value_is_refused_naming_the_field(rule: Rule) -> None:
    error, created = refused(rule, as_outputs=True)
    assert error.field in (rule.field, *rule.extra.get("or_fields", ())), str(error)
    if rule.plain_only:
        assert "Output" in error.problem or "Output" in str(error.value) or rule.field == "path"
        assert created == []


@pytest.mark.parametrize(
    "rule", [r for r in RULES if not r.extra.get("output_only") and r.fix_key != "-"], ids=lambda r: r.id
)
def test_suggested_fix_is_accepted(rule: Rule) -> None:
    component, args = build_args(rule, as_outputs=False)
    error, _ = refused(rule, as_outputs=False)
    suggested = suggestion(error)
    if suggested is None:
        return  # the fix says what to change instead of suggesting a value
    kind, value = suggested
    fixed = dict(args)
    if kind == "key":
        wrong = error.field.rsplit(".", 1)[-1].split("]")[-1]
        if "." in error.field or "[" in error.field:
            key = rule.fix_key or error.field
            container = fixed[key]
            if isinstance(container, list):
                entry = dict(container[0])
                entry[value] = entry.pop(wrong)
                fixed[key] = [entry]
            else:
                entry = dict(container)
                entry[value] = entry.pop(wrong)
                fixed[key] = entry
        else:
            fixed[value] = fixed.pop(wrong)
    elif (item := re.fullmatch(r"(\w+)\['([^']*)'\]", error.field)) is not None:
        fixed[item[1]] = {**fixed[item[1]], item[2]: value}
    elif isinstance(fixed.get(error.field), dict) and error.value in fixed[error.field]:
        entries = dict(fixed[error.field])
        entries[value] = entries.pop(error.value)
        fixed[error.field] = entries
    else:
        fixed[rule.fix_key or rule.field] = value
    try:
        run_program(lambda: component("r", fixed))
    except IrsaConfigError as again:
        assert again.field != error.field, f"the suggested fix {suggested} is itself refused: {again}"


# ---- args that are not a dict ---------------------------------------------------------------------------

ALL_COMPONENTS = [
    ServiceAccountRole,
    PodIdentityAssociation,
    CrossAccountTargetRole,
    ClusterOidcProvider,
    PodIdentityAgent,
]


@pytest.mark.parametrize("args", [None, [], ["namespace", "apps"], "apps:api", 3], ids=repr)
@pytest.mark.parametrize("component", ALL_COMPONENTS, ids=lambda c: c.__name__)
def test_args_that_are_not_a_dict_are_refused(component: Callable[..., Any], args: Any) -> None:
    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(lambda: component("r", args), mocks=mocks)
    assert (err.value.component, err.value.field) == (f"{component.__name__} 'r'", "args")
    assert "pass a dict" in err.value.fix
    assert mocks.resources == []


# ---- deploy-time inline documents count towards the inline total ------------------------------------------


def test_inline_policies_over_the_total_are_refused_when_documents_are_outputs() -> None:
    big = policy(statement(Action=[f"s3:Get{'X' * 600}{j}" for j in range(3)]))

    def program() -> None:
        inline = {f"p{i}": pulumi.Output.from_input(big) for i in range(6)}
        PodIdentityAssociation("r", {**BASES["pod"][1], "inline_policies": inline})

    with pytest.raises(IrsaConfigError) as err:
        run_program(program)
    assert err.value.field == "inline_policies"
    assert "10240" in err.value.problem


def test_inline_policies_within_the_total_pass_as_outputs() -> None:
    def program() -> None:
        inline = {"read": pulumi.Output.from_input(policy()), "list": policy()}
        PodIdentityAssociation("r", {**BASES["pod"][1], "inline_policies": inline})

    assert len(run_program(program).of_type("aws:iam/rolePolicy:RolePolicy")) == 2


# ---- the audience reaches the ServiceAccount --------------------------------------------------------------

SA = "kubernetes:core/v1:ServiceAccount"


def test_non_default_audience_is_annotated_on_the_service_account() -> None:
    args = {**BASES["irsa"][1], "audience": "my-audience"}
    result = run_program(lambda: ServiceAccountRole("r", args))
    annotations = result.one(SA).inputs["metadata"]["annotations"]
    assert annotations["eks.amazonaws.com/audience"] == "my-audience"
    assert "my-audience" in result.one("aws:iam/role:Role").inputs["assumeRolePolicy"]


def test_default_audience_adds_no_annotation() -> None:
    result = run_program(lambda: ServiceAccountRole("r", dict(BASES["irsa"][1])))
    assert "eks.amazonaws.com/audience" not in result.one(SA).inputs["metadata"]["annotations"]


def test_audience_annotation_contradicting_the_audience_is_refused() -> None:
    args = {**BASES["irsa"][1], "service_account_annotations": {"eks.amazonaws.com/audience": "other"}}
    with pytest.raises(IrsaConfigError) as err:
        run_program(lambda: ServiceAccountRole("r", args))
    assert err.value.field == "service_account_annotations"


# ---- children whose names would collide get distinct names -------------------------------------------------

ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"


def test_service_accounts_whose_names_would_collide_get_distinct_children() -> None:
    args = {
        "oidc_provider_arn": PROVIDER_ARN,
        "service_accounts": ["a-b:c", "a:b-c"],
        "mode": "both",
        "pod_identity": {"cluster_name": "prod"},
    }
    result = run_program(lambda: ServiceAccountRole("r", args))
    accounts = {r.name: r.inputs["metadata"]["namespace"] for r in result.of_type(SA)}
    assert len(accounts) == 2
    assert accounts["r-a-b-c"] == "a-b"
    associations = [r.name for r in result.of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")]
    assert len(set(associations)) == 2
    assert "r-a-b-c-association" in associations


def test_policy_arns_whose_names_would_collide_get_distinct_attachments() -> None:
    arns = [f"arn:aws:iam::123456789012:policy/{p}" for p in ("x/foo", "y/foo", "foo-1")]
    result = run_program(lambda: ServiceAccountRole("r", {**BASES["irsa"][1], "policy_arns": arns}))
    attached = {r.inputs["policyArn"]: r.name for r in result.of_type(ATTACHMENT)}
    assert set(attached) == set(arns)
    assert len(set(attached.values())) == 3
    assert attached[arns[2]] == "r-foo-1"  # the policy really named foo-1 keeps its name
    assert attached[arns[0]] == "r-foo-0"  # unchanged from before: no replacement on upgrade


def test_user_policy_named_like_a_preset_does_not_take_the_preset_attachment_name() -> None:
    mine = "arn:aws:iam::123456789012:policy/ebs-csi-driver"
    args = {
        **BASES["irsa"][1],
        "policy_arns": [mine],
        "addon_policies": [{"preset": "ebs-csi-driver", "kms_key_arns": [KEY]}],
    }
    result = run_program(lambda: ServiceAccountRole("r", args))
    attached = [(r.name, r.inputs["policyArn"]) for r in result.of_type(ATTACHMENT)]
    names = [name for name, _ in attached]
    assert len(set(names)) == len(names)
    assert "r-ebs-csi-driver" in names  # the preset keeps the name the golden URNs hold
    assert dict(attached)["r-ebs-csi-driver"] != mine


# ---- every partition is accepted ---------------------------------------------------------------------------


@pytest.mark.parametrize("partition", ["aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc", "aws-cn"])
def test_every_partition_is_accepted(partition: str) -> None:
    provider = f"arn:{partition}:iam::123456789012:oidc-provider/oidc.eks.region-1.example/id/ABC"
    args = {
        **BASES["irsa"][1],
        "oidc_provider_arn": provider,
        "policy_arns": [f"arn:{partition}:iam::aws:policy/ReadOnlyAccess"],
        "permissions_boundary": f"arn:{partition}:iam::123456789012:policy/boundary",
    }
    result = run_program(lambda: ServiceAccountRole("r", args))
    assert provider in result.one("aws:iam/role:Role").inputs["assumeRolePolicy"]
