"""FSx for Lustre CSI driver (kubernetes-sigs/aws-fsx-csi-driver): file systems it tags, S3 links opt-in."""

from __future__ import annotations

from typing import Any

from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "fsx-lustre-csi"

VOLUME_TAG = "CSIVolumeName"
"""Tag the driver puts on every file system it creates (value: the CSI volume name)."""


def fsx_lustre_csi(*, s3_bucket_arns: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Permissions for the FSx for Lustre CSI controller to create, resize and delete file systems.

    Writes are limited to FSx file systems and conditioned on the ``CSIVolumeName`` tag the driver sets on
    every file system it creates, so it cannot resize or delete file systems it did not provision.

    Args:
        s3_bucket_arns: ARNs of the S3 buckets used as data repositories (``s3ImportPath`` /
            ``s3ExportPath`` in the StorageClass). When given, the driver may list those buckets and set up
            FSx's S3 data-source service-linked role. Default None: no S3-linked file systems.
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    file_systems = [f"arn:{partition}:fsx:*:*:file-system/*"]
    tagged_request: dict[str, dict[str, Any]] = {"Null": {f"aws:RequestTag/{VOLUME_TAG}": "false"}}
    statements = [
        statement(
            "CreateFsxServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            [f"arn:{partition}:iam::*:role/aws-service-role/fsx.amazonaws.com/*"],
            {"StringLike": {"iam:AWSServiceName": ["fsx.amazonaws.com"]}},
        ),
        # DescribeFileSystems is a list call: FSx offers no resource-level permission for it.
        statement("DescribeFileSystems", ["fsx:DescribeFileSystems"], "*"),
        statement(
            "CreateTaggedFileSystem",
            ["fsx:CreateFileSystem", "fsx:TagResource"],
            file_systems,
            tagged_request,
        ),
        statement(
            "ManageOwnFileSystem",
            ["fsx:DeleteFileSystem", "fsx:UpdateFileSystem"],
            file_systems,
            {"Null": {f"aws:ResourceTag/{VOLUME_TAG}": "false"}},
        ),
    ]
    if s3_bucket_arns is not None:
        buckets = require_arns(
            SLUG,
            "s3_bucket_arns",
            s3_bucket_arns,
            "s3",
            partition,
            f"arn:{partition}:s3:::amzn-s3-demo-bucket",
        )
        statements += [
            statement(
                "S3DataSourceServiceLinkedRole",
                ["iam:CreateServiceLinkedRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"],
                [f"arn:{partition}:iam::*:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*"],
            ),
            statement("ListDataRepositoryBuckets", ["s3:ListBucket"], buckets),
        ]
    return AddonPolicy(SLUG, policy_document(*statements), [])
