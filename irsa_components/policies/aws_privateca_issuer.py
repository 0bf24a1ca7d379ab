"""AWS Private CA Issuer (cert-manager/aws-privateca-issuer): issuing certificates from the given CAs only."""

from __future__ import annotations

from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "aws-privateca-issuer"


def aws_privateca_issuer(*, ca_arns: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Lets the issuer describe the given private CAs, issue certificates from them and fetch the results.

    Args:
        ca_arns: AWS Private CA certificate authorities the issuer signs with, e.g.
            ``arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/<id>``. Required.
        partition: AWS partition the ARNs belong to: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    cas = require_arns(
        SLUG,
        "ca_arns",
        ca_arns,
        "acm-pca",
        partition,
        f"arn:{partition}:acm-pca:eu-west-1:111122223333:certificate-authority/0123abcd-0123-abcd",
    )
    document = policy_document(
        statement(
            "IssueFromPrivateCAs",
            ["acm-pca:DescribeCertificateAuthority", "acm-pca:GetCertificate", "acm-pca:IssueCertificate"],
            cas,
        ),
    )
    return AddonPolicy(SLUG, document, [])
