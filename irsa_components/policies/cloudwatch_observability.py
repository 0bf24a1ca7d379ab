"""Amazon CloudWatch Observability add-on (aws/amazon-cloudwatch-agent-operator): the AWS-managed policies EKS names."""

from __future__ import annotations

from irsa_components.policies._base import AddonPolicy, aws_managed_policy_arn, check_partition

SLUG = "cloudwatch-observability"


def cloudwatch_observability(*, partition: str = "aws") -> AddonPolicy:
    """Attaches ``CloudWatchAgentServerPolicy`` and ``AWSXrayWriteOnlyAccess``, as the EKS user guide requires.

    The agent writes metrics, logs and traces for any namespace, log group and trace it is configured with, so
    the managed policies grant those on ``*``; there is nothing of the cluster's to scope them to. (The X-Ray
    actions are also in ``CloudWatchAgentServerPolicy`` today; the second policy is kept because EKS lists it.)

    Args:
        partition: AWS partition: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    return AddonPolicy(
        SLUG,
        None,
        [
            aws_managed_policy_arn("CloudWatchAgentServerPolicy", partition),
            aws_managed_policy_arn("AWSXrayWriteOnlyAccess", partition),
        ],
    )
