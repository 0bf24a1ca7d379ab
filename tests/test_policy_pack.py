"""The IAM review as a Pulumi policy pack, run as the engine runs it.

Programs run under the mocks; what they registered becomes the ``AnalyzeStackRequest`` the engine sends a
policy pack (after ``up``, every value known; or in the preview of a new stack, with unknowns), and goes
through ``pulumi_policy``'s own analyzer servicer, configured as the engine configures it: ``GetAnalyzerInfo``,
then the engine's reconciliation of the policies' levels, the pack's initial configuration and the user's
configuration (pulumi/pulumi ``pkg/resource/analyzer/config.go``), then ``Configure`` and ``AnalyzeStack``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pytest
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer
from review_corpus import CASES, Case
from test_examples import EXAMPLES

import irsa_components as irsa
from irsa_components.cli import run_folder
from irsa_components.review.findings import KINDS, Finding, Severity, find_issues
from irsa_components.review.gate import GateConfigError, Suppression, suppressions_from_config
from irsa_components.review.policy_pack import (
    UNKNOWN_POLICY,
    UNKNOWN_VALUE,
    Unknown,
    analyze_stack_request,
    enforcement_levels,
    mark_unknowns,
    pack_definition,
    review_stack,
    stack_resource,
)
from irsa_components.review.report import certificate_chains
from irsa_components.testing import ProgramResult, run_program

ROOT = Path(__file__).resolve().parent.parent
ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
HOST = ISSUER.removeprefix("https://")
PROVIDER = f"arn:aws:iam::123456789012:oidc-provider/{HOST}"
LEVEL_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.DISABLED: "disabled",
}


# ---- the engine's side: configuration reconciliation, AnalyzeStack ------------------------------------------


def reconcile(info: Any, user_config: Mapping[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The engine's ``ReconcilePolicyPackConfig``: the policies' own levels, then the pack's initial config,
    then the user's config (``"all"`` first), each level given replacing the one before.

    The initial config comes over gRPC, where a ``PolicyConfig`` without a level reads as ``ADVISORY`` (the
    enum's zero): a policy named there without a level becomes advisory.
    """
    result = {p.name: (LEVEL_NAMES[p.enforcementLevel], {}) for p in info.policies}

    def apply(config: Mapping[str, tuple[str | None, dict[str, Any]]]) -> None:
        if "all" in config and config["all"][0]:
            for name, (_, props) in result.items():
                result[name] = (str(config["all"][0]), props)
        for name, (level, props) in config.items():
            old_level, old_props = result.get(name, ("advisory", {}))
            result[name] = (level or old_level, {**old_props, **props})

    apply(
        {
            name: (LEVEL_NAMES[c.enforcementLevel], json_format.MessageToDict(c.properties))
            for name, c in info.initialConfig.items()
        }
    )
    user: dict[str, tuple[str | None, dict[str, Any]]] = {}
    for name, value in user_config.items():
        if isinstance(value, str):
            user[name] = (value, {})
        else:
            props = {k: v for k, v in value.items() if k != "enforcementLevel"}
            user[name] = (value.get("enforcementLevel"), props)
    apply(user)
    return result


def configured_servicer(
    user_config: Mapping[str, Any] | None = None,
    *,
    severity_levels: Mapping[str, str] | None = None,
    initial_config: dict[str, Any] | None = None,
) -> _PolicyAnalyzerServicer:
    """pulumi_policy's servicer for the pack, as ``PolicyPack`` builds it, configured as the engine does."""
    pack = pack_definition(severity_levels)
    servicer = _PolicyAnalyzerServicer(
        pack.name,
        "0.1.0",
        list(pack.policies),
        EnforcementLevel.ADVISORY,
        pack.initial_config if initial_config is None else initial_config,
        pack.description,
    )
    info = servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, (level, props) in reconcile(info, user_config or {}).items():
        config = request.policyConfig[name]
        config.enforcementLevel = getattr(analyzer_pb2, level.upper())
        config.properties.update(props)
    servicer.Configure(request, None)
    return servicer


@dataclass(frozen=True, order=True)
class Diagnostic:
    policy: str
    level: str
    resource: str
    """The URN's last part (the logical name), or '' for the stack."""
    message: str


def diagnostics(response: Any) -> list[Diagnostic]:
    return sorted(
        Diagnostic(d.policyName, LEVEL_NAMES[d.enforcementLevel], d.urn.rsplit("::", 1)[-1], d.message)
        for d in response.diagnostics
    )


def analyze(
    program: Callable[[], Any] | ProgramResult,
    *,
    preview: bool = False,
    servicer: _PolicyAnalyzerServicer | None = None,
    stack_config: Mapping[str, str] | None = None,
) -> list[Diagnostic]:
    """What the pack reports on a program, through the servicer, after ``up`` or in a preview."""
    result = program if isinstance(program, ProgramResult) else run_program(program, preview=preview)
    request = analyze_stack_request(result.resources)
    # The engine hands a pack the stack's config as it hands it to programs: PULUMI_CONFIG, JSON.
    saved = os.environ.pop("PULUMI_CONFIG", None)
    if stack_config:
        os.environ["PULUMI_CONFIG"] = json.dumps(dict(stack_config))
    pulumi.runtime.set_all_config({})
    try:
        return diagnostics((servicer or configured_servicer()).AnalyzeStack(request, None))
    finally:
        os.environ.pop("PULUMI_CONFIG", None)
        if saved is not None:
            os.environ["PULUMI_CONFIG"] = saved
        pulumi.runtime.set_all_config({})


def levels_of(found: list[Diagnostic]) -> set[tuple[str, str, str]]:
    return {(d.policy, d.level, d.resource) for d in found}


# ---- programs -------------------------------------------------------------------------------------------


def trust(sub: str, *, operator: str = "StringEquals", aud: bool = True, provider: str = PROVIDER) -> str:
    condition: dict[str, Any] = {operator: {f"{HOST}:sub": sub}}
    if aud:
        condition.setdefault("StringEquals", {})[f"{HOST}:aud"] = "sts.amazonaws.com"
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def wildcard_under_string_equals() -> None:
    """High (IRSA003): the trust's wildcard is literal under StringEquals; no :aud either (IRSA004, medium)."""
    aws.iam.Role("api-role", assume_role_policy=trust("system:serviceaccount:apps:*", aud=False))


def annotated_with_a_role_that_does_not_trust_it() -> None:
    """High (IRSA001): the ServiceAccount's pods will get no credentials."""
    role = aws.iam.Role("api-role", assume_role_policy=trust("system:serviceaccount:apps:other"))
    k8s.core.v1.ServiceAccount(
        "apps-api",
        metadata={"name": "api", "namespace": "apps", "annotations": {"eks.amazonaws.com/role-arn": role.arn}},
    )


def admin_inline_policy_on(role_name: str) -> None:
    role = aws.iam.Role(role_name, assume_role_policy=trust("system:serviceaccount:apps:api"))
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    aws.iam.RolePolicy(f"{role_name}-admin", role=role.name, policy=json.dumps(document))


def admin_inline_policy() -> None:
    """Action "*" (IRSA008) on a role that is otherwise fine."""
    admin_inline_policy_on("api")


def dangerous_trust_built_from_the_provider() -> None:
    """High (IRSA003), in a trust built at deploy time from the OIDC provider the stack creates."""
    provider = aws.iam.OpenIdConnectProvider(
        "oidc",
        url=ISSUER,
        client_id_lists=["sts.amazonaws.com"],
        thumbprint_lists=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
    )
    aws.iam.Role(
        "api-role",
        assume_role_policy=provider.arn.apply(lambda arn: trust("system:serviceaccount:apps:*", provider=arn)),
    )


def safe_components() -> None:
    """The quickstart: OIDC provider, one IRSA role with its ServiceAccount. Nothing to report."""
    oidc = irsa.ClusterOidcProvider("demo-oidc", {"cluster_name": "demo"})
    irsa.ServiceAccountRole(
        "s3-reader",
        {"oidc_provider_arn": oidc.arn, "namespace": "apps", "service_account": "s3-reader", "inline_policies": {}},
    )


def safe_pod_identity() -> None:
    irsa.PodIdentityAssociation("orders", {"cluster_name": "prod", "namespace": "shop", "service_account": "orders"})


# ---- the pack's core, directly --------------------------------------------------------------------------


def test_unknown_sentinels_become_unknowns_named_after_their_path():
    marked = mark_unknowns({"metadata": {"annotations": {"a": UNKNOWN_VALUE}}, "n": 1}, "sa")
    assert isinstance(marked["metadata"]["annotations"]["a"], Unknown)
    assert marked["metadata"]["annotations"]["a"] == "<unknown until apply: sa.metadata.annotations.a>"
    assert marked["n"] == 1


def test_a_finding_that_reads_an_unknown_waits_for_apply_and_a_clean_resource_is_not_flagged():
    role_urn = "urn:pulumi:dev::p::aws:iam/role:Role::api-role"
    resources = [
        stack_resource(
            role_urn,
            "aws:iam/role:Role",
            {"assumeRolePolicy": UNKNOWN_VALUE, "arn": "arn:aws:iam::123456789012:role/api-role"},
            None,
        ),
        stack_resource(
            "urn:pulumi:dev::p::aws:iam/rolePolicy:RolePolicy::p",
            "aws:iam/rolePolicy:RolePolicy",
            {
                "role": "api-role",
                "policy": json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}),
            },
            None,
        ),
    ]
    review = review_stack(resources)
    assert [(v.policy, v.resource, v.unknown) for v in review.violations] == [
        (UNKNOWN_POLICY, "api-role", ("api-role.assumeRolePolicy",))
    ]


def test_a_finding_computed_from_an_unknown_value_is_not_reported_as_a_finding():
    """An unknown token-expiration is no number, but nobody knows yet: IRSA009 waits for apply."""
    metadata = {
        "name": "api",
        "namespace": "apps",
        "annotations": {"eks.amazonaws.com/token-expiration": UNKNOWN_VALUE},
    }
    sa = stack_resource(
        "urn:pulumi:dev::p::kubernetes:core/v1:ServiceAccount::api",
        "kubernetes:core/v1:ServiceAccount",
        {"metadata": metadata},
        None,
    )
    (violation,) = review_stack([sa]).violations
    assert violation.finding is not None and violation.finding.id == "IRSA009"
    assert violation.policy == UNKNOWN_POLICY
    assert violation.message.startswith("IRSA009 cannot be checked until apply")
    assert "api.metadata.annotations.eks.amazonaws.com/token-expiration" in violation.message


def test_a_check_failing_on_an_unknown_leaves_that_resource_for_apply_and_still_reviews_the_others(monkeypatch):
    from irsa_components.review import policy_pack

    def fussy_find_issues(resources):
        found = []
        for resource in resources:
            value = resource.inputs.get("x")
            if isinstance(value, Unknown):
                raise TypeError("a check that cannot handle an unknown")
            if value == "bad":
                found.append(Finding("IRSA008", KINDS["IRSA008"].severity, resource.type, resource.name, "bad", "fix"))
        return found

    monkeypatch.setattr(policy_pack, "find_issues", fussy_find_issues)
    resources = [
        stack_resource(
            "urn:pulumi:dev::p::aws:iam/policy:Policy::a", "aws:iam/policy:Policy", {"x": UNKNOWN_VALUE}, None
        ),
        stack_resource("urn:pulumi:dev::p::aws:iam/policy:Policy::b", "aws:iam/policy:Policy", {"x": "bad"}, None),
    ]
    violations = review_stack(resources).violations
    assert sorted((v.policy, v.resource) for v in violations) == [("IRSA008", "b"), (UNKNOWN_POLICY, "a")]


def test_a_role_whose_arn_is_unknown_and_read_waits_for_apply():
    """Its account and the ServiceAccounts naming it are only known after apply."""
    role = stack_resource(
        "urn:pulumi:dev::p::aws:iam/role:Role::api-role",
        "aws:iam/role:Role",
        {"name": "fixed-role", "arn": UNKNOWN_VALUE, "assumeRolePolicy": trust("system:serviceaccount:apps:api")},
        None,
    )
    metadata = {
        "name": "api",
        "namespace": "apps",
        "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x"},
    }
    sa = stack_resource(
        "urn:pulumi:dev::p::kubernetes:core/v1:ServiceAccount::api",
        "kubernetes:core/v1:ServiceAccount",
        {"metadata": metadata},
        None,
    )
    violations = review_stack([role, sa]).violations
    assert [(v.policy, v.resource, v.unknown) for v in violations] == [(UNKNOWN_POLICY, "api-role", ("api-role.arn",))]


def test_levels_come_from_severity_then_per_id_overrides():
    levels = enforcement_levels()
    assert {levels[k] for k, kind in KINDS.items() if kind.severity.value == "high"} == {"mandatory"}
    assert {levels[k] for k, kind in KINDS.items() if kind.severity.value != "high"} == {"advisory"}
    assert levels[UNKNOWN_POLICY] == "advisory"
    changed = enforcement_levels({"medium": "mandatory"}, {"IRSA008": "disabled"})
    assert (changed["IRSA004"], changed["IRSA008"]) == ("mandatory", "disabled")
    with pytest.raises(ValueError, match="IRSA999"):
        enforcement_levels(overrides={"IRSA999": "mandatory"})
    with pytest.raises(ValueError, match="one of"):
        enforcement_levels({"high": "blocking"})


def test_every_policy_has_its_level_in_the_pack_and_in_its_initial_config():
    pack = pack_definition()
    assert {p.name for p in pack.policies} == {*KINDS, UNKNOWN_POLICY}
    assert all(p.enforcement_level is not None for p in pack.policies)
    assert {name: level.value for name, level in pack.initial_config.items()} == enforcement_levels()


def test_suppressions_are_plans_and_need_an_id_a_resource_and_a_reason():
    ignore = '[{"id": "IRSA005", "resource": "api-role", "reason": "CI runner"}]'
    assert suppressions_from_config({"irsa:ignore": ignore}) == [Suppression("IRSA005", "api-role", "CI runner")]
    with pytest.raises(GateConfigError, match="reason"):
        suppressions_from_config({"irsa:ignore": '[{"id": "IRSA005", "resource": "api-role"}]'})


# ---- through the servicer, as the engine runs the pack ----------------------------------------------------


def wildcard_trust_and_admin_policy() -> None:
    """High and medium findings together: a literal wildcard in the trust, Action "*" in a policy."""
    wildcard_under_string_equals()
    admin_inline_policy_on("other-role")


def expected(program: Callable[[], Any], levels: Mapping[str, str] | None = None) -> set[tuple[str, str, str]]:
    """What the pack must report: each finding of plan, at its id's level."""
    levels = levels or enforcement_levels()
    return {(f.id, levels[f.id], f.resource) for f in find_issues(run_program(program).resources)}


def test_a_high_finding_is_mandatory_and_a_medium_one_advisory():
    want = expected(wildcard_trust_and_admin_policy)
    assert {level for _, level, _ in want} == {"mandatory", "advisory"}
    assert ("IRSA003", "mandatory", "api-role") in want
    assert levels_of(analyze(wildcard_trust_and_admin_policy)) == want


def test_a_service_account_whose_role_does_not_trust_it_is_mandatory():
    assert levels_of(analyze(annotated_with_a_role_that_does_not_trust_it)) == {("IRSA001", "mandatory", "apps-api")}


def test_each_message_carries_the_finding_id_resource_message_and_fix():
    found = analyze(admin_inline_policy)
    plan = find_issues(run_program(admin_inline_policy).resources)
    assert len(found) == len(plan) >= 1
    for finding in plan:
        (diagnostic,) = [d for d in found if d.policy == finding.id and d.resource == finding.resource]
        where = f"{finding.resource_type} {finding.resource}"
        assert f"\n{finding.id} {where}: " in diagnostic.message
        assert diagnostic.message.endswith(f". Fix: {finding.fix}")
        # The pack names a policy by its physical name (an output the engine gives); plan by its input, if any.
        assert finding.message.split(": ", 1)[1] in diagnostic.message


@pytest.mark.parametrize("program", [safe_components, safe_pod_identity], ids=lambda p: p.__name__)
def test_safe_programs_pass(program):
    assert analyze(program) == []


def test_per_id_configuration_changes_one_finding_level():
    medium = next(i for i, level, _ in expected(wildcard_trust_and_admin_policy) if level == "advisory")
    servicer = configured_servicer({medium: "mandatory", "IRSA003": {"enforcementLevel": "disabled"}})
    levels = {**enforcement_levels(), medium: "mandatory"}
    want = {e for e in expected(wildcard_trust_and_admin_policy, levels) if e[0] != "IRSA003"}
    assert levels_of(analyze(wildcard_trust_and_admin_policy, servicer=servicer)) == want
    assert (medium, "mandatory") in {(i, level) for i, level, _ in want}


def test_severity_levels_change_every_finding_of_that_severity():
    servicer = configured_servicer(severity_levels={"medium": "mandatory"})
    found = analyze(wildcard_trust_and_admin_policy, servicer=servicer)
    assert levels_of(found) == expected(wildcard_trust_and_admin_policy, enforcement_levels({"medium": "mandatory"}))
    assert {d.level for d in found} == {"mandatory"}


def test_all_advisory_in_the_user_config_lowers_every_policy():
    servicer = configured_servicer({"all": "advisory"})
    assert {d.level for d in analyze(wildcard_under_string_equals, servicer=servicer)} == {"advisory"}


def test_an_initial_config_naming_a_policy_without_a_level_would_make_it_advisory():
    """Why the pack names every policy with its level: the engine reads a missing level as advisory."""
    careless = configured_servicer(initial_config={"IRSA003": {"note": "no level given"}})
    assert ("IRSA003", "advisory", "api-role") in levels_of(analyze(wildcard_under_string_equals, servicer=careless))
    assert ("IRSA003", "mandatory", "api-role") in levels_of(analyze(wildcard_under_string_equals))


def test_a_suppression_in_the_stack_config_silences_exactly_that_finding():
    ignore = [{"id": "IRSA003", "resource": "api-role", "reason": "migration, ticket SEC-12"}]
    found = analyze(wildcard_trust_and_admin_policy, stack_config={"irsa:ignore": json.dumps(ignore)})
    want = expected(wildcard_trust_and_admin_policy) - {("IRSA003", "mandatory", "api-role")}
    assert levels_of(found) == want != set()


def test_a_suppression_without_a_reason_fails_the_analysis():
    ignore = [{"id": "IRSA003", "resource": "api-role"}]
    with pytest.raises(GateConfigError, match="reason"):
        analyze(wildcard_under_string_equals, stack_config={"irsa:ignore": json.dumps(ignore)})


# ---- preview: unknown values are never taken as safe --------------------------------------------------------


def test_in_preview_a_dangerous_trust_known_before_apply_is_still_mandatory():
    found = analyze(wildcard_under_string_equals, preview=True)
    assert ("IRSA003", "mandatory", "api-role") in levels_of(found)


def test_in_preview_a_trust_unknown_until_apply_cannot_be_checked_and_after_apply_is_mandatory():
    in_preview = analyze(dangerous_trust_built_from_the_provider, preview=True)
    assert levels_of(in_preview) == {(UNKNOWN_POLICY, "advisory", "api-role")}
    assert "api-role.assumeRolePolicy" in in_preview[0].message
    assert "cannot be checked until apply" in in_preview[0].message
    assert ("IRSA003", "mandatory", "api-role") in levels_of(analyze(dangerous_trust_built_from_the_provider))


def test_in_preview_a_service_account_annotated_with_an_unknown_role_cannot_be_checked():
    found = analyze(annotated_with_a_role_that_does_not_trust_it, preview=True)
    assert ("IRSA001", "mandatory", "apps-api") not in levels_of(found)
    assert (UNKNOWN_POLICY, "advisory", "apps-api") in levels_of(found)
    assert {d.level for d in found} == {"advisory"}


def test_in_preview_the_safe_components_give_nothing_mandatory_and_say_what_waits_for_apply():
    found = analyze(safe_components, preview=True)
    assert {d.level for d in found} <= {"advisory"}
    assert {d.policy for d in found} <= {UNKNOWN_POLICY}
    assert "s3-reader-role" in {d.resource for d in found}  # its trust is built from the provider's ARN


# ---- the same findings as plan --------------------------------------------------------------------------------


def plan_findings(result: ProgramResult) -> set[tuple[str, str]]:
    # IRSA010 needs the certificate chain the program looked up: a policy pack sees resources, not invokes.
    return {(f.id, f.resource) for f in find_issues(result.resources) if f.id != "IRSA010"}


PROGRAMS = [
    wildcard_under_string_equals,
    wildcard_trust_and_admin_policy,
    annotated_with_a_role_that_does_not_trust_it,
    admin_inline_policy,
    dangerous_trust_built_from_the_provider,
    safe_components,
    safe_pod_identity,
]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_the_pack_finds_what_plan_finds(program):
    result = run_program(program)
    assert {(d.policy, d.resource) for d in analyze(result)} == plan_findings(result)


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_the_pack_finds_what_plan_finds_in_the_examples(folder):
    _, result = run_folder(folder)
    assert {(d.policy, d.resource) for d in analyze(result)} == plan_findings(result)


# ---- the labelled corpus of the reviewer (tests/review_corpus) ------------------------------------------------


def plan_of_case(result: ProgramResult) -> list[Finding]:
    return find_issues(result.resources, certificate_chains=certificate_chains(result))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_corpus_case_gives_through_the_pack_what_plan_gives_at_its_level(case: Case):
    result = run_program(case.program)
    plan = [f for f in plan_of_case(result) if f.id != "IRSA010"]  # needs the looked-up chain: plan only
    levels = enforcement_levels()
    found = analyze(result)
    assert levels_of(found) == {(f.id, levels[f.id], f.resource) for f in plan}
    if case.dangerous:
        assert set(case.must_report) - {"IRSA010"} <= {d.policy for d in found}
        if case.min_severity is Severity.HIGH:
            assert "mandatory" in {d.level for d in found}, "a high-severity danger must block"
    else:
        assert case.forbid is not None
        assert not [d for d in found if KINDS[d.policy].severity.at_least(case.forbid)]
        assert "mandatory" not in {d.level for d in found}, "a safe program must pass the pack"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_in_a_preview_no_corpus_danger_passes_unseen_and_no_safe_case_blocks(case: Case):
    """In a preview, a dangerous case's findings are reported, or their resources wait for apply."""
    plan = {(f.id, f.resource) for f in plan_of_case(run_program(case.program)) if f.id != "IRSA010"}
    found = analyze(case.program, preview=True)
    waiting = {d.resource for d in found if d.policy == UNKNOWN_POLICY}
    reported = {(d.policy, d.resource) for d in found}
    unseen = {(i, r) for i, r in plan if (i, r) not in reported and r not in waiting}
    assert unseen == set(), f"dangers passed in preview without a word: {unseen}"
    if not case.dangerous:
        assert "mandatory" not in {d.level for d in found}


# ---- the policy-pack folder, served as the CLI serves it --------------------------------------------------


@pytest.fixture(scope="module")
def served_pack() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "policy-pack")],
        cwd=ROOT / "policy-pack",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[bytes] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline() if process.stdout else b""))
    reader.start()
    reader.join(60)
    try:
        assert lines and lines[0].strip().isdigit(), f"no port printed: {lines!r}"
        channel = grpc.insecure_channel(f"127.0.0.1:{int(lines[0])}")
        yield analyzer_pb2_grpc.AnalyzerStub(channel)
        channel.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_policy_pack_folder_serves_the_pack_with_every_level_explicit(served_pack):
    info = served_pack.GetAnalyzerInfo(empty_pb2.Empty(), timeout=30)
    levels = {p.name: LEVEL_NAMES[p.enforcementLevel] for p in info.policies}
    assert levels == enforcement_levels()
    assert {k: LEVEL_NAMES[v.enforcementLevel] for k, v in info.initialConfig.items()} == levels
    assert (ROOT / "policy-pack/requirements.txt").read_text().count("pulumi-policy") == 1


def test_the_policy_pack_folder_flags_a_dangerous_stack_over_grpc(served_pack):
    request = analyze_stack_request(run_program(wildcard_trust_and_admin_policy).resources)
    found = diagnostics(served_pack.AnalyzeStack(request, timeout=30))
    assert levels_of(found) == expected(wildcard_trust_and_admin_policy)
    assert ("IRSA003", "mandatory", "api-role") in levels_of(found)
