"""The one place that builds trust policies: IRSA (web identity), EKS Pod Identity, both at once while
migrating, and the trust of a Pod Identity target role in another account.

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

# Condition keys of a Pod Identity target role's trust (EKS user guide, "pod-id-assign-target-role").
PRINCIPAL_ARN_KEY = "aws:PrincipalARN"
EXTERNAL_ID_KEY = "sts:ExternalId"


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


def build_irsa_trust_policy_per_provider(
    providers: Sequence[tuple[str, Sequence[tuple[str, str]]]], audience: str = DEFAULT_AUDIENCE
) -> dict[str, Any]:
    """Trust for IRSA with different subjects per cluster (terraform's ``oidc_providers``): one statement per
    (provider, subjects), so no service account of one cluster is admitted through another's provider."""
    return {
        "Version": POLICY_VERSION,
        "Statement": [irsa_statement(arn, subjects, audience) for arn, subjects in providers],
    }


def session_tag_narrowing(
    cluster_name: str | None, namespace: str | None, service_account: str | None
) -> dict[str, str]:
    """``StringEquals`` conditions on the session tags EKS Pod Identity sets, for each value given."""
    tags = ((TAG_CLUSTER_NAME, cluster_name), (TAG_NAMESPACE, namespace), (TAG_SERVICE_ACCOUNT, service_account))
    return {key: value for key, value in tags if value is not None}


def pod_identity_statement(
    cluster_name: str | None = None,
    namespace: str | None = None,
    service_account: str | None = None,
) -> dict[str, Any]:
    """The statement letting EKS Pod Identity assume a role, narrowed by the session tags EKS sets.

    Any of cluster, namespace and service account left None is not narrowed; with none given the
    role is usable by every association in the account that names it.
    """
    narrowing = session_tag_narrowing(cluster_name, namespace, service_account)
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


def pod_identity_subject_statements(cluster_name: str, subjects: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """Pod Identity statements admitting exactly ``subjects`` (namespace, service account) of one cluster.

    One statement per namespace: a statement's tag conditions are ANDed per key, so a list of namespaces
    beside a list of names would also admit every cross pairing. Several statements get numbered Sids
    because IAM wants a policy's Sids unique.
    """
    return pod_identity_triple_statements([(cluster_name, ns, sa) for ns, sa in subjects])


def pod_identity_triple_statements(triples: Sequence[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Pod Identity statements admitting exactly the (cluster, namespace, service account) ``triples``.

    One statement per cluster and namespace, for the reason ``pod_identity_subject_statements`` gives: a
    list of clusters or namespaces beside a list of names in one statement would admit every cross pairing
    (the name of one cluster's service account in another cluster).
    """
    names_by_group: dict[tuple[str, str], list[str]] = {}
    for cluster_name, namespace, service_account in triples:
        names_by_group.setdefault((cluster_name, namespace), []).append(service_account)
    statements = []
    for index, ((cluster_name, namespace), names) in enumerate(names_by_group.items(), start=1):
        statement = pod_identity_statement(cluster_name, namespace, names[0])
        statement["Condition"]["StringEquals"][TAG_SERVICE_ACCOUNT] = _one_or_many(names)
        if len(names_by_group) > 1:
            statement["Sid"] = f"{POD_IDENTITY_SID}{index}"
        statements.append(statement)
    return statements


def build_pod_identity_triples_trust_policy(triples: Sequence[tuple[str, str, str]]) -> dict[str, Any]:
    """Trust for one EKS Pod Identity role used by associations in several clusters (``PodIdentityRole``):
    exactly the listed (cluster, namespace, service account) triples, through the session tags."""
    return {"Version": POLICY_VERSION, "Statement": pod_identity_triple_statements(triples)}


def build_pod_identity_subjects_trust_policy(cluster_name: str, subjects: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Trust for EKS Pod Identity narrowed to one cluster and exactly ``subjects``.

    For a single subject it is ``build_pod_identity_trust_policy(cluster_name, namespace, service_account)``.
    """
    return {"Version": POLICY_VERSION, "Statement": pod_identity_subject_statements(cluster_name, subjects)}


def combine_trust_policies(*documents: Mapping[str, Any]) -> dict[str, Any]:
    """One trust policy holding every statement of ``documents``, in order: a role trusted through IRSA and
    EKS Pod Identity at once, as while migrating (eksctl's ``utils migrate-to-pod-identity`` appends the
    pods.eks.amazonaws.com statement to the role's IRSA trust the same way)."""
    statements = [dict(statement) for document in documents for statement in document["Statement"]]
    sids = [s["Sid"] for s in statements if "Sid" in s]
    if len(sids) != len(set(sids)):
        raise ValueError(f"trust statements to combine repeat a Sid: {sids}")
    return {"Version": POLICY_VERSION, "Statement": statements}


def account_root_arn(role_arn: str) -> str:
    """``arn:<partition>:iam::<account>:root`` of the account a role ARN belongs to."""
    partition, account = role_arn.split(":")[1], role_arn.split(":")[4]
    return f"arn:{partition}:iam::{account}:root"


def build_target_role_trust_policy(
    pod_identity_role_arn: str,
    *,
    external_id: str | None = None,
    cluster_name: str | None = None,
    namespace: str | None = None,
    service_account: str | None = None,
) -> dict[str, Any]:
    """Trust of an EKS Pod Identity *target* role: the association's own role may chain into it.

    The shape the EKS user guide documents ("Access AWS Resources using EKS Pod Identity Target IAM
    Roles", docs.aws.amazon.com/eks/latest/userguide/pod-id-assign-target-role.html): the principal is the
    association role's account, pinned to that role by ``ArnEquals aws:PrincipalARN``.

    - Session tags on (no ``external_id``): ``sts:AssumeRole`` and ``sts:TagSession`` in one statement,
      optionally narrowed by the session tags EKS passes on (cluster, namespace, service account).
    - Session tags disabled: EKS sends the association's external ID instead, so ``sts:AssumeRole`` requires
      ``sts:ExternalId``; ``sts:TagSession`` gets a statement of its own, as documented, here also pinned
      to the association's role.
    """
    principal = {"AWS": account_root_arn(pod_identity_role_arn)}
    pinned = {"ArnEquals": {PRINCIPAL_ARN_KEY: pod_identity_role_arn}}
    if external_id is not None:
        return {
            "Version": POLICY_VERSION,
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": principal,
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {EXTERNAL_ID_KEY: external_id}, **pinned},
                },
                {"Effect": "Allow", "Principal": principal, "Action": "sts:TagSession", "Condition": pinned},
            ],
        }
    narrowing = session_tag_narrowing(cluster_name, namespace, service_account)
    condition: dict[str, Any] = {"StringEquals": narrowing, **pinned} if narrowing else dict(pinned)
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {"Effect": "Allow", "Principal": principal, "Action": list(POD_IDENTITY_ACTIONS), "Condition": condition}
        ],
    }


def add_trust_conditions(document: Mapping[str, Any], conditions: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """The document with ``conditions`` ({operator: {key: value}}) ANDed into every statement.

    Conditions under an operator the statement already uses join that block; the caller has made sure no
    key of ``conditions`` is one the statement sets (``custom_trust.validate_trust_conditions``), so nothing
    the builders set is ever replaced.
    """
    statements = []
    for original in document["Statement"]:
        statement = dict(original)
        condition = {operator: dict(block) for operator, block in statement.get("Condition", {}).items()}
        for operator, block in conditions.items():
            condition.setdefault(operator, {}).update(block)
        if condition:
            statement["Condition"] = condition
        statements.append(statement)
    return {**document, "Statement": statements}


def append_trust_statements(document: Mapping[str, Any], statements: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The document with hand-written ``statements`` appended as given (after the ones the builders made)."""
    if not statements:
        return dict(document)
    return {**document, "Statement": [*document["Statement"], *(dict(s) for s in statements)]}


def to_json(document: Mapping[str, Any]) -> str:
    """Serialises a policy document the way every component stores it."""
    return json.dumps(document, indent=2)
