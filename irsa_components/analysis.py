"""A pure evaluator of role trust policies: can this web identity token or Pod Identity session assume the role?

It implements the IAM semantics it claims and nothing more: Allow/Deny with Deny winning, Principal
and NotAction matching, ``StringEquals``/``StringNotEquals``/``StringLike``/``StringNotLike`` (and their
``IgnoreCase`` and ``IfExists`` forms), ``ArnEquals``/``ArnLike``, ``Null``, ``Bool``, several values of
one key ORed, several keys and operators ANDed, and the ``ForAnyValue``/``ForAllValues`` set operators.
Anything else (another operator, ``NotPrincipal``, policy variables, a condition key the request does
not model) makes the answer ``NOT_ANALYSED`` rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

from irsa_components.trust import (
    POD_IDENTITY_ACTIONS,
    POD_IDENTITY_SERVICE,
    TAG_CLUSTER_NAME,
    TAG_NAMESPACE,
    TAG_SERVICE_ACCOUNT,
    WEB_IDENTITY_ACTION,
    provider_url_from_arn,
    service_account_subject,
)


class Decision(Enum):
    """Outcome of evaluating a request against a trust policy."""

    ALLOW = "allow"
    """An Allow statement matches and no Deny does."""
    EXPLICIT_DENY = "explicit-deny"
    """A Deny statement matches."""
    IMPLICIT_DENY = "implicit-deny"
    """No statement matches."""
    NOT_ANALYSED = "not-analysed"
    """A statement that could decide the outcome uses something this evaluator does not model."""


@dataclass(frozen=True)
class Request:
    """One assume-role request: who asks, for which actions, with which condition context.

    Every action must be allowed (Pod Identity needs both ``sts:AssumeRole`` and ``sts:TagSession``).
    ``context`` holds the request's condition keys (lowercased) and their values; ``modelled_prefixes``
    are the key prefixes whose absence from ``context`` is a known fact rather than a gap in the model.
    """

    principal_type: str
    principal: str
    actions: tuple[str, ...]
    context: Mapping[str, tuple[str, ...]]
    modelled_keys: frozenset[str] = field(default_factory=frozenset)


def web_identity_request(provider_arn: str, namespace: str, service_account: str, audience: str) -> Request:
    """A projected service account token presented to STS through the OIDC provider ``provider_arn``."""
    url = provider_url_from_arn(provider_arn).lower()
    context = {f"{url}:sub": (service_account_subject(namespace, service_account),), f"{url}:aud": (audience,)}
    return Request("Federated", provider_arn, (WEB_IDENTITY_ACTION,), context, frozenset(context))


def pod_identity_request(
    cluster_name: str, namespace: str, service_account: str, *, session_tags: bool = True
) -> Request:
    """EKS Pod Identity assuming a role for one association, with or without its session tags."""
    tags = {TAG_CLUSTER_NAME: cluster_name, TAG_NAMESPACE: namespace, TAG_SERVICE_ACCOUNT: service_account}
    context: dict[str, tuple[str, ...]] = {k.lower(): (v,) for k, v in tags.items()} if session_tags else {}
    modelled = {k.lower() for k in tags} | {"aws:tagkeys"}
    if session_tags:
        context["aws:tagkeys"] = tuple(k.split("/", 1)[1] for k in tags)
    return Request("Service", POD_IDENTITY_SERVICE, tuple(POD_IDENTITY_ACTIONS), context, frozenset(modelled))


class _NotAnalysed(Exception):
    """Raised internally when a statement uses something outside the model."""


@lru_cache(maxsize=4096)
def _pattern(value: str, ignore_case: bool) -> re.Pattern[str]:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in value)
    return re.compile(f"^{regex}$", re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def wildcard_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's ``*`` (any run, empty included) and ``?`` (one character) matching."""
    return _pattern(pattern, ignore_case).match(value) is not None


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _principal_matches(statement: Mapping[str, Any], request: Request) -> bool:
    if "NotPrincipal" in statement:
        raise _NotAnalysed("NotPrincipal")
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    if "*" in _as_list(principal.get("AWS", [])):
        return True
    return any(request.principal == p for p in _as_list(principal.get(request.principal_type, [])))


def _action_matches(statement: Mapping[str, Any], action: str) -> bool:
    if "NotAction" in statement:
        return not any(wildcard_match(a, action, ignore_case=True) for a in _as_list(statement["NotAction"]))
    return any(wildcard_match(a, action, ignore_case=True) for a in _as_list(statement.get("Action", [])))


_STRING_OPERATORS = {
    "stringequals": (False, False, False),
    "stringnotequals": (True, False, False),
    "stringequalsignorecase": (False, False, True),
    "stringnotequalsignorecase": (True, False, True),
    "stringlike": (False, True, False),
    "stringnotlike": (True, True, False),
    "arnequals": (False, False, False),
    "arnnotequals": (True, False, False),
    "arnlike": (False, True, False),
    "arnnotlike": (True, True, False),
}
"""operator -> (negated, wildcards honoured, case-insensitive)."""


def _single_match(wildcards: bool, ignore_case: bool, condition_value: str, value: str) -> bool:
    if wildcards:
        return wildcard_match(condition_value, value, ignore_case=ignore_case)
    return condition_value.lower() == value.lower() if ignore_case else condition_value == value


def _condition_holds(operator: str, key: str, condition_values: list[Any], request: Request) -> bool:
    set_op, _, base = operator.rpartition(":")
    base_lower = base.lower()
    if_exists = base_lower.endswith("ifexists")
    if if_exists:
        base_lower = base_lower[: -len("ifexists")]
    key_lower = key.lower()
    if key_lower not in request.context and key_lower not in request.modelled_keys:
        raise _NotAnalysed(f"condition key {key}")
    values = request.context.get(key_lower)
    if any("${" in str(v) for v in condition_values):
        raise _NotAnalysed("policy variable")
    if base_lower == "null":
        wants_null = str(condition_values[0]).lower() == "true"
        return (values is None) == wants_null
    if base_lower == "bool":
        if values is None:
            return if_exists
        return any(str(v).lower() == str(c).lower() for v in values for c in condition_values)
    if base_lower not in _STRING_OPERATORS:
        raise _NotAnalysed(f"operator {operator}")
    negated, wildcards, ignore_case = _STRING_OPERATORS[base_lower]
    strings = [str(c) for c in condition_values]

    def matches_any(value: str) -> bool:
        return any(_single_match(wildcards, ignore_case, c, value) for c in strings)

    if set_op.lower() == "forallvalues":
        # True when every request value matches (vacuously true for a missing key).
        result = all(matches_any(v) for v in values or ())
        return (not result) if negated else result
    if set_op.lower() == "foranyvalue":
        if not values:
            return False
        hit = any(matches_any(v) for v in values)
        return (not hit) if negated else hit
    if set_op:
        raise _NotAnalysed(f"set operator {set_op}")
    if values is None:
        # A missing key fails positive operators and satisfies negated ones; IfExists satisfies both.
        return if_exists or negated
    hit = any(matches_any(v) for v in values)
    return (not hit) if negated else hit


def _statement_applies(statement: Mapping[str, Any], request: Request, action: str) -> bool:
    if not _principal_matches(statement, request) or not _action_matches(statement, action):
        return False
    for operator, block in (statement.get("Condition") or {}).items():
        if not isinstance(block, Mapping):
            raise _NotAnalysed(f"malformed condition {operator}")
        for key, condition_values in block.items():
            if not _condition_holds(operator, key, _as_list(condition_values), request):
                return False
    return True


def _evaluate_action(statements: Iterable[Mapping[str, Any]], request: Request, action: str) -> Decision:
    allowed = denied = unknown = False
    for statement in statements:
        try:
            applies = _statement_applies(statement, request, action)
        except _NotAnalysed:
            unknown = True
            continue
        if applies and statement.get("Effect") == "Deny":
            denied = True
        elif applies and statement.get("Effect") == "Allow":
            allowed = True
    if denied:
        return Decision.EXPLICIT_DENY
    if unknown:
        return Decision.NOT_ANALYSED
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


def statements_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The statements of a policy document (a lone statement object counts as a list of one)."""
    return [s for s in _as_list(document.get("Statement", [])) if isinstance(s, Mapping)]


def can_assume(document: Mapping[str, Any], request: Request) -> Decision:
    """Whether ``request`` may assume a role whose trust policy is ``document``."""
    statements = statements_of(document)
    decisions = [_evaluate_action(statements, request, action) for action in request.actions]
    for decision in (Decision.EXPLICIT_DENY, Decision.NOT_ANALYSED, Decision.IMPLICIT_DENY):
        if decision in decisions:
            return decision
    return Decision.ALLOW


def admitted_subjects(
    document: Mapping[str, Any], provider_arn: str, audience: str, candidates: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The (namespace, service account) candidates whose tokens the trust admits through ``provider_arn``."""
    return [
        (ns, sa)
        for ns, sa in candidates
        if can_assume(document, web_identity_request(provider_arn, ns, sa, audience)) is Decision.ALLOW
    ]
