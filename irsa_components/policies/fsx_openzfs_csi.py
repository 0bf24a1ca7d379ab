"""FSx for OpenZFS CSI driver (kubernetes-sigs/aws-fsx-openzfs-csi-driver): file systems, volumes, snapshots."""

from __future__ import annotations

from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    statement,
)

SLUG = "fsx-openzfs-csi"


def fsx_openzfs_csi(*, partition: str = "aws") -> AddonPolicy:
    """Permissions for the FSx for OpenZFS CSI controller to provision file systems, volumes and snapshots.

    Upstream's example policy grants the FSx calls on ``Resource "*"``. We keep the writes to FSx file
    systems, volumes and snapshots of the partition (the driver works on resources it creates, whose IDs are
    not known in advance) and the service-linked role calls to FSx's own role. The Describe calls list and
    stay on ``"*"``.

    Args:
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    fsx = f"arn:{partition}:fsx:*:*"
    fsx_resources = [f"{fsx}:file-system/*", f"{fsx}:volume/*", f"{fsx}:snapshot/*"]
    fsx_role = [f"arn:{partition}:iam::*:role/aws-service-role/fsx.amazonaws.com/*"]
    document = policy_document(
        statement(
            "FsxServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            fsx_role,
            {"StringLike": {"iam:AWSServiceName": ["fsx.amazonaws.com"]}},
        ),
        statement("SetUpFsxServiceLinkedRole", ["iam:AttachRolePolicy", "iam:PutRolePolicy"], fsx_role),
        statement(
            "DescribeFsx",
            ["fsx:DescribeFileSystems", "fsx:DescribeSnapshots", "fsx:DescribeVolumes"],
            "*",
        ),
        statement(
            "ManageFileSystemsVolumesSnapshots",
            [
                "fsx:CreateFileSystem",
                "fsx:CreateSnapshot",
                "fsx:CreateVolume",
                "fsx:DeleteFileSystem",
                "fsx:DeleteSnapshot",
                "fsx:DeleteVolume",
                "fsx:ListTagsForResource",
                "fsx:TagResource",
                "fsx:UpdateFileSystem",
            ],
            fsx_resources,
        ),
    )
    return AddonPolicy(SLUG, document, [])
