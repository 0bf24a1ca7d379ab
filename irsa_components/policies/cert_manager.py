"""cert-manager (cert-manager/cert-manager): Route 53 DNS-01 solving, limited to challenge TXT records."""

from __future__ import annotations

from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_hosted_zone_arns,
    statement,
)

SLUG = "cert-manager"


def cert_manager(*, hosted_zone_arns: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Lets cert-manager solve DNS-01 challenges by writing ``_acme-challenge`` TXT records in given zones.

    Issuers whose ``cnameStrategy: Follow`` points the challenge at a name not starting with
    ``_acme-challenge.`` are refused by the record-name condition.

    Args:
        hosted_zone_arns: Route 53 hosted zones cert-manager answers challenges in,
            e.g. ``arn:aws:route53:::hostedzone/Z123``. Required.
        partition: AWS partition the ARNs belong to: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
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
    )
    return AddonPolicy(SLUG, document, [])
