"""The one place that builds trust policies: IRSA (web identity) and EKS Pod Identity.

Plain functions over plain data; components call them inside ``apply`` once
Outputs (such as the OIDC provider ARN) are resolved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from irsa_components.validation import has_wildcard

POLICY_VERSION = "2012-10-17"
DEFAULT_AUDIENCE = "sts.amazonaws.com"
WEB_IDENTITY_ACTION = "sts:AssumeRoleWithWebIdentity"
POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com"
POD_IDENTITY_ACTIONS = ["sts:AssumeRole", "sts:TagSession"]
POD_IDENTITY_SID = "AllowEksAuthToAssumeRoleForPodIdentity"

# Session tags EKS Pod Identity sets on every session it opens.
TAG_CLUSTER_NAME = "aws:RequestTag/eks-cluster-name"
TAG_NAMESPACE = "aws:RequestTag/kubernetes-namespace"
TAG_SERVICE_ACCOUNT = "aws:RequestTag/kubernetes-service-account"


def service_account_subject(namespace: str, service_account: str) -> str:
    """The ``sub`` claim of a projected service account token."""
    return f"system:serviceaccount:{namespace}:{service_account}"


def provider_url_from_arn(provider_arn: str) -> str:
    """The condition-key prefix of an OIDC provider: its ARN after ``oidc-provider/`` (no ``https://``)."""
    return provider_arn.split(":oidc-provider/", 1)[1]


def _one_or_many(values: Sequence[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)


def irsa_statement(provider_arn: str, subjects: Sequence[tuple[str, str]], audience: str) -> dict[str, Any]:
    """One statement trusting ``subjects`` (namespace, service account) through one OIDC provider.

    ``sub`` moves to ``StringLike`` when any subject holds a wildcard, because under
    ``StringEquals`` a wildcard matches nothing; ``aud`` always stays exact.
    """
    url = provider_url_from_arn(provider_arn)
    subs = [service_account_subject(ns, sa) for ns, sa in subjects]
    aud = {f"{url}:aud": audience}
    if any(has_wildcard(s) for s in subs):
        condition: dict[str, Any] = {"StringEquals": aud, "StringLike": {f"{url}:sub": _one_or_many(subs)}}
    else:
        condition = {"StringEquals": {f"{url}:sub": _one_or_many(subs), **aud}}
    return {
        "Effect": "Allow",
        "Principal": {"Federated": provider_arn},
        "Action": WEB_IDENTITY_ACTION,
        "Condition": condition,
    }


def build_irsa_trust_policy(
    provider_arns: Sequence[str],
    subjects: Sequence[tuple[str, str]],
    audience: str = DEFAULT_AUDIENCE,
) -> dict[str, Any]:
    """Trust for IRSA: one statement per OIDC provider (cluster), each admitting exactly ``subjects``."""
    return {"Version": POLICY_VERSION, "Statement": [irsa_statement(arn, subjects, audience) for arn in provider_arns]}


def pod_identity_statement(
    cluster_name: str | None = None,
    namespace: str | None = None,
    service_account: str | None = None,
) -> dict[str, Any]:
    """The statement letting EKS Pod Identity assume a role, narrowed by the session tags EKS sets.

    Any of cluster, namespace and service account left None is not narrowed; with none given the
    role is usable by every association in the account that names it.
    """
    narrowing = {
        key: value
        for key, value in (
            (TAG_CLUSTER_NAME, cluster_name),
            (TAG_NAMESPACE, namespace),
            (TAG_SERVICE_ACCOUNT, service_account),
        )
        if value is not None
    }
    stmt: dict[str, Any] = {
        "Sid": POD_IDENTITY_SID,
        "Effect": "Allow",
        "Principal": {"Service": POD_IDENTITY_SERVICE},
        "Action": list(POD_IDENTITY_ACTIONS),
    }
    if narrowing:
        stmt["Condition"] = {"StringEquals": narrowing}
    return stmt


def build_pod_identity_trust_policy(
    cluster_name: str | None = None,
    namespace: str | None = None,
    service_account: str | None = None,
) -> dict[str, Any]:
    """Trust for EKS Pod Identity, narrowed to one cluster, namespace and service account when given."""
    return {"Version": POLICY_VERSION, "Statement": [pod_identity_statement(cluster_name, namespace, service_account)]}


def to_json(document: Mapping[str, Any]) -> str:
    """Serialises a policy document the way every component stores it."""
    return json.dumps(document, indent=2)
