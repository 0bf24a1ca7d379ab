"""The Pulumi plugin that serves these components to every Pulumi language (``pulumi package add``).

Pulumi runs the repository's ``__main__.py``, which calls ``serve``: a component provider whose schema the
SDK infers from each component's ``args`` TypedDict (inputs: names, types, docstrings) and its class
annotations (outputs). Two gaps of the SDK's analyzer are closed here rather than worked around in every
component: it reads field docstrings only from the class body itself, so the fields a TypedDict inherits
(the role and ServiceAccount options) would reach other languages undocumented, and its source lookup
(``inspect.getsource``, errors swallowed) occasionally missed one in a long-lived process, so every missing
description is read again from the source files; and it hands integers over as floats, which the validators
rightly refuse.
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
import sys
import typing
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import pulumi
from pulumi.output import Inputs
from pulumi.provider import main
from pulumi.provider.experimental.analyzer import PropertyDefinition, PropertyType
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


@functools.lru_cache(maxsize=64)
def _top_level_classes(path: str, mtime: float) -> dict[str, ast.ClassDef]:
    """The class statements of a source file, read from disk (``mtime`` keys the cache to the file's version)."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def _class_statement(typ: type) -> ast.ClassDef | None:
    """The ``class`` statement of ``typ`` in its module's source file; None for classes without one."""
    path = getattr(sys.modules.get(typ.__module__), "__file__", None)
    if not path or not path.endswith(".py") or not Path(path).is_file():
        return None
    return _top_level_classes(path, Path(path).stat().st_mtime).get(typ.__qualname__)


def field_docstrings(typ: type) -> dict[str, str]:
    """The string literal under each annotated field declared in ``typ``'s own body, by field name."""
    node = _class_statement(typ)
    if node is None:
        return {}
    docs: dict[str, str] = {}
    for statement, following in zip(node.body, node.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            docs[statement.target.id] = following.value.value
    return docs


def typeddict_bases(typ: type) -> list[type]:
    """The TypedDicts ``typ`` derives from, nearest first (Python 3.11 keeps no trace of them at runtime)."""
    node = _class_statement(typ)
    if node is None:
        return []
    namespace = vars(sys.modules[typ.__module__])
    direct = [namespace.get(base.id) for base in node.bases if isinstance(base, ast.Name)]
    found: list[type] = []
    for base in direct:
        if isinstance(base, type) and typing.is_typeddict(base):
            found += [base, *typeddict_bases(base)]
    return found


def field_docstring(typ: type, field: str) -> str | None:
    """The docstring under ``field`` in ``typ`` or, for an inherited field, in the class declaring it."""
    owners = [typ, *typeddict_bases(typ)] if typing.is_typeddict(typ) else list(typ.__mro__)
    for owner in owners:
        doc = field_docstrings(owner).get(field)
        if doc:
            return doc
    return None


def _describe(properties: dict[str, Any], owner: type, fields: Iterable[str]) -> None:
    for field in fields:
        prop = properties.get(camel_case(field))
        if prop is not None and not prop.get("description"):
            doc = field_docstring(owner, field)
            if doc:
                prop["description"] = doc


def describe_every_property(
    schema: dict[str, Any], classes: list[type[pulumi.ComponentResource]], types: Mapping[str, type]
) -> None:
    """Fills in every description the analyzer left out: the inherited inputs (it reads only a class's own body),
    and any field whose docstring its source lookup missed. Read straight from the source files, so the schema
    is the same in every process, whatever else that process has loaded."""
    for component in classes:
        resource = schema["resources"][f"{PACKAGE_NAME}:index:{component.__name__}"]
        args_type = inspect.get_annotations(component.__init__)["args"]
        _describe(resource.get("inputProperties", {}), args_type, args_type.__annotations__)
        _describe(resource.get("properties", {}), component, inspect.get_annotations(component))
    for name, python_type in types.items():
        declared = schema.get("types", {}).get(f"{PACKAGE_NAME}:index:{name}")
        if declared is not None:
            _describe(declared.get("properties", {}), python_type, getattr(python_type, "__annotations__", {}))


class IrsaComponentProvider(ComponentProvider):
    """The SDK's component provider for ``components()``, with complete descriptions and integer inputs."""

    def __init__(self, version: str | None = None) -> None:
        classes = components()
        super().__init__(classes, PACKAGE_NAME, None, version or package_version())
        schema = json.loads(self.schema or "{}")
        describe_every_property(
            schema, classes, {name: d.python_type for name, d in self._type_defs.items() if d.python_type}
        )
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
