"""A pure evaluator of role trust policies: who may assume a role, and may this token or session assume it?

It implements the IAM semantics it claims and nothing more: Allow/Deny with Deny winning, Principal
and NotAction matching, ``StringEquals``/``StringNotEquals``/``StringLike``/``StringNotLike`` (and their
``IgnoreCase`` and ``IfExists`` forms), ``ArnEquals``/``ArnLike`` (and negations), ``Null``, ``Bool``,
several values of one key ORed (NORed under a negated operator), several keys and operators ANDed, and
the ``ForAnyValue``/``ForAllValues`` set operators. Anything else (another operator, ``NotPrincipal``,
policy variables, a condition key the request does not model) makes the answer ``NOT_ANALYSED``
rather than a guess.

``can_assume`` answers for one concrete request; ``grants`` lists who a trust policy admits, as
IRSA grants, Pod Identity grants, other principals, and the statements it could not analyse.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from irsa_components.review.condition_keys import POD_IDENTITY_TAGS
from irsa_components.review.condition_keys import key_absent as _key_absent
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

TAG_CLUSTER_ARN = "aws:RequestTag/eks-cluster-arn"
POD_IDENTITY_TAG_KEYS = POD_IDENTITY_TAGS
"""The session tags EKS Pod Identity sets on every session it opens (``aws:TagKeys`` of the request)."""

SUBJECT_PREFIX = "system:serviceaccount:"
_MULTIVALUED_KEYS = frozenset({"aws:tagkeys"})


class Decision(Enum):
    """Outcome of evaluating a request against a trust policy."""

    ALLOW = "allow"
    """An Allow statement matches and no Deny does."""
    EXPLICIT_DENY = "explicit-deny"
    """A Deny statement matches."""
    IMPLICIT_DENY = "implicit-deny"
    """No Allow statement matches (nor could one this evaluator does not model)."""
    DENY = "deny"
    """Denied, but whether explicitly is not analysed: no Allow matches and a Deny the evaluator cannot read
    may or may not apply."""
    NOT_ANALYSED = "not-analysed"
    """A statement that could turn the answer from deny to allow or back uses something not modelled here."""


@dataclass(frozen=True)
class Request:
    """One assume-role request: who asks, for which actions, with which condition context.

    Every action must be allowed (Pod Identity needs both ``sts:AssumeRole`` and ``sts:TagSession``).
    ``context`` holds the request's condition keys (lowercased) and their values; ``modelled_keys``
    are the keys whose absence from ``context`` is a known fact rather than a gap in the model.
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
    cluster_name: str,
    namespace: str,
    service_account: str,
    *,
    session_tags: bool = True,
    cluster_arn: str | None = None,
) -> Request:
    """EKS Pod Identity assuming a role for one association, with or without its session tags (``sts:AssumeRole``
    and ``sts:TagSession``, or ``sts:AssumeRole`` alone for an association with ``disable_session_tags``).

    The cluster ARN tag is modelled only when ``cluster_arn`` is given; pod name and UID never are.
    """
    tags = {TAG_CLUSTER_NAME: cluster_name, TAG_NAMESPACE: namespace, TAG_SERVICE_ACCOUNT: service_account}
    if cluster_arn is not None:
        tags[TAG_CLUSTER_ARN] = cluster_arn
    context: dict[str, tuple[str, ...]] = {k.lower(): (v,) for k, v in tags.items()} if session_tags else {}
    modelled = {k.lower() for k in tags} | {"aws:tagkeys"}
    if session_tags:
        context["aws:tagkeys"] = POD_IDENTITY_TAG_KEYS
    else:
        modelled |= {f"aws:requesttag/{key}" for key in POD_IDENTITY_TAG_KEYS}
    # Without session tags EKS calls sts:AssumeRole only; sts:TagSession is for passing the tags.
    actions = tuple(POD_IDENTITY_ACTIONS) if session_tags else ("sts:AssumeRole",)
    return Request("Service", POD_IDENTITY_SERVICE, actions, context, frozenset(modelled))


def key_absent(request: Request, key: str) -> bool:
    """Whether ``key`` can never be in this request's context, by the kind of its principal
    (``irsa_components.review.condition_keys``)."""
    return _key_absent(request.principal_type, request.principal, key)


class _NotAnalysed(Exception):
    """Raised internally when a statement uses something outside the model."""


def _same_character(written: str, given: str, ignore_case: bool) -> bool:
    return written == given or (ignore_case and (written.lower() == given.lower() or written.upper() == given.upper()))


def wildcard_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM's ``*`` (any run, empty included) and ``?`` (one character) matching, of the whole value.

    In at most ``len(pattern) * len(value)`` steps: a pattern is policy text anyone may write, and the backtracking
    regex this replaced took 20 s for ``*a*a*a*a*a*a*a*a*a*a*b`` against 40 characters (and hours for a few more),
    stalling the CI gate. On a mismatch after a ``*``, only the last ``*`` is retried one character further: an
    earlier ``*`` absorbing more can never help, as the later one absorbs anything it would.
    """
    p = v = 0
    star, resume = -1, 0
    while v < len(value):
        if p < len(pattern) and pattern[p] == "*":
            star, resume = p, v
            p += 1
        elif p < len(pattern) and (pattern[p] == "?" or _same_character(pattern[p], value[v], ignore_case)):
            p += 1
            v += 1
        elif star >= 0:
            resume += 1
            p, v = star + 1, resume
        else:
            return False
    return all(c == "*" for c in pattern[p:])


def arn_match(pattern: str, value: str) -> bool:
    """``ArnLike``/``ArnEquals``: each of the six colon-separated parts matched separately, wildcards allowed."""
    pattern_parts, value_parts = pattern.split(":", 5), value.split(":", 5)
    if len(pattern_parts) != 6:
        raise _NotAnalysed(f"ARN pattern {pattern!r} does not have six parts")
    if len(value_parts) != 6:
        return False
    return all(wildcard_match(p, v) for p, v in zip(pattern_parts, value_parts, strict=True))


def as_list(value: Any) -> list[Any]:
    """A policy element that may be one value or a list of them, as a list."""
    return list(value) if isinstance(value, (list, tuple)) else [value]


_ACCOUNT_ROOT = re.compile(r"^arn:[a-z0-9-]+:iam::(\d{12}):root$")
_IAM_ARN = re.compile(r"^arn:[a-z0-9-]+:(?:iam|sts)::(\d{12}):")


def account_of(principal: str) -> str | None:
    """The account an AWS principal (12-digit id, ``...:root``, or an IAM/STS ARN) belongs to."""
    if re.fullmatch(r"\d{12}", principal):
        return principal
    match = _IAM_ARN.match(principal)
    return match[1] if match else None


def is_account_principal(principal: str) -> bool:
    """``111122223333`` and ``arn:aws:iam::111122223333:root`` both mean "the account" (any principal in it
    that its own identity policies allow)."""
    return re.fullmatch(r"\d{12}", principal) is not None or _ACCOUNT_ROOT.match(principal) is not None


def _aws_principal_matches(written: str, requester: str) -> bool:
    if written == "*" or written == requester:
        return True
    return is_account_principal(written) and account_of(written) == account_of(requester)


def _principal_matches(statement: Mapping[str, Any], request: Request) -> bool:
    if "NotPrincipal" in statement:
        raise _NotAnalysed("NotPrincipal")
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, Mapping):
        return False
    # "AWS": "*" is the same as Principal "*" (IAM JSON policy elements: Principal).
    if "*" in [str(p) for p in as_list(principal.get("AWS", []))]:
        return True
    written = [str(p) for p in as_list(principal.get(request.principal_type, []))]
    if request.principal_type == "AWS":
        return any(_aws_principal_matches(p, request.principal) for p in written)
    return request.principal in written


def action_matches(statement: Mapping[str, Any], action: str) -> bool:
    """Whether the statement's ``Action`` (or ``NotAction``) covers ``action``."""
    if "NotAction" in statement:
        return not any(wildcard_match(a, action, ignore_case=True) for a in as_list(statement["NotAction"]))
    return any(wildcard_match(a, action, ignore_case=True) for a in as_list(statement.get("Action", [])))


@dataclass(frozen=True)
class _Operator:
    """How a string or ARN condition operator compares values."""

    negated: bool
    wildcards: bool
    ignore_case: bool
    arn: bool = False


_OPERATORS = {
    "stringequals": _Operator(False, False, False),
    "stringnotequals": _Operator(True, False, False),
    "stringequalsignorecase": _Operator(False, False, True),
    "stringnotequalsignorecase": _Operator(True, False, True),
    "stringlike": _Operator(False, True, False),
    "stringnotlike": _Operator(True, True, False),
    "arnequals": _Operator(False, True, False, arn=True),
    "arnnotequals": _Operator(True, True, False, arn=True),
    "arnlike": _Operator(False, True, False, arn=True),
    "arnnotlike": _Operator(True, True, False, arn=True),
}


@dataclass(frozen=True)
class ParsedOperator:
    """A condition operator split into its set prefix, base name and ``IfExists`` suffix (all lowercased)."""

    set_operator: str
    """``forallvalues``, ``foranyvalue`` or empty."""
    base: str
    if_exists: bool


def parse_operator(operator: str) -> ParsedOperator:
    """Splits e.g. ``ForAnyValue:StringLikeIfExists`` into its parts."""
    set_op, _, base = operator.lower().rpartition(":")
    if_exists = base.endswith("ifexists")
    return ParsedOperator(set_op, base[: -len("ifexists")] if if_exists else base, if_exists)


def _single_match(op: _Operator, condition_value: str, value: str) -> bool:
    if op.arn:
        return arn_match(condition_value, value)
    if op.wildcards:
        return wildcard_match(condition_value, value, ignore_case=op.ignore_case)
    return condition_value.lower() == value.lower() if op.ignore_case else condition_value == value


def _set_condition_holds(
    set_op: str, op: _Operator, matches_any: Callable[[str], bool], values: tuple[str, ...] | None
) -> bool:
    if set_op == "forallvalues":
        # Every request value must satisfy the operator; vacuously true when the key is missing.
        return all((not matches_any(v)) if op.negated else matches_any(v) for v in values or ())
    if set_op == "foranyvalue":
        # At least one request value must satisfy the operator; false when the key is missing.
        return any((not matches_any(v)) if op.negated else matches_any(v) for v in values or ())
    raise _NotAnalysed(f"set operator {set_op}")


def _condition_holds(operator: str, key: str, condition_values: list[Any], request: Request) -> bool:
    parsed = parse_operator(operator)
    key_lower = key.lower()
    if key_lower not in request.context and key_lower not in request.modelled_keys and not key_absent(request, key):
        raise _NotAnalysed(f"condition key {key}")
    values = request.context.get(key_lower)
    if any("${" in str(v) for v in condition_values):
        raise _NotAnalysed("policy variable")
    if parsed.base == "null":
        if not condition_values:
            raise _NotAnalysed("Null without a value")
        wants_null = str(condition_values[0]).lower() == "true"
        return (values is None) == wants_null
    if parsed.base == "bool":
        if values is None:
            return parsed.if_exists
        return any(str(v).lower() == str(c).lower() for v in values for c in condition_values)
    if parsed.base not in _OPERATORS:
        raise _NotAnalysed(f"operator {operator}")
    op = _OPERATORS[parsed.base]
    strings = [str(c) for c in condition_values]

    def matches_any(value: str) -> bool:
        return any(_single_match(op, c, value) for c in strings)

    if parsed.set_operator:
        return _set_condition_holds(parsed.set_operator, op, matches_any, values)
    if values is None:
        # A missing key fails positive operators and satisfies negated ones; IfExists satisfies both.
        return parsed.if_exists or op.negated
    if key_lower in _MULTIVALUED_KEYS:
        raise _NotAnalysed(f"{operator} without ForAnyValue/ForAllValues on the multivalued key {key}")
    hit = any(matches_any(v) for v in values)
    return (not hit) if op.negated else hit


def _not_principal_matches(statement: Mapping[str, Any], request: Request) -> bool:
    excluded = statement["NotPrincipal"]
    if excluded == "*":
        return False
    if not isinstance(excluded, Mapping):
        return True
    written = [str(p) for p in as_list(excluded.get(request.principal_type, []))]
    if request.principal_type == "AWS":
        return not any(_aws_principal_matches(p, request.principal) for p in written)
    return request.principal not in written


def _statement_applies(statement: Mapping[str, Any], request: Request, action: str, optimistic: bool) -> bool:
    """Whether the statement applies to the request. ``optimistic``: what the model cannot read is taken
    to favour the requester (an Allow's unknown condition holds, a Deny's unknown part does not apply)."""
    allow = statement.get("Effect") == "Allow"
    if optimistic and "NotPrincipal" in statement:
        if not allow or not _not_principal_matches(statement, request):
            return False
    elif not _principal_matches(statement, request):
        return False
    if not action_matches(statement, action):
        return False
    conditions = statement.get("Condition") or {}
    if not isinstance(conditions, Mapping):
        if optimistic:
            return allow
        raise _NotAnalysed("malformed Condition")
    for operator, block in conditions.items():
        if not isinstance(block, Mapping):
            if optimistic:
                if not allow:
                    return False
                continue
            raise _NotAnalysed(f"malformed condition {operator}")
        for key, condition_values in block.items():
            try:
                holds = _condition_holds(operator, key, as_list(condition_values), request)
            except _NotAnalysed:
                if not optimistic:
                    raise
                holds = allow
            if not holds:
                return False
    return True


def _evaluate_action(statements: Iterable[Mapping[str, Any]], request: Request, action: str) -> Decision:
    allowed = denied = unknown_allow = unknown_deny = False
    for statement in statements:
        effect = statement.get("Effect")
        try:
            applies = _statement_applies(statement, request, action, optimistic=False)
        except _NotAnalysed:
            unknown_allow = unknown_allow or effect == "Allow"
            unknown_deny = unknown_deny or effect == "Deny"
            continue
        denied = denied or (applies and effect == "Deny")
        allowed = allowed or (applies and effect == "Allow")
    if denied:
        return Decision.EXPLICIT_DENY
    if allowed:
        return Decision.NOT_ANALYSED if unknown_deny else Decision.ALLOW
    # Nothing allows: an unanalysed Allow could change that; an unanalysed Deny only whether it is explicit.
    if unknown_allow:
        return Decision.NOT_ANALYSED
    return Decision.DENY if unknown_deny else Decision.IMPLICIT_DENY


def statements_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The statements of a policy document (a lone statement object counts as a list of one)."""
    return [s for s in as_list(document.get("Statement", [])) if isinstance(s, Mapping)]


def provider_in_other_account(request: Request, role_arn: str | None) -> bool:
    """STS looks up a web identity provider in the role's own account only (EKS user guide, "Authenticate to
    another account with IRSA"): a ``Federated`` provider ARN of another account never admits anyone."""
    if role_arn is None or request.principal_type != "Federated" or ":oidc-provider/" not in request.principal:
        return False
    role_account = account_of(role_arn)
    return role_account is not None and account_of(request.principal) != role_account


def can_assume(document: Mapping[str, Any], request: Request, *, role_arn: str | None = None) -> Decision:
    """Whether ``request`` may assume a role whose trust policy is ``document``.

    With ``role_arn``, a web identity request through a provider of another account is denied, as STS does.
    """
    if provider_in_other_account(request, role_arn):
        return Decision.IMPLICIT_DENY
    statements = statements_of(document)
    decisions = [_evaluate_action(statements, request, action) for action in request.actions]
    for decision in (Decision.EXPLICIT_DENY, Decision.NOT_ANALYSED, Decision.DENY, Decision.IMPLICIT_DENY):
        if decision in decisions:
            return decision
    return Decision.ALLOW


def may_assume(document: Mapping[str, Any], request: Request, *, role_arn: str | None = None) -> bool:
    """Whether ``request`` could assume the role when everything the model cannot read favours the requester.

    The sound side for a gate: an Allow condition the evaluator cannot read is taken to hold, a Deny it cannot
    read to not apply. ``can_assume`` answers ALLOW only when this is True.
    """
    if provider_in_other_account(request, role_arn):
        return False
    statements = statements_of(document)
    for action in request.actions:
        applying = [s for s in statements if _statement_applies(s, request, action, optimistic=True)]
        if any(s.get("Effect") == "Deny" for s in applying) or not any(s.get("Effect") == "Allow" for s in applying):
            return False
    return True


def admitted_subjects(
    document: Mapping[str, Any], provider_arn: str, audience: str, candidates: Sequence[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The (namespace, service account) candidates whose tokens the trust admits through ``provider_arn``."""
    return [
        (ns, sa)
        for ns, sa in candidates
        if can_assume(document, web_identity_request(provider_arn, ns, sa, audience)) is Decision.ALLOW
    ]


# ---- who may assume a role ------------------------------------------------------------------------


@dataclass(frozen=True)
class Constraint:
    """One condition on one key, as written: the value must (negated: must not) match one of ``values``."""

    operator: str
    """The operator as written, e.g. ``StringLike``."""
    values: tuple[str, ...]
    negated: bool
    wildcards: bool
    """``*`` and ``?`` are wildcards (``StringLike``); under ``StringEquals`` they are literal characters."""
    ignore_case: bool
    if_exists: bool
    """A request without the key passes (``...IfExists``)."""

    def admits(self, value: str | None) -> bool:
        """Whether a request whose key has ``value`` (None: key absent) passes this condition."""
        if value is None:
            return self.if_exists or self.negated
        op = _Operator(self.negated, self.wildcards, self.ignore_case)
        hit = any(_single_match(op, c, value) for c in self.values)
        return hit != self.negated


def constraints_admit(constraints: Sequence[Constraint], value: str | None) -> bool:
    """Whether ``value`` passes every constraint (an empty sequence admits everything)."""
    return all(c.admits(value) for c in constraints)


@dataclass(frozen=True)
class IrsaGrant:
    """Service account tokens of one OIDC provider (a cluster's issuer) that an Allow statement admits."""

    statement: int
    """Index of the statement in the trust policy."""
    provider_arn: str
    provider_host: str
    """The issuer without ``https://``: the condition-key prefix."""
    subject: tuple[Constraint, ...]
    """Conditions on ``<host>:sub``, all of which must hold; empty: any service account of the cluster."""
    audience: tuple[Constraint, ...]
    """Conditions on ``<host>:aud``; empty: any audience."""


@dataclass(frozen=True)
class PodIdentityGrant:
    """EKS Pod Identity sessions (``pods.eks.amazonaws.com``, allowed both actions) that an Allow statement admits.

    Each field holds the conditions on one session tag; all empty means any association in the account
    that names the role.
    """

    statement: int
    cluster_name: tuple[Constraint, ...]
    cluster_arn: tuple[Constraint, ...]
    namespace: tuple[Constraint, ...]
    service_account: tuple[Constraint, ...]

    @property
    def narrowed(self) -> bool:
        """Whether any session tag narrows the grant: a condition that sessions without tags (an association with
        ``disable_session_tags``) fail. ``...IfExists`` and negated conditions let them through."""
        constraints = self.cluster_name + self.cluster_arn + self.namespace + self.service_account
        return any(not c.if_exists and not c.negated for c in constraints)


@dataclass(frozen=True)
class OtherPrincipal:
    """A principal other than an EKS OIDC provider or Pod Identity that an Allow statement names."""

    statement: int
    principal_type: str
    """``AWS``, ``Service``, ``Federated``, ``CanonicalUser``, or ``*`` for ``Principal: "*"``."""
    principal: str
    actions: tuple[str, ...]
    conditioned: bool
    """The statement carries conditions (not analysed for these principals)."""


@dataclass(frozen=True)
class NotAnalysedStatement:
    """A statement whose effect on who may assume the role this module does not work out."""

    statement: int
    reason: str


Grant = IrsaGrant | PodIdentityGrant | OtherPrincipal | NotAnalysedStatement

_POD_IDENTITY_TAG_FIELDS = {
    TAG_CLUSTER_NAME.lower(): "cluster_name",
    TAG_CLUSTER_ARN.lower(): "cluster_arn",
    TAG_NAMESPACE.lower(): "namespace",
    TAG_SERVICE_ACCOUNT.lower(): "service_account",
}


def _conditions(statement: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(operator, key, values) of every condition of a statement; refuses what ``Constraint`` cannot hold.

    The keys drawn here (``sub``, ``aud``, session tags) hold one value, so ``ForAnyValue:Op`` means ``Op``
    and ``ForAllValues:Op`` means ``OpIfExists`` (true when the key is absent); both are rewritten so.
    """
    found = []
    for operator, block in (statement.get("Condition") or {}).items():
        if not isinstance(block, Mapping):
            raise _NotAnalysed(f"malformed condition {operator}")
        parsed = parse_operator(operator)
        if parsed.base not in _OPERATORS or _OPERATORS[parsed.base].arn:
            raise _NotAnalysed(f"operator {operator}")
        written = operator.rpartition(":")[2]
        if parsed.set_operator == "forallvalues" and not parsed.if_exists:
            written += "IfExists"
        elif parsed.set_operator not in ("", "foranyvalue", "forallvalues"):
            raise _NotAnalysed(f"operator {operator}")
        for key, values in block.items():
            if key.lower() in _MULTIVALUED_KEYS:
                raise _NotAnalysed(f"condition on the multivalued key {key}")
            strings = [str(v) for v in as_list(values)]
            if any("${" in v for v in strings):
                raise _NotAnalysed(f"policy variable in {operator} {key}")
            found.append((written, key, strings))
    return found


def _constraint(operator: str, values: Sequence[str]) -> Constraint:
    parsed = parse_operator(operator)
    op = _OPERATORS[parsed.base]
    return Constraint(operator, tuple(values), op.negated, op.wildcards, op.ignore_case, parsed.if_exists)


def _demands_the_key(operator: str) -> bool:
    """Whether a condition under ``operator`` fails when its key is absent from the request (neither negated nor
    ``...IfExists``): on a key the principal never sends, the statement then admits nobody."""
    return not _OPERATORS[parse_operator(operator).base].negated and "ifexists" not in operator.lower()


def _irsa_grant(index: int, statement: Mapping[str, Any], provider_arn: str) -> IrsaGrant:
    host = provider_url_from_arn(provider_arn)
    by_claim: dict[str, list[Constraint]] = {"sub": [], "aud": []}
    for operator, key, values in _conditions(statement):
        prefix, _, claim = key.rpartition(":")
        if prefix.lower() != host.lower() or claim.lower() not in by_claim:
            absent = _key_absent("Federated", provider_arn, key)
            if absent and _demands_the_key(operator):
                raise _NotAnalysed(f"never admits a token of this provider: its tokens carry no {key}")
            raise _NotAnalysed(f"condition on {key}, which is not this provider's sub or aud")
        by_claim[claim.lower()].append(_constraint(operator, values))
    return IrsaGrant(index, provider_arn, host, tuple(by_claim["sub"]), tuple(by_claim["aud"]))


def _pod_identity_grant(index: int, statement: Mapping[str, Any]) -> PodIdentityGrant:
    by_tag: dict[str, list[Constraint]] = {name: [] for name in _POD_IDENTITY_TAG_FIELDS.values()}
    for operator, key, values in _conditions(statement):
        name = _POD_IDENTITY_TAG_FIELDS.get(key.lower())
        if name is None:
            absent = _key_absent("Service", POD_IDENTITY_SERVICE, key)
            if absent and _demands_the_key(operator):
                raise _NotAnalysed(f"never admits a Pod Identity session: its sessions carry no {key}")
            raise _NotAnalysed(f"condition on {key}, which is not a modelled Pod Identity session tag")
        by_tag[name].append(_constraint(operator, values))
    return PodIdentityGrant(
        index,
        cluster_name=tuple(by_tag["cluster_name"]),
        cluster_arn=tuple(by_tag["cluster_arn"]),
        namespace=tuple(by_tag["namespace"]),
        service_account=tuple(by_tag["service_account"]),
    )


def _principals(statement: Mapping[str, Any]) -> list[tuple[str, str]]:
    principal = statement.get("Principal")
    if principal == "*":
        return [("*", "*")]
    if not isinstance(principal, Mapping):
        return []
    return [(kind, str(value)) for kind, values in principal.items() for value in as_list(values)]


def _actions(statement: Mapping[str, Any]) -> tuple[str, ...]:
    if "NotAction" in statement:
        return tuple(f"NotAction {a}" for a in as_list(statement["NotAction"]))
    return tuple(str(a) for a in as_list(statement.get("Action", [])))


def _allows_pod_identity(statement: Mapping[str, Any]) -> bool:
    return all(action_matches(statement, action) for action in POD_IDENTITY_ACTIONS)


def _statement_grants(index: int, statement: Mapping[str, Any]) -> list[Grant]:
    if statement.get("Effect") == "Deny":
        return [NotAnalysedStatement(index, "Deny statement: it narrows the grants; ask can_assume for a request")]
    if statement.get("Effect") != "Allow":
        return []
    if "NotPrincipal" in statement:
        return [NotAnalysedStatement(index, "NotPrincipal")]
    found: list[Grant] = []
    for kind, value in _principals(statement):
        try:
            if kind == "Federated" and ":oidc-provider/" in value and action_matches(statement, WEB_IDENTITY_ACTION):
                found.append(_irsa_grant(index, statement, value))
            elif kind == "Service" and value == POD_IDENTITY_SERVICE and _allows_pod_identity(statement):
                found.append(_pod_identity_grant(index, statement))
            else:
                found.append(OtherPrincipal(index, kind, value, _actions(statement), bool(statement.get("Condition"))))
        except _NotAnalysed as exc:
            found.append(NotAnalysedStatement(index, str(exc)))
    return found


def grants(document: Mapping[str, Any]) -> list[Grant]:
    """Who the trust policy ``document`` lets assume the role, statement by statement."""
    return [grant for index, s in enumerate(statements_of(document)) for grant in _statement_grants(index, s)]


def split_subject(pattern: str) -> tuple[str, str] | None:
    """The (namespace, service account) patterns of a ``sub`` pattern; None if it names no service account.

    Kubernetes names hold no ``:``, so the one colon after the prefix separates them exactly; a pattern
    with no colon there but a ``*`` (``system:serviceaccount:apps*``) spans both parts.
    """
    if pattern == "*":
        return ("*", "*")
    if not pattern.startswith(SUBJECT_PREFIX):
        return None
    rest = pattern[len(SUBJECT_PREFIX) :]
    if rest.count(":") == 1:
        namespace, name = rest.split(":")
        return (namespace, name)
    if ":" not in rest and rest.endswith("*"):
        return (rest, "*")
    return None
