"""Validators for every plain input AWS or Kubernetes would otherwise reject at deploy time.

Each validator takes the component label (``ServiceAccountRole 'app'``) so its
``IrsaConfigError`` names the component, the field, the value and the fix. They
return the value, normalised where that is safe, so callers can write
``ns = validate_namespace(label, args["namespace"])``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from irsa_components.errors import IrsaConfigError

PARTITION_PATTERN = r"aws|aws-cn|aws-us-gov"
WILDCARDS = ("*", "?")

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", re.ASCII)
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", re.ASCII)
_OIDC_PROVIDER_ARN = re.compile(
    rf"^arn:(?P<partition>{PARTITION_PATTERN}):iam::(?P<account>\d{{12}}):oidc-provider/"
    r"(?P<url>[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%-]+)*)$",
    re.ASCII,
)
_ROLE_ARN = re.compile(
    rf"^arn:(?P<partition>{PARTITION_PATTERN}):iam::(?P<account>\d{{12}}):role(?P<path>/(?:[\x21-\x7e]*/)?)"
    r"(?P<name>[\w+=,.@-]{1,64})$",
    re.ASCII,
)
_POLICY_ARN = re.compile(
    rf"^arn:(?P<partition>{PARTITION_PATTERN}):iam::(?P<account>\d{{12}}|aws):policy/(?:[\x21-\x7e]*/)?"
    r"(?P<name>[\w+=,.@-]{1,128})$",
    re.ASCII,
)
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
_ROLE_PATH = re.compile(r"^/(?:[\x21-\x7e]*/)?$", re.ASCII)
_POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$", re.ASCII)
_CLUSTER_NAME = re.compile(r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", re.ASCII)
_THUMBPRINT = re.compile(r"^[0-9A-Fa-f]{40}$", re.ASCII)
_ISSUER_URL = re.compile(r"^https://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%-]+)*/?$", re.ASCII)

MAX_THUMBPRINTS = 5
MIN_SESSION_DURATION = 3600
MAX_SESSION_DURATION = 43200
DEFAULT_TRUST_POLICY_QUOTA = 2048
"""IAM's default quota for a role trust policy, in characters not counting whitespace."""
MANAGED_POLICY_MAX_SIZE = 6144
INLINE_POLICIES_MAX_SIZE = 10240
DEFAULT_MAX_POLICY_ATTACHMENTS = 10
"""IAM's default quota of managed policies attached to one role (raisable to 20)."""
MAX_TAGS = 50


def has_wildcard(value: str) -> bool:
    """Whether an IAM ``StringLike`` wildcard (``*`` or ``?``) appears in ``value``."""
    return any(w in value for w in WILDCARDS)


def policy_size(document: Mapping[str, Any]) -> int:
    """Size of a policy as IAM counts it against its quotas: characters, whitespace not counted."""
    return sum(1 for c in json.dumps(document, separators=(",", ":")) if not c.isspace())


def _wildcard_refused(component: str, field: str, value: str) -> IrsaConfigError:
    return IrsaConfigError(
        component,
        field,
        value,
        "contains a wildcard ('*' or '?'), which would let more service accounts assume the role",
        "name the exact value, or set allow_wildcard=True if every match should be trusted",
    )


def _check_k8s_name(
    component: str, field: str, value: Any, pattern: re.Pattern[str], limit: int, kind: str, allow_wildcard: bool
) -> str:
    if not isinstance(value, str) or not value:
        raise IrsaConfigError(component, field, value, f"must be a non-empty string ({kind})", "pass a name")
    if has_wildcard(value):
        if not allow_wildcard:
            raise _wildcard_refused(component, field, value)
        probe = value.replace("*", "a").replace("?", "a")
    else:
        probe = value
    allowed = "'-' and '.'" if kind.endswith("subdomain") else "'-'"
    if len(value) > limit or not pattern.fullmatch(probe):
        raise IrsaConfigError(
            component,
            field,
            value,
            f"is not a valid {kind}: lowercase letters, digits, {allowed}, starting and ending alphanumeric, "
            f"at most {limit} characters",
            f"use e.g. {value.lower().replace('_', '-').strip('-.')[:limit] or 'default'!r}",
        )
    return value


def validate_namespace(component: str, value: Any, *, field: str = "namespace", allow_wildcard: bool = False) -> str:
    """A Kubernetes namespace: an RFC 1123 label (at most 63 characters)."""
    return _check_k8s_name(component, field, value, _DNS_LABEL, 63, "RFC 1123 label", allow_wildcard)


def validate_service_account_name(
    component: str, value: Any, *, field: str = "service_account", allow_wildcard: bool = False
) -> str:
    """A Kubernetes ServiceAccount name: an RFC 1123 subdomain (at most 253 characters)."""
    return _check_k8s_name(component, field, value, _DNS_SUBDOMAIN, 253, "RFC 1123 subdomain", allow_wildcard)


def parse_service_account_ref(component: str, value: Any, *, field: str = "service_accounts") -> tuple[str, str]:
    """Splits ``"namespace:name"`` into its two parts (not yet validated)."""
    if not isinstance(value, str) or value.count(":") != 1:
        raise IrsaConfigError(
            component, field, value, "is not of the form 'namespace:name'", "write e.g. 'kube-system:external-dns'"
        )
    namespace, name = value.split(":")
    return namespace, name


def validate_subjects(
    component: str,
    subjects: Sequence[tuple[str, str]],
    *,
    field: str,
    allow_wildcard: bool,
    name_field: str | None = None,
) -> list[tuple[str, str]]:
    """Validates (namespace, service account) pairs and refuses duplicates; errors about a name are reported
    under ``name_field`` (default ``field``)."""
    seen: set[tuple[str, str]] = set()
    result: list[tuple[str, str]] = []
    for namespace, name in subjects:
        validate_namespace(component, namespace, field=field, allow_wildcard=allow_wildcard)
        validate_service_account_name(component, name, field=name_field or field, allow_wildcard=allow_wildcard)
        if (namespace, name) in seen:
            raise IrsaConfigError(
                component, field, f"{namespace}:{name}", "is listed twice", "list each service account once"
            )
        seen.add((namespace, name))
        result.append((namespace, name))
    return result


def validate_oidc_provider_arn(component: str, value: Any, *, field: str = "oidc_provider_arn") -> str:
    """An IAM OIDC provider ARN; returns its URL part, the prefix of the trust condition keys."""
    match = _OIDC_PROVIDER_ARN.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an IAM OIDC provider ARN (arn:<partition>:iam::<12-digit account>:oidc-provider/<issuer host/path>)",
            "pass ClusterOidcProvider(...).arn or e.g. "
            "'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE'",
        )
    return match["url"]


def validate_role_arn(component: str, value: Any, *, field: str = "role_arn") -> str:
    """An IAM role ARN."""
    if not isinstance(value, str) or not _ROLE_ARN.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an IAM role ARN (arn:<partition>:iam::<12-digit account>:role/<path/>name)",
            "pass e.g. role.arn or 'arn:aws:iam::111122223333:role/my-role'",
        )
    return value


def validate_policy_arn(component: str, value: Any, *, field: str = "policy_arns") -> str:
    """An IAM managed policy ARN (customer-managed or ``arn:aws:iam::aws:policy/...``)."""
    if not isinstance(value, str) or not _POLICY_ARN.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an IAM policy ARN (arn:<partition>:iam::<account or 'aws'>:policy/<path/>name)",
            "pass e.g. 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' or policy.arn",
        )
    return value


def policy_arn_name(arn: str) -> str:
    """The policy name at the end of a policy ARN."""
    return arn.rsplit("/", 1)[-1]


def validate_role_name(component: str, value: Any, *, field: str = "role_name") -> str:
    """An IAM role name: at most 64 characters of letters, digits and ``+=,.@_-``."""
    if not isinstance(value, str) or not _ROLE_NAME.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not a valid IAM role name (1-64 characters: letters, digits and +=,.@_-)",
            "shorten it or replace other characters with '-'",
        )
    return value


def validate_autonamed_role(component: str, logical_name: str) -> None:
    """Pulumi auto-names a role ``<logical name>-<7 random chars>``; that must fit IAM's 64 characters."""
    if len(logical_name) + 8 > 64 or not _ROLE_NAME.fullmatch(logical_name):
        raise IrsaConfigError(
            component,
            "role_name",
            None,
            f"is unset, and the auto-generated name '{logical_name}-xxxxxxx' would not be a valid IAM role name "
            "(at most 64 characters: letters, digits and +=,.@_-)",
            "set role_name explicitly, or give the component a shorter name",
        )


def validate_path(component: str, value: Any, *, field: str = "path") -> str:
    """An IAM path: ``/`` or ``/segment/.../``, at most 512 characters."""
    if not isinstance(value, str) or len(value) > 512 or not _ROLE_PATH.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an IAM path",
            "use '/' or a path that starts and ends with '/', e.g. '/eks/'",
        )
    return value


def validate_max_session_duration(component: str, value: Any, *, field: str = "max_session_duration") -> int:
    """Role session duration in seconds: 3600..43200."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not MIN_SESSION_DURATION <= value <= MAX_SESSION_DURATION
    ):
        raise IrsaConfigError(
            component,
            field,
            value,
            f"is outside IAM's range {MIN_SESSION_DURATION}..{MAX_SESSION_DURATION} seconds",
            "pass a whole number of seconds between 1 and 12 hours, e.g. 3600",
        )
    return value


def validate_thumbprints(component: str, value: Any, *, field: str = "thumbprints") -> list[str]:
    """Up to five 40-hex-character SHA-1 thumbprints, returned lowercase."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise IrsaConfigError(
            component, field, value, "must be a list", "pass e.g. ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280']"
        )
    if len(value) > MAX_THUMBPRINTS:
        raise IrsaConfigError(
            component,
            field,
            value,
            f"has {len(value)} entries; IAM accepts at most {MAX_THUMBPRINTS}",
            "keep the CA thumbprints in use",
        )
    for thumbprint in value:
        if not isinstance(thumbprint, str) or not _THUMBPRINT.fullmatch(thumbprint):
            raise IrsaConfigError(
                component,
                field,
                thumbprint,
                "is not a SHA-1 thumbprint (40 hexadecimal characters)",
                "pass the top CA certificate's SHA-1 fingerprint without colons",
            )
    return [t.lower() for t in value]


def validate_issuer_url(component: str, value: Any, *, field: str = "issuer_url") -> str:
    """An OIDC issuer URL; a bare host/path gets ``https://``, anything but https is refused."""
    if isinstance(value, str) and "://" not in value:
        value = f"https://{value}"
    if not isinstance(value, str) or not _ISSUER_URL.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an https OIDC issuer URL",
            "pass the cluster's identity.oidc.issuer, e.g. 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE'",
        )
    return value.rstrip("/")


def validate_cluster_name(component: str, value: Any, *, field: str = "cluster_name") -> str:
    """An EKS cluster name: 1-100 characters, alphanumeric first, then letters, digits, '-' and '_'."""
    if not isinstance(value, str) or not _CLUSTER_NAME.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not a valid EKS cluster name (1-100 characters: letters, digits, '-' and '_', alphanumeric first)",
            "pass the cluster's name as shown by 'aws eks list-clusters'",
        )
    return value


def validate_audience(component: str, value: Any, *, field: str = "audience") -> str:
    """The token audience the trust requires; must be a non-empty string without wildcards."""
    if not isinstance(value, str) or not value or has_wildcard(value) or any(c.isspace() for c in value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "must be a non-empty audience without spaces or wildcards",
            "use 'sts.amazonaws.com'",
        )
    return value


def validate_policy_name(component: str, value: Any, *, field: str) -> str:
    """An inline policy name: 1-128 characters of letters, digits and ``+=,.@_-``."""
    if not isinstance(value, str) or not _POLICY_NAME.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not a valid IAM policy name (1-128 characters: letters, digits and +=,.@_-)",
            "rename the key, e.g. 's3-read'",
        )
    return value


_STATEMENT_KEYS = {"Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"}
_ACTION = re.compile(r"\*|[a-z0-9-]+:[A-Za-z0-9*?]+", re.ASCII)


def _statement_problem(statement: Any) -> str | None:
    """What IAM would reject in one statement of a permission policy, or None."""
    if not isinstance(statement, Mapping):
        return "has a statement that is not an object"
    unknown = sorted(set(statement) - _STATEMENT_KEYS)
    if unknown:
        return f"has a statement with {', '.join(unknown)}, which permission policies do not take"
    if statement.get("Effect") not in ("Allow", "Deny"):
        return f"has a statement whose Effect is {statement.get('Effect')!r}, not 'Allow' or 'Deny'"
    for element, negated in (("Action", "NotAction"), ("Resource", "NotResource")):
        if (element in statement) == (negated in statement):
            return f"has a statement without exactly one of {element} and {negated}"
        values = statement.get(element, statement.get(negated))
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            return f"has a statement whose {element} is not a non-empty string or list of strings"
        if element == "Action" and not all(_ACTION.fullmatch(v) for v in values):
            return f"has a statement with an action not of the form 'service:Action': {values}"
    condition = statement.get("Condition", {})
    if not isinstance(condition, Mapping) or not all(isinstance(block, Mapping) for block in condition.values()):
        return "has a statement whose Condition is not {operator: {key: value}}"
    return None


def parse_policy_document(component: str, value: Any, *, field: str) -> dict[str, Any]:
    """A permission policy as a dict or JSON string, parsed and checked for what IAM would reject:
    the top-level shape, and each statement's Effect, Action/NotAction, Resource/NotResource and Condition."""
    document = value
    if isinstance(value, str):
        try:
            document = json.loads(value)
        except json.JSONDecodeError as exc:
            raise IrsaConfigError(
                component, field, value[:80], f"is not valid JSON ({exc.msg})", "pass a dict or JSON text"
            ) from None
    if not isinstance(document, dict) or "Statement" not in document:
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an IAM policy document",
            "pass {'Version': '2012-10-17', 'Statement': [...]}",
        )
    if document.get("Version", "2012-10-17") not in ("2012-10-17", "2008-10-17"):
        raise IrsaConfigError(component, field, document["Version"], "is not an IAM policy version", "use '2012-10-17'")
    statements = document["Statement"]
    statements = [statements] if isinstance(statements, Mapping) else statements
    if not isinstance(statements, list) or not statements:
        raise IrsaConfigError(component, field, statements, "has no statement", "add at least one statement")
    for statement in statements:
        problem = _statement_problem(statement)
        if problem is not None:
            raise IrsaConfigError(component, field, statement, problem, "fix the statement")
    return document


def validate_tags(component: str, value: Any, *, field: str = "tags") -> dict[str, str]:
    """AWS tags: at most 50, keys up to 128 and values up to 256 characters."""
    if not isinstance(value, Mapping):
        raise IrsaConfigError(
            component, field, value, "must be a mapping of tag keys to values", "pass e.g. {'team': 'payments'}"
        )
    if len(value) > MAX_TAGS:
        raise IrsaConfigError(
            component, field, f"{len(value)} tags", f"exceeds AWS's {MAX_TAGS} tags per resource", "drop some tags"
        )
    for key, tag_value in value.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 128 or key.lower().startswith("aws:"):
            raise IrsaConfigError(
                component, field, key, "is not a valid tag key (1-128 characters, not 'aws:')", "rename the tag"
            )
        if not isinstance(tag_value, str) or len(tag_value) > 256:
            raise IrsaConfigError(
                component, field, key, "has a value that is not a string of at most 256 characters", "use e.g. '1'"
            )
    return dict(value)


def check_trust_policy_size(component: str, document: Mapping[str, Any], quota: int) -> None:
    """Refuses a trust policy that IAM would reject for exceeding the role's trust policy quota."""
    size = policy_size(document)
    if size > quota:
        raise IrsaConfigError(
            component,
            "trust policy",
            f"{size} characters",
            f"exceeds the IAM trust policy quota of {quota} characters (whitespace not counted)",
            "trust fewer subjects per role (or use a wildcard with allow_wildcard=True), split the role, or raise "
            "the account's 'Role trust policy length' quota and set max_trust_policy_size",
        )


def exactly_one(component: str, args: Mapping[str, Any], *fields: str, required: bool = True) -> str | None:
    """Checks that exactly one (or, when not required, at most one) of mutually exclusive args is set."""
    present = [f for f in fields if args.get(f) is not None]
    if len(present) > 1:
        raise IrsaConfigError(
            component,
            " / ".join(present),
            [args[f] for f in present],
            "are mutually exclusive",
            f"set only one of {', '.join(fields)}",
        )
    if required and not present:
        raise IrsaConfigError(
            component, " / ".join(fields), None, "are all unset", f"set exactly one of {', '.join(fields)}"
        )
    return present[0] if present else None
