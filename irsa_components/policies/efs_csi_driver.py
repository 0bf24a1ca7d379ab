"""Amazon EFS CSI driver (kubernetes-sigs/aws-efs-csi-driver): tagged EFS and S3 Files access points."""

from __future__ import annotations

from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "efs-csi-driver"

CLUSTER_TAG = "efs.csi.aws.com/cluster"


def efs_csi_driver(*, file_system_arns: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Permissions for the EFS CSI controller to provision volumes as EFS access points.

    We return our own document rather than the AWS-managed ``AmazonEFSCSIDriverPolicy``: it keeps the
    upstream tag conditions (the driver tags every access point it creates ``efs.csi.aws.com/cluster=true``
    and deletes only access points carrying that tag), restricts writes to EFS resource types of the
    partition, and can pin access-point creation to named file systems.

    Since the driver also provisions Amazon S3 Files access points, the same three writes are granted on
    ``s3files`` resources with the same tag conditions. Upstream puts every write on ``Resource "*"``; we keep
    them to the EFS and S3 Files resource types of the partition (``file_system_arns`` names EFS file systems
    only: S3 Files access points may be created on any S3 Files file system, still only with the tag).
    Upstream's tag-on-create for access points is granted only while creating (``CreateAction``) or on access
    points that already carry the driver's tag.

    Args:
        file_system_arns: ARNs of the EFS file systems the driver may create access points on. Default
            None: any file system of the account, still only with the driver's tag on the new access point.
            Static provisioning (mounting an existing file system) needs no API permission at all.
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    if file_system_arns is None:
        file_systems = [f"arn:{partition}:elasticfilesystem:*:*:file-system/*"]
    else:
        file_systems = require_arns(
            SLUG,
            "file_system_arns",
            file_system_arns,
            "elasticfilesystem",
            partition,
            f"arn:{partition}:elasticfilesystem:eu-west-1:111122223333:file-system/fs-0123456789abcdef0",
        )
    access_points = [f"arn:{partition}:elasticfilesystem:*:*:access-point/*"]
    request_tag = {"StringLike": {f"aws:RequestTag/{CLUSTER_TAG}": "true"}}
    own_tag = {"StringLike": {f"aws:ResourceTag/{CLUSTER_TAG}": "true"}}
    s3files = [f"arn:{partition}:s3files:*:*:file-system/*"]
    document = policy_document(
        # The driver also lists without an ID (mount target and access point discovery) and the
        # ec2 call has no resource-level permissions; all four are read-only.
        statement(
            "DescribeFileSystems",
            [
                "elasticfilesystem:DescribeAccessPoints",
                "elasticfilesystem:DescribeFileSystems",
                "elasticfilesystem:DescribeMountTargets",
                "ec2:DescribeAvailabilityZones",
                "s3files:ListAccessPoints",
                "s3files:ListFileSystems",
            ],
            "*",
        ),
        statement("CreateTaggedAccessPoint", ["elasticfilesystem:CreateAccessPoint"], file_systems, request_tag),
        # Tagging at creation is authorized separately; the managed policy allows it the same way.
        statement(
            "TagNewAccessPoint",
            ["elasticfilesystem:TagResource"],
            access_points,
            {
                "StringEquals": {"elasticfilesystem:CreateAction": "CreateAccessPoint"},
                **request_tag,
            },
        ),
        statement("TagOwnAccessPoint", ["elasticfilesystem:TagResource"], access_points, own_tag),
        statement(
            "DeleteOwnAccessPoint",
            ["elasticfilesystem:DeleteAccessPoint"],
            access_points,
            {"StringEquals": {f"aws:ResourceTag/{CLUSTER_TAG}": "true"}},
        ),
        # S3 Files access point ARNs sit under their file system's (file-system/<id>/access-point/<id>).
        statement("CreateTaggedS3FilesAccessPoint", ["s3files:CreateAccessPoint"], s3files, request_tag),
        statement("TagOwnS3FilesAccessPoint", ["s3files:TagResource"], s3files, own_tag),
        statement(
            "DeleteOwnS3FilesAccessPoint",
            ["s3files:DeleteAccessPoint"],
            s3files,
            {"StringEquals": {f"aws:ResourceTag/{CLUSTER_TAG}": "true"}},
        ),
    )
    return AddonPolicy(SLUG, document, [])
