"""AWS Gateway API Controller (aws/aws-application-networking-k8s): Amazon VPC Lattice for Gateway API."""

from __future__ import annotations

from irsa_components.policies._base import (
    WRITES_WITHOUT_RESOURCE_TYPE,
    AddonPolicy,
    check_partition,
    policy_document,
    require_arns,
    statement,
)

SLUG = "aws-gateway-api-controller"


def aws_gateway_api_controller(
    *, access_log_bucket_arns: list[str] | None = None, partition: str = "aws"
) -> AddonPolicy:
    """Lets the controller turn Gateway API resources into VPC Lattice service networks, services and
    target groups, and deliver their access logs.

    Upstream's recommended inline policy grants everything on ``Resource "*"``. We keep its actions
    (``vpc-lattice:*`` included: the controller drives the whole Lattice API) but narrow the writes IAM can
    scope: Lattice writes to Lattice resources of the partition, Firehose tagging to delivery streams,
    bucket policies to S3 buckets (or ``access_log_bucket_arns``) and the service-linked roles to Lattice's
    and log delivery's. Lattice's List/Get calls (and two Lattice calls with no resource type), the ``logs``
    log-delivery and resource-policy calls, ``tag:`` and the EC2/ACM listings stay on ``"*"``, the only
    Resource IAM matches them with.

    Args:
        access_log_bucket_arns: S3 buckets that receive Lattice access logs (``AccessLogPolicy`` with an
            S3 destination), e.g. ``arn:aws:s3:::my-lattice-logs``; the controller may read and set only
            their bucket policies. Default None: any bucket, as upstream.
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    buckets = [f"arn:{partition}:s3:::*"]
    if access_log_bucket_arns is not None:
        buckets = require_arns(
            SLUG, "access_log_bucket_arns", access_log_bucket_arns, "s3", partition, f"arn:{partition}:s3:::my-logs"
        )
    service_roles = f"arn:{partition}:iam::*:role/aws-service-role"
    document = policy_document(
        statement(
            "ReadWithoutResourceType",
            [
                "acm:ListCertificates",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeSubnets",
                "ec2:DescribeTags",
                "ec2:DescribeVpcs",
                "logs:DescribeLogGroups",
                "logs:DescribeResourcePolicies",
                "logs:GetLogDelivery",
                "logs:ListLogDeliveries",
                "tag:GetResources",
                "vpc-lattice:Get*",
                "vpc-lattice:List*",
            ],
            "*",
        ),
        statement("ManageLattice", ["vpc-lattice:*"], [f"arn:{partition}:vpc-lattice:*:*:*"]),
        # Vended log delivery, CloudWatch Logs resource policies, the Resource Groups Tagging API and two
        # Lattice calls authorize on no resource type: "*" is the only Resource that matches them.
        statement(
            "WritesWithoutResourceType",
            [a for a in sorted(WRITES_WITHOUT_RESOURCE_TYPE) if a.startswith(("logs:", "tag:", "vpc-lattice:"))],
            "*",
        ),
        statement(
            "TagFirehoseDestinations",
            ["firehose:TagDeliveryStream"],
            [f"arn:{partition}:firehose:*:*:deliverystream/*"],
        ),
        statement("S3DestinationBucketPolicy", ["s3:GetBucketPolicy", "s3:PutBucketPolicy"], buckets),
        statement(
            "LatticeServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            [f"{service_roles}/vpc-lattice.amazonaws.com/AWSServiceRoleForVpcLattice"],
            {"StringLike": {"iam:AWSServiceName": "vpc-lattice.amazonaws.com"}},
        ),
        statement(
            "LogDeliveryServiceLinkedRole",
            ["iam:CreateServiceLinkedRole"],
            [f"{service_roles}/delivery.logs.amazonaws.com/AWSServiceRoleForLogDelivery"],
            {"StringLike": {"iam:AWSServiceName": "delivery.logs.amazonaws.com"}},
        ),
    )
    return AddonPolicy(SLUG, document, [])
