"""Mountpoint for Amazon S3 CSI driver (awslabs/mountpoint-s3-csi-driver): given buckets, or prefixes."""

from __future__ import annotations

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "mountpoint-s3-csi"

OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject")


def mountpoint_s3_csi(
    *,
    bucket_arns: list[str] | None = None,
    path_arns: list[str] | None = None,
    partition: str = "aws",
) -> AddonPolicy:
    """Permissions Mountpoint needs to mount S3 buckets: list them, and read, write and delete objects.

    Args:
        bucket_arns: ARNs of the buckets to mount, e.g. ``arn:aws:s3:::amzn-s3-demo-bucket``. Required.
        path_arns: object ARNs (usually prefixes, ``arn:aws:s3:::amzn-s3-demo-bucket/team-a/*``) to which
            object access is limited, each inside one of ``bucket_arns``. Listing a bucket that has paths
            is then limited to those prefixes with the ``s3:prefix`` condition. Default None: every object
            of the given buckets.
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    buckets = require_arns(
        SLUG, "bucket_arns", bucket_arns, "s3", partition, f"arn:{partition}:s3:::amzn-s3-demo-bucket"
    )
    for bucket in buckets:
        if "/" in bucket.split(":", 5)[5]:
            raise IrsaConfigError(
                f"preset {SLUG!r}",
                "bucket_arns",
                bucket,
                "is an object ARN, not a bucket ARN",
                "pass the bucket ARN here and object prefixes in path_arns",
            )
    if path_arns is None:
        return AddonPolicy(
            SLUG,
            policy_document(
                statement("ListBuckets", ["s3:ListBucket"], buckets),
                statement("ObjectAccess", OBJECT_ACTIONS, [f"{bucket}/*" for bucket in buckets]),
            ),
            [],
        )
    paths = require_arns(
        SLUG, "path_arns", path_arns, "s3", partition, f"arn:{partition}:s3:::amzn-s3-demo-bucket/team-a/*"
    )
    prefixes: dict[str, list[str]] = {bucket: [] for bucket in buckets}
    for path in paths:
        bucket, _, key = path.partition("/")
        if bucket not in prefixes or not key:
            raise IrsaConfigError(
                f"preset {SLUG!r}",
                "path_arns",
                path,
                "is not an object path inside one of bucket_arns",
                f"use <bucket ARN>/<prefix>/* with a bucket from bucket_arns, e.g. {buckets[0]}/team-a/*",
            )
        prefixes[bucket].append(key)
    statements = []
    for index, (bucket, keys) in enumerate(prefixes.items(), start=1):
        # S3 authorizes ListBucket on the bucket; a prefix can only be enforced with the s3:prefix key.
        condition = {"StringLike": {"s3:prefix": sorted(keys)}} if keys and "*" not in keys else None
        statements.append(statement(f"ListBucket{index}", ["s3:ListBucket"], [bucket], condition))
    statements.append(statement("ObjectAccess", OBJECT_ACTIONS, paths))
    return AddonPolicy(SLUG, policy_document(*statements), [])
