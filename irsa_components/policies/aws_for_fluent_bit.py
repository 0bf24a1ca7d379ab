"""AWS for Fluent Bit (fluent-bit's AWS outputs, aws/amazon-cloudwatch-logs-for-fluent-bit): shipping logs to
the given CloudWatch log groups, and optionally Firehose, Kinesis and S3."""

from __future__ import annotations

from typing import Any

from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "aws-for-fluent-bit"

LOG_ACTIONS = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
    "logs:PutRetentionPolicy",
)
"""The ``cloudwatch_logs`` output's documented calls, and the Go plugin's (``DescribeLogStreams``)."""


def aws_for_fluent_bit(
    *,
    log_group_arns: list[str] | None = None,
    firehose_stream_arns: list[str] | None = None,
    kinesis_stream_arns: list[str] | None = None,
    s3_bucket_arns: list[str] | None = None,
    partition: str = "aws",
) -> AddonPolicy:
    """Lets Fluent Bit create and write the given log groups (and their streams), and put records into the
    given optional destinations.

    Upstream documents every call on ``Resource "*"``; here each is on the destinations you name. A log group
    ARN may end in a wildcard for templated names (``log-group:/eks/prod/*``).

    Args:
        log_group_arns: CloudWatch Logs log groups of the ``cloudwatch_logs`` output, e.g.
            ``arn:aws:logs:eu-west-1:111122223333:log-group:/eks/prod/application``. Required. Their log
            streams are included.
        firehose_stream_arns: Firehose delivery streams of the ``kinesis_firehose`` output; they get
            ``firehose:PutRecordBatch``. Default None.
        kinesis_stream_arns: Kinesis data streams of the ``kinesis_streams`` output; they get
            ``kinesis:PutRecords``. Default None.
        s3_bucket_arns: buckets of the ``s3`` output; ``s3:PutObject`` on their objects. Default None.
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    example = f"arn:{partition}:logs:eu-west-1:111122223333:log-group:/eks/prod/application"
    groups = [
        arn.removesuffix(":*")
        for arn in require_arns(SLUG, "log_group_arns", log_group_arns, "logs", partition, example, "log-group:")
    ]
    statements: list[dict[str, Any]] = [
        # Log streams are authorized as <log group ARN>:log-stream:<name>, covered by "<group>:*".
        statement("WriteLogGroups", LOG_ACTIONS, [arn for group in groups for arn in (group, f"{group}:*")]),
    ]
    if firehose_stream_arns is not None:
        streams = require_arns(
            SLUG,
            "firehose_stream_arns",
            firehose_stream_arns,
            "firehose",
            partition,
            f"arn:{partition}:firehose:eu-west-1:111122223333:deliverystream/logs",
            "deliverystream/",
        )
        statements.append(statement("PutToFirehose", ["firehose:PutRecordBatch"], streams))
    if kinesis_stream_arns is not None:
        streams = require_arns(
            SLUG,
            "kinesis_stream_arns",
            kinesis_stream_arns,
            "kinesis",
            partition,
            f"arn:{partition}:kinesis:eu-west-1:111122223333:stream/logs",
            "stream/",
        )
        statements.append(statement("PutToKinesis", ["kinesis:PutRecords"], streams))
    if s3_bucket_arns is not None:
        buckets = require_arns(SLUG, "s3_bucket_arns", s3_bucket_arns, "s3", partition, f"arn:{partition}:s3:::logs")
        statements.append(statement("PutToS3", ["s3:PutObject"], [f"{bucket}/*" for bucket in buckets]))
    return AddonPolicy(SLUG, policy_document(*statements), [])
