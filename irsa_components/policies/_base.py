"""Building blocks shared by every add-on preset: the result type, statements, ARN checks.

Each preset module is a pure function of its options returning an ``AddonPolicy``.
Nothing here touches Pulumi: presets are plain data, tested without an engine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from irsa_components.errors import IrsaConfigError

POLICY_VERSION = "2012-10-17"
WRITES_WITHOUT_RESOURCE_TYPE = frozenset(
    {
        # aws-load-balancer-controller
        "shield:CreateProtection",
        "elasticloadbalancing:SetWebAcl",
        # aws-gateway-api-controller: vended log delivery, log resource policies, the tagging API, Lattice
        "logs:CreateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:PutResourcePolicy",
        "logs:UpdateLogDelivery",
        "tag:TagResources",
        "tag:UntagResources",
        "vpc-lattice:AssociateViaAWSService-EventsAndStates",
        "vpc-lattice:CreateServiceNetworkVpcEndpointAssociation",
    }
)
"""Write actions IAM authorizes only on Resource "*": the service authorization reference lists no resource
type for them (so does parliament's bundled IAM definition), so a statement naming ARNs never matches them."""
PRESET_TAG = "irsa-components/preset"
"""Tag on each customer-managed policy created from a preset, naming the preset (``plan`` shows it)."""
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")

_ARN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12}|aws|)?:(?P<resource>.+)$",
    re.ASCII,
)


@dataclass(frozen=True)
class AddonPolicy:
    """The permissions one add-on needs: our least-privilege document and/or AWS-managed policies."""

    slug: str
    """The preset's registry key, e.g. ``ebs-csi-driver``; used to name the created ``aws.iam.Policy``."""
    document: dict[str, Any] | None
    """An IAM policy document (``Version`` + ``Statement``), or None when AWS-managed policies suffice."""
    managed_policy_arns: list[str] = field(default_factory=list)
    """ARNs of AWS-managed policies to attach as they are."""


def policy_document(*statements: dict[str, Any]) -> dict[str, Any]:
    """Wraps statements in a policy document."""
    return {"Version": POLICY_VERSION, "Statement": list(statements)}


def statement(
    sid: str,
    actions: Sequence[str],
    resources: Sequence[str] | str,
    condition: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One Allow statement; actions are sorted so documents compare and diff stably."""
    stmt: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(set(actions)),
        "Resource": resources if isinstance(resources, str) else list(resources),
    }
    if condition:
        stmt["Condition"] = condition
    return stmt


def aws_managed_policy_arn(name: str, partition: str = "aws") -> str:
    """ARN of an AWS-managed policy, e.g. ``service-role/AmazonEBSCSIDriverPolicy``."""
    return f"arn:{partition}:iam::aws:policy/{name}"


def check_partition(slug: str, partition: str) -> str:
    """Refuses a partition name AWS does not have, so ARNs built from it are valid."""
    if partition not in PARTITIONS:
        raise IrsaConfigError(
            f"preset {slug!r}",
            "partition",
            partition,
            "is not an AWS partition",
            f"use one of {', '.join(PARTITIONS)}",
        )
    return partition


def require_arns(
    slug: str,
    option: str,
    values: Sequence[str] | None,
    service: str,
    partition: str,
    example: str,
    resource_type: str | None = None,
) -> list[str]:
    """Checks a required resource-scoping option: non-empty, each an ARN of ``service`` in ``partition``
    (and, when given, whose resource part starts with ``resource_type``, e.g. ``hostedzone/``).

    A missing scope is an error rather than a silent ``"*"``: least privilege is the point of a preset.
    """
    if isinstance(values, str) or not values:
        raise IrsaConfigError(
            f"preset {slug!r}",
            option,
            values,
            "is required: it scopes the policy to your own resources instead of Resource '*'",
            f"pass a list of ARNs, e.g. {option}=[{example!r}]",
        )
    checked: list[str] = []
    for value in values:
        match = _ARN.fullmatch(value) if isinstance(value, str) else None
        if (
            match is None
            or match["service"] != service
            or match["partition"] != partition
            or (resource_type is not None and not match["resource"].startswith(resource_type))
        ):
            kind = f"'{resource_type.rstrip('/:')}' " if resource_type else ""
            raise IrsaConfigError(
                f"preset {slug!r}",
                option,
                value,
                f"is not an ARN of a {kind}resource of service '{service}' in partition '{partition}'",
                f"pass ARNs like {example!r}",
            )
        checked.append(value)
    return checked


def require_names(slug: str, option: str, values: Sequence[str] | None, example: str) -> list[str]:
    """Checks a required list of plain names (e.g. cluster names): non-empty strings."""
    if isinstance(values, str) or not values or not all(isinstance(v, str) and v for v in values):
        raise IrsaConfigError(
            f"preset {slug!r}",
            option,
            values,
            "is required and must be a non-empty list of names",
            f"pass e.g. {option}=[{example!r}]",
        )
    return list(values)


def require_hosted_zone_arns(slug: str, option: str, values: Sequence[str] | None, partition: str) -> list[str]:
    """Route 53 hosted zone ARNs (``arn:aws:route53:::hostedzone/Z123``)."""
    return require_arns(
        slug, option, values, "route53", partition, f"arn:{partition}:route53:::hostedzone/Z123", "hostedzone/"
    )


def require_kms_key_arns(slug: str, option: str, values: Sequence[str] | None, partition: str) -> list[str]:
    """KMS key ARNs (``arn:aws:kms:<region>:<account>:key/<id>``); aliases are refused, IAM matches key ARNs."""
    return require_arns(
        slug,
        option,
        values,
        "kms",
        partition,
        f"arn:{partition}:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "key/",
    )
