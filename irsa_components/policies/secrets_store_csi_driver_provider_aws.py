"""AWS Secrets and Configuration Provider for the Secrets Store CSI driver
(aws/secrets-store-csi-driver-provider-aws): pods mounting Secrets Manager secrets and SSM parameters."""

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

SLUG = "secrets-store-csi-driver-provider-aws"


def secrets_store_csi_driver_provider_aws(
    *,
    secrets_manager_arns: list[str] | None = None,
    ssm_parameter_arns: list[str] | None = None,
    kms_key_arns: list[str] | None = None,
    partition: str = "aws",
) -> AddonPolicy:
    """Lets the pods of a workload (the provider uses their role) mount the given secrets and parameters.

    This is the policy of the application's service account, not of the driver: the provider fetches with
    the mounting pod's credentials. Read-only, and only on the given ARNs.

    Args:
        secrets_manager_arns: Secrets Manager secrets the SecretProviderClass names, e.g.
            ``arn:aws:secretsmanager:eu-west-1:111122223333:secret:MySecret-??????``; they get
            ``GetSecretValue`` and ``DescribeSecret``. This or ``ssm_parameter_arns`` is required.
        ssm_parameter_arns: SSM parameters the SecretProviderClass names, e.g.
            ``arn:aws:ssm:eu-west-1:111122223333:parameter/app/*``; they get ``ssm:GetParameters``.
        kms_key_arns: customer-managed KMS keys the secrets or SecureString parameters are encrypted with;
            they get ``kms:Decrypt``. Default None: AWS-managed keys need no grant.
        partition: AWS partition of the ARNs, ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    secret_example = f"arn:{partition}:secretsmanager:eu-west-1:111122223333:secret:MySecret-??????"
    parameter_example = f"arn:{partition}:ssm:eu-west-1:111122223333:parameter/app/*"
    if secrets_manager_arns is None and ssm_parameter_arns is None:
        raise IrsaConfigError(
            f"preset {SLUG!r}",
            "secrets_manager_arns / ssm_parameter_arns",
            None,
            "are both missing: at least one scopes what the pods may mount instead of Resource '*'",
            f"pass secrets_manager_arns=[{secret_example!r}] and/or ssm_parameter_arns=[{parameter_example!r}]",
        )
    statements: list[dict[str, Any]] = []
    if secrets_manager_arns is not None:
        secrets = require_arns(
            SLUG, "secrets_manager_arns", secrets_manager_arns, "secretsmanager", partition, secret_example, "secret:"
        )
        statements.append(
            statement("ReadSecrets", ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], secrets)
        )
    if ssm_parameter_arns is not None:
        parameters = require_arns(
            SLUG, "ssm_parameter_arns", ssm_parameter_arns, "ssm", partition, parameter_example, "parameter/"
        )
        statements.append(statement("ReadParameters", ["ssm:GetParameters"], parameters))
    if kms_key_arns is not None:
        keys = require_kms_key_arns(SLUG, "kms_key_arns", kms_key_arns, partition)
        statements.append(statement("DecryptWithKeys", ["kms:Decrypt"], keys))
    return AddonPolicy(SLUG, policy_document(*statements), [])
