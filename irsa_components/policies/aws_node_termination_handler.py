"""AWS Node Termination Handler (aws/aws-node-termination-handler), queue-processor mode: its queues, managed ASGs."""

from __future__ import annotations

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "aws-node-termination-handler"

DEFAULT_MANAGED_TAG = "aws-node-termination-handler/managed"
"""The tag NTH looks for before draining (its ``managedTag`` setting), and that scopes lifecycle completion here."""


def aws_node_termination_handler(
    *,
    queue_arns: list[str] | None = None,
    managed_tag: str = DEFAULT_MANAGED_TAG,
    partition: str = "aws",
) -> AddonPolicy:
    """Lets NTH consume its SQS queues, read instance and group metadata, and complete termination hooks.

    The IMDS (DaemonSet) mode needs no IAM permission; this preset is for the queue processor.

    Args:
        queue_arns: SQS queues NTH receives events from (its ``queueURL``), e.g.
            ``arn:aws:sqs:eu-west-1:111122223333:nth-events``. Required.
        managed_tag: Tag key an Auto Scaling group must carry for NTH to complete its lifecycle actions.
            Default ``aws-node-termination-handler/managed``, the key NTH checks by default; set it to your
            ``managedTag`` if you changed that. Tag the groups themselves (upstream tags them and propagates
            the tag to instances): a hook on an untagged group is left to time out.
        partition: AWS partition: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    queues = require_arns(
        SLUG,
        "queue_arns",
        queue_arns,
        "sqs",
        partition,
        f"arn:{partition}:sqs:eu-west-1:111122223333:nth-events",
    )
    if not isinstance(managed_tag, str) or not managed_tag or "*" in managed_tag or "?" in managed_tag:
        raise IrsaConfigError(
            f"preset {SLUG!r}",
            "managed_tag",
            managed_tag,
            "must be a non-empty tag key without wildcards",
            f"leave it unset for {DEFAULT_MANAGED_TAG!r} or pass NTH's managedTag",
        )
    document = policy_document(
        statement("ConsumeEventQueues", ["sqs:DeleteMessage", "sqs:ReceiveMessage"], queues),
        statement(
            "CompleteManagedLifecycleActions",
            ["autoscaling:CompleteLifecycleAction"],
            [f"arn:{partition}:autoscaling:*:*:autoScalingGroup:*:autoScalingGroupName/*"],
            {"StringLike": {f"aws:ResourceTag/{managed_tag}": "*"}},
        ),
        # These Describe* calls accept no resource-level permission.
        statement(
            "ReadInstanceMetadata",
            ["autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeTags", "ec2:DescribeInstances"],
            "*",
        ),
    )
    return AddonPolicy(SLUG, document, [])
