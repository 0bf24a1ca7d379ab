"""Turning a component's ``addon_policies`` entries into policies to create and ARNs to attach.

Preset options may hold Outputs (``bucket.arn``): the document is then built inside ``apply``. What a
preset attaches (its AWS-managed ARNs, whether it has a document) never depends on resource ARNs, so it
is worked out at construction from the plain options alone, and checked again once everything resolves.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pulumi

from irsa_components._inputs import is_known
from irsa_components.errors import IrsaConfigError
from irsa_components.policies import (
    PRESETS,
    AddonPolicy,
    managed_policies_replaced_by,
    preset_from_spec,
    preset_options,
)
from irsa_components.trust import to_json
from irsa_components.validation import MANAGED_POLICY_MAX_SIZE, closest, policy_size, refuse_unknown_keys

T = TypeVar("T")

_STAND_IN = "deploy-time-value"


@dataclass
class PlannedPreset:
    """One preset of a component: its slug, its document as JSON (if any) and its AWS-managed ARNs."""

    slug: str
    document: pulumi.Input[str] | None
    managed_policy_arns: list[str]
    partition: str = "aws"
    """The partition of the ARNs the preset builds."""


def _as_component_error(component: str, index: int, slug: Any, build: Callable[[], T]) -> T:
    """Runs ``build``; a preset's own error is re-raised naming the component and the entry that used it."""
    try:
        return build()
    except IrsaConfigError as exc:
        if exc.component == component:
            raise
        raise IrsaConfigError(
            component, exc.field, exc.value, f"{exc.problem} (addon_policies[{index}], preset {slug!r})", exc.fix
        ) from None


def check_entry(component: str, index: int, spec: Any) -> str:
    """An ``addon_policies`` entry: a dict naming a known preset, with only that preset's options."""
    if not isinstance(spec, Mapping) or not isinstance(spec.get("preset"), str):
        raise IrsaConfigError(
            component,
            "addon_policies",
            spec,
            f"entry {index} has no 'preset' slug",
            "write entries like {'preset': 'ebs-csi-driver', 'kms_key_arns': [...]}",
        )
    slug = str(spec["preset"])
    if slug not in PRESETS:
        near = closest(slug, PRESETS)
        raise IrsaConfigError(
            component,
            "preset",
            slug,
            f"is not a known preset (addon_policies[{index}])",
            f"use {near!r}" if near else f"use one of {', '.join(sorted(PRESETS))}",
        )
    refuse_unknown_keys(component, spec, ["preset", *preset_options(slug)], prefix=f"addon_policies[{index}].")
    return slug


def _document_json(component: str, addon: AddonPolicy) -> str | None:
    if addon.document is None:
        return None
    size = policy_size(addon.document)
    if size > MANAGED_POLICY_MAX_SIZE:
        raise IrsaConfigError(
            component,
            "addon_policies",
            f"{addon.slug}: {size} characters",
            f"exceeds IAM's {MANAGED_POLICY_MAX_SIZE}-character limit for a managed policy",
            "split the scope over two entries of the same preset (e.g. half of the ARNs each)",
        )
    return to_json(addon.document)


def _shape(component: str, spec: Mapping[str, Any]) -> tuple[AddonPolicy | None, list[str], bool]:
    """The preset evaluated on its plain options: (full result if all plain, managed ARNs, has a document)."""
    if is_known(spec):
        addon = preset_from_spec(component, spec)
        return addon, addon.managed_policy_arns, addon.document is not None
    deferred = {k for k, v in spec.items() if not is_known(v)}
    if "preset" in deferred or "partition" in deferred:
        raise IrsaConfigError(
            component,
            "addon_policies",
            spec.get("preset"),
            "has a deploy-time preset or partition",
            "pass plain strings",
        )
    plain = {k: v for k, v in spec.items() if k not in deferred}
    # What a preset attaches depends on which options are given, never on their values: a deploy-time name
    # (cluster_name=cluster.name) is stood in for by a plain one; if the preset refuses the stand-in (it
    # wanted a list of ARNs), it is evaluated without the deploy-time options, whose managed policies they
    # replace being known (managed_policies_replaced_by).
    with_stand_ins = {**plain, **dict.fromkeys(deferred, _STAND_IN)}
    try:
        partial = preset_from_spec(component, with_stand_ins)
        return None, partial.managed_policy_arns, True
    except IrsaConfigError:
        pass
    try:
        partial = preset_from_spec(component, plain)
    except IrsaConfigError as exc:
        if exc.field not in deferred:
            raise
        # A required scope only known at deploy time: such presets have a document and no managed ARN.
        return None, [], True
    replaced = managed_policies_replaced_by(str(spec["preset"]), deferred)
    managed = [arn for arn in partial.managed_policy_arns if arn.rsplit("/", 1)[-1] not in replaced]
    return None, managed, True


def plan_addon_policies(component: str, specs: Sequence[Mapping[str, Any]] | None) -> list[PlannedPreset]:
    """Validates ``addon_policies`` entries; plain ones fully now, deploy-time ones once resolved."""
    if specs is None:
        return []
    if isinstance(specs, (str, Mapping)) or not isinstance(specs, Sequence):
        raise IrsaConfigError(
            component, "addon_policies", specs, "must be a list of presets", "pass [{'preset': 'ebs-csi-driver', ...}]"
        )
    planned: list[PlannedPreset] = []
    for index, spec in enumerate(specs):
        slug = check_entry(component, index, spec)
        addon, managed, has_document = _as_component_error(
            component, index, slug, functools.partial(_shape, component, spec)
        )
        if any(p.slug == slug for p in planned):
            raise IrsaConfigError(
                component, "addon_policies", slug, "is listed twice", "merge the two entries' options into one"
            )
        document: pulumi.Input[str] | None = None
        if addon is not None:
            document = _document_json(component, addon)
        elif has_document:

            def resolve(
                resolved: Mapping[str, Any], slug: str = slug, managed: list[str] = managed, index: int = index
            ) -> str:
                full = _as_component_error(component, index, slug, lambda: preset_from_spec(component, resolved))
                if full.document is None or full.managed_policy_arns != managed:
                    raise IrsaConfigError(
                        component,
                        "addon_policies",
                        slug,
                        "attaches different policies once its deploy-time options resolve",
                        "pass the options that choose policies as plain values",
                    )
                json_text = _document_json(component, full)
                assert json_text is not None
                return json_text

            document = pulumi.Output.from_input(spec).apply(resolve)
        partition = spec.get("partition", "aws")
        planned.append(PlannedPreset(slug, document, list(managed), partition if isinstance(partition, str) else "aws"))
    return planned
