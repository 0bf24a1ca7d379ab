"""FSx for Lustre CSI driver (kubernetes-sigs/aws-fsx-csi-driver): file systems it tags, S3 links opt-in."""

from __future__ import annotations

from typing import Any

from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import (
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "fsx-lustre-csi"

FSX_SERVICE_ROLE_PATH = "role/aws-service-role/fsx.amazonaws.com/"
S3_DATA_SOURCE_ROLE_PATH = "role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/"
VOLUME_TAG = "CSIVolumeName"
"""Tag the driver puts on every file system it creates (value: the CSI volume name)."""


def _service_roles(service_role_arns: list[str] | None, path: str, partition: str) -> list[str]:
    """The given service-linked role ARNs under ``path``, or that path in any account when none are given."""
    if service_role_arns is None:
        return [f"arn:{partition}:iam::*:{path}*"]
    return [arn for arn in service_role_arns if arn.split(":", 5)[5].startswith(path)]


def fsx_lustre_csi(
    *,
    s3_bucket_arns: list[str] | None = None,
    service_role_arns: list[str] | None = None,
    partition: str = "aws",
) -> AddonPolicy:
    """Permissions for the FSx for Lustre CSI controller to create, resize and delete file systems.

    Writes are limited to FSx file systems and conditioned on the ``CSIVolumeName`` tag the driver sets on
    every file system it creates, so it cannot resize or delete file systems it did not provision.

    Args:
        s3_bucket_arns: ARNs of the S3 buckets used as data repositories (``s3ImportPath`` /
            ``s3ExportPath`` in the StorageClass). When given, the driver may list those buckets and set up
            FSx's S3 data-source service-linked role. Default None: no S3-linked file systems.
        service_role_arns: the service-linked roles of your account the driver may create and set up, e.g.
            ``arn:aws:iam::111122223333:role/aws-service-role/fsx.amazonaws.com/AWSServiceRoleForAmazonFSx``
            (and, with ``s3_bucket_arns``, the ``s3.data-source.lustre.fsx.amazonaws.com`` one). Default None:
            upstream's fixed ``iam::*:role/aws-service-role/<service>/*`` patterns, any account.
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    if service_role_arns is not None:
        roles = require_arns(
            SLUG,
            "service_role_arns",
            service_role_arns,
            "iam",
            partition,
            f"arn:{partition}:iam::111122223333:{FSX_SERVICE_ROLE_PATH}AWSServiceRoleForAmazonFSx",
            "role/aws-service-role/",
        )
        for arn in roles:
            if not arn.split(":", 5)[5].startswith((FSX_SERVICE_ROLE_PATH, S3_DATA_SOURCE_ROLE_PATH)):
                raise IrsaConfigError(
                    f"preset {SLUG!r}",
                    "service_role_arns",
                    arn,
                    "is not a service-linked role of FSx or of FSx's S3 data source",
                    f"pass ARNs under {FSX_SERVICE_ROLE_PATH} or {S3_DATA_SOURCE_ROLE_PATH}",
                )
        if not _service_roles(roles, FSX_SERVICE_ROLE_PATH, partition):
            raise IrsaConfigError(
                f"preset {SLUG!r}",
                "service_role_arns",
                service_role_arns,
                "names no FSx service-linked role (fsx.amazonaws.com), which the driver creates on first use",
                f"add arn:{partition}:iam::<account>:{FSX_SERVICE_ROLE_PATH}AWSServiceRoleForAmazonFSx",
            )
    file_systems = [f"arn:{partition}:fsx:*:*:file-system/*"]
    tagged_request: dict[str, dict[str, Any]] = {"Null": {f"aws:RequestTag/{VOLUME_TAG}": "false"}}
    statements = [
        statement(
            "CreateFsxServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            _service_roles(service_role_arns, FSX_SERVICE_ROLE_PATH, partition),
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
        data_source_roles = _service_roles(service_role_arns, S3_DATA_SOURCE_ROLE_PATH, partition)
        if not data_source_roles:
            raise IrsaConfigError(
                f"preset {SLUG!r}",
                "service_role_arns",
                service_role_arns,
                "names no S3 data-source service-linked role, which S3-linked file systems need",
                f"add arn:{partition}:iam::<account>:{S3_DATA_SOURCE_ROLE_PATH}"
                "AWSServiceRoleForFSxS3Access_<file system id>, or a * for the file system part",
            )
        statements += [
            statement(
                "S3DataSourceServiceLinkedRole",
                ["iam:CreateServiceLinkedRole", "iam:AttachRolePolicy", "iam:PutRolePolicy"],
                data_source_roles,
            ),
            statement("ListDataRepositoryBuckets", ["s3:ListBucket"], buckets),
        ]
    return AddonPolicy(SLUG, policy_document(*statements), [])
