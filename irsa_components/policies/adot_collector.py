"""AWS Distro for OpenTelemetry collector (the ``adot`` EKS add-on): the managed policies its docs attach, with
AMP remote write scoped to given workspaces on request."""

from __future__ import annotations

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    aws_managed_policy_arn,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "adot-collector"

AMP_REMOTE_WRITE = "AmazonPrometheusRemoteWriteAccess"
MANAGED_POLICIES_REPLACED_BY = {"workspace_arns": AMP_REMOTE_WRITE}
"""Options that, when given (even as deploy-time Outputs), replace an AWS-managed policy with a document."""


def adot_collector(*, workspace_arns: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Attaches what the ADOT EKS add-on's collector configurations need: ``AmazonPrometheusRemoteWriteAccess``
    (Prometheus metrics to AMP), ``AWSXrayWriteOnlyAccess`` (traces) and ``CloudWatchAgentServerPolicy``
    (container logs, EMF metrics).

    ``AmazonPrometheusRemoteWriteAccess`` allows ``aps:RemoteWrite`` on every workspace of the account; with
    ``workspace_arns`` it is replaced by a document allowing it on those workspaces only. X-Ray and
    CloudWatch write to names chosen in the collector's configuration: nothing of yours to scope them to.

    Args:
        workspace_arns: AMP workspaces the collector remote-writes to, e.g.
            ``arn:aws:aps:eu-west-1:111122223333:workspace/ws-1234abcd``. Default None: the managed policy.
        partition: AWS partition: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    managed = [
        aws_managed_policy_arn("AWSXrayWriteOnlyAccess", partition),
        aws_managed_policy_arn("CloudWatchAgentServerPolicy", partition),
    ]
    if workspace_arns is None:
        return AddonPolicy(SLUG, None, [aws_managed_policy_arn(AMP_REMOTE_WRITE, partition), *managed])
    example = f"arn:{partition}:aps:eu-west-1:111122223333:workspace/ws-1234abcd"
    workspaces = require_arns(SLUG, "workspace_arns", workspace_arns, "aps", partition, example)
    for arn in workspaces:
        if not arn.split(":", 5)[5].startswith("workspace/"):
            raise IrsaConfigError(
                f"preset {SLUG!r}", "workspace_arns", arn, "is not an AMP workspace ARN", f"pass ARNs like {example!r}"
            )
    document = policy_document(statement("RemoteWriteToWorkspaces", ["aps:RemoteWrite"], workspaces))
    return AddonPolicy(SLUG, document, managed)
