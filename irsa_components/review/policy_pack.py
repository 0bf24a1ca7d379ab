"""The reviewer's findings as a Pulumi policy pack (CrossGuard), for every stack whatever language created it.

A policy pack sees what the engine gives it: each resource's type, URN, parent and one property map
(camelCase; during a preview, values not known before apply are unknown). This module turns those into
the reviewer's ``Resource`` records and runs the same ``find_issues`` as ``plan``; there is no second
implementation of any check. What it adds is what only a pack needs:

- **Unknown values are never taken as safe.** Every property value is read through a view that notes each
  unknown value the checks read, and the checks run twice, each unknown taken to be a placeholder, then
  something else. A finding that changes between the two (or quotes a placeholder), and every resource whose
  unknowns were read, are reported by the advisory policy ``irsa-unknown-until-apply`` ("cannot be checked
  until apply") instead of passing or failing on a guess; a finding that holds whatever the unknowns turn out
  to be keeps its level. Stack policies run again on the final outputs after ``pulumi up``, where every value
  is known.
- **One policy per finding id**, so each id gets its own enforcement level: by default from its severity
  (``high: mandatory``, ``medium``/``low: advisory``), overridden per id in the pack's configuration.
- **Explicit levels everywhere.** Each policy carries its level and the pack's initial configuration names
  every policy *with* its level: the engine reads a policy named in the initial configuration without a level
  as advisory (``enforcementLevel`` 0 in the protocol) and would silently lower mandatory ones.
- **The same suppressions as plan** (``irsa_components.review.gate``: finding id + resource + reason), from the
  stack's ``irsa:ignore`` config.

``policy-pack/__main__.py`` only calls ``serve_policy_pack``. ``pulumi_policy`` is imported lazily, by the
functions that build and serve the pack: the package itself does not depend on it.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, SupportsIndex, overload

from irsa_components.review.findings import KINDS, Finding, Severity, find_issues
from irsa_components.review.gate import IGNORE_KEY, Suppression, suppressions_from_config

if TYPE_CHECKING:
    from pulumi_policy import PolicyPack, ReportViolation, StackValidationArgs, StackValidationPolicy

    from irsa_components.testing import RegisteredResource as RecordedResource

PACK_NAME = "irsa-components"
UNKNOWN_POLICY = "irsa-unknown-until-apply"
"""The policy reporting what cannot be checked before apply."""

UNKNOWN_SENTINELS = frozenset(
    {
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
        "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string (what the engine sends for any computed value)
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
        "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
        "e48ece36-62e2-4504-bad9-02848725956a",  # archive
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
    }
)
"""How an unknown value travels in a property map (pulumi sdk/go/common/resource/plugin/rpc.go)."""

LEVELS = ("advisory", "mandatory", "disabled")
"""Enforcement levels a stack policy can have (``remediate`` is for resource policies)."""
DEFAULT_SEVERITY_LEVELS: Mapping[str, str] = {
    Severity.HIGH.value: "mandatory",
    Severity.MEDIUM.value: "advisory",
    Severity.LOW.value: "advisory",
}
"""Level of each finding id by default, from its severity: only what is broken blocks a deployment."""


# ---- property maps as the reviewer's resources --------------------------------------------------------


class Unknown(str):
    """A value the engine does not know before apply.

    A ``str`` so that the checks' string handling runs on it, with a text naming the resource and property,
    so that no two unknowns compare equal (two unknown role ARNs are not the same role).
    """

    __slots__ = ()


def mark_unknowns(value: Any, where: str) -> Any:
    """``value`` with the engine's unknown sentinels replaced by ``Unknown``s named after their path."""
    if isinstance(value, str) and value in UNKNOWN_SENTINELS:
        return Unknown(f"<unknown until apply: {where}>")
    if isinstance(value, Mapping):
        return {k: mark_unknowns(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mark_unknowns(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


class UnknownReads:
    """Which unknown values the checks read, by resource URN (outputs too: a role's ARN unknown in a preview
    leaves which account the role is in, and which ServiceAccounts name it, to apply)."""

    def __init__(self) -> None:
        self.by_urn: dict[str, list[str]] = {}

    def note(self, urn: str, value: Unknown) -> None:
        paths = self.by_urn.setdefault(urn, [])
        path = value.removeprefix("<unknown until apply: ").removesuffix(">")
        if path not in paths:
            paths.append(path)


@dataclass(frozen=True)
class _Watch:
    urn: str
    reads: UnknownReads

    def __call__(self, value: Any) -> Any:
        if isinstance(value, Unknown):
            self.reads.note(self.urn, value)
            return value
        if isinstance(value, dict) and not isinstance(value, _WatchedDict):
            return _WatchedDict(value, self)
        if isinstance(value, list) and not isinstance(value, _WatchedList):
            return _WatchedList(value, self)
        return value


class _WatchedDict(dict[str, Any]):
    """A property map noting each unknown value read from it (a dict, so ``isinstance`` checks still hold)."""

    def __init__(self, data: Mapping[str, Any], watch: _Watch) -> None:
        super().__init__(data)
        self._watch = watch

    def __getitem__(self, key: str) -> Any:
        return self._watch(super().__getitem__(key))

    def get(self, key: str, default: Any = None) -> Any:
        return self._watch(super().get(key, default))

    def values(self) -> Any:
        return [self._watch(v) for v in super().values()]

    def items(self) -> Any:
        return [(k, self._watch(v)) for k, v in super().items()]


class _WatchedList(list[Any]):
    """A property list noting each unknown value read from it."""

    def __init__(self, data: Iterable[Any], watch: _Watch) -> None:
        super().__init__(data)
        self._watch = watch

    @overload
    def __getitem__(self, index: SupportsIndex) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: SupportsIndex | slice) -> Any:
        item = super().__getitem__(index)
        if isinstance(index, slice):
            return [self._watch(v) for v in item]
        return self._watch(item)

    def __iter__(self) -> Iterator[Any]:
        return (self._watch(v) for v in super().__iter__())


@dataclass(frozen=True)
class StackResource:
    """One resource as the engine gives it to a policy pack, in the shape ``find_issues`` reads.

    The engine gives one property map (the resource's outputs, which hold its inputs under the same camelCase
    names): it serves as both ``inputs`` and ``outputs``.
    """

    urn: str
    type: str
    properties: Mapping[str, Any]
    """camelCase properties, unknowns as ``Unknown``."""
    parent: str | None = None
    reads: UnknownReads = field(default_factory=UnknownReads, compare=False, repr=False)

    @property
    def name(self) -> str:
        """The logical name: the URN's last part."""
        return self.urn.rsplit("::", 1)[-1]

    @property
    def inputs(self) -> Mapping[str, Any]:
        return _WatchedDict(self.properties, _Watch(self.urn, self.reads))

    @property
    def outputs(self) -> Mapping[str, Any]:
        return self.inputs


def stack_resource(
    urn: str, type_: str, properties: Mapping[str, Any], parent: str | None, reads: UnknownReads | None = None
) -> StackResource:
    """A ``StackResource`` from the engine's raw property map (unknown sentinels included)."""
    name = urn.rsplit("::", 1)[-1]
    marked = {k: mark_unknowns(v, f"{name}.{k}") for k, v in properties.items()}
    return StackResource(urn, type_, marked, parent or None, reads if reads is not None else UnknownReads())


# ---- the review of a stack ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """A finding the pack reports: against which resource, and whether it is settled or waits for apply."""

    finding: Finding | None
    """None for a resource whose review reads values unknown until apply (it may have settled findings too)."""
    urn: str
    resource_type: str
    resource: str
    unknown: tuple[str, ...] = ()
    """The unknown values the checks read on this resource; empty when the verdict is settled."""

    @property
    def policy(self) -> str:
        """The policy reporting it: the finding's id, or the unknown-until-apply policy."""
        return UNKNOWN_POLICY if self.unknown or self.finding is None else self.finding.id

    @property
    def message(self) -> str:
        """Finding id, resource, message and fix, in one line."""
        where = f"{self.resource_type} {self.resource}"
        if self.finding is None:
            return f"{where} cannot be checked until apply: the review reads {', '.join(self.unknown)}, unknown before apply"
        text = f"{self.finding.id} {where}: {self.finding.message}. Fix: {self.finding.fix}"
        if self.unknown:
            return (
                f"{self.finding.id} cannot be checked until apply (it depends on {', '.join(self.unknown)}, "
                f"unknown before apply); with the values seen in preview: {text}"
            )
        return text


@dataclass(frozen=True)
class StackReview:
    """Every violation of a stack, and the findings suppressed (with their reason)."""

    violations: list[Violation]
    suppressed: list[tuple[Finding, Suppression]]

    def of_policy(self, policy: str) -> list[Violation]:
        return [v for v in self.violations if v.policy == policy]


def _find_issues(watched: Sequence[StackResource], reads: UnknownReads) -> list[Finding]:
    """``find_issues``; if a check fails on an unknown placeholder, again without the resources whose unknowns
    were read (they wait for apply), so that the findings of every other resource still come out."""
    left_out: set[str] = set()
    while True:
        try:
            return find_issues([r for r in watched if r.urn not in left_out])
        except Exception:
            newly = set(reads.by_urn) - left_out
            if not newly:
                raise
            left_out |= newly


SECOND_GUESS = Unknown("{}")
"""What every unknown value is taken to be in the second evaluation: another text, and a JSON document."""
PLACEHOLDER = "<unknown until apply: "


def _second_guess(value: Any) -> Any:
    if isinstance(value, Unknown):
        return SECOND_GUESS
    if isinstance(value, Mapping):
        return {k: _second_guess(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_second_guess(v) for v in value]
    return value


def _stable_findings(resources: Sequence[StackResource]) -> set[tuple[str, str, str, str]] | None:
    """The findings given when every unknown is taken to be something else; None if the checks cannot run so."""
    guessed = [StackResource(r.urn, r.type, _second_guess(r.properties), r.parent) for r in resources]
    try:
        return {(f.id, f.resource_type, f.resource, f.message) for f in find_issues(guessed)}
    except Exception:
        return None


def review_stack(resources: Sequence[StackResource], suppressions: Sequence[Suppression] = ()) -> StackReview:
    """``find_issues`` over the stack's resources, each verdict settled or waiting for unknown values.

    A finding is settled when it does not depend on an unknown value: the checks give it, word for word, both
    with each unknown as a placeholder and with each unknown taken to be something else, and its message quotes
    no placeholder. Any other finding "cannot be checked until apply", and so does every resource whose unknown
    values the checks read.
    """
    reads = UnknownReads()
    findings = _find_issues([StackResource(r.urn, r.type, r.properties, r.parent, reads) for r in resources], reads)
    stable = _stable_findings(resources) if reads.by_urn else None
    every_read = tuple(dict.fromkeys(path for paths in reads.by_urn.values() for path in paths))
    by_name = {(r.type, r.name): r for r in resources}
    violations, suppressed, waiting = [], [], set()
    for finding in findings:
        owner = by_name.get((finding.resource_type, finding.resource))
        urn = owner.urn if owner else ""
        rule = next((s for s in suppressions if s.matches(finding.to_dict())), None)
        if rule is not None:
            suppressed.append((finding, rule))
            continue
        if not reads.by_urn:
            settled = True
        elif stable is None:
            settled = urn not in reads.by_urn
        else:
            key = (finding.id, finding.resource_type, finding.resource, finding.message)
            settled = key in stable and PLACEHOLDER not in finding.message
        unknown = () if settled else tuple(reads.by_urn.get(urn, ())) or every_read
        violations.append(Violation(finding, urn, finding.resource_type, finding.resource, unknown))
        if not settled:
            waiting.add(urn)
    for resource in resources:
        if resource.urn in reads.by_urn and resource.urn not in waiting:
            unknown = tuple(reads.by_urn[resource.urn])
            violations.append(Violation(None, resource.urn, resource.type, resource.name, unknown))
    return StackReview(violations, suppressed)


# ---- enforcement --------------------------------------------------------------------------------------


def enforcement_levels(
    severity_levels: Mapping[str, str] | None = None, overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The level of every policy of the pack: each finding id's from its severity unless overridden by id;
    the unknown-until-apply policy advisory unless overridden."""
    by_severity = {**DEFAULT_SEVERITY_LEVELS, **(severity_levels or {})}
    levels = {kind_id: by_severity[kind.severity.value] for kind_id, kind in KINDS.items()}
    levels[UNKNOWN_POLICY] = "advisory"
    for policy, level in (overrides or {}).items():
        if policy not in levels:
            raise ValueError(f"no policy {policy!r} in the pack: use one of {', '.join(sorted(levels))}")
        levels[policy] = level
    bad = {policy: level for policy, level in levels.items() if level not in LEVELS}
    if bad:
        raise ValueError(f"enforcement levels must be one of {', '.join(LEVELS)}: {bad}")
    return levels


def resources_from_policy_args(resources: Iterable[Any]) -> list[StackResource]:
    """``StackResource``s from ``pulumi_policy``'s ``PolicyResource``s (props read raw, unknowns included)."""
    from pulumi_policy.deserialize import serialize_properties

    found = []
    for resource in resources:
        raw = dict(serialize_properties(resource.props))  # unwraps the SDK's unknown-raising proxies
        parent = resource.parent.urn if resource.parent is not None else None
        found.append(stack_resource(resource.urn, resource.resource_type, raw, parent))
    return found


def stack_suppressions() -> list[Suppression]:
    """The stack's ``irsa:ignore`` suppressions, as ``plan`` reads them (``irsa_components.review.gate``): the
    engine hands the pack the stack's config as it hands it to the program."""
    import pulumi

    raw = pulumi.runtime.get_config(IGNORE_KEY)
    return suppressions_from_config({IGNORE_KEY: raw} if raw is not None else {})


class _CachedReview:
    """One review per stack analysed: every policy of the pack reports its part of the same review."""

    def __init__(self) -> None:
        self._key = ""
        self._review = StackReview([], [])

    def __call__(self, resources: Sequence[StackResource], suppressions: Sequence[Suppression]) -> StackReview:
        key = hashlib.sha256(
            json.dumps(
                [[r.urn, r.type, r.parent, r.properties] for r in resources]
                + [[s.id, s.resource, s.reason] for s in suppressions],
                sort_keys=True,
                default=str,
            ).encode()
        ).hexdigest()
        if key != self._key:
            self._key, self._review = key, review_stack(resources, suppressions)
        return self._review


def _validate(
    policy: str, review: Callable[[Sequence[StackResource], Sequence[Suppression]], StackReview]
) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        result = review(resources_from_policy_args(args.resources), stack_suppressions())
        for violation in result.of_policy(policy):
            report_violation(violation.message, violation.urn or None)

    return validate


def build_policies(levels: Mapping[str, str]) -> list[StackValidationPolicy]:
    """One stack policy per finding id, and the unknown-until-apply policy, each with its level set."""
    from pulumi_policy import EnforcementLevel, StackValidationPolicy

    review = _CachedReview()
    policies = [
        StackValidationPolicy(
            name=kind_id,
            description=f"{kind.title} ({kind.severity.value} severity finding of irsa-components' IAM review)",
            validate=_validate(kind_id, review),
            enforcement_level=EnforcementLevel(levels[kind_id]),
        )
        for kind_id, kind in KINDS.items()
    ]
    policies.append(
        StackValidationPolicy(
            name=UNKNOWN_POLICY,
            description="A finding, or a resource's review, depends on values unknown before apply: cannot be "
            "checked until apply (the stack is checked again, with every value known, after `pulumi up`)",
            validate=_validate(UNKNOWN_POLICY, review),
            enforcement_level=EnforcementLevel(levels[UNKNOWN_POLICY]),
        )
    )
    return policies


def initial_config(levels: Mapping[str, str]) -> dict[str, Any]:
    """The pack's initial configuration: every policy with its level, never a policy without one."""
    from pulumi_policy import EnforcementLevel

    return {policy: EnforcementLevel(level) for policy, level in levels.items()}


@dataclass(frozen=True)
class PackDefinition:
    """What ``PolicyPack`` is given: the policies and the initial configuration (tests serve the same)."""

    name: str
    policies: list[StackValidationPolicy]
    initial_config: dict[str, Any]
    description: str


def pack_definition(
    severity_levels: Mapping[str, str] | None = None, overrides: Mapping[str, str] | None = None
) -> PackDefinition:
    """The pack, with ``severity_levels`` (e.g. ``{"medium": "mandatory"}``) and per-id ``overrides``."""
    levels = enforcement_levels(severity_levels, overrides)
    return PackDefinition(
        PACK_NAME,
        build_policies(levels),
        initial_config(levels),
        "irsa-components' IAM review of IRSA and EKS Pod Identity trust and permissions",
    )


def serve_policy_pack(
    severity_levels: Mapping[str, str] | None = None, overrides: Mapping[str, str] | None = None
) -> PolicyPack:
    """Serves the pack to the engine (``pulumi preview --policy-pack DIR``); does not return."""
    from pulumi_policy import PolicyPack

    pack = pack_definition(severity_levels, overrides)
    return PolicyPack(
        name=pack.name,
        policies=list(pack.policies),
        initial_config=pack.initial_config,
        description=pack.description,
    )


# ---- what the engine sends, from a program run under the mocks ------------------------------------------

STACK_TYPE = "pulumi:pulumi:Stack"
UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The sentinel the engine sends for a value unknown before apply."""


def _with_unknowns(properties: dict[str, Any], paths: Iterable[tuple[str, ...]]) -> dict[str, Any]:
    """``properties`` with the engine's unknown sentinel at each of ``paths`` (what a preview does not know)."""
    for path in sorted(paths, key=len):
        if not path or path == ("id",):
            continue
        container: Any = properties
        for key in path[:-1]:
            if isinstance(container, list) and key.isdigit() and int(key) < len(container):
                container = container[int(key)]
            elif isinstance(container, dict):
                container = container.setdefault(key, {})
            else:
                break
        else:
            last = path[-1]
            if isinstance(container, list) and last.isdigit() and int(last) < len(container):
                container[int(last)] = UNKNOWN_VALUE
            elif isinstance(container, dict):
                container[last] = UNKNOWN_VALUE
    return properties


def analyze_stack_request(
    resources: Sequence[RecordedResource], *, project: str = "project", stack: str = "dev"
) -> Any:
    """The ``AnalyzeStackRequest`` the engine sends a policy pack for these resources, recorded under the mocks
    (``irsa_components.testing``): each resource's outputs, with what a preview run (``run_program(...,
    preview=True)``) does not know sent as unknown."""
    from pulumi.runtime.proto import analyzer_pb2

    stack_urn = f"urn:pulumi:{stack}::{project}::{STACK_TYPE}::{project}-{stack}"
    request = analyzer_pb2.AnalyzeStackRequest()
    request.resources.append(analyzer_pb2.AnalyzerResource(type=STACK_TYPE, urn=stack_urn, name=f"{project}-{stack}"))
    for resource in resources:
        parent = resource.parent or stack_urn
        analyzed = analyzer_pb2.AnalyzerResource(
            type=resource.type,
            urn=resource.urn,
            name=resource.name,
            parent=parent,
            options=analyzer_pb2.AnalyzerResourceOptions(parent=parent),
            dependencies=list(resource.dependencies),
            propertyDependencies={
                k: analyzer_pb2.AnalyzerPropertyDependencies(urns=list(v))
                for k, v in resource.property_dependencies.items()
            },
        )
        properties = _with_unknowns(copy.deepcopy(dict(resource.outputs)), resource.unknowns)
        analyzed.properties.update(properties)
        request.resources.append(analyzed)
    return request
