"""Plain facts about an OIDC issuer: its host/path and the thumbprint IAM should pin."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from irsa_components.errors import IrsaConfigError


def issuer_host_path(issuer_url: str) -> str:
    """The issuer without its scheme: IAM's provider URL and the trust condition key prefix."""
    return issuer_url.split("://", 1)[-1].rstrip("/")


def issuer_key(issuer_url: str) -> str:
    """An issuer's host/path in one canonical form (lowercase), to match issuers written differently."""
    return issuer_host_path(issuer_url).lower()


def _field(cert: Any, snake: str, camel: str) -> Any:
    if isinstance(cert, Mapping):
        return cert.get(snake, cert.get(camel))
    return getattr(cert, snake)


def select_top_ca_thumbprint(component: str, certificates: Sequence[Any]) -> str:
    """SHA-1 fingerprint of the top CA of a chain that ``tls.get_certificate`` returned root first.

    Pinning a leaf would break at the issuer's next certificate rotation, so a chain
    without any CA certificate is an error rather than a fallback to the leaf.
    """
    for cert in certificates:
        if _field(cert, "is_ca", "isCa"):
            return str(_field(cert, "sha1_fingerprint", "sha1Fingerprint")).lower()
    raise IrsaConfigError(
        component,
        "thumbprints",
        [_field(c, "subject", "subject") for c in certificates],
        "could not be looked up: the issuer's certificate chain holds no CA certificate, only a leaf",
        "pass thumbprints=[<SHA-1 of your issuer's root CA>] explicitly",
    )
