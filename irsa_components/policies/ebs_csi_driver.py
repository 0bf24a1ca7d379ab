"""Amazon EBS CSI driver (kubernetes-sigs/aws-ebs-csi-driver): the managed policy, what upstream added since,
and KMS on own keys."""

from __future__ import annotations

from irsa_components.policies._base import (
    AddonPolicy,
    aws_managed_policy_arn,
    check_partition,
    policy_document,
    require_kms_key_arns,
    statement,
)

SLUG = "ebs-csi-driver"

MANAGED_POLICY = "service-role/AmazonEBSCSIDriverPolicy"


def ebs_csi_driver(*, kms_key_arns: list[str] | None = None, partition: str = "aws") -> AddonPolicy:
    """Permissions for the EBS CSI controller to create, attach, snapshot and delete EBS volumes.

    The EC2 permissions come from the AWS-managed ``AmazonEBSCSIDriverPolicy``, which already narrows
    deletes to volumes and snapshots the driver tagged. The driver's example policy has since added two
    actions the managed policy did not list when last compared (see ``tests/data/upstream``): the runtime
    ``ec2:DescribeInstanceTypes`` lookup (Describe calls take no resource) and ``ec2:LockSnapshot``, granted
    here with upstream's conditions, on snapshots tagged by the driver only.

    Args:
        kms_key_arns: ARNs of customer-managed KMS keys used to encrypt volumes. When given, a document
            grants the key use EBS needs for encrypted volumes, on those keys only. Default None: no KMS
            permissions (volumes unencrypted or encrypted with the AWS-managed ``aws/ebs`` key).
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    managed = [aws_managed_policy_arn(MANAGED_POLICY, partition)]
    snapshots = [f"arn:{partition}:ec2:*:*:snapshot/*"]
    statements = [
        statement("DescribeInstanceTypes", ["ec2:DescribeInstanceTypes"], "*"),
        statement(
            "LockSnapshotsOfVolumeSnapshots",
            ["ec2:LockSnapshot"],
            snapshots,
            {"StringLike": {"ec2:ResourceTag/CSIVolumeSnapshotName": "*"}},
        ),
        statement(
            "LockSnapshotsOfTheCluster",
            ["ec2:LockSnapshot"],
            snapshots,
            {"StringLike": {"ec2:ResourceTag/ebs.csi.aws.com/cluster": "true"}},
        ),
    ]
    if kms_key_arns is None:
        return AddonPolicy(SLUG, policy_document(*statements), managed)
    keys = require_kms_key_arns(SLUG, "kms_key_arns", kms_key_arns, partition)
    document = policy_document(
        *statements,
        # Grants let EC2 use the key on the volume's behalf; the condition keeps them to AWS services.
        statement(
            "KmsGrantsForEbs",
            ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            keys,
            {"Bool": {"kms:GrantIsForAWSResource": "true"}},
        ),
        statement(
            "KmsUseForEbs",
            ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            keys,
        ),
    )
    return AddonPolicy(SLUG, document, managed)
