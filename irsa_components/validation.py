"""Validators for every plain input AWS or Kubernetes would otherwise reject at deploy time.

Each validator takes the component label (``ServiceAccountRole 'app'``) so its
``IrsaConfigError`` names the component, the field, the value and the fix. They
return the value, normalised where that is safe, so callers can write
``ns = validate_namespace(label, args["namespace"])``.

A fix that suggests a value (``use e.g. 'my-api'``) suggests one the same validator accepts, or says what
to change instead. Besides the per-field validators: ``parse_policy_document`` (what IAM refuses in a
permission policy), ``SamePartition`` (one partition per component), ``unique_child_names`` (children whose
URNs would collide) and ``refuse_unknown_keys`` (typos, with the closest known key). The limits are tables
and constants with their source next to them.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

from irsa_components.errors import IrsaConfigError

PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
"""Every AWS partition (botocore's partitions.json)."""
PARTITION_PATTERN = "|".join(re.escape(p) for p in sorted(PARTITIONS, key=len, reverse=True))
WILDCARDS = ("*", "?")
_PATH_CHAR = r"[\x21-\x29\x2b-\x3e\x40-\x7e]"
"""A character IAM allows in a path, minus '*' and '?': a path lands in ArnEquals/ArnLike conditions, where they
would turn a role ARN into a pattern (a role at '/team*/' would admit '/teamevil-team/')."""

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", re.ASCII)
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", re.ASCII)
_OIDC_PROVIDER_ARN = re.compile(
    rf"^arn:(?P<partition>{PARTITION_PATTERN}):iam::(?P<account>\d{{12}}):oidc-provider/"
    r"(?P<url>[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%-]+)*)$",
    re.ASCII,
)
_ROLE_ARN = re.compile(
    rf"^arn:(?P<partition>{PARTITION_PATTERN}):iam::(?P<account>\d{{12}}):role(?P<path>/(?:{_PATH_CHAR}*/)?)"
    r"(?P<name>[\w+=,.@-]{1,64})$",
    re.ASCII,
)
_POLICY_ARN = re.compile(
    rf"^arn:(?P<partition>{PARTITION_PATTERN}):iam::(?P<account>\d{{12}}|aws):policy/(?:{_PATH_CHAR}*/)?"
    r"(?P<name>[\w+=,.@-]{1,128})$",
    re.ASCII,
)
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$", re.ASCII)
_ROLE_PATH = re.compile(rf"^/(?:{_PATH_CHAR}*/)?$", re.ASCII)
_POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$", re.ASCII)
_CLUSTER_NAME = re.compile(r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$", re.ASCII)
_ADDON_VERSION = re.compile(r"^v\d+\.\d+\.\d+-eksbuild\.\d+$", re.ASCII)
"""EKS add-on versions as 'aws eks describe-addon-versions' lists them, e.g. v1.3.4-eksbuild.1."""
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
"""Tags per IAM resource (IAM quotas page); the library's own tags count too."""
MAX_TRUST_POLICY_QUOTA = 8192
"""The most the 'Role trust policy length' quota can be raised to (Service Quotas; older pages said 4096)."""
MAX_POLICY_ATTACHMENTS = 20
"""IAM's hard maximum of managed policies attached to one role, even with a raised quota (IAM quotas page)."""
MAX_DESCRIPTION_LENGTH = 1000
"""Role description length (IAM CreateRole API reference)."""
MAX_CLIENT_IDS = 100
MAX_CLIENT_ID_LENGTH = 255
"""Client IDs per OIDC provider and characters per client ID (IAM CreateOpenIDConnectProvider API reference)."""
DEFAULT_AUDIENCE = "sts.amazonaws.com"
MAX_LABEL_VALUE_LENGTH = 63
MAX_ANNOTATIONS_SIZE = 262144
"""Label values and the total size of an object's annotations (Kubernetes 'Labels and Selectors', 'Annotations')."""

_AUDIENCE = re.compile(r"^[\x21-\x7e]+$", re.ASCII)
_DESCRIPTION = re.compile(r"^[\t\n\r\x20-\x7e\xa1-\xff]*$")
"""IAM CreateRole Description pattern."""
_TAG_PUNCTUATION = "_.:/=+-@"
_QUALIFIED_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", re.ASCII)
_LABEL_VALUE = re.compile(r"^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?$", re.ASCII)


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


def suggest_k8s_name(value: str, *, subdomain: bool, limit: int) -> str | None:
    """A valid name close to ``value`` (lowercased, other characters turned into '-', trimmed to ``limit``), or
    None when a letter has no ASCII form (a Cyrillic look-alike: dropping it would suggest another name) or
    nothing survives, so a fix never suggests an invalid or unrelated name."""
    decomposed = unicodedata.normalize("NFKD", value)
    if any(not c.isascii() and c.isalpha() for c in decomposed):
        return None
    text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    labels = text.split(".") if subdomain else [text]
    cleaned = [re.sub(r"[^a-z0-9]+", "-", label).strip("-") for label in labels]
    candidate = ".".join(label for label in cleaned if label)[:limit].rstrip("-.")
    pattern = _DNS_SUBDOMAIN if subdomain else _DNS_LABEL
    return candidate if candidate and pattern.fullmatch(candidate) else None


def _k8s_rename_fix(value: str, rule: str) -> str:
    foreign = "".join(sorted({c for c in value if not c.isascii()}))
    hint = f" ({foreign!r} are not ASCII: retype them)" if foreign else ""
    return f"rename it using only {rule}{hint}"


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
    subdomain = kind.endswith("subdomain")
    allowed = "'-' and '.'" if subdomain else "'-'"
    if len(value) > limit or not pattern.fullmatch(probe):
        suggestion = suggest_k8s_name(value, subdomain=subdomain, limit=limit)
        rule = f"lowercase ASCII letters, digits and {allowed}, starting and ending alphanumeric, at most {limit} long"
        raise IrsaConfigError(
            component,
            field,
            value,
            f"is not a valid {kind}: {rule}",
            f"use e.g. {suggestion!r}" if suggestion else _k8s_rename_fix(value, rule),
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
    """An IAM path: ``/`` or ``/segment/.../``, at most 512 characters, without '*' or '?'."""
    if isinstance(value, str) and has_wildcard(value):
        cleaned = re.sub(r"/+", "/", re.sub(r"[*?]+", "", value))
        valid = len(cleaned) <= 512 and _ROLE_PATH.fullmatch(cleaned)
        raise IrsaConfigError(
            component,
            field,
            value,
            "contains '*' or '?': the role ARN lands in ArnEquals conditions (e.g. a target role's trust), where it "
            "would become a pattern matching other roles",
            f"use e.g. {cleaned!r}" if valid else "remove '*' and '?' from the path",
        )
    if not isinstance(value, str) or len(value) > 512 or not _ROLE_PATH.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an IAM path (at most 512 printable ASCII characters, starting and ending with '/')",
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
    if not isinstance(value, str) or len(value) > 255 or not _ISSUER_URL.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an https OIDC issuer URL of at most 255 characters",
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
    """A token audience (an OIDC client ID): 1-255 printable ASCII characters, no spaces, wildcards or policy
    variables (it is matched by StringEquals in the trust, where '${...}' would be substituted)."""
    if (
        not isinstance(value, str)
        or not 1 <= len(value) <= MAX_CLIENT_ID_LENGTH
        or not _AUDIENCE.fullmatch(value)
        or has_wildcard(value)
        or "${" in value
    ):
        raise IrsaConfigError(
            component,
            field,
            value,
            f"must be 1-{MAX_CLIENT_ID_LENGTH} printable ASCII characters without spaces, wildcards or '${{...}}'",
            f"use {DEFAULT_AUDIENCE!r}",
        )
    return value


def validate_client_ids(component: str, value: Any, *, field: str = "client_ids") -> list[str]:
    """An OIDC provider's client IDs: 1 to 100 audiences (IAM CreateOpenIDConnectProvider)."""
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise IrsaConfigError(component, field, value, "must be a non-empty list", f"pass [{DEFAULT_AUDIENCE!r}]")
    if len(value) > MAX_CLIENT_IDS:
        raise IrsaConfigError(
            component,
            field,
            f"{len(value)} client IDs",
            f"exceeds IAM's {MAX_CLIENT_IDS} client IDs per OIDC provider",
            "keep the audiences your service accounts use",
        )
    checked = [validate_audience(component, client_id, field=field) for client_id in value]
    if len(set(checked)) != len(checked):
        raise IrsaConfigError(component, field, checked, "lists a client ID twice", "list each client ID once")
    return checked


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
_SID = re.compile(r"^[A-Za-z0-9]+$", re.ASCII)
"""IAM: "The Sid element supports ASCII uppercase letters (A-Z), lowercase letters (a-z), and numbers (0-9)"."""
_RESOURCE_ARN = re.compile(r"^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$", re.DOTALL)
_POLICY_VARIABLE = re.compile(r"\$\{[^}]*\}")
CONDITION_OPERATORS = frozenset(
    {
        # IAM User Guide, "IAM JSON policy elements: Condition operators".
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
        "Bool",
        "BinaryEquals",
        "IpAddress",
        "NotIpAddress",
        "ArnEquals",
        "ArnLike",
        "ArnNotEquals",
        "ArnNotLike",
        "Null",
    }
)
_SET_OPERATOR_PREFIXES = ("ForAllValues:", "ForAnyValue:")


def condition_operator_known(operator: str) -> bool:
    """Whether IAM knows ``operator``: a base operator, optionally ``...IfExists`` (not ``Null``) and optionally
    prefixed ``ForAllValues:`` / ``ForAnyValue:``."""
    base = next((operator[len(p) :] for p in _SET_OPERATOR_PREFIXES if operator.startswith(p)), operator)
    if base.endswith("IfExists") and base != "NullIfExists":
        base = base[: -len("IfExists")]
    return base in CONDITION_OPERATORS


def resource_is_valid(resource: str) -> bool:
    """IAM takes '*' or an ARN (``arn:partition:service:region:account:resource``, policy variables allowed)."""
    return resource == "*" or bool(_RESOURCE_ARN.fullmatch(_POLICY_VARIABLE.sub("x", resource)))


def closest(value: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``value`` (difflib), or None when nothing is close."""
    matches = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def _statement_problem(statement: Any) -> tuple[str, str] | None:
    """What IAM would reject in one statement of a permission policy, and the fix; or None."""
    if not isinstance(statement, Mapping):
        return "has a statement that is not an object", "write each statement as {'Effect': ..., 'Action': ...}"
    unknown = sorted(set(statement) - _STATEMENT_KEYS)
    if unknown:
        return (
            f"has a statement with {', '.join(unknown)}, which permission policies do not take",
            f"remove {unknown[0]}: a permission policy applies to the role it is attached to",
        )
    if "Sid" in statement:
        sid = statement["Sid"]
        if not isinstance(sid, str) or not _SID.fullmatch(sid):
            cleaned = re.sub(r"[^A-Za-z0-9]", "", sid) if isinstance(sid, str) else ""
            return (
                f"has a statement whose Sid {sid!r} is not ASCII letters and digits only",
                f"use e.g. Sid {cleaned or 'Statement1'!r}",
            )
    if statement.get("Effect") not in ("Allow", "Deny"):
        return (
            f"has a statement whose Effect is {statement.get('Effect')!r}, not 'Allow' or 'Deny'",
            "set Effect to 'Allow' or 'Deny'",
        )
    for element, negated in (("Action", "NotAction"), ("Resource", "NotResource")):
        if (element in statement) == (negated in statement):
            return f"has a statement without exactly one of {element} and {negated}", f"give it {element} only"
        values = statement.get(element, statement.get(negated))
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
            return (
                f"has a statement whose {element} is not a non-empty string or list of strings",
                f"set {element} to a string or a list of strings",
            )
        if element == "Action" and not all(_ACTION.fullmatch(v) for v in values):
            return (
                f"has a statement with an action not of the form 'service:Action': {values}",
                "write actions like 's3:GetObject'",
            )
        if element == "Resource":
            bad = next((v for v in values if not resource_is_valid(v)), None)
            if bad is not None:
                return (
                    f"has a statement whose {element if element in statement else negated} {bad!r} is neither "
                    "'*' nor an ARN (arn:partition:service:region:account:resource)",
                    "use '*' or a full ARN, e.g. 'arn:aws:s3:::my-bucket/*'",
                )
    condition = statement.get("Condition", {})
    if not isinstance(condition, Mapping) or not all(isinstance(block, Mapping) for block in condition.values()):
        return (
            "has a statement whose Condition is not {operator: {key: value}}",
            "write e.g. {'StringEquals': {'aws:ResourceTag/team': 'a'}}",
        )
    for operator in condition:
        if not isinstance(operator, str) or not condition_operator_known(operator):
            near = closest(str(operator), CONDITION_OPERATORS)
            return (
                f"has a condition operator {operator!r} IAM does not know",
                f"use {near!r}" if near else "use an IAM condition operator, e.g. 'StringEquals'",
            )
    return None


def parse_policy_document(component: str, value: Any, *, field: str) -> dict[str, Any]:
    """A permission policy as a dict or JSON string, parsed and checked for what IAM would reject:
    the top-level shape, and each statement's Sid (unique, alphanumeric), Effect, Action/NotAction,
    Resource/NotResource ('*' or ARNs) and Condition (known operators)."""
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
    unknown = sorted(set(document) - {"Version", "Id", "Statement"})
    if unknown:
        raise IrsaConfigError(
            component, field, unknown[0], "is not a policy element", "keep only Version, Id and Statement at the top"
        )
    if document.get("Version", "2012-10-17") not in ("2012-10-17", "2008-10-17"):
        raise IrsaConfigError(component, field, document["Version"], "is not an IAM policy version", "use '2012-10-17'")
    statements = document["Statement"]
    statements = [statements] if isinstance(statements, Mapping) else statements
    if not isinstance(statements, list) or not statements:
        raise IrsaConfigError(component, field, statements, "has no statement", "add at least one statement")
    sids: set[str] = set()
    for statement in statements:
        problem = _statement_problem(statement)
        if problem is not None:
            raise IrsaConfigError(component, field, statement, *problem)
        sid = statement.get("Sid")
        if sid is not None:
            if sid in sids:
                raise IrsaConfigError(
                    component, field, sid, "is the Sid of two statements", f"give each its own Sid, e.g. '{sid}2'"
                )
            sids.add(sid)
    return document


def _tag_text_ok(text: str) -> bool:
    """IAM's tag pattern ``[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]``: letters, spaces, digits and ``_ . : / = + - @``."""
    return all(unicodedata.category(c)[0] in "LZN" or c in _TAG_PUNCTUATION for c in text)


def _tag_fix(text: str) -> str:
    cleaned = "".join(c if _tag_text_ok(c) else "-" for c in text)
    return f"use e.g. {cleaned!r}" if cleaned and not cleaned.lower().startswith("aws:") else "rename the tag"


def validate_tags(
    component: str, value: Any, *, field: str = "tags", reserved: int = 0, role: bool = False
) -> dict[str, str]:
    """AWS tags: at most 50 (less ``reserved``, the library's own tags on the same resource), keys of 1-128 and
    values of 0-256 letters, digits, spaces and ``_ . : / = + - @`` (IAM TagRole), keys not starting 'aws:'.
    On a ``role``, keys differing only in case are one key to IAM ("Tagging IAM resources")."""
    if not isinstance(value, Mapping):
        raise IrsaConfigError(
            component, field, value, "must be a mapping of tag keys to values", "pass e.g. {'team': 'payments'}"
        )
    limit = MAX_TAGS - reserved
    if len(value) > limit:
        because = f" (the library adds {reserved} of its own on some resources)" if reserved else ""
        raise IrsaConfigError(
            component,
            field,
            f"{len(value)} tags",
            f"exceeds AWS's {MAX_TAGS} tags per resource{because}",
            f"keep at most {limit} tags",
        )
    if role:
        folded = Counter(key.lower() for key in value if isinstance(key, str))
        twice = sorted(key for key in value if isinstance(key, str) and folded[key.lower()] > 1)
        if twice:
            raise IrsaConfigError(
                component,
                field,
                twice,
                "are one tag key to IAM, which ignores case in role tag keys",
                f"keep one of {', '.join(map(repr, twice))}",
            )
    for key, tag_value in value.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 128 or key.lower().startswith("aws:"):
            raise IrsaConfigError(
                component, field, key, "is not a valid tag key (1-128 characters, not 'aws:')", "rename the tag"
            )
        if not _tag_text_ok(key):
            raise IrsaConfigError(
                component,
                field,
                key,
                "is not a valid tag key: IAM allows letters, digits, spaces and _ . : / = + - @",
                _tag_fix(key),
            )
        if not isinstance(tag_value, str) or len(tag_value) > 256:
            raise IrsaConfigError(
                component,
                f"{field}[{key!r}]",
                tag_value,
                "is not a string of at most 256 characters",
                "use a shorter string, e.g. '1'",
            )
        if not _tag_text_ok(tag_value):
            raise IrsaConfigError(
                component,
                f"{field}[{key!r}]",
                tag_value,
                "is not a valid tag value: IAM allows letters, digits, spaces and _ . : / = + - @",
                _tag_fix(tag_value) if tag_value else "rename the tag",
            )
    return dict(value)


def validate_description(component: str, value: Any, *, field: str = "description") -> str:
    """An IAM role description: at most 1,000 characters of printable Latin-1, tab and line breaks."""
    if not isinstance(value, str):
        raise IrsaConfigError(component, field, value, "must be a string", "pass e.g. 'Reads the reports bucket'")
    if len(value) > MAX_DESCRIPTION_LENGTH:
        raise IrsaConfigError(
            component,
            field,
            f"{value[:40]}... ({len(value)} characters)",
            f"exceeds IAM's {MAX_DESCRIPTION_LENGTH} characters for a role description",
            f"shorten it to at most {MAX_DESCRIPTION_LENGTH} characters",
        )
    if not _DESCRIPTION.fullmatch(value):
        bad = sorted({c for c in value if not _DESCRIPTION.fullmatch(c)})
        raise IrsaConfigError(
            component,
            field,
            value,
            "has characters IAM refuses in a description (it allows printable ASCII and Latin-1, tab, line breaks)",
            f"remove or replace {''.join(bad)!r}",
        )
    return value


def validate_trust_policy_quota(component: str, value: Any, *, field: str = "max_trust_policy_size") -> int:
    """The account's 'Role trust policy length' quota: IAM's default 2048 up to its maximum 8192."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (DEFAULT_TRUST_POLICY_QUOTA <= value <= MAX_TRUST_POLICY_QUOTA)
    ):
        raise IrsaConfigError(
            component,
            field,
            value,
            f"must be a whole number of characters from IAM's default {DEFAULT_TRUST_POLICY_QUOTA} to the "
            f"{MAX_TRUST_POLICY_QUOTA} IAM allows at most",
            "set it to the 'Role trust policy length' quota of your account, e.g. 4096",
        )
    return value


def validate_policy_attachment_quota(component: str, value: Any, *, field: str = "max_policy_attachments") -> int:
    """The account's managed-policies-per-role quota: at most IAM's hard maximum of 20."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_POLICY_ATTACHMENTS:
        raise IrsaConfigError(
            component,
            field,
            value,
            f"must be a whole number from 1 to {MAX_POLICY_ATTACHMENTS} (IAM's maximum, even with a raised quota)",
            f"set it to your account's quota, e.g. {MAX_POLICY_ATTACHMENTS}",
        )
    return value


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


def validate_k8s_key(component: str, key: Any, *, field: str) -> str:
    """A label or annotation key: an optional prefix (a DNS subdomain of at most 253 characters) and '/', then
    a name of at most 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends (Kubernetes object names)."""
    prefix, _, name = key.rpartition("/") if isinstance(key, str) else ("", "", "")
    if (
        not isinstance(key, str)
        or (prefix and (len(prefix) > 253 or not _DNS_SUBDOMAIN.fullmatch(prefix)))
        or (not prefix and "/" in key)
        or len(name) > 63
        or not _QUALIFIED_NAME.fullmatch(name)
    ):
        raise IrsaConfigError(
            component,
            field,
            key,
            "is not a valid Kubernetes key: optional DNS-subdomain prefix (at most 253) and '/', then a name of "
            "at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends",
            "use e.g. 'example.com/team'",
        )
    return key


def suggest_label_value(value: str) -> str:
    """A valid label value close to ``value``: other characters turned into '-', trimmed to 63, alphanumeric ends."""
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", value.encode("ascii", "replace").decode("ascii").replace("?", "-"))
    text = text.strip("-_.")[:MAX_LABEL_VALUE_LENGTH]
    return text.rstrip("-_.")


def validate_label_value(component: str, key: str, value: Any, *, field: str) -> str:
    """A label value: at most 63 characters, empty or alphanumeric at both ends with '-', '_', '.' inside."""
    if not isinstance(value, str) or len(value) > MAX_LABEL_VALUE_LENGTH or not _LABEL_VALUE.fullmatch(value):
        suggestion = suggest_label_value(value) if isinstance(value, str) else "a"
        raise IrsaConfigError(
            component,
            f"{field}[{key!r}]",
            value,
            "is not a valid label value: at most 63 letters, digits, '-', '_' and '.', alphanumeric at both ends",
            f"use e.g. {suggestion!r}",
        )
    return value


def validate_labels(component: str, value: Any, *, field: str = "service_account_labels") -> dict[str, str]:
    """Kubernetes labels: valid keys and values."""
    if not isinstance(value, Mapping):
        raise IrsaConfigError(component, field, value, "must be a mapping of plain strings", "pass e.g. {'team': 'a'}")
    for key, item in value.items():
        validate_k8s_key(component, key, field=field)
        validate_label_value(component, key, item, field=field)
    return dict(value)


def validate_annotations(component: str, value: Any, *, field: str = "service_account_annotations") -> dict[str, str]:
    """Kubernetes annotations: valid keys, string values, at most 256 KiB in all."""
    if not isinstance(value, Mapping):
        raise IrsaConfigError(
            component, field, value, "must be a mapping of plain strings", "pass e.g. {'example.com/team': 'a'}"
        )
    for key, item in value.items():
        validate_k8s_key(component, key, field=field)
        if not isinstance(item, str):
            raise IrsaConfigError(component, f"{field}[{key!r}]", item, "must be a string", f"pass {str(item)!r}")
    size = sum(len(k.encode()) + len(v.encode()) for k, v in value.items())
    if size > MAX_ANNOTATIONS_SIZE:
        raise IrsaConfigError(
            component,
            field,
            f"{size} bytes",
            f"exceeds Kubernetes' {MAX_ANNOTATIONS_SIZE} bytes of annotations per object",
            "move large values into a ConfigMap",
        )
    return dict(value)


def arn_partition(arn: str) -> str | None:
    """The partition of an ARN (``arn:<partition>:...``), or None if ``arn`` is not one."""
    parts = arn.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == "arn" else None


class SamePartition:
    """Refuses ARNs of two partitions in one component (IAM can't attach, trust or chain across partitions).

    One instance per component: each ARN is offered as soon as it is known (at construction, or inside
    ``apply``), and any ARN in another partition than the first one seen is refused.
    """

    def __init__(self, component: str) -> None:
        self.component = component
        self.first: tuple[str, str, str] | None = None
        """(field, ARN, partition) of the first ARN seen."""

    def check(self, field: str, arn: str) -> str:
        """Returns ``arn`` when it is in the component's partition (or is no ARN at all)."""
        partition = arn_partition(arn)
        if partition is not None:
            self.check_partition(field, partition, arn)
        return arn

    def check_partition(self, field: str, partition: str, shown: str | None = None) -> None:
        """Refuses ``partition`` (named by ``field``, e.g. a preset's option) if it is not the component's."""
        if self.first is None:
            self.first = (field, shown or partition, partition)
        elif partition != self.first[2]:
            first_field, first_value, first_partition = self.first
            raise IrsaConfigError(
                self.component,
                field,
                shown or partition,
                f"is in partition {partition!r}, but {first_field}={first_value!r} is in {first_partition!r}: IAM "
                "can't attach, trust or chain across partitions",
                f"use partition {first_partition!r} here too (the same resource's ARN there), or split the "
                "component per partition",
            )


def unique_child_names(claims: Sequence[tuple[str, str]], keep: Collection[str] = ()) -> list[str]:
    """Resource names for ``claims`` (natural name, identity), distinct from each other and from ``keep``.

    Pulumi refuses two children of one type with one name (their URNs collide), so the first claimant of a
    name keeps it (a name in ``keep`` stays with its owner) and later ones get ``<name>-<hash of identity>``,
    which depends only on the identity: reordering the input renames nothing that did not collide.
    """
    used = set(keep)
    counts = Counter(name for name, _ in claims)
    owners: dict[str, str] = {}
    for name, identity in claims:
        owners.setdefault(name, identity)
    result: list[str] = []
    for name, identity in claims:
        if name not in used and owners.get(name) == identity:
            used.add(name)
            result.append(name)
            continue
        digest = hashlib.sha256(identity.encode()).hexdigest()
        length = 8
        while f"{name}-{digest[:length]}" in used or f"{name}-{digest[:length]}" in counts:
            length += 4
        used.add(f"{name}-{digest[:length]}")
        result.append(f"{name}-{digest[:length]}")
    return result


def _snake_case(key: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).replace("-", "_").lower()


def closest_key(key: str, known: Iterable[str]) -> str | None:
    """The known key a user most likely meant by ``key``: its snake_case form, or the closest spelling."""
    known = list(known)
    normalised = _snake_case(key)
    if normalised in known:
        return normalised
    return closest(normalised, known)


def refuse_unknown_keys(component: str, value: Mapping[Any, Any], known: Collection[str], *, prefix: str = "") -> None:
    """Refuses any key of ``value`` not in ``known`` (a typo would otherwise be silently ignored)."""
    for key in value:
        if isinstance(key, str) and key in known:
            continue
        near = closest_key(key, known) if isinstance(key, str) else None
        fix = f"did you mean {near!r}? Rename the key to {near!r}" if near else f"use one of {', '.join(sorted(known))}"
        raise IrsaConfigError(component, f"{prefix}{key}", value[key], "is not a known option", fix)


def validate_addon_version(component: str, value: Any, *, field: str = "addon_version") -> str:
    """An EKS add-on version: ``v<major>.<minor>.<patch>-eksbuild.<n>``."""
    if not isinstance(value, str) or not _ADDON_VERSION.fullmatch(value):
        raise IrsaConfigError(
            component,
            field,
            value,
            "is not an EKS add-on version (v<major>.<minor>.<patch>-eksbuild.<n>)",
            "use one listed by 'aws eks describe-addon-versions', e.g. 'v1.3.4-eksbuild.1', or leave it unset",
        )
    return value


TOKEN_EXPIRATION_RANGE = (600, 86400)
"""Seconds the EKS pod identity webhook honours in eks.amazonaws.com/token-expiration (it clamps others)."""


def _token_expiration_ok(value: str) -> bool:
    low, high = TOKEN_EXPIRATION_RANGE
    return value.isdigit() and low <= int(value) <= high


WEBHOOK_ANNOTATIONS: dict[str, tuple[Callable[[str], bool], str, str]] = {
    # amazon-eks-pod-identity-webhook README: the ServiceAccount annotations it reads.
    "eks.amazonaws.com/token-expiration": (
        _token_expiration_ok,
        f"is not a whole number of seconds from {TOKEN_EXPIRATION_RANGE[0]} to {TOKEN_EXPIRATION_RANGE[1]}, "
        "the range the pod identity webhook honours (it silently clamps others)",
        "use e.g. '3600'",
    ),
    "eks.amazonaws.com/sts-regional-endpoints": (
        lambda value: value in ("true", "false"),
        "is neither 'true' nor 'false'",
        "use e.g. 'true'",
    ),
}
"""Annotations the webhook interprets: (accepts the value, problem otherwise, fix)."""


def validate_webhook_annotations(
    component: str, annotations: Mapping[str, str], *, field: str = "service_account_annotations"
) -> None:
    """Refuses values the EKS pod identity webhook would ignore or clamp in the annotations it interprets."""
    for key, (accepts, problem, fix) in WEBHOOK_ANNOTATIONS.items():
        value = annotations.get(key)
        if isinstance(value, str) and not accepts(value):
            raise IrsaConfigError(component, f"{field}[{key!r}]", value, problem, fix)
