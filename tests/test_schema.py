"""The package schema other languages get (`pulumi package add`), inferred offline as the plugin infers it.

TypeScript, Go, C#, Java and YAML programs see only this schema: every input and output must be there,
typed, with its Python docstring as description, and a program written against it must construct the
same resources as the Python API does.
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypedDict

import pulumi
import pytest
import yaml
from pulumi.provider.experimental.util import camel_case

import irsa_components
from irsa_components._role import AddonPolicyArgs, RoleArgs
from irsa_components.component_provider import (
    PACKAGE_NAME,
    IrsaComponentProvider,
    components,
    field_docstring,
    field_docstrings,
    schema,
    typeddict_bases,
)
from irsa_components.policies import PRESETS, preset_options
from irsa_components.testing import run_program

ROOT = Path(__file__).resolve().parent.parent
YAML_EXAMPLE = ROOT / "examples/yaml/Pulumi.yaml"
TOKEN = f"{PACKAGE_NAME}:index:"
ANY = "pulumi.json#/Any"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return schema()


def kind(prop: dict[str, Any]) -> str:
    """A property's type in short: 'string', 'array<string>', 'map<Any>', 'AddonPolicyArgs'..."""
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1].removeprefix(TOKEN).removeprefix("pulumi.json#/")
    if prop["type"] == "array":
        return f"array<{kind(prop['items'])}>"
    if prop["type"] == "object":
        return f"map<{kind(prop['additionalProperties'])}>"
    return str(prop["type"])


def all_properties(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, property) for every input and output of every resource and every property of every type."""
    for token, resource in spec["resources"].items():
        for section in ("inputProperties", "properties"):
            for name, prop in resource[section].items():
                yield f"{token}.{section}.{name}", prop
    for token, typ in spec.get("types", {}).items():
        for name, prop in typ["properties"].items():
            yield f"{token}.{name}", prop


# ---- the plugin ---------------------------------------------------------------------------------


def test_the_repository_is_a_python_plugin_whose_entry_point_serves_the_components():
    assert yaml.safe_load((ROOT / "PulumiPlugin.yaml").read_text()) == {"runtime": "python"}
    assert "serve()" in (ROOT / "__main__.py").read_text()
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()


def test_component_annotations_are_evaluated_where_the_analyzer_reads_them():
    """The SDK's analyzer reads annotations as objects: ``from __future__ import annotations`` turns them into
    strings it cannot follow, so modules declaring components or their args must not use it."""
    for component in components():
        args_type = inspect.get_annotations(component.__init__)["args"]
        for cls in (component, args_type, *typeddict_bases(args_type)):
            module = sys.modules[cls.__module__]
            assert not hasattr(module, "annotations"), f"{module.__name__}: drop `from __future__ import annotations`"


def test_the_package_serves_every_exported_component(spec):
    exported = {
        name
        for name, value in vars(irsa_components).items()
        if inspect.isclass(value) and issubclass(value, pulumi.ComponentResource)
    }
    assert exported >= {"ClusterOidcProvider", "ServiceAccountRole", "PodIdentityAssociation", "PodIdentityAgent"}
    assert set(spec["resources"]) == {TOKEN + name for name in exported}
    assert spec["name"] == PACKAGE_NAME
    assert all(resource["isComponent"] for resource in spec["resources"].values())


def test_each_component_is_described(spec):
    assert all(resource.get("description") for resource in spec["resources"].values())


# ---- inputs and outputs -------------------------------------------------------------------------


def test_inputs_are_the_camel_case_names_of_the_python_args(spec):
    for component in components():
        args_type = inspect.get_annotations(component.__init__)["args"]
        inputs = spec["resources"][TOKEN + component.__name__]["inputProperties"]
        assert set(inputs) == {camel_case(field) for field in args_type.__annotations__}, component.__name__
        assert all(re.fullmatch(r"[a-z][A-Za-z0-9]*", name) for name in inputs)


def test_every_input_and_output_is_typed_and_described(spec):
    for where, prop in all_properties(spec):
        assert prop.get("type") or prop.get("$ref"), f"{where} has no type"
        assert prop.get("description", "").strip(), f"{where} has no description"


def test_inherited_role_options_carry_the_docstrings_of_the_typeddict_declaring_them(spec):
    inputs = spec["resources"][TOKEN + "ServiceAccountRole"]["inputProperties"]
    expected = field_docstring(RoleArgs, "max_session_duration")
    assert expected and inputs["maxSessionDuration"]["description"] == expected


def test_required_inputs_are_the_ones_without_which_a_component_cannot_exist(spec):
    required = {token.removeprefix(TOKEN): r["requiredInputs"] for token, r in spec["resources"].items()}
    assert required["ClusterOidcProvider"] == []  # issuerUrl or clusterName
    assert required["ServiceAccountRole"] == []  # one provider form and one subject form
    assert required["PodIdentityAgent"] == ["clusterName"]
    assert required["PodIdentityAssociation"] == ["clusterName", "namespace", "serviceAccount"]


def test_input_types_of_the_service_account_role(spec):
    inputs = spec["resources"][TOKEN + "ServiceAccountRole"]["inputProperties"]
    assert {name: kind(inputs[name]) for name in sorted(inputs)}.items() >= {
        "oidcProviderArn": "string",
        "oidcProviderArns": "array<string>",
        "namespace": "string",
        "serviceAccount": "string",
        "serviceAccounts": "array<string>",
        "audience": "string",
        "allowWildcard": "boolean",
        "policyArns": "array<string>",
        "inlinePolicies": "map<Any>",  # a policy document as an object, or as JSON text
        "addonPolicies": "array<AddonPolicyArgs>",
        "roleName": "string",
        "maxSessionDuration": "integer",
        "tags": "map<string>",
        "createServiceAccount": "boolean",
        "serviceAccountAnnotations": "map<string>",
    }.items()


def test_outputs_are_typed_and_always_set(spec):
    outputs = {
        token.removeprefix(TOKEN): {name: kind(prop) for name, prop in r["properties"].items()}
        for token, r in spec["resources"].items()
    }
    assert outputs["ClusterOidcProvider"] == {
        "arn": "string",
        "url": "string",
        "issuerUrl": "string",
        "thumbprints": "array<string>",
    }
    assert (
        outputs["ServiceAccountRole"].items()
        >= {
            "roleArn": "string",
            "roleName": "string",
            "trustPolicy": "string",
            "serviceAccountName": "string",
            "namespace": "string",
            "serviceAccounts": "array<string>",
            "serviceAccountAnnotations": "map<string>",
        }.items()
    )
    assert outputs["PodIdentityAssociation"] == {
        "roleArn": "string",
        "roleName": "string",
        "roleUniqueId": "string",
        "rolePath": "string",
        "policyArns": "map<string>",
        "associationArn": "string",
        "associationId": "string",
        "externalId": "string",
        "serviceAccountName": "string",
        "namespace": "string",
    }
    assert outputs["PodIdentityAgent"] == {"addonArn": "string", "addonVersion": "string"}
    for resource in spec["resources"].values():
        assert sorted(resource["required"]) == sorted(resource["properties"])


def test_addon_policy_args_offer_exactly_the_options_of_the_presets(spec):
    preset_type = spec["types"][TOKEN + "AddonPolicyArgs"]
    every_option = {option for slug in PRESETS for option in preset_options(slug)}
    assert set(AddonPolicyArgs.__annotations__) == {"preset", *every_option}
    assert set(preset_type["properties"]) == {camel_case(o) for o in ("preset", *every_option)}
    assert preset_type["required"] == ["preset"]


def test_whole_numbers_from_other_languages_reach_the_component_as_integers():
    provider = IrsaComponentProvider()
    definition = provider._component_defs["ServiceAccountRole"]
    mapped = provider.map_inputs({"maxSessionDuration": 7200.0, "serviceAccounts": ["apps:api"]}, definition)
    assert mapped == {"max_session_duration": 7200, "service_accounts": ["apps:api"]}
    assert type(mapped["max_session_duration"]) is int


# ---- examples/yaml ------------------------------------------------------------------------------

REFERENCE = re.compile(r"\$\{([^}]+)\}")


def yaml_program() -> dict[str, Any]:
    return dict(yaml.safe_load(YAML_EXAMPLE.read_text()))


def references(value: Any) -> Iterator[str]:
    """Every ``${...}`` expression inside a property value."""
    if isinstance(value, str):
        yield from REFERENCE.findall(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def test_the_yaml_example_references_this_repository_as_pulumi_package_add_records_it():
    program = yaml_program()
    assert program["runtime"] == "yaml"
    assert (YAML_EXAMPLE.parent / program["packages"][PACKAGE_NAME] / "PulumiPlugin.yaml").resolve() == (
        ROOT / "PulumiPlugin.yaml"
    )


def test_the_yaml_example_uses_only_resources_inputs_and_outputs_of_the_schema(spec):
    program = yaml_program()
    resources = program["resources"]
    expressions = list(references(program["outputs"]))
    for name, resource in resources.items():
        token = resource["type"]
        assert token in spec["resources"], f"{name}: unknown type {token}"
        inputs = spec["resources"][token]["inputProperties"]
        given = resource.get("properties", {})
        assert set(given) <= set(inputs), f"{name}: unknown inputs {set(given) - set(inputs)}"
        assert set(spec["resources"][token]["requiredInputs"]) <= set(given), f"{name}: required inputs missing"
        expressions += references(given)
    for expression in expressions:
        head, _, output = expression.partition(".")
        if not output:
            assert head in program["config"], f"${{{expression}}} is neither config nor a resource output"
            continue
        outputs = spec["resources"][resources[head]["type"]]["properties"]
        assert output in outputs, f"${{{expression}}}: {head} has no output {output!r}"


def resolve(value: Any, config: dict[str, Any], state: dict[str, dict[str, Any]]) -> Any:
    """A property value with ``${config}`` and ``${resource.output}`` substituted, as Pulumi YAML does."""
    if isinstance(value, dict):
        return {k: resolve(v, config, state) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, config, state) for v in value]
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole and "." in whole[1]:
            head, output = whole[1].split(".", 1)
            return state[head][output]
        return REFERENCE.sub(lambda m: str(config[m[1]]), value)
    return value


def test_the_yaml_example_through_the_plugin_creates_what_the_python_quickstart_creates():
    """Each resource is constructed by the plugin from its camelCase inputs, as `pulumi up` would."""
    program = yaml_program()
    config = {key: option["default"] for key, option in program["config"].items()}
    provider = IrsaComponentProvider()

    def construct_all() -> None:
        state: dict[str, dict[str, Any]] = {}
        for name, resource in program["resources"].items():
            inputs = resolve(resource["properties"], config, state)
            state[name] = dict(provider.construct(name, resource["type"], inputs, pulumi.ResourceOptions()).state)

    via_plugin = run_program(construct_all)
    role = via_plugin.one("aws:iam/role:Role", "s3-reader-role")
    assert role.inputs["maxSessionDuration"] == 7200
    policy = via_plugin.one("aws:iam/rolePolicy:RolePolicy")
    assert policy.inputs["name"] == "read-reports"
    assert "arn:aws:s3:::demo-reports/*" in policy.inputs["policy"]
    assert via_plugin.one("kubernetes:core/v1:ServiceAccount").inputs["metadata"]["annotations"] == {
        "eks.amazonaws.com/role-arn": role.outputs["arn"]
    }


def test_a_docstring_the_analyzer_misses_is_read_from_the_source_file(monkeypatch):
    # The SDK's analyzer swallows any error of its source lookup; once, in a long test process, it lost the
    # description of PodIdentityMigrationArgs.cluster_name. Whatever it misses is read again from the file.
    from pulumi.provider.experimental.analyzer import Analyzer

    from irsa_components.service_account_role import PodIdentityMigrationArgs

    found = Analyzer.get_docstring

    def forgetful(self: Analyzer, typ: type, name: str) -> str | None:
        return None if (typ, name) == (PodIdentityMigrationArgs, "cluster_name") else found(self, typ, name)

    monkeypatch.setattr(Analyzer, "get_docstring", forgetful)
    described = schema()["types"][TOKEN + "PodIdentityMigrationArgs"]["properties"]["clusterName"]["description"]
    assert described == field_docstrings(PodIdentityMigrationArgs)["cluster_name"]
    assert described.startswith("Name of the EKS cluster in which each trusted service account")


class _Documented(TypedDict, total=False):
    plain: str
    """Under the field."""
    undocumented: int
    # a comment is not a docstring
    after_comment: bool
    """Comments are not statements: this is after_comment's."""


def test_field_docstrings_are_the_string_right_under_each_annotated_field():
    assert field_docstrings(_Documented) == {
        "plain": "Under the field.",
        "after_comment": "Comments are not statements: this is after_comment's.",
    }
    assert field_docstring(_Documented, "undocumented") is None
    assert field_docstrings(int) == {}  # no source file: nothing, no error
