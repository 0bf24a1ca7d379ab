"""``aws.iam.get_policy_document`` computed offline, so a plan shows the document the provider would return.

A port of the provider's data source (pulumi-aws bridges Terraform's ``aws_iam_policy_document``), read from
hashicorp/terraform-provider-aws ``internal/service/iam/policy_document_data_source.go`` at commit
04e9356d7f061e7be1890e030f420c81a783d651 and ``internal/service/iam/policy_model.go`` at commit
084fd7bc4c3ce01ca0fa51a7016dc0287a00de30:

- ``source_policy_documents`` are merged first, in order (a Sid repeated across them is an error), then the
  statements of this call (a Sid repeated among them is an error), then ``override_policy_documents`` in
  order. Merging replaces a statement with the same non-empty Sid in place and appends the others; the
  highest ``Version`` wins, a non-empty ``Id`` replaces the previous one.
- ``actions``/``resources``/principal ``identifiers`` are sets: one element becomes a string, several a list
  sorted in reverse. Condition ``values`` keep their order (one value becomes a string). Principals and
  conditions group by type / operator and variable, the JSON objects' keys sorted (Go marshals maps sorted).
- Source and override documents are read as the Go model unmarshals them: Principal lists reverse-sorted,
  condition values of one element written as a string, numbers and nulls among condition values dropped,
  lists holding anything but strings refused. Their actions and resources are kept as written.
- ``&{var}`` in resources, principals and condition values becomes ``${var}`` (not allowed in 2008-10-17).
- ``json`` is Go's ``json.MarshalIndent(doc, "", "  ")``: HTML-escaped (``<``, ``>``, ``&``), fields in
  struct order, empty fields omitted; ``minified_json`` the same without indentation; the id is the CRC-32
  of ``json``.

Inputs may use the provider's camelCase keys (``notActions``, as the mocks receive them) or snake_case.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

DEFAULT_VERSION = "2012-10-17"
VERSIONS = ("2008-10-17", "2012-10-17")
_STATEMENT_FIELDS = ("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal")


class PolicyDocumentError(ValueError):
    """The arguments would make the provider fail (duplicate Sid, bad JSON, a variable in 2008-10-17)."""


def _get(args: Mapping[str, Any], camel: str, snake: str | None = None) -> Any:
    if args.get(camel) is not None:
        return args[camel]
    return args.get(snake or camel)


def _string_set(values: Sequence[str]) -> str | list[str]:
    """A Terraform string set as the provider writes it: one value as a string, several reverse-sorted."""
    unique = sorted(set(values), reverse=True)
    return unique[0] if len(unique) == 1 else unique


def _replace_vars(value: str | list[str], version: str) -> str | list[str]:
    items = [value] if isinstance(value, str) else value
    for item in items:
        if version == "2008-10-17" and "&{" in item:
            raise PolicyDocumentError(
                f"found &{{ sequence in ({item}), which is not supported in document version 2008-10-17"
            )
    replaced = [item.replace("&{", "${") for item in items]
    return replaced[0] if isinstance(value, str) else replaced


def _principals(blocks: Sequence[Mapping[str, Any]], version: str) -> Any:
    """Principal blocks ``[{type, identifiers}]`` as the JSON ``Principal`` value."""
    entries = [(str(b["type"]), _replace_vars(_string_set(list(b.get("identifiers") or [])), version)) for b in blocks]
    if entries == [("*", "*")]:  # one identifier is always a string here (_string_set)
        return "*"
    raw: dict[str, str | list[str]] = {}
    for kind, identifiers in entries:
        previous = raw.get(kind)
        if isinstance(identifiers, list):
            merged = [] if previous is None else [previous] if isinstance(previous, str) else list(previous)
            raw[kind] = merged + sorted(identifiers, reverse=True)
        elif previous is None:
            raw[kind] = identifiers
        else:
            raw[kind] = [previous, identifiers] if isinstance(previous, str) else [*previous, identifiers]
    return {kind: raw[kind] for kind in sorted(raw)}


def _conditions(blocks: Sequence[Mapping[str, Any]], version: str) -> dict[str, dict[str, Any]]:
    raw: dict[str, dict[str, list[str]]] = {}
    for block in blocks:
        values = _replace_vars([str(v) for v in block.get("values") or []], version)
        raw.setdefault(str(block["test"]), {}).setdefault(str(block["variable"]), []).extend(values)
    return {
        test: {var: (vals[0] if len(vals) == 1 else vals) for var, vals in sorted(raw[test].items())}
        for test in sorted(raw)
    }


def _statement(args: Mapping[str, Any], version: str) -> dict[str, Any]:
    statement: dict[str, Any] = {"Sid": args.get("sid") or "", "Effect": args.get("effect") or "Allow"}
    for field, camel, snake in (("Action", "actions", None), ("NotAction", "notActions", "not_actions")):
        if values := _get(args, camel, snake):
            statement[field] = _string_set(values)
    for field, camel, snake in (("Resource", "resources", None), ("NotResource", "notResources", "not_resources")):
        if values := _get(args, camel, snake):
            statement[field] = _replace_vars(_string_set(values), version)
    for field, camel, snake in (("Principal", "principals", None), ("NotPrincipal", "notPrincipals", "not_principals")):
        if blocks := _get(args, camel, snake):
            statement[field] = _principals(blocks, version)
    if blocks := _get(args, "conditions", "condition"):
        statement["Condition"] = _conditions(blocks, version)
    return statement


def _parse_document(text: Any, what: str, index: int) -> dict[str, Any]:
    """A source/override document, normalised as the provider's Go model reads it."""
    try:
        data = json.loads(text)
    except (TypeError, json.JSONDecodeError) as exc:
        raise PolicyDocumentError(f"merging {what} document {index}: {exc}") from None
    if not isinstance(data, dict):
        raise PolicyDocumentError(f"merging {what} document {index}: not a JSON object")
    statements = data.get("Statement") or []
    if not isinstance(statements, list):
        raise PolicyDocumentError(f"merging {what} document {index}: Statement must be a list")
    return {
        "Version": str(data.get("Version") or ""),
        "Id": str(data.get("Id") or ""),
        "Statement": [_normalise_parsed(s, f"merging {what} document {index}") for s in statements],
    }


def _strings(value: Any, where: str, what: str) -> list[str]:
    """A JSON list that must hold strings only (the provider fails on anything else)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise PolicyDocumentError(f"{where}: {what} must be a string or a list of strings, not {value!r}")
    return value


def _normalise_parsed(statement: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A parsed statement as the Go model holds it once unmarshalled (and would marshal it again)."""
    out = {k: statement[k] for k in _STATEMENT_FIELDS if statement.get(k) not in (None, "", [], {})}
    for key in ("Principal", "NotPrincipal"):
        if key in out:
            value = out[key]
            if isinstance(value, str):
                out[key] = "*"
            else:
                out[key] = {
                    k: (v if isinstance(v, str) else sorted(_strings(v, where, f"{key} {k}"), reverse=True))
                    for k, v in sorted(value.items())
                }
    if statement.get("Condition"):
        conditions: dict[str, dict[str, Any]] = {}
        for test, variables in sorted(statement["Condition"].items()):
            for var, values in sorted(variables.items()):
                if isinstance(values, bool):
                    values = "true" if values else "false"
                elif isinstance(values, list):
                    # Condition values of one element are written as a string (policy_model.go flattens them).
                    values = _strings(values, where, f"Condition {test} {var}")
                    values = values[0] if len(values) == 1 else values
                elif not isinstance(values, str):
                    continue  # numbers and nulls match no case of the model's unmarshalling: dropped
                conditions.setdefault(test, {})[var] = values
        out["Condition"] = conditions
    return out


def _merge(into: dict[str, Any], new: Mapping[str, Any]) -> None:
    if new["Id"]:
        into["Id"] = new["Id"]
    if new["Version"] > into["Version"]:
        into["Version"] = new["Version"]
    for statement in new["Statement"]:
        sid = statement.get("Sid") or ""
        existing = next((i for i, s in enumerate(into["Statement"]) if sid and s.get("Sid") == sid), None)
        if existing is None:
            into["Statement"].append(statement)
        else:
            into["Statement"][existing] = statement


def _ordered(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with Go's field order and ``omitempty``."""
    out: dict[str, Any] = {k: document[k] for k in ("Version", "Id") if document[k]}
    statements = []
    for statement in document["Statement"]:
        fields = (*_STATEMENT_FIELDS, "Condition")
        statements.append({k: statement[k] for k in fields if statement.get(k) not in (None, "", [], {})})
    if statements:
        out["Statement"] = statements
    return out


def _go_json(value: Any, indent: int | None) -> str:
    """``encoding/json`` output: HTML-safe escapes, non-ASCII kept, as Go writes it."""
    separators = (",", ": ") if indent else (",", ":")
    text = json.dumps(value, indent=indent, ensure_ascii=False, separators=separators)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028")):
        text = text.replace(char, escape)
    return text.replace("\u2029", "\\u2029")


def policy_document(args: Mapping[str, Any]) -> dict[str, Any]:
    """What ``aws:iam/getPolicyDocument:getPolicyDocument`` returns for ``args`` (``id``, ``json``, ...)."""
    merged: dict[str, Any] = {"Version": "", "Id": "", "Statement": []}
    sids: set[str] = set()
    for index, text in enumerate(_get(args, "sourcePolicyDocuments", "source_policy_documents") or []):
        if text is None:
            continue
        source = _parse_document(text, "source", index)
        for number, statement in enumerate(source["Statement"]):
            if sid := statement.get("Sid"):
                if sid in sids:
                    raise PolicyDocumentError(
                        f"merging source document {index}: duplicate Sid ({sid}) in source_policy_documents "
                        f"(statement {number}). Remove the Sid or ensure Sids are unique."
                    )
                sids.add(sid)
        _merge(merged, source)
    version = str(args.get("version") or DEFAULT_VERSION)
    if version not in VERSIONS:
        raise PolicyDocumentError(f"version {version!r} must be one of {', '.join(VERSIONS)}")
    current: dict[str, Any] = {
        "Version": version,
        "Id": str(_get(args, "policyId", "policy_id") or ""),
        "Statement": [],
    }
    own_sids: set[str] = set()
    for block in _get(args, "statements", "statement") or []:
        statement = _statement(block, version)
        if sid := statement["Sid"]:
            if sid in own_sids:
                raise PolicyDocumentError(f"duplicate Sid ({sid}). Remove the Sid or ensure the Sid is unique.")
            own_sids.add(sid)
        current["Statement"].append(statement)
    _merge(merged, current)
    for index, text in enumerate(_get(args, "overridePolicyDocuments", "override_policy_documents") or []):
        if text is not None:
            _merge(merged, _parse_document(text, "override", index))
    document = _ordered(merged)
    pretty = _go_json(document, 2)
    result: dict[str, Any] = {k: v for k, v in args.items() if v is not None}
    result.update(id=str(zlib.crc32(pretty.encode())), json=pretty, minifiedJson=_go_json(document, None))
    return result
