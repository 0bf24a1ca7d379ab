"""ExternalDNS (kubernetes-sigs/external-dns): Route 53 record management, limited to the zones it edits."""

from __future__ import annotations

from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_hosted_zone_arns,
    statement,
)

SLUG = "external-dns"


def external_dns(*, hosted_zone_arns: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Lets ExternalDNS discover hosted zones, and read, list tags of and change records in the given zones.

    Args:
        hosted_zone_arns: Route 53 hosted zones ExternalDNS manages,
            e.g. ``arn:aws:route53:::hostedzone/Z123``. Required. ExternalDNS lists every zone of the account,
            so run it with a matching ``--zone-id-filter`` (or ``--domain-filter``): reading records of any
            other zone is denied.
        partition: AWS partition the ARNs belong to: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    zones = require_hosted_zone_arns(SLUG, "hosted_zone_arns", hosted_zone_arns, partition)
    document = policy_document(
        statement(
            "ManageRecordsInZones",
            [
                "route53:ChangeResourceRecordSets",
                "route53:ListResourceRecordSets",
                "route53:ListTagsForResources",
            ],
            zones,
        ),
        # ListHostedZones has no resource type in IAM: it can only be granted on "*".
        statement("ListHostedZones", ["route53:ListHostedZones"], "*"),
    )
    return AddonPolicy(SLUG, document, [])
