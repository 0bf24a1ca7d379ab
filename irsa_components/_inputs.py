"""Small helpers for inputs that may be plain values or Pulumi Outputs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, MutableMapping, MutableSequence, Sequence
from inspect import isawaitable
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints, is_typeddict

import pulumi

from irsa_components.errors import IrsaConfigError
from irsa_components.validation import (
    refuse_unknown_keys,
    validate_max_session_duration,
    validate_policy_attachment_quota,
    validate_trust_policy_quota,
)

T = TypeVar("T")
R = TypeVar("R")


def is_known(value: Any) -> bool:
    """True when ``value`` holds no Output or awaitable anywhere inside it (so it can be checked now)."""
    if isinstance(value, pulumi.Output) or isawaitable(value):
        return False
    if isinstance(value, Mapping):
        return all(is_known(k) and is_known(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(is_known(v) for v in value)
    return True


def setting(args: Mapping[str, Any], key: str, default: T) -> Any:
    """An optional field's value: ``default`` when it is missing or None (None means unset, for every field)."""
    value = args.get(key)
    return default if value is None else value


def check_now_or_later(value: Any, check: Callable[[Any], R]) -> pulumi.Input[R]:
    """Runs ``check`` at once on a plain value, or inside ``apply`` once an Output resolves.

    Either way the same ``IrsaConfigError`` reaches the user: at construction for plain
    values, at deploy time for values only known then.
    """
    if is_known(value):
        return check(value)
    return pulumi.Output.from_input(value).apply(check)


NUMBER_FIELDS: dict[str, Callable[[str, Any], int]] = {
    "max_session_duration": validate_max_session_duration,
    "max_policy_attachments": validate_policy_attachment_quota,
    "max_trust_policy_size": validate_trust_policy_quota,
}
"""Number fields with a range: a number given as a string is suggested back only when in range."""


def _kind(hint: Any) -> str:
    """How a type reads in an error message."""
    origin = get_origin(hint)
    if hint is str:
        return "string"
    if hint is bool:
        return "bool (True or False)"
    if hint is int:
        return "whole number"
    if origin in (list, Sequence, MutableSequence) or hint in (list, Sequence):
        return "list"
    if origin in (dict, Mapping, MutableMapping) or hint in (dict, Mapping) or is_typeddict(hint):
        return "dict"
    return getattr(hint, "__name__", str(hint))


def _plain_fix(field: str, value: Any, hint: Any) -> str:
    """A fix for a value of the wrong type: the value converted when that is unambiguous, else what to pass."""
    if hint is int and isinstance(value, str) and value.strip().isdigit():
        check = NUMBER_FIELDS.get(field.rsplit(".", 1)[-1])
        try:
            if check is not None:
                check("", int(value))
        except IrsaConfigError as exc:
            return f"write a number without quotes; {value.strip()} itself would be refused: {exc.problem}"
        return f"write the number without quotes ({field}={value.strip()} rather than {value!r})"
    if hint is bool and value in ("true", "True", "false", "False"):
        return f"pass {field}={value.capitalize()} (a bool, not a string)"
    if get_origin(hint) in (list, Sequence, MutableSequence) and isinstance(value, str):
        return f"wrap the value in a list: {field}=[...]"
    return f"pass a {_kind(hint)}"


def _output_allowed(hint: Any) -> tuple[bool, list[Any]]:
    """Whether ``hint`` (e.g. ``pulumi.Input[str]``) admits an Output, and its plain alternatives."""
    if get_origin(hint) in (Union, UnionType):
        members = list(get_args(hint))
        deferred = [m for m in members if (get_origin(m) or m) in (pulumi.Output, Awaitable)]
        return bool(deferred), [m for m in members if m not in deferred and m is not type(None)]
    return False, [hint]


def check_shape(component: str, field: str, value: Any, hint: Any, deferred_fields: Collection[str] = ()) -> None:
    """Refuses ``value`` when it can't be of type ``hint`` (an annotation of an args TypedDict): a deploy-time
    Output where a plain value is needed, a string for a number, unknown keys in a nested TypedDict..."""
    if value is None or hint is Any:
        return
    outputs_ok, plain = _output_allowed(hint)
    if outputs_ok:
        # A field that takes Outputs has its own validator, run on the plain value now or on the resolved one
        # later: it alone speaks for the value, so both forms get the same message.
        return
    if not is_known(value) and (isinstance(value, pulumi.Output) or isawaitable(value)):
        raise IrsaConfigError(
            component,
            field,
            "<deploy-time Output>",
            f"must be a plain {_kind(plain[0])}, not an Output: it decides what the component registers before "
            "anything is deployed",
            f"pass a plain {_kind(plain[0])} (a literal, or read from pulumi.Config)",
        )
    if len(plain) > 1:
        problems = []
        for member in plain:
            try:
                check_shape(component, field, value, member, deferred_fields)
                return
            except IrsaConfigError as exc:
                problems.append(exc)
        raise problems[0]
    hint = plain[0]
    origin = get_origin(hint)
    ok = True
    if hint is str:
        ok = isinstance(value, str)
    elif hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif origin in (list, Sequence, MutableSequence):
        ok = isinstance(value, (list, tuple))
        if ok and field not in deferred_fields:
            (item,) = get_args(hint) or (Any,)
            for index, element in enumerate(value):
                check_shape(component, f"{field}[{index}]", element, item)
    elif origin in (dict, Mapping, MutableMapping):
        ok = isinstance(value, Mapping)
        if ok:
            _key_hint, item_hint = get_args(hint) or (Any, Any)
            for key, element in value.items():
                check_shape(component, f"{field}[{key!r}]", element, item_hint)
    elif is_typeddict(hint):
        ok = isinstance(value, Mapping)
        if ok:
            check_typed_dict(component, value, hint, prefix=f"{field}.")
    if not ok:
        raise IrsaConfigError(
            component,
            field,
            value,
            f"must be a {_kind(hint)}, not {type(value).__name__}",
            _plain_fix(field, value, hint),
        )


def typed_dict_fields(schema: Any) -> dict[str, Any]:
    """Every field of a TypedDict (inherited ones too) and its type, read from the annotations."""
    try:
        # pulumi.Input's alias names Output as a forward reference: resolve it in pulumi's own namespace.
        return dict(get_type_hints(schema, localns=dict(vars(pulumi.output))))
    except Exception:  # an annotation that can't be evaluated: still know the keys
        return dict.fromkeys(
            getattr(schema, "__required_keys__", set()) | getattr(schema, "__optional_keys__", set()), Any
        )


def check_typed_dict(
    component: str, value: Mapping[str, Any], schema: Any, *, prefix: str = "", deferred_fields: Collection[str] = ()
) -> None:
    """Refuses keys ``schema`` does not declare (naming the closest known one) and values of the wrong shape."""
    fields = typed_dict_fields(schema)
    refuse_unknown_keys(component, value, fields, prefix=prefix)
    for key, element in value.items():
        check_shape(component, f"{prefix}{key}", element, fields[key], deferred_fields)


def check_args(
    component: str, args: Any, schema: Any, *, deferred_fields: Collection[str] = ("addon_policies",)
) -> Mapping[str, Any]:
    """A component's ``args``: a dict whose keys are fields of ``schema`` (its Args TypedDict) and whose values
    have the declared shape. Known keys come from the annotations, so a new field needs no edit here.
    Entries of ``deferred_fields`` are only checked to be lists: their own validator knows their keys."""
    if not isinstance(args, Mapping):
        required = sorted(getattr(schema, "__required_keys__", ()))
        example = ", ".join(f"{key!r}: ..." for key in required) or "..."
        raise IrsaConfigError(
            component,
            "args",
            args,
            f"must be a dict of {schema.__name__} fields",
            f"pass a dict, e.g. {{{example}}}",
        )
    check_typed_dict(component, args, schema, deferred_fields=deferred_fields)
    return args
