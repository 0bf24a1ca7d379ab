"""The report of `irsa-components plan`: its model and its renderers, importable from one place.

- ``irsa_components.review.model``: ``build_report`` (plain data from a ``ProgramResult``), ``access_matrix``,
  ``certificate_chains``, ``cluster_names``, ``exceeds``, ``UNKNOWN``.
- ``irsa_components.review.text`` / ``markdown`` / ``json_output``: ``render_text``, ``render_markdown``,
  ``render_json``.
"""

from __future__ import annotations

from irsa_components.review.findings import (
    ASSOCIATION,
    ATTACHMENT,
    INLINE_POLICY,
    MANAGED_POLICY,
    OIDC_PROVIDER,
    ROLE,
    SERVICE_ACCOUNT,
)
from irsa_components.review.json_output import render_json
from irsa_components.review.markdown import render_markdown
from irsa_components.review.model import (
    SCHEMA_VERSION,
    UNKNOWN,
    ResourceIndex,
    access_matrix,
    build_report,
    certificate_chains,
    cluster_names,
    exceeds,
    service_account_manifest,
)
from irsa_components.review.text import render_text

__all__ = [
    "ASSOCIATION",
    "ATTACHMENT",
    "INLINE_POLICY",
    "MANAGED_POLICY",
    "OIDC_PROVIDER",
    "ROLE",
    "SCHEMA_VERSION",
    "SERVICE_ACCOUNT",
    "UNKNOWN",
    "ResourceIndex",
    "access_matrix",
    "build_report",
    "certificate_chains",
    "cluster_names",
    "exceeds",
    "render_json",
    "render_markdown",
    "render_text",
    "service_account_manifest",
]
