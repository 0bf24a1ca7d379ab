"""Mountpoint for Amazon S3 CSI driver (awslabs/mountpoint-s3-csi-driver): given buckets, or prefixes."""

from __future__ import annotations

from typing import Any

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    require_kms_key_arns,
    statement,
)

SLUG = "mountpoint-s3-csi"

OBJECT_ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject")


def mountpoint_s3_csi(
    *,
    bucket_arns: list[str] | None = None,
    path_arns: list[str] | None = None,
    kms_key_arns: list[str] | None = None,
    directory_bucket_arns: list[str] | None = None,
    partition: str = "aws",
) -> AddonPolicy:
    """Permissions Mountpoint needs to mount S3 buckets: list them, and read, write and delete objects.

    Args:
        bucket_arns: ARNs of the buckets to mount, e.g. ``arn:aws:s3:::amzn-s3-demo-bucket``. Required.
        path_arns: object ARNs (usually prefixes, ``arn:aws:s3:::amzn-s3-demo-bucket/team-a/*``) to which
            object access is limited, each inside one of ``bucket_arns``. Listing a bucket that has paths
            is then limited to those prefixes with the ``s3:prefix`` condition. Default None: every object
            of the given buckets.
        kms_key_arns: customer-managed KMS keys the buckets' objects are encrypted with (SSE-KMS); they get
            ``kms:Decrypt`` (reading) and ``kms:GenerateDataKey`` (writing), on those keys only. Default None.
        directory_bucket_arns: S3 Express One Zone directory buckets to mount, e.g.
            ``arn:aws:s3express:eu-west-1:111122223333:bucket/amzn-s3-demo-bucket--euw1-az1--x-s3``; they get
            ``s3express:CreateSession``, as Mountpoint's configuration guide documents. Default None.
            ``bucket_arns`` may be left out when only directory buckets are mounted.
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    extra: list[dict[str, Any]] = []
    if directory_bucket_arns is not None:
        directory_buckets = require_arns(
            SLUG,
            "directory_bucket_arns",
            directory_bucket_arns,
            "s3express",
            partition,
            f"arn:{partition}:s3express:eu-west-1:111122223333:bucket/amzn-s3-demo-bucket--euw1-az1--x-s3",
            "bucket/",
        )
        extra.append(statement("DirectoryBucketSessions", ["s3express:CreateSession"], directory_buckets))
    if kms_key_arns is not None:
        keys = require_kms_key_arns(SLUG, "kms_key_arns", kms_key_arns, partition)
        extra.append(statement("UseObjectKmsKeys", ["kms:Decrypt", "kms:GenerateDataKey"], keys))
    if bucket_arns is None and path_arns is None and directory_bucket_arns is not None:
        return AddonPolicy(SLUG, policy_document(*extra), [])
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
                *extra,
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
    statements: list[dict[str, Any]] = []
    for index, (bucket, keys) in enumerate(prefixes.items(), start=1):
        # S3 authorizes ListBucket on the bucket; a prefix can only be enforced with the s3:prefix key.
        condition = {"StringLike": {"s3:prefix": sorted(keys)}} if keys and "*" not in keys else None
        statements.append(statement(f"ListBucket{index}", ["s3:ListBucket"], [bucket], condition))
    statements.append(statement("ObjectAccess", OBJECT_ACTIONS, paths))
    statements += extra
    return AddonPolicy(SLUG, policy_document(*statements), [])
