"""Who can really assume a role, judged by meaning: the evaluator (``may_assume``) answers probe requests.

Spelling-based checks miss ``system:*``, ``StringNotEquals`` or a ``Null`` trick. Here every question is a
request put to the evaluator: a token of a service account no policy names, a token minted for another
audience, a caller from an unknown account, a Pod Identity session without tags. The probes are built from
the values the policy itself names (each ``*`` filled with a fresh string) plus fresh values, and the
evaluator runs in its sound mode: what it cannot read is taken to favour the caller.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from irsa_components.review.analysis import (
    SUBJECT_PREFIX,
    Request,
    account_of,
    action_matches,
    as_list,
    is_account_principal,
    key_absent,
    may_assume,
    parse_operator,
    pod_identity_request,
    statements_of,
)
from irsa_components.review.condition_keys import (
    PrincipalKind,
    foreign_key_reason,
    pinning_claims,
    principal_kind,
    provider_host,
)
from irsa_components.trust import (
    DEFAULT_AUDIENCE,
    TAG_CLUSTER_NAME,
    TAG_NAMESPACE,
    TAG_SERVICE_ACCOUNT,
    WEB_IDENTITY_ACTION,
)
from irsa_components.validation import CONDITION_OPERATORS

FRESH = "<any>"
"""A name no policy mentions (Kubernetes and IAM names hold no "<"): a probe value standing for "anyone else"."""
FOREIGN_ACCOUNT = "000011112222"
FOREIGN_ORG = "o-zq7unnamed0"
ASSUME_ROLE = "sts:AssumeRole"

KNOWN_OPERATORS = frozenset(operator.lower() for operator in CONDITION_OPERATORS)
"""Every condition operator IAM documents (``validation.CONDITION_OPERATORS``), lowercase, without prefixes."""


class Exposure(Enum):
    """What is wrong with who can assume a role."""

    PUBLIC = "public"
    SUBJECTS_ACROSS_NAMESPACES = "subjects-across-namespaces"
    SUBJECTS_IN_NAMESPACE = "subjects-in-namespace"
    AUDIENCE_UNPINNED = "audience-unpinned"
    POD_IDENTITY_UNNARROWED = "pod-identity-unnarrowed"
    POD_IDENTITY_BROAD = "pod-identity-broad"
    NEVER_ASSUMABLE = "never-assumable"
    PROVIDER_IN_OTHER_ACCOUNT = "provider-in-other-account"
    WHOLE_OTHER_ACCOUNT = "whole-other-account"
    NOT_ANALYSABLE = "not-analysable"


@dataclass(frozen=True)
class TrustIssue:
    """One way a trust policy admits too much (or nothing), with an example request it decided on."""

    exposure: Exposure
    statement: int
    principal: str
    detail: str


def _condition_items(statement: Mapping[str, Any]) -> Iterator[tuple[str, str, list[str]]]:
    conditions = statement.get("Condition") or {}
    if not isinstance(conditions, Mapping):
        return
    for operator, block in conditions.items():
        if isinstance(block, Mapping):
            for key, values in block.items():
                yield str(operator), str(key), [str(v) for v in as_list(values)]


def _values_of(document: Mapping[str, Any], suffix: str) -> list[str]:
    """Every condition value on keys ending in ``suffix`` (``:sub``), in any statement."""
    return list(
        dict.fromkeys(
            value
            for statement in statements_of(document)
            for _, key, values in _condition_items(statement)
            if key.lower().endswith(suffix)
            for value in values
        )
    )


def _instances(pattern: str) -> list[str]:
    """Strings a pattern matches, each ``*`` filled with nothing and with a fresh name, each ``?`` with one letter."""
    if "*" not in pattern and "?" not in pattern:
        return [pattern]
    return [pattern.replace("*", fill).replace("?", "q") for fill in (FRESH, "")]


def _principals(statement: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The principals a statement names; ``NotPrincipal`` counts as everyone (but those it lists)."""
    if "NotPrincipal" in statement:
        return [("AWS", "*")]
    principal = statement.get("Principal")
    if principal == "*":
        return [("AWS", "*")]
    if not isinstance(principal, Mapping):
        return []
    return [(str(kind), str(value)) for kind, values in principal.items() for value in as_list(values)]


def _web_request(provider: str, claims: Mapping[str, str]) -> Request:
    host = provider_host(provider).lower()
    context = {f"{host}:{claim}": (value,) for claim, value in claims.items()}
    return Request("Federated", provider, (WEB_IDENTITY_ACTION,), context, frozenset(context))


# ---- IRSA subjects and audiences ----------------------------------------------------------------------


def _split(subject: str) -> tuple[str, str] | None:
    if not subject.startswith(SUBJECT_PREFIX) or subject[len(SUBJECT_PREFIX) :].count(":") != 1:
        return None
    namespace, name = subject[len(SUBJECT_PREFIX) :].split(":")
    return namespace, name


def _namespace(subject: str) -> str | None:
    """The namespace of a service account subject whose namespace the policy names; None when the subject is
    not a service account's or its namespace is a fresh name (a pattern reached into namespaces)."""
    split = _split(subject)
    return None if split is None or FRESH in split[0] else split[0]


def _subject_candidates(document: Mapping[str, Any]) -> tuple[list[str], set[str]]:
    """Probe subjects, and the subjects the policy lists literally (the finite list it means)."""
    written = _values_of(document, ":sub")
    listed = {v for v in written if "*" not in v and "?" not in v and "${" not in v}
    candidates = [instance for v in written for instance in _instances(v)]
    candidates += [f"{SUBJECT_PREFIX}{FRESH}:{FRESH}", f"{SUBJECT_PREFIX}kube-system:default", FRESH]
    for value in listed:
        split = _split(value)
        if split is not None:
            candidates += [f"{SUBJECT_PREFIX}{split[0]}:{FRESH}", f"{SUBJECT_PREFIX}{FRESH}:{split[1]}"]
    return list(dict.fromkeys(candidates)), listed


def _irsa_issues(document: Mapping[str, Any], provider: str, statement: int, role_arn: str | None) -> list[TrustIssue]:
    host = provider_host(provider)
    candidates, listed = _subject_candidates(document)
    # An audience is any string a pod asks for (serviceAccountToken.audience), so every value written is one, even
    # with "*" or "?" (literal under StringEquals). Subjects are probed with each of them and with the policy's own
    # patterns filled in: a trust admitting any subject for the audiences "vault-*" is open across namespaces,
    # whatever sts.amazonaws.com gets.
    written_audiences = [v for v in _values_of(document, ":aud") if "${" not in v]
    audiences = list(dict.fromkeys([*written_audiences, DEFAULT_AUDIENCE]))
    pattern_audiences = [i for v in written_audiences for i in _instances(v) if i not in audiences]

    def admitted(subject: str, audience: str) -> bool:
        request = _web_request(provider, {"sub": subject, "aud": audience})
        return may_assume(document, request, role_arn=role_arn)

    admitted_subjects = [s for s in candidates if any(admitted(s, a) for a in [*audiences, *pattern_audiences])]
    broad = [s for s in admitted_subjects if s not in listed]
    issues = []
    across = [s for s in broad if _namespace(s) is None]
    if across:
        issues.append(
            TrustIssue(
                Exposure.SUBJECTS_ACROSS_NAMESPACES,
                statement,
                provider,
                f"tokens of service accounts in any namespace of {host}, e.g. sub {across[0]!r}",
            )
        )
    elif broad:
        namespace = _namespace(broad[0])
        issues.append(
            TrustIssue(
                Exposure.SUBJECTS_IN_NAMESPACE,
                statement,
                provider,
                f"tokens of service accounts the policy does not list in namespace {namespace!r} of {host}, "
                f"e.g. sub {broad[0]!r}",
            )
        )
    foreign_audiences = [FRESH, *pattern_audiences]
    unpinned = [s for s in [*admitted_subjects, *candidates] if any(admitted(s, a) for a in foreign_audiences)]
    if unpinned:
        issues.append(
            TrustIssue(
                Exposure.AUDIENCE_UNPINNED,
                statement,
                provider,
                f"tokens of {host} minted for audiences it does not list (e.g. with sub {unpinned[0]!r})",
            )
        )
    return issues


# ---- Pod Identity -----------------------------------------------------------------------------------


def _tag_values(document: Mapping[str, Any], tag_key: str) -> list[str]:
    values = _values_of(document, tag_key.lower())
    return list(dict.fromkeys([i for v in values for i in _instances(v)]))


def _unlisted(document: Mapping[str, Any], tag_key: str) -> list[str]:
    """Probe values for names the policy does not list: a fresh name, then its own patterns filled in."""
    patterns = [v for v in _values_of(document, tag_key.lower()) if "*" in v or "?" in v]
    return list(dict.fromkeys([FRESH, *(i for v in patterns for i in _instances(v))]))


def _pod_identity_issues(document: Mapping[str, Any], statement: int) -> list[TrustIssue]:
    clusters = [*_tag_values(document, TAG_CLUSTER_NAME), FRESH]
    namespaces = [*_tag_values(document, TAG_NAMESPACE), FRESH]

    def admitted(cluster: str, namespace: str, name: str, tags: bool = True) -> bool:
        return may_assume(document, pod_identity_request(cluster, namespace, name, session_tags=tags))

    if admitted(FRESH, FRESH, FRESH) or admitted(FRESH, FRESH, FRESH, tags=False):
        untagged = not admitted(FRESH, FRESH, FRESH)
        detail = (
            "sessions without session tags (an association with disable_session_tags) pass its tag conditions"
            if untagged
            else "no session-tag condition narrows it"
        )
        return [
            TrustIssue(
                Exposure.POD_IDENTITY_UNNARROWED,
                statement,
                "pods.eks.amazonaws.com",
                f"{detail}: any Pod Identity association in any cluster of the account that names the role can use it",
            )
        ]

    def broad(detail: str) -> list[TrustIssue]:
        return [TrustIssue(Exposure.POD_IDENTITY_BROAD, statement, "pods.eks.amazonaws.com", detail)]

    for cluster in clusters:
        where = "any cluster" if cluster == FRESH else f"cluster {cluster!r}"
        for namespace in namespaces:
            scope = "any namespace" if namespace == FRESH else f"namespace {namespace!r}"
            for name in _unlisted(document, TAG_SERVICE_ACCOUNT):
                if admitted(cluster, namespace, name):
                    if name == FRESH:
                        return broad(f"Pod Identity sessions of every service account in {scope} of {where}")
                    return broad(
                        f"Pod Identity sessions of service accounts the policy does not list in {scope} of {where}, "
                        f"e.g. {name!r}"
                    )
    for cluster in clusters:
        where = "any cluster" if cluster == FRESH else f"cluster {cluster!r}"
        for name in _tag_values(document, TAG_SERVICE_ACCOUNT):
            for namespace in _unlisted(document, TAG_NAMESPACE):
                if admitted(cluster, namespace, name):
                    if namespace == FRESH:
                        return broad(f"Pod Identity sessions of service account {name!r} in any namespace of {where}")
                    return broad(
                        f"Pod Identity sessions of service account {name!r} in namespaces the policy does not list "
                        f"of {where}, e.g. {namespace!r}"
                    )
    return []


# ---- public principals, never-assumable statements, unreadable statements -------------------------------


def _foreign_aws_requests(
    action: str, account: str = FOREIGN_ACCOUNT, absent: frozenset[str] = frozenset()
) -> list[Request]:
    """A role no policy names, of ``account`` (by default an unknown one), in an unknown organization and in
    none (its org keys then absent); ``absent``: more keys known not to be in its requests."""
    principal = f"arn:aws:iam::{account}:role/{FRESH}"
    context = {
        "aws:principalaccount": (account,),
        "aws:principalarn": (principal,),
        "aws:principaltype": ("AssumedRole",),
        "aws:userid": (f"AROAZQ7:{FRESH}",),
        "aws:principalisawsservice": ("false",),
    }
    org = {"aws:principalorgid": (FOREIGN_ORG,), "aws:principalorgpaths": (f"{FOREIGN_ORG}/r-zq7/",)}
    modelled = (
        frozenset(context) | set(org) | {"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:username"}
    ) | absent
    return [
        Request("AWS", principal, (action,), {**context, **org}, modelled),
        Request("AWS", principal, (action,), context, modelled),
    ]


def _whole_account_detail(statement: Mapping[str, Any], value: str) -> str | None:
    """Why an Allow statement naming another account (``111122223333``, ``...:root``) lets in any role of that
    account its own administrators allow to assume roles, or None when a condition pins the caller.

    The probe is a role of that account no policy names, without an external id: ``sts:ExternalId`` pins a
    third party's callers (the IAM user guide's confused-deputy remedy), so a statement requiring it is not
    reported. Any other key the probe does not model is taken to hold, as everywhere in the review."""
    account = account_of(value)
    if account is None or not action_matches(statement, ASSUME_ROLE):
        return None
    document = {"Statement": [statement]}
    probes = _foreign_aws_requests(ASSUME_ROLE, account, absent=frozenset({"sts:externalid"}))
    if not any(may_assume(document, r) for r in probes):
        return None
    return (
        f"any role or user of account {account} that its own policies allow to call sts:AssumeRole (no condition "
        "pins aws:PrincipalArn or sts:ExternalId)"
    )


def _public_detail(statement: Mapping[str, Any], kind: str, value: str, role_arn: str | None) -> str | None:
    """Why this principal of an Allow statement lets in callers the policy does not pin, or None."""
    document = {"Statement": [statement]}
    if kind == "AWS" and value == "*":
        if action_matches(statement, ASSUME_ROLE) and any(
            may_assume(document, r) for r in _foreign_aws_requests(ASSUME_ROLE)
        ):
            return "any AWS principal of any account (no condition pins the account, organization or principal ARN)"
        if action_matches(statement, WEB_IDENTITY_ACTION):
            issuer = f"arn:aws:iam::{account_of(role_arn or '') or FOREIGN_ACCOUNT}:oidc-provider/{FRESH}.example.com"
            if may_assume(document, _web_request(issuer, {})):
                return "any web identity of any identity provider (no condition pins the provider's sub or aud)"
        return None
    if (
        kind == "Federated"
        and principal_kind(kind, value) is PrincipalKind.WEB_IDENTITY
        and ":saml-provider/" not in value
    ):
        # A stranger's token: fresh values for the claims that pin a caller; any other claim is theirs to choose.
        claims = dict.fromkeys(pinning_claims(value), FRESH)
        if action_matches(statement, WEB_IDENTITY_ACTION) and may_assume(document, _web_request(value, claims)):
            return f"any user of the identity provider {provider_host(value)} (no condition pins its sub or aud)"
    return None


def _never_reason(statement: Mapping[str, Any], kind: str, value: str) -> str | None:
    """Why an Allow statement can never admit this principal (a condition no request of it can meet), or None."""
    if kind == "AWS" and (value == "*" or account_of(value) is None):
        return None
    actions = [WEB_IDENTITY_ACTION] if kind == "Federated" else [ASSUME_ROLE]
    if not all(action_matches(statement, a) for a in actions):
        return None
    # The best case for this principal: every key its requests may carry is unknown, so taken to hold.
    caller = (
        f"arn:aws:iam::{account_of(value)}:role/{FRESH}" if kind == "AWS" and is_account_principal(value) else value
    )
    request = Request(kind, caller, tuple(actions), {}, frozenset())
    if may_assume({"Statement": [statement]}, request):
        return None
    absent = [
        key
        for operator, key, _ in _condition_items(statement)
        if key_absent(request, key) and not parse_operator(operator).base.startswith(("stringnot", "arnnot"))
    ]
    if absent:
        return foreign_key_reason(kind, value, absent[0])
    return "its conditions can never all hold"


def _unreadable(statement: Mapping[str, Any]) -> str | None:
    if "NotPrincipal" in statement:
        return "NotPrincipal (who it admits depends on every principal it does not list)"
    conditions = statement.get("Condition")
    if conditions is not None and not isinstance(conditions, Mapping):
        return "Condition is not an object"
    for operator, block in (conditions or {}).items():
        if not isinstance(block, Mapping):
            return f"condition {operator} is not an object"
        parsed = parse_operator(str(operator))
        if parsed.base not in KNOWN_OPERATORS or parsed.set_operator not in ("", "foranyvalue", "forallvalues"):
            return f"operator {operator} is not an IAM condition operator"
        for key, values in block.items():
            if any("${" in str(v) for v in as_list(values)):
                return f"{operator} {key} uses a policy variable, resolved only at request time"
    return None


def trust_issues(document: Mapping[str, Any], *, role_arn: str | None = None) -> list[TrustIssue]:
    """Everything wrong with who can assume a role whose trust policy is ``document`` (ARN ``role_arn``)."""
    issues: list[TrustIssue] = []
    seen_providers: set[str] = set()
    pod_identity_done = False
    role_account = account_of(role_arn) if role_arn else None
    for index, statement in enumerate(statements_of(document)):
        if statement.get("Effect") not in ("Allow", "Deny"):
            issues.append(TrustIssue(Exposure.NOT_ANALYSABLE, index, "", f"Effect {statement.get('Effect')!r}"))
            continue
        if statement.get("Effect") != "Allow":
            continue
        unreadable = _unreadable(statement)
        if unreadable is not None:
            issues.append(TrustIssue(Exposure.NOT_ANALYSABLE, index, "", unreadable))
        for kind, value in _principals(statement):
            public = _public_detail(statement, kind, value, role_arn)
            if public is not None:
                issues.append(TrustIssue(Exposure.PUBLIC, index, f"{kind} {value}", public))
                continue
            never = _never_reason(statement, kind, value)
            if never is not None:
                issues.append(TrustIssue(Exposure.NEVER_ASSUMABLE, index, f"{kind} {value}", never))
                continue
            if kind == "AWS" and is_account_principal(value) and role_account not in (None, account_of(value)):
                whole = _whole_account_detail(statement, value)
                if whole is not None:
                    issues.append(TrustIssue(Exposure.WHOLE_OTHER_ACCOUNT, index, f"{kind} {value}", whole))
                continue
            pkind = principal_kind(kind, value)
            if pkind is PrincipalKind.EKS_WEB_IDENTITY and ":oidc-provider/" in value:
                if role_account is not None and account_of(value) not in (None, role_account):
                    issues.append(
                        TrustIssue(
                            Exposure.PROVIDER_IN_OTHER_ACCOUNT,
                            index,
                            value,
                            f"the OIDC provider is in account {account_of(value)}, the role in {role_account}: "
                            "STS only consults identity providers of the role's own account, so no token is ever "
                            "admitted",
                        )
                    )
                elif value not in seen_providers and action_matches(statement, WEB_IDENTITY_ACTION):
                    seen_providers.add(value)
                    issues += _irsa_issues(document, value, index, role_arn)
            elif (
                pkind is PrincipalKind.POD_IDENTITY and not pod_identity_done and action_matches(statement, ASSUME_ROLE)
            ):
                pod_identity_done = True
                issues += _pod_identity_issues(document, index)
    return issues
