"""Velero (vmware-tanzu/velero-plugin-for-aws): backups in the given S3 buckets, and EBS snapshots."""

from __future__ import annotations

from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "velero"


def velero(*, bucket_arns: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Lets Velero read and write backups in the given buckets, and snapshot and restore EBS volumes.

    EC2 writes are limited to volume and snapshot ARNs (any region and account: EBS volume IDs are not known
    in advance), and tags may only be set while creating them, as the plugin does. Buckets encrypted with a
    customer-managed KMS key, or EBS volumes encrypted with one, additionally need KMS grants not given here.

    Args:
        bucket_arns: S3 buckets of Velero's backup storage locations, e.g. ``arn:aws:s3:::my-backups``.
            Required.
        partition: AWS partition the ARNs belong to: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    buckets = require_arns(SLUG, "bucket_arns", bucket_arns, "s3", partition, f"arn:{partition}:s3:::my-backups")
    volumes = f"arn:{partition}:ec2:*:*:volume/*"
    snapshots = f"arn:{partition}:ec2:*::snapshot/*"
    document = policy_document(
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
        statement(
            "ReadWriteBackupObjects",
            [
                "s3:AbortMultipartUpload",
                "s3:DeleteObject",
                "s3:GetObject",
                "s3:ListMultipartUploadParts",
                "s3:PutObject",
            ],
            [f"{bucket}/*" for bucket in buckets],
        ),
        statement("ListBackupBuckets", ["s3:ListBucket"], buckets),
    )
    return AddonPolicy(SLUG, document, [])
