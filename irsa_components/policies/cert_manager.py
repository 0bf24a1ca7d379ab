"""cert-manager (cert-manager/cert-manager): Route 53 DNS-01 solving, limited to challenge TXT records."""

from __future__ import annotations

from typing import Any

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    require_hosted_zone_arns,
    statement,
)

SLUG = "cert-manager"


def cert_manager(
    *,
    hosted_zone_arns: list[str] | None = None,
    assume_role_arns: list[str] | None = None,
    partition: str = "aws",
) -> AddonPolicy:
    """Lets cert-manager solve DNS-01 challenges by writing ``_acme-challenge`` TXT records in given zones.

    Issuers whose ``cnameStrategy: Follow`` points the challenge at a name not starting with
    ``_acme-challenge.`` are refused by the record-name condition.

    Args:
        hosted_zone_arns: Route 53 hosted zones cert-manager answers challenges in,
            e.g. ``arn:aws:route53:::hostedzone/Z123``. Required unless ``assume_role_arns`` is given.
        assume_role_arns: roles in other accounts that own the zones (the issuer's ``route53.role``, the
            cross-account set-up of cert-manager's Route 53 guide); they get ``sts:AssumeRole``. Give the
            Route 53 permissions to those roles (e.g. with this preset). Default None.
        partition: AWS partition the ARNs belong to: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    statements: list[dict[str, Any]] = []
    if assume_role_arns is not None:
        roles = require_arns(
            SLUG,
            "assume_role_arns",
            assume_role_arns,
            "iam",
            partition,
            f"arn:{partition}:iam::111122223333:role/dns-manager",
            "role/",
        )
        statements.append(statement("AssumeZoneOwnerRoles", ["sts:AssumeRole"], roles))
        if hosted_zone_arns is None:
            return AddonPolicy(SLUG, policy_document(*statements), [])
    elif hosted_zone_arns is None:
        raise IrsaConfigError(
            f"preset {SLUG!r}",
            "hosted_zone_arns",
            hosted_zone_arns,
            "is required (or assume_role_arns): it scopes the policy to your own zones instead of Resource '*'",
            f"pass a list of ARNs, e.g. hosted_zone_arns=['arn:{partition}:route53:::hostedzone/Z123']",
        )
    zones = require_hosted_zone_arns(SLUG, "hosted_zone_arns", hosted_zone_arns, partition)
    document = policy_document(
        # Change IDs are only known once a change is submitted, so any change ARN is allowed.
        statement("GetChangeStatus", ["route53:GetChange"], f"arn:{partition}:route53:::change/*"),
        statement("ListRecordsInZones", ["route53:ListResourceRecordSets"], zones),
        # Every change in a batch must be a TXT record named _acme-challenge.<domain> (Route 53 compares
        # names lowercased and without the trailing dot).
        statement(
            "ChangeChallengeRecords",
            ["route53:ChangeResourceRecordSets"],
            zones,
            {
                "ForAllValues:StringEquals": {"route53:ChangeResourceRecordSetsRecordTypes": ["TXT"]},
                "ForAllValues:StringLike": {
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.*"]
                },
            },
        ),
        # ListHostedZonesByName has no resource type in IAM: it can only be granted on "*".
        # cert-manager uses it to find the zone when an issuer sets no hostedZoneID.
        statement("FindHostedZones", ["route53:ListHostedZonesByName"], "*"),
        *statements,
    )
    return AddonPolicy(SLUG, document, [])
