"""Which condition keys a principal's assume-role requests can carry: a table, each row with its source.

A condition on a key that never appears in a principal's requests is not a narrowing: under a positive
operator it can never hold, so the statement never admits that principal ("can never be assumed");
under a negated or ``...IfExists`` operator it always holds. The evaluator reads such keys as absent.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from enum import Enum

from irsa_components.trust import POD_IDENTITY_SERVICE

_EKS_ISSUER = re.compile(r"^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/id/", re.IGNORECASE)
_SERVICE_PREFIX = re.compile(r"^[A-Za-z0-9-]+$")


class PrincipalKind(Enum):
    """The kinds of callers whose requests carry different condition keys."""

    EKS_WEB_IDENTITY = "eks-web-identity"
    """A projected service account token of an EKS cluster, through the account's IAM OIDC provider."""
    WEB_IDENTITY = "web-identity"
    """Any other web identity (Google, Cognito, Facebook, Amazon, another OIDC issuer)."""
    POD_IDENTITY = "pod-identity"
    """``pods.eks.amazonaws.com`` opening a session for a Pod Identity association."""
    SERVICE = "service"
    """Another AWS service principal."""
    AWS = "aws"
    """An IAM user, role or account (a signed ``sts:AssumeRole`` call)."""


def principal_kind(principal_type: str, principal: str) -> PrincipalKind:
    """The kind of a principal as written in a ``Principal`` element (``*`` counts as ``AWS``)."""
    if principal_type == "Federated":
        return (
            PrincipalKind.EKS_WEB_IDENTITY
            if _EKS_ISSUER.match(provider_host(principal))
            else PrincipalKind.WEB_IDENTITY
        )
    if principal_type == "Service":
        return PrincipalKind.POD_IDENTITY if principal == POD_IDENTITY_SERVICE else PrincipalKind.SERVICE
    return PrincipalKind.AWS


def provider_host(federated: str) -> str:
    """The condition-key prefix of a web identity provider: an IAM OIDC provider ARN's issuer part
    (``oidc.eks.../id/X``), or the provider's name as written (``accounts.google.com``)."""
    return federated.split(":oidc-provider/", 1)[1] if ":oidc-provider/" in federated else federated


POD_IDENTITY_TAGS = (
    "eks-cluster-arn",
    "eks-cluster-name",
    "kubernetes-namespace",
    "kubernetes-service-account",
    "kubernetes-pod-name",
    "kubernetes-pod-uid",
)
"""The session tags EKS Pod Identity sets (EKS user guide, "Define permissions for EKS Pod Identities to assume
the role by tags": the tags it adds to every session)."""


@dataclass(frozen=True)
class AbsentKeys:
    """Keys (lowercase ``fnmatch`` patterns) that never appear in the requests of some principal kinds."""

    keys: tuple[str, ...]
    absent_for: frozenset[PrincipalKind]
    source: str


_EVERY_KIND = frozenset(PrincipalKind)
_WEB = frozenset({PrincipalKind.EKS_WEB_IDENTITY, PrincipalKind.WEB_IDENTITY})

ABSENT_KEYS: tuple[AbsentKeys, ...] = (
    AbsentKeys(
        ("http://*", "https://*"),
        _EVERY_KIND,
        "IAM OIDC condition keys are the issuer without the scheme (EKS user guide, IRSA trust policy; IAM rejects "
        "the scheme with 'Condition can contain only one colon')",
    ),
    AbsentKeys(
        (
            "aws:principalarn",
            "aws:principalaccount",
            "aws:principalorgid",
            "aws:principalorgpaths",
            "aws:principaltag/*",
            "aws:principaltype",
            "aws:userid",
            "aws:username",
        ),
        _WEB,
        "IAM global condition keys: the aws:Principal* keys are in the context of signed requests only; "
        "AssumeRoleWithWebIdentity is unsigned (STS API reference)",
    ),
    AbsentKeys(
        ("aws:principalarn", "aws:principaltag/*", "aws:userid", "aws:username"),
        frozenset({PrincipalKind.POD_IDENTITY, PrincipalKind.SERVICE}),
        "IAM global condition keys: aws:PrincipalArn names IAM roles, users, federated users and root users; "
        "service principals are identified by aws:PrincipalServiceName instead",
    ),
    AbsentKeys(
        ("aws:requesttag/*", "aws:tagkeys"),
        frozenset({PrincipalKind.EKS_WEB_IDENTITY}),
        "EKS service account tokens carry no https://aws.amazon.com/tags claim, so IRSA sessions have no "
        "request tags (IAM user guide, 'Passing session tags using AssumeRoleWithWebIdentity')",
    ),
)
"""Keys absent from the requests of a principal kind, with the source of each row. Besides these: a key named
after an identity provider is only in that provider's requests, and Pod Identity sessions carry only the
request tags in ``POD_IDENTITY_TAGS``."""


def _identity_provider_prefix(key: str) -> str | None:
    """The provider a key is named after (``oidc.eks.../id/X`` in ``oidc.eks.../id/X:sub``), or None for the
    keys of AWS itself and its services (``aws:``, ``sts:``, ``s3:``...)."""
    if ":" not in key or _SERVICE_PREFIX.match(key.split(":", 1)[0]) or key.lower().startswith(("http:", "https:")):
        return None
    return key.rpartition(":")[0]


def key_absent(principal_type: str, principal: str, key: str) -> bool:
    """Whether ``key`` never appears in the assume-role requests of this principal."""
    kind = principal_kind(principal_type, principal)
    lowered = key.lower()
    if kind is PrincipalKind.POD_IDENTITY and lowered.startswith("aws:requesttag/"):
        return lowered.removeprefix("aws:requesttag/") not in POD_IDENTITY_TAGS
    for row in ABSENT_KEYS:
        if kind in row.absent_for and any(fnmatch.fnmatchcase(lowered, pattern) for pattern in row.keys):
            return True
    # A key named after an identity provider is only in that provider's web identity requests.
    named_after = _identity_provider_prefix(key)
    if named_after is None:
        return False
    if principal_type != "Federated":
        return True
    return named_after.lower() != provider_host(principal).lower()


def foreign_key_reason(principal_type: str, principal: str, key: str) -> str:
    """Why ``key`` is never in this principal's requests (for a finding's message)."""
    lowered = key.lower()
    if lowered.startswith(("http://", "https://")):
        return f"{key} starts with a scheme: IAM condition keys of OIDC providers never do"
    named_after = _identity_provider_prefix(key)
    if named_after is not None:
        return f"{key} belongs to the identity provider {named_after}, not to {principal}"
    return f"{key} is never in the requests of {principal}"


@dataclass(frozen=True)
class PinningClaims:
    """The claims of a web identity provider that tie a token to the role owner's app or users."""

    provider: str
    claims: tuple[str, ...]
    source: str


PINNING_CLAIMS: tuple[PinningClaims, ...] = (
    PinningClaims(
        "cognito-identity.amazonaws.com",
        ("aud",),
        "Cognito developer guide, 'IAM roles': aud is the identity pool ID; amr alone admits every pool's users",
    ),
    PinningClaims(
        "accounts.google.com",
        ("aud", "sub", "oaud"),
        "IAM user guide, 'Available keys for AWS web identity federation': aud/oaud name the app, sub the user",
    ),
    PinningClaims(
        "graph.facebook.com", ("app_id", "id"), "IAM user guide, same page: app_id names the app, id the user"
    ),
    PinningClaims("www.amazon.com", ("app_id", "user_id"), "IAM user guide, same page: app_id and user_id"),
    PinningClaims(
        "token.actions.githubusercontent.com",
        ("sub", "repository", "repository_id", "repository_owner", "repository_owner_id", "job_workflow_ref"),
        "GitHub docs, 'Configuring OpenID Connect in AWS': aud is sts.amazonaws.com for every repository, so only "
        "sub (or repository claims) pin the caller",
    ),
)
"""Per provider, the claims whose value pins a caller; any other OIDC issuer: ``sub`` and ``aud``."""

DEFAULT_PINNING_CLAIMS = ("sub", "aud")


def pinning_claims(federated: str) -> tuple[str, ...]:
    """The claims that pin a caller of the web identity provider ``federated`` (an ARN or a provider name)."""
    host = provider_host(federated).lower()
    return next((row.claims for row in PINNING_CLAIMS if row.provider == host), DEFAULT_PINNING_CLAIMS)
