"""Custom trust: extra conditions ANDed into the statements a component builds, and extra statements.

``trust_conditions`` may only narrow the exact trust the builders in ``trust.py`` make. Two kinds of key
are refused because they would break it rather than narrow it:

- a key the component sets itself (``:sub``/``:aud`` of an OIDC provider, the Pod Identity session tags,
  ``aws:PrincipalARN``/``sts:ExternalId`` of a target role): the extra condition would sit beside the exact
  one and make the trust depend on two values for one key;
- a key AWS documents as absent from that kind of request: a condition on a missing key is false (unless
  ``...IfExists``), so every pod would be locked out. ``REQUEST_KINDS`` records, per kind of assume-role
  request, which global keys it carries and which it never does, with the source of each row.

Plain functions over plain data; components call them at construction on plain values and again inside
``apply`` once Outputs resolve.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from irsa_components._inputs import is_known
from irsa_components.errors import IrsaConfigError
from irsa_components.trust import (
    EXTERNAL_ID_KEY,
    PRINCIPAL_ARN_KEY,
    TAG_CLUSTER_NAME,
    TAG_NAMESPACE,
    TAG_SERVICE_ACCOUNT,
    add_trust_conditions,
    append_trust_statements,
)

WEB_IDENTITY = "web-identity"
"""IRSA: a projected service account token presented to ``sts:AssumeRoleWithWebIdentity``."""
POD_IDENTITY = "pod-identity"
"""EKS Pod Identity: ``pods.eks.amazonaws.com`` calling ``sts:AssumeRole`` + ``sts:TagSession``."""
TARGET_ROLE = "target-role"
"""A Pod Identity target role: the association's own role session calling ``sts:AssumeRole``."""

_IAM_KEYS = "IAM User Guide, 'AWS global condition context keys' (reference_policies_condition-keys), Availability"


@dataclass(frozen=True)
class RequestKind:
    """The condition keys one kind of assume-role request carries, and those AWS documents as absent."""

    carries: tuple[str, ...]
    """Keys present in every such request (besides the request-wide ones: aws:CurrentTime, aws:SourceIp...)."""
    absent: tuple[str, ...]
    """Global keys documented as absent (lowercase; an entry ending in '/' is a prefix, e.g. aws:principaltag/)."""
    source: str


REQUEST_KINDS: dict[str, RequestKind] = {
    WEB_IDENTITY: RequestKind(
        carries=("<issuer>:sub", "<issuer>:aud", "<issuer>:amr", "aws:FederatedProvider"),
        absent=(
            # Only when an AWS service principal calls on behalf of a resource; no service is involved here.
            "aws:sourceaccount",
            "aws:sourcearn",
            "aws:sourceorgid",
            "aws:sourceorgpaths",
            # Only in signed requests; AssumeRoleWithWebIdentity is unsigned (no AWS credentials).
            "aws:principalarn",
            "aws:principalaccount",
            "aws:principalorgid",
            "aws:principalorgpaths",
            "aws:principaltag/",
            "aws:principaltype",
            "aws:principalisawsservice",
            "aws:principalservicename",
            "aws:principalservicenameslist",
            "aws:calledvia",
            "aws:calledviafirst",
            "aws:calledvialast",
        ),
        source=f"{_IAM_KEYS} of aws:SourceAccount/SourceArn/SourceOrgID/SourceOrgPaths (service principal on "
        "behalf of a resource only) and of the aws:Principal* keys (signed requests only); STS API Reference, "
        "AssumeRoleWithWebIdentity ('does not require the use of AWS security credentials'); EKS user guide, "
        "iam-roles-for-service-accounts (sub and aud claims)",
    ),
    POD_IDENTITY: RequestKind(
        carries=(
            "aws:RequestTag/eks-cluster-arn",
            "aws:RequestTag/eks-cluster-name",
            "aws:RequestTag/kubernetes-namespace",
            "aws:RequestTag/kubernetes-service-account",
            "aws:RequestTag/kubernetes-pod-name",
            "aws:RequestTag/kubernetes-pod-uid",
            "aws:SourceAccount",
            "aws:SourceArn",
            "aws:PrincipalServiceName",
        ),
        absent=("aws:federatedprovider",),
        source="EKS user guide, pod-id-how-it-works and pod-id-abac (the session tags; EKS Auth calls "
        "sts:AssumeRole as the service principal pods.eks.amazonaws.com, so the aws:Source* keys are set: "
        f"terraform-aws-modules/eks-pod-identity#11); {_IAM_KEYS} of aws:FederatedProvider (web identity and "
        "SAML federation only)",
    ),
    TARGET_ROLE: RequestKind(
        carries=("aws:PrincipalARN", "aws:PrincipalAccount", "aws:PrincipalTag/<tag>", "sts:ExternalId"),
        absent=("aws:federatedprovider", "aws:principalservicename", "aws:principalservicenameslist"),
        source="EKS user guide, pod-id-assign-target-role (the association's role session assumes the target, "
        f"with session tags or the external ID); {_IAM_KEYS} of aws:FederatedProvider and "
        "aws:PrincipalServiceName (federated and service principals only)",
    ),
}
"""Per kind of assume-role request: the keys it carries and the global keys AWS documents as absent."""

SET_BY_COMPONENT: dict[str, tuple[str, ...]] = {
    WEB_IDENTITY: (),  # '<issuer>:sub' and '<issuer>:aud': see _is_token_claim
    POD_IDENTITY: (TAG_CLUSTER_NAME.lower(), TAG_NAMESPACE.lower(), TAG_SERVICE_ACCOUNT.lower()),
    TARGET_ROLE: (
        PRINCIPAL_ARN_KEY.lower(),
        EXTERNAL_ID_KEY.lower(),
        TAG_CLUSTER_NAME.lower(),
        TAG_NAMESPACE.lower(),
        TAG_SERVICE_ACCOUNT.lower(),
    ),
}
"""The condition keys each kind of statement the builders make sets itself (lowercase)."""

_OPERATOR = re.compile(
    r"^(ForAnyValue:|ForAllValues:)?("
    r"StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|StringLike|StringNotLike|"
    r"NumericEquals|NumericNotEquals|NumericLessThan|NumericLessThanEquals|NumericGreaterThan|"
    r"NumericGreaterThanEquals|DateEquals|DateNotEquals|DateLessThan|DateLessThanEquals|DateGreaterThan|"
    r"DateGreaterThanEquals|Bool|BinaryEquals|IpAddress|NotIpAddress|ArnEquals|ArnLike|ArnNotEquals|ArnNotLike|"
    r"Null)(IfExists)?$",
    re.ASCII,
)
_CONDITION_KEY = re.compile(r"^[A-Za-z0-9][\w.-]*(?:/[\w.-]+)*:[\w./*?-]+(?:/[^\s]*)?$", re.ASCII)
_TRUST_ACTION = re.compile(r"^sts:[A-Za-z*?]+$", re.ASCII)
_SID = re.compile(r"^[A-Za-z0-9]*$", re.ASCII)
_TRUST_STATEMENT_KEYS = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Condition"}
_PRINCIPAL_TYPES = {"AWS", "Service", "Federated", "CanonicalUser"}


def _is_token_claim(key: str) -> bool:
    """``<issuer host/path>:<claim>``: a web identity token claim (the issuer is never a service prefix)."""
    prefix = key.split(":", 1)[0]
    return "." in prefix or "/" in prefix


def _is_absent(kind: str, key: str) -> bool:
    lowered = key.lower()
    if kind != WEB_IDENTITY and _is_token_claim(key):
        return True
    return any(lowered.startswith(a) if a.endswith("/") else lowered == a for a in REQUEST_KINDS[kind].absent)


def _sets_key(kind: str, key: str) -> bool:
    lowered = key.lower()
    if kind == WEB_IDENTITY:
        return _is_token_claim(key) and lowered.rsplit(":", 1)[-1] in ("sub", "aud")
    return lowered in SET_BY_COMPONENT[kind]


def _value_problem(value: Any) -> bool:
    """Whether a condition value is not a string/number/bool or a non-empty list of them (Outputs pass)."""
    if not is_known(value):
        return False
    if isinstance(value, (str, bool, int, float)):
        return False
    return not (isinstance(value, list) and value and all(isinstance(v, (str, bool, int, float)) for v in value))


def validate_trust_conditions(
    component: str, conditions: Any, kinds: Sequence[str], *, field: str = "trust_conditions"
) -> dict[str, dict[str, Any]]:
    """``{operator: {key: value}}`` that may be ANDed into statements of ``kinds`` without weakening them or
    locking everyone out. Operators and keys must be plain; values may be Outputs (checked when resolved)."""
    if not isinstance(conditions, Mapping) or not conditions:
        raise IrsaConfigError(
            component,
            field,
            conditions,
            "must be a non-empty mapping {operator: {key: value}}",
            "pass e.g. {'StringEquals': {'aws:SourceAccount': '111122223333'}}",
        )
    result: dict[str, dict[str, Any]] = {}
    for operator, block in conditions.items():
        if not isinstance(operator, str) or not _OPERATOR.fullmatch(operator):
            raise IrsaConfigError(
                component,
                field,
                operator,
                "is not an IAM condition operator",
                "use e.g. 'StringEquals', 'StringLike', 'ArnEquals', 'Bool' or 'IpAddress'",
            )
        if not isinstance(block, Mapping) or not block:
            raise IrsaConfigError(
                component, f"{field}.{operator}", block, "must be a non-empty mapping {key: value}", "pass {key: value}"
            )
        for key, value in block.items():
            if not isinstance(key, str) or not _CONDITION_KEY.fullmatch(key):
                raise IrsaConfigError(
                    component,
                    f"{field}.{operator}",
                    key,
                    "is not an IAM condition key",
                    "use e.g. 'aws:SourceAccount' or 'aws:RequestedRegion'",
                )
            for kind in kinds:
                if _sets_key(kind, key):
                    raise IrsaConfigError(
                        component,
                        f"{field}.{operator}",
                        key,
                        "is a condition key the component sets itself for the exact trust: an extra condition on it "
                        "would replace or contradict the exact one",
                        "drop it; name the service accounts with the component's own fields",
                    )
                if _is_absent(kind, key):
                    effect = (
                        "the condition would always hold and guard nothing"
                        if operator.endswith("IfExists")
                        else "the condition would be false and lock every pod out"
                    )
                    raise IrsaConfigError(
                        component,
                        f"{field}.{operator}",
                        key,
                        f"is absent from every {kind} assume-role request (per {REQUEST_KINDS[kind].source}), so "
                        f"{effect}",
                        "drop it, or use a key that kind of request carries "
                        f"({', '.join(REQUEST_KINDS[kind].carries)})",
                    )
            if _value_problem(value):
                raise IrsaConfigError(
                    component,
                    f"{field}.{operator}.{key}",
                    value,
                    "must be a string, number, bool or a non-empty list of them",
                    "pass e.g. '111122223333' or ['a', 'b']",
                )
        result[operator] = dict(block)
    return result


def _statement_problem(statement: Any) -> str | None:
    """What IAM would reject in one statement of a trust policy, or None."""
    if not isinstance(statement, Mapping):
        return "is not an object"
    unknown = sorted(set(statement) - _TRUST_STATEMENT_KEYS)
    if unknown:
        return f"has {', '.join(unknown)}, which trust policy statements do not take"
    if statement.get("Effect") not in ("Allow", "Deny"):
        return f"has Effect {statement.get('Effect')!r}, not 'Allow' or 'Deny'"
    if not isinstance(statement.get("Sid", ""), str) or not _SID.fullmatch(statement.get("Sid", "")):
        return "has a Sid that is not letters and digits only"
    if ("Principal" in statement) == ("NotPrincipal" in statement):
        return "needs exactly one of Principal and NotPrincipal"
    principal = statement.get("Principal", statement.get("NotPrincipal"))
    if principal != "*":
        if not isinstance(principal, Mapping) or not principal or set(principal) - _PRINCIPAL_TYPES:
            return "has a Principal that is not '*' or {AWS|Service|Federated|CanonicalUser: ...}"
        for value in principal.values():
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
                return "has a Principal whose values are not non-empty strings"
    if ("Action" in statement) == ("NotAction" in statement):
        return "needs exactly one of Action and NotAction"
    actions = statement.get("Action", statement.get("NotAction"))
    actions = [actions] if isinstance(actions, str) else actions
    if not isinstance(actions, list) or not actions or not all(isinstance(a, str) for a in actions):
        return "has an Action that is not a non-empty string or list of strings"
    if not all(_TRUST_ACTION.fullmatch(a) for a in actions):
        return f"has an action that is not an STS action ('sts:AssumeRole', 'sts:TagSession'...): {actions}"
    condition = statement.get("Condition", {})
    if not isinstance(condition, Mapping) or not all(
        isinstance(op, str) and _OPERATOR.fullmatch(op) and isinstance(block, Mapping)
        for op, block in condition.items()
    ):
        return "has a Condition that is not {operator: {key: value}}"
    return None


def validate_trust_statements(component: str, statements: Any, *, field: str = "trust_statements") -> list[Any]:
    """Hand-written trust statements, checked for what IAM would reject (they are appended as given)."""
    if isinstance(statements, (str, Mapping)) or not isinstance(statements, Sequence) or not statements:
        raise IrsaConfigError(
            component,
            field,
            statements,
            "must be a non-empty list of statements",
            "pass [{'Effect': 'Allow', 'Principal': {...}, 'Action': 'sts:AssumeRole', ...}]",
        )
    for statement in statements:
        if is_known(statement):
            problem = _statement_problem(statement)
            if problem is not None:
                raise IrsaConfigError(component, field, statement, f"has a statement that {problem}", "fix it")
    return list(statements)


@dataclass(frozen=True)
class CustomTrust:
    """Validated ``trust_conditions`` and ``trust_statements`` of a component (values may be Outputs)."""

    conditions: dict[str, dict[str, Any]]
    statements: list[Any]

    def __bool__(self) -> bool:
        return bool(self.conditions or self.statements)


NO_CUSTOM_TRUST = CustomTrust({}, [])


def plan_custom_trust(component: str, args: Mapping[str, Any], kinds: Sequence[str]) -> CustomTrust:
    """Validates ``trust_conditions`` and ``trust_statements`` of ``args`` for statements of ``kinds``."""
    conditions = args.get("trust_conditions")
    statements = args.get("trust_statements")
    return CustomTrust(
        validate_trust_conditions(component, conditions, kinds) if conditions is not None else {},
        validate_trust_statements(component, statements) if statements is not None else [],
    )


def customise_trust(
    component: str,
    document: Mapping[str, Any],
    kinds: Sequence[str],
    conditions: Mapping[str, Mapping[str, Any]],
    statements: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The built ``document`` with resolved custom conditions and statements, checked again now that every
    value is known: no key the document sets is conditioned twice, and Sids stay unique."""
    if conditions:
        validate_trust_conditions(component, conditions, kinds)
        set_keys = {
            key.lower()
            for statement in document["Statement"]
            for block in statement.get("Condition", {}).values()
            for key in block
        }
        for operator, block in conditions.items():
            for key in block:
                if key.lower() in set_keys:
                    raise IrsaConfigError(
                        component,
                        f"trust_conditions.{operator}",
                        key,
                        "is a condition key the component sets itself for the exact trust",
                        "drop it",
                    )
    if statements:
        validate_trust_statements(component, statements)
    result = append_trust_statements(add_trust_conditions(document, conditions), statements)
    sids = [s["Sid"] for s in result["Statement"] if s.get("Sid")]
    if len(sids) != len(set(sids)):
        raise IrsaConfigError(
            component, "trust_statements", sids, "repeat a Sid of the trust policy", "give each statement its own Sid"
        )
    return result
