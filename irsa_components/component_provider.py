"""The Pulumi plugin that serves these components to every Pulumi language (``pulumi package add``).

Pulumi runs the repository's ``__main__.py``, which calls ``serve``: a component provider whose schema the
SDK infers from each component's ``args`` TypedDict (inputs: names, types, docstrings) and its class
annotations (outputs). Two gaps of the SDK's analyzer are closed here rather than worked around in every
component: it reads field docstrings only from the class body itself, so the fields a TypedDict inherits
(the role and ServiceAccount options) would reach other languages undocumented; and it hands integers
over as floats, which the validators rightly refuse.
"""

from __future__ import annotations

import ast
import inspect
import json
import sys
import textwrap
import typing
from importlib import metadata
from typing import Any

import pulumi
from pulumi.output import Inputs
from pulumi.provider import main
from pulumi.provider.experimental.analyzer import Analyzer, PropertyDefinition, PropertyType
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.experimental.host import components_from_module
from pulumi.provider.experimental.util import camel_case

import irsa_components

PACKAGE_NAME = "irsa-components"
"""The package name of the type tokens (``irsa-components:index:ServiceAccountRole``)."""


def components() -> list[type[pulumi.ComponentResource]]:
    """Every component ``irsa_components`` exports, in a stable order."""
    return sorted(components_from_module(irsa_components), key=lambda c: c.__name__)


def package_version() -> str:
    """The installed distribution's version: generated SDKs carry it."""
    try:
        return metadata.version(PACKAGE_NAME)
    except metadata.PackageNotFoundError:
        return "0.0.0"


def typeddict_bases(typ: type) -> list[type]:
    """The TypedDicts ``typ`` derives from, nearest first (Python 3.11 keeps no trace of them at runtime)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(typ)))
    except (OSError, TypeError):
        return []
    node = tree.body[0]
    if not isinstance(node, ast.ClassDef):
        return []
    namespace = vars(sys.modules[typ.__module__])
    direct = [namespace.get(base.id) for base in node.bases if isinstance(base, ast.Name)]
    found: list[type] = []
    for base in direct:
        if isinstance(base, type) and typing.is_typeddict(base):
            found += [base, *typeddict_bases(base)]
    return found


def field_docstring(analyzer: Analyzer, typ: type, field: str) -> str | None:
    """The docstring under ``field`` in ``typ`` or, for an inherited field, in the TypedDict declaring it."""
    for owner in (typ, *typeddict_bases(typ)):
        doc = analyzer.get_docstring(owner, field)
        if doc:
            return doc
    return None


def describe_inherited_inputs(schema: dict[str, Any], classes: list[type[pulumi.ComponentResource]]) -> None:
    """Fills in the descriptions of the inputs the analyzer found no docstring for: the inherited ones."""
    analyzer = Analyzer(PACKAGE_NAME)
    for component in classes:
        args_type = inspect.get_annotations(component.__init__)["args"]
        inputs = schema["resources"][f"{PACKAGE_NAME}:index:{component.__name__}"]["inputProperties"]
        for field in args_type.__annotations__:
            prop = inputs.get(camel_case(field))
            if prop is not None and not prop.get("description"):
                doc = field_docstring(analyzer, args_type, field)
                if doc:
                    prop["description"] = doc


class IrsaComponentProvider(ComponentProvider):
    """The SDK's component provider for ``components()``, with complete descriptions and integer inputs."""

    def __init__(self, version: str | None = None) -> None:
        classes = components()
        super().__init__(classes, PACKAGE_NAME, None, version or package_version())
        schema = json.loads(self.schema or "{}")
        describe_inherited_inputs(schema, classes)
        self.schema = json.dumps(schema)

    def map_input_properties(
        self,
        inputs: Inputs,
        properties: dict[str, PropertyDefinition],
        mapping: dict[str, str],
        component_name: str,
        property_path: str,
    ) -> Inputs:
        """The SDK's mapping, then whole-number floats of integer properties back to ints (JSON has one number)."""
        mapped = dict(super().map_input_properties(inputs, properties, mapping, component_name, property_path))
        for schema_name, prop in properties.items():
            value = mapped.get(mapping[schema_name])
            if prop.type == PropertyType.INTEGER and isinstance(value, float) and value.is_integer():
                mapped[mapping[schema_name]] = int(value)
        return mapped


def schema() -> dict[str, Any]:
    """The package schema other languages' SDKs are generated from (inferred offline, no engine needed)."""
    return dict(json.loads(IrsaComponentProvider().schema or "{}"))


def serve(args: list[str] | None = None) -> None:
    """Runs the plugin: a gRPC provider the Pulumi engine constructs the components through."""
    main(IrsaComponentProvider(), sys.argv[1:] if args is None else args)
