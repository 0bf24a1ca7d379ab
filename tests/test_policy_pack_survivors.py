"""The policy pack's own logic (``review.policy_pack``), pinned where the mutation run of ``policy_pack.py`` found it
unspecified: which unknown values a check reads (through ``get``, ``[]``, ``values``, ``items``, list items and
slices), how each violation is worded and which policy reports it, a check that fails for another reason than an
unknown, suppressions, a second evaluation that cannot run, the enforcement levels, one review per stack, and where
the engine's unknown sentinel goes in an ``AnalyzeStackRequest``.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from irsa_components.review import policy_pack
from irsa_components.review.findings import KINDS, Finding, Severity
from irsa_components.review.gate import Suppression
from irsa_components.review.policy_pack import (
    UNKNOWN_POLICY,
    UNKNOWN_VALUE,
    StackResource,
    StackReview,
    Unknown,
    UnknownReads,
    Violation,
    analyze_stack_request,
    enforcement_levels,
    mark_unknowns,
    review_stack,
    stack_resource,
)

POLICY_TYPE = "aws:iam/policy:Policy"
ADMIN = json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


def urn(name: str, type_: str = POLICY_TYPE) -> str:
    return f"urn:pulumi:dev::p::{type_}::{name}"


def policy(name: str, **properties: Any) -> StackResource:
    return stack_resource(urn(name), POLICY_TYPE, {"name": name, **properties}, None)


# ---- unknown values and what reads them ---------------------------------------------------------------------


def test_unknowns_in_lists_are_named_by_their_index():
    marked = mark_unknowns({"a": [1, UNKNOWN_VALUE], "b": (UNKNOWN_VALUE,)}, "r")
    assert marked == {"a": [1, "<unknown until apply: r.a[1]>"], "b": ["<unknown until apply: r.b[0]>"]}
    assert isinstance(marked["a"][1], Unknown) and not isinstance(marked["a"][0], Unknown)


@pytest.mark.parametrize(
    "read",
    [
        lambda p: p["tags"],
        lambda p: p.get("tags"),
        lambda p: list(p.values()),
        lambda p: list(p.items()),
        lambda p: p["list"][1],
        lambda p: p["list"][0:2],
        lambda p: list(p["list"]),
        lambda p: p["nested"]["deep"],
    ],
    ids=["item", "get", "values", "items", "list-item", "list-slice", "list-iter", "nested"],
)
def test_every_way_of_reading_an_unknown_is_noted(read):
    resource = stack_resource(
        urn("r"),
        POLICY_TYPE,
        {"tags": UNKNOWN_VALUE, "list": ["known", UNKNOWN_VALUE], "nested": {"deep": UNKNOWN_VALUE}},
        None,
    )
    read(resource.inputs)
    assert resource.reads.by_urn[urn("r")]


def test_reading_known_values_notes_nothing_and_gives_them_back():
    resource = stack_resource(urn("r"), POLICY_TYPE, {"list": ["a", "b", "c"], "tags": {"k": "v"}}, None)
    assert resource.inputs["list"][0:2] == ["a", "b"]
    assert resource.inputs["list"][2] == "c"
    assert dict(resource.inputs.items())["tags"] == {"k": "v"}
    assert list(resource.inputs.values())[1] == {"k": "v"}
    assert resource.reads.by_urn == {}


def test_each_unknown_read_is_noted_once_by_its_path():
    reads = UnknownReads()
    value = Unknown("<unknown until apply: r.arn>")
    reads.note("urn", value)
    reads.note("urn", value)
    assert reads.by_urn == {"urn": ["r.arn"]}


def test_a_resource_is_named_by_the_last_part_of_its_urn_and_has_no_empty_parent():
    resource = stack_resource(urn("my-policy"), POLICY_TYPE, {}, "")
    assert (resource.name, resource.parent) == ("my-policy", None)


# ---- violations -----------------------------------------------------------------------------------------------

FINDING = Finding("IRSA008", Severity.MEDIUM, POLICY_TYPE, "admin", "policy admin: broad", "narrow it")


def test_a_settled_violation_is_reported_by_its_finding_id():
    violation = Violation(FINDING, urn("admin"), POLICY_TYPE, "admin")
    assert violation.policy == "IRSA008"
    assert violation.message == f"IRSA008 {POLICY_TYPE} admin: policy admin: broad. Fix: narrow it"


def test_a_violation_waiting_for_apply_is_reported_by_the_unknown_policy():
    violation = Violation(FINDING, urn("admin"), POLICY_TYPE, "admin", ("admin.policy", "admin.name"))
    assert violation.policy == UNKNOWN_POLICY
    assert violation.message == (
        "IRSA008 cannot be checked until apply (it depends on admin.policy, admin.name, unknown before apply); "
        f"with the values seen in preview: IRSA008 {POLICY_TYPE} admin: policy admin: broad. Fix: narrow it"
    )


def test_a_resource_waiting_for_apply_names_what_it_reads():
    violation = Violation(None, urn("admin"), POLICY_TYPE, "admin", ("admin.policy",))
    assert violation.policy == UNKNOWN_POLICY
    assert violation.message == (
        f"{POLICY_TYPE} admin cannot be checked until apply: the review reads admin.policy, unknown before apply"
    )


def test_a_review_lists_the_violations_of_one_policy():
    settled = Violation(FINDING, urn("a"), POLICY_TYPE, "a")
    waiting = Violation(None, urn("b"), POLICY_TYPE, "b", ("b.policy",))
    review = StackReview([settled, waiting], [])
    assert review.of_policy("IRSA008") == [settled]
    assert review.of_policy(UNKNOWN_POLICY) == [waiting]
    assert review.of_policy("IRSA017") == []


# ---- the review of a stack -------------------------------------------------------------------------------------


def test_a_known_admin_policy_gives_settled_violations():
    violations = review_stack([policy("admin", policy=ADMIN)]).violations
    assert sorted((v.policy, v.urn, v.unknown) for v in violations) == [
        ("IRSA008", urn("admin"), ()),
        ("IRSA017", urn("admin"), ()),
    ]


def test_a_suppressed_finding_is_kept_with_its_rule_and_not_reported():
    rule = Suppression("IRSA008", "adm*", "break-glass policy")
    review = review_stack([policy("admin", policy=ADMIN)], [rule])
    assert [v.policy for v in review.violations] == ["IRSA017"]
    assert [(f.id, s) for f, s in review.suppressed] == [("IRSA008", rule)]


def test_a_check_failing_without_reading_an_unknown_is_an_error(monkeypatch):
    def broken(resources: Any) -> list[Finding]:
        raise RuntimeError("a bug in a check")

    monkeypatch.setattr(policy_pack, "find_issues", broken)
    with pytest.raises(RuntimeError, match="a bug in a check"):
        review_stack([policy("admin", policy=ADMIN)])


def test_when_the_second_guess_cannot_run_only_findings_of_resources_with_unknowns_wait(monkeypatch):
    calls = []

    def first_run_only(resources: Any) -> list[Finding]:
        calls.append(resources)
        if len(calls) > 1:
            raise RuntimeError("cannot run on a guess")
        for resource in resources:
            resource.inputs.get("policy")
        return [
            Finding("IRSA008", Severity.MEDIUM, POLICY_TYPE, "known", "m", "f"),
            Finding("IRSA008", Severity.MEDIUM, POLICY_TYPE, "unknown", "m", "f"),
        ]

    monkeypatch.setattr(policy_pack, "find_issues", first_run_only)
    violations = review_stack([policy("known", policy=ADMIN), policy("unknown", policy=UNKNOWN_VALUE)]).violations
    assert [(v.resource, v.policy, v.unknown) for v in violations] == [
        ("known", "IRSA008", ()),
        ("unknown", UNKNOWN_POLICY, ("unknown.policy",)),
    ]


def test_a_finding_that_reads_no_unknown_is_settled_while_the_resource_that_reads_one_waits():
    metadata = {"name": "api", "namespace": "apps", "annotations": {"eks.amazonaws.com/token-expiration": "x"}}
    sa = stack_resource(
        urn("api", "kubernetes:core/v1:ServiceAccount"),
        "kubernetes:core/v1:ServiceAccount",
        {"metadata": metadata},
        None,
    )
    other = policy("p", policy=UNKNOWN_VALUE)
    violations = review_stack([sa, other]).violations
    assert [(v.resource, v.policy, v.unknown) for v in violations] == [
        ("api", "IRSA009", ()),
        ("p", UNKNOWN_POLICY, ("p.policy",)),
    ]


# ---- enforcement levels ----------------------------------------------------------------------------------------


def test_default_levels_follow_severity():
    levels = enforcement_levels()
    assert (levels["IRSA001"], levels["IRSA005"], levels["IRSA007"], levels[UNKNOWN_POLICY]) == (
        "mandatory",
        "advisory",
        "advisory",
        "advisory",
    )
    assert set(levels) == {*KINDS, UNKNOWN_POLICY}


def test_the_unknown_policy_level_can_be_overridden_and_low_raised():
    levels = enforcement_levels({"low": "mandatory"}, {UNKNOWN_POLICY: "mandatory"})
    assert (levels["IRSA007"], levels["IRSA005"], levels[UNKNOWN_POLICY]) == ("mandatory", "advisory", "mandatory")


@pytest.mark.parametrize("level", ["advisory", "mandatory", "disabled"])
def test_every_stack_policy_level_is_accepted(level):
    assert enforcement_levels(overrides={"IRSA008": level})["IRSA008"] == level


def test_remediate_is_not_a_stack_policy_level():
    with pytest.raises(ValueError, match="enforcement levels must be one of advisory, mandatory, disabled"):
        enforcement_levels(overrides={"IRSA008": "remediate"})


# ---- one review per stack ----------------------------------------------------------------------------------------


def test_every_policy_of_the_pack_shares_one_review_per_stack(monkeypatch):
    reviews = []

    def counting(resources: Any, suppressions: Any) -> StackReview:
        reviews.append(resources)
        return StackReview([], [])

    monkeypatch.setattr(policy_pack, "review_stack", counting)
    cached = policy_pack._CachedReview()
    one = [policy("a", policy=ADMIN)]
    assert cached(one, []) is cached(one, [])
    cached([policy("b", policy=ADMIN)], [])
    cached(one, [Suppression("IRSA008", "a", "why")])
    assert len(reviews) == 3


# ---- what the engine sends -----------------------------------------------------------------------------------------


def test_unknown_paths_are_sent_as_the_engine_sentinel():
    properties = {"tags": {"a": "1"}, "list": ["x", "y"], "id": "known-id"}
    paths = [("tags", "b"), ("list", "1"), ("new", "deep"), ("id",), (), ("list", "7"), ("list", "0", "k")]
    assert policy_pack._with_unknowns(properties, paths) == {
        "tags": {"a": "1", "b": UNKNOWN_VALUE},
        "list": ["x", UNKNOWN_VALUE],
        "id": "known-id",
        "new": {"deep": UNKNOWN_VALUE},
    }


def test_the_request_holds_the_stack_then_every_resource_under_it():
    recorded = SimpleNamespace(
        type=POLICY_TYPE,
        urn=urn("p"),
        name="p",
        parent=None,
        dependencies=[],
        property_dependencies={},
        outputs={"name": "p", "arn": "arn:aws:iam::1:policy/p"},
        unknowns=[("arn",)],
    )
    request = analyze_stack_request([recorded], project="proj", stack="prod")
    stack, resource = request.resources
    assert (stack.type, stack.urn) == ("pulumi:pulumi:Stack", "urn:pulumi:prod::proj::pulumi:pulumi:Stack::proj-prod")
    assert (resource.urn, resource.parent) == (urn("p"), stack.urn)
    assert dict(resource.properties) == {"name": "p", "arn": UNKNOWN_VALUE}
    assert recorded.outputs["arn"] == "arn:aws:iam::1:policy/p"


@pytest.mark.parametrize(
    "sentinel",
    [
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    ],
    ids=["boolean", "number", "string", "array", "asset", "archive", "object"],
)
def test_every_unknown_sentinel_of_the_engine_is_an_unknown(sentinel):
    # pulumi sdk/go/common/resource/plugin/rpc.go: how each kind of unknown value travels in a property map
    assert isinstance(mark_unknowns({"v": sentinel}, "r")["v"], Unknown)


def test_a_resource_keeps_its_parent():
    parent = "urn:pulumi:dev::p::irsa:index:ServiceAccountRole::app"
    assert stack_resource(urn("r"), POLICY_TYPE, {}, parent).parent == parent


def test_two_records_of_one_resource_are_equal_whatever_was_read_from_them():
    one, two = (
        stack_resource(urn("r"), POLICY_TYPE, {"a": UNKNOWN_VALUE}, None),
        stack_resource(urn("r"), POLICY_TYPE, {"a": UNKNOWN_VALUE}, None),
    )
    one.inputs.get("a")
    assert one == two


def test_an_unknown_path_one_past_the_end_of_a_list_is_ignored():
    properties = {"list": ["x", "y"]}
    assert policy_pack._with_unknowns(properties, [("list", "2"), ("list", "2", "k")]) == {"list": ["x", "y"]}


def test_an_unknown_path_through_a_list_by_name_is_ignored():
    assert policy_pack._with_unknowns({"list": ["x"]}, [("list", "k"), ("list", "k", "j")]) == {"list": ["x"]}


def test_a_violation_without_a_finding_is_reported_by_the_unknown_policy():
    assert Violation(None, urn("r"), POLICY_TYPE, "r").policy == UNKNOWN_POLICY


def test_a_finding_only_the_placeholder_gives_waits_for_apply(monkeypatch):
    def placeholder_only(resources: Any) -> list[Finding]:
        found = []
        for resource in resources:
            value = resource.inputs.get("policy")
            if value != "{}":
                found.append(Finding("IRSA008", Severity.MEDIUM, POLICY_TYPE, resource.name, "broad", "fix"))
        return found

    monkeypatch.setattr(policy_pack, "find_issues", placeholder_only)
    (violation,) = review_stack([policy("p", policy=UNKNOWN_VALUE)]).violations
    assert (violation.policy, violation.unknown) == (UNKNOWN_POLICY, ("p.policy",))


def test_a_violation_of_no_known_resource_is_reported_against_the_stack(monkeypatch):
    monkeypatch.setattr(policy_pack, "stack_suppressions", lambda: [])
    violation = Violation(FINDING, "", POLICY_TYPE, "gone")
    validate = policy_pack._validate("IRSA008", lambda resources, suppressions: StackReview([violation], []))
    reported = []
    validate(SimpleNamespace(resources=[]), lambda message, urn: reported.append((message, urn)))
    assert reported == [(violation.message, None)]


def test_the_request_keeps_each_resource_under_its_own_parent():
    parent = "urn:pulumi:dev::p::irsa:index:ServiceAccountRole::app"
    recorded = SimpleNamespace(
        type=POLICY_TYPE,
        urn=urn("p"),
        name="p",
        parent=parent,
        dependencies=[],
        property_dependencies={},
        outputs={"name": "p"},
        unknowns=[],
    )
    (_, resource) = analyze_stack_request([recorded]).resources
    assert resource.parent == parent


def test_a_finding_on_a_resource_that_read_no_unknown_waits_on_the_unknowns_others_read(monkeypatch):
    def cross_resource(resources: Any) -> list[Finding]:
        by_name = {r.name: r for r in resources}
        if by_name["a"].inputs.get("policy") != "{}":
            return [Finding("IRSA008", Severity.MEDIUM, POLICY_TYPE, "b", "broad", "fix")]
        return []

    monkeypatch.setattr(policy_pack, "find_issues", cross_resource)
    violations = review_stack([policy("a", policy=UNKNOWN_VALUE), policy("b", policy=ADMIN)]).violations
    assert [(v.resource, v.policy, v.unknown) for v in violations] == [
        ("b", UNKNOWN_POLICY, ("a.policy",)),
        ("a", UNKNOWN_POLICY, ("a.policy",)),
    ]


def test_an_unknown_map_entry_named_by_a_number_stays_a_text_key():
    assert policy_pack._with_unknowns({"tags": {"0": "x"}}, [("tags", "0")]) == {"tags": {"0": UNKNOWN_VALUE}}
