"""Amazon Managed Service for Prometheus: remote write and query, limited to the given workspaces."""

from __future__ import annotations

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "amazon-managed-prometheus"


def amazon_managed_prometheus(*, workspace_arns: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Lets a Prometheus server or agent remote-write to, and query, the given workspaces.

    Grants the union of the ingest and query policies of the AMP user guide, on the workspaces instead of
    ``*``. (The AWS-managed ``AmazonPrometheusRemoteWriteAccess`` grants ``aps:RemoteWrite`` on every
    workspace of the account, so it is not used.)

    Args:
        workspace_arns: AMP workspaces, e.g. ``arn:aws:aps:eu-west-1:111122223333:workspace/ws-1234abcd``.
            Required.
        partition: AWS partition: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    example = f"arn:{partition}:aps:eu-west-1:111122223333:workspace/ws-1234abcd"
    workspaces = require_arns(SLUG, "workspace_arns", workspace_arns, "aps", partition, example)
    for arn in workspaces:
        if not arn.split(":", 5)[5].startswith("workspace/"):
            raise IrsaConfigError(
                f"preset {SLUG!r}",
                "workspace_arns",
                arn,
                "is not an AMP workspace ARN",
                f"pass ARNs like {example!r}",
            )
    document = policy_document(
        statement(
            "WriteAndQueryWorkspaces",
            [
                "aps:GetLabels",
                "aps:GetMetricMetadata",
                "aps:GetSeries",
                "aps:QueryMetrics",
                "aps:RemoteWrite",
            ],
            workspaces,
        )
    )
    return AddonPolicy(SLUG, document, [])
