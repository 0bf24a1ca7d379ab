"""Velero (vmware-tanzu/velero-plugin-for-aws): backups in the given S3 buckets, and EBS snapshots."""

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

SLUG = "velero"


OBJECT_ACTIONS = (
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:GetObject",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
)
KMS_ACTIONS = (
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey*",
    "kms:ListGrants",
    "kms:ReEncrypt*",
    "kms:RetireGrant",
    "kms:RevokeGrant",
)
"""What velero-plugin-for-aws documents for ``ebsKmsKeyId`` (restoring volumes encrypted with a key), on keys.
Its ``kms:ListRetirableGrants`` is granted apart, on ``"*"``: IAM authorizes it on no key."""


def velero(
    *,
    bucket_arns: list[str] | None = None,
    path_arns: list[str] | None = None,
    kms_key_arns: list[str] | None = None,
    allow_object_tagging: bool = True,
    partition: str = "aws",
) -> AddonPolicy:
    """Lets Velero read and write backups in the given buckets, and snapshot and restore EBS volumes.

    EC2 writes are limited to volume and snapshot ARNs (any region and account: EBS volume IDs are not known
    in advance), and tags may only be set while creating them, as the plugin does (upstream grants them on
    ``"*"``). Object access is on the buckets' objects, as in upstream's example, or on ``path_arns`` only.

    Args:
        bucket_arns: S3 buckets of Velero's backup storage locations, e.g. ``arn:aws:s3:::my-backups``.
            Required.
        path_arns: object ARNs (prefixes, ``arn:aws:s3:::my-backups/cluster-a/*``) inside ``bucket_arns`` to
            which object access is limited, for backup locations with a ``prefix``. Default None: every
            object of the buckets.
        kms_key_arns: customer-managed KMS keys of ``ebsKmsKeyId`` (restored volumes encrypted with them);
            they get the KMS actions the plugin documents, on those keys only. Default None: no KMS access.
        allow_object_tagging: grant ``s3:PutObjectTagging`` on the backup objects, which upstream's policy
            includes (backups with tags). Default True; False for a policy without it.
        partition: AWS partition the ARNs belong to: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    buckets = require_arns(SLUG, "bucket_arns", bucket_arns, "s3", partition, f"arn:{partition}:s3:::my-backups")
    objects = [f"{bucket}/*" for bucket in buckets]
    if path_arns is not None:
        objects = require_arns(
            SLUG, "path_arns", path_arns, "s3", partition, f"arn:{partition}:s3:::my-backups/cluster-a/*"
        )
        for path in objects:
            bucket, _, key = path.partition("/")
            if bucket not in buckets or not key:
                raise IrsaConfigError(
                    f"preset {SLUG!r}",
                    "path_arns",
                    path,
                    "is not an object path inside one of bucket_arns",
                    f"use <bucket ARN>/<prefix>/* with a bucket from bucket_arns, e.g. {buckets[0]}/cluster-a/*",
                )
    object_actions = [*OBJECT_ACTIONS, "s3:PutObjectTagging"] if allow_object_tagging else list(OBJECT_ACTIONS)
    volumes = f"arn:{partition}:ec2:*:*:volume/*"
    snapshots = f"arn:{partition}:ec2:*::snapshot/*"
    statements: list[dict[str, Any]] = [
        # Describe* calls in EC2 support no resource-level permissions: they can only be granted on "*".
        statement("DescribeVolumesAndSnapshots", ["ec2:DescribeSnapshots", "ec2:DescribeVolumes"], "*"),
        statement("SnapshotAndRestoreVolumes", ["ec2:CreateSnapshot", "ec2:CreateVolume"], [volumes, snapshots]),
        statement(
            "TagOnCreate",
            ["ec2:CreateTags"],
            [volumes, snapshots],
            {"StringEquals": {"ec2:CreateAction": ["CreateSnapshot", "CreateVolume"]}},
        ),
        statement("DeleteSnapshots", ["ec2:DeleteSnapshot"], snapshots),
        statement("ReadWriteBackupObjects", object_actions, objects),
        # Velero lists the whole location (its prefix included); ListBucket is authorized on the bucket.
        statement("ListBackupBuckets", ["s3:ListBucket"], buckets),
    ]
    if kms_key_arns is not None:
        keys = require_kms_key_arns(SLUG, "kms_key_arns", kms_key_arns, partition)
        statements.append(statement("UseEbsKmsKeys", KMS_ACTIONS, keys))
        statements.append(statement("ListRetirableGrants", ["kms:ListRetirableGrants"], "*"))
    return AddonPolicy(SLUG, policy_document(*statements), [])
