"""Upgrading irsa-components never replaces a user's existing resources (see docs/versioning.md).

A resource's URN (its type, its name and the types of its parents) is its identity in a stack: when a new
version registers a child under another name or type, or under another parent, Pulumi deletes the old
resource and creates a new one. For an IAM role that is an outage: pods lose their credentials, and a
recreated role gets a new unique ID that trust relationships elsewhere no longer match.

tests/golden/urns.json records every URN each example creates, in the form the engine gives them. A change
may only remove one of them if a resource now registered declares an alias to it. After an intended change
(new resources, or a rename with its alias), regenerate the file and review its diff:

    python tests/test_upgrade_safety.py --update
"""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests/golden/urns.json"
UPDATE_COMMAND = "python tests/test_upgrade_safety.py --update"

if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))

from irsa_components.cli import run_folder  # noqa: E402
from irsa_components.testing import ProgramResult, RecordedAlias, RegisteredResource, run_program  # noqa: E402


@dataclass
class Identity:
    """A resource's URN as the engine forms it, and the URNs its aliases (own or inherited) designate."""

    urn: str
    qualified_type: str
    name: str
    aliases: list[tuple[str, str]] = field(default_factory=list)
    """(qualified type, name) of each former identity."""


def engine_urns(result: ProgramResult, prefix: str) -> dict[str, Identity]:
    """Each resource's engine URN (the whole parent type chain, the stack left out) and its alias URNs.

    The mocks shorten the parent chain to the nearest parent; the engine keeps all of it. A child inherits
    one alias per alias of its parent, with the parent's old name in place of its new one as name prefix.
    """
    by_mock_urn: dict[str, Identity] = {}
    for resource in result.resources:
        parent = by_mock_urn.get(resource.parent or "")
        qualified = f"{parent.qualified_type}${resource.type}" if parent else resource.type
        identity = Identity(f"{prefix}::{qualified}::{resource.name}", qualified, resource.name)
        for spec in resource.aliases:
            identity.aliases.append(_alias_identity(spec, resource, parent, by_mock_urn))
        if parent is not None:
            for parent_type, parent_name in parent.aliases:
                name = resource.name
                if name.startswith(parent.name):
                    name = parent_name + name[len(parent.name) :]
                identity.aliases.append((f"{parent_type}${resource.type}", name))
        by_mock_urn[resource.urn] = identity
    return {i.urn: i for i in by_mock_urn.values()}


def _alias_identity(
    spec: RecordedAlias, resource: RegisteredResource, parent: Identity | None, known: dict[str, Identity]
) -> tuple[str, str]:
    if spec.urn:
        _, _, qualified, name = spec.urn.split("::", 3)
        return qualified, name
    typ = spec.type or resource.type
    if spec.no_parent:
        return typ, spec.name or resource.name
    alias_parent = known.get(spec.parent_urn) if spec.parent_urn else parent
    return (f"{alias_parent.qualified_type}${typ}" if alias_parent else typ), spec.name or resource.name


def python_examples() -> list[Path]:
    """The examples/ folders holding a Pulumi Python program."""
    return sorted(
        p
        for p in (ROOT / "examples").iterdir()
        if (p / "Pulumi.yaml").is_file() and yaml.safe_load((p / "Pulumi.yaml").read_text()).get("runtime") == "python"
    )


@functools.cache
def current_identities(folder: Path) -> dict[str, Identity]:
    """Runs the example under the mocks and returns its resources' identities."""
    project, result = run_folder(folder)
    return engine_urns(result, f"urn:pulumi:dev::{project}")


def load_golden() -> dict[str, list[str]]:
    return dict(json.loads(GOLDEN.read_text()))


def write_golden() -> None:
    golden = {folder.name: sorted(current_identities(folder)) for folder in python_examples()}
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, indent=2) + "\n")


# ---- the specification ---------------------------------------------------------------------------


def test_every_example_has_its_urns_recorded():
    recorded, present = set(load_golden()), {p.name for p in python_examples()}
    assert present <= recorded, f"examples {sorted(present - recorded)} have no recorded URNs: run {UPDATE_COMMAND}"
    assert recorded <= present, f"examples {sorted(recorded - present)} are gone: run {UPDATE_COMMAND}"


@pytest.mark.parametrize("example", sorted(load_golden()))
def test_no_existing_resource_is_renamed_or_retyped_without_an_alias(example):
    folder = ROOT / "examples" / example
    if not folder.is_dir():
        pytest.skip(f"examples/{example} is gone (see test_every_example_has_its_urns_recorded)")
    current = current_identities(folder)
    prefix = next(iter(current)).rsplit("::", 2)[0]
    aliased = {f"{prefix}::{qualified}::{name}" for i in current.values() for qualified, name in i.aliases}
    replaced = [urn for urn in load_golden()[example] if urn not in current and urn not in aliased]
    assert not replaced, (
        "these resources would be deleted and recreated on upgrade (for a role: an outage); keep their name, "
        "type and parent, or register the new ones with aliases=[pulumi.Alias(...)] to the old identity:\n  "
        + "\n  ".join(replaced)
    )


@pytest.mark.parametrize("example", sorted(load_golden()))
def test_the_recorded_urns_are_up_to_date(example):
    """New resources are no upgrade hazard, but the record must show them: a reviewer reads its diff."""
    folder = ROOT / "examples" / example
    if not folder.is_dir():
        pytest.skip(f"examples/{example} is gone (see test_every_example_has_its_urns_recorded)")
    added = sorted(set(current_identities(folder)) - set(load_golden()[example]))
    assert not added, f"new resources are not recorded: run {UPDATE_COMMAND} and review the diff:\n  " + "\n  ".join(
        added
    )


def test_a_child_of_a_renamed_component_is_matched_through_the_inherited_alias():
    """The check itself: renaming a component with an alias keeps its children's old URNs reachable."""
    import pulumi

    from irsa_components import ServiceAccountRole

    arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE0000000000000000000000AB"
    args = {"oidc_provider_arn": arn, "namespace": "apps", "service_account": "api"}
    result = run_program(
        lambda: ServiceAccountRole("api", args, opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="app")]))
    )
    identities = engine_urns(result, "urn:pulumi:dev::p")
    role = identities["urn:pulumi:dev::p::irsa-components:index:ServiceAccountRole$aws:iam/role:Role::api-role"]
    assert role.aliases == [("irsa-components:index:ServiceAccountRole$aws:iam/role:Role", "app-role")]


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit(f"usage: {UPDATE_COMMAND}")
    write_golden()
    print(f"wrote {GOLDEN.relative_to(ROOT)}: review its diff before committing")
