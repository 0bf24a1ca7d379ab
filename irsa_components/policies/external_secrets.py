"""External Secrets Operator (external-secrets/external-secrets): reading, and optionally pushing, the given
Secrets Manager secrets and SSM parameters."""

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

SLUG = "external-secrets"


def external_secrets(
    *,
    secrets_manager_arns: list[str] | None = None,
    ssm_parameter_arns: list[str] | None = None,
    kms_key_arns: list[str] | None = None,
    allow_write: bool = False,
    allow_find: bool = False,
    partition: str = "aws",
) -> AddonPolicy:
    """Lets external-secrets read the given secrets and parameters; with ``allow_write``, also push to them.

    Reading includes ``secretsmanager:GetResourcePolicy`` (upstream's read policy has it: the provider reads a
    secret's resource policy). Upstream grants ``ssm:GetParameter*``/``ssm:PutParameter*`` on ``"*"``; we name
    the calls the provider makes and keep every one on the given ARNs.

    ``secretsmanager:ListSecrets``/``BatchGetSecretValue`` and ``ssm:DescribeParameters`` take no resource
    (Resource "*"), so they are granted only with ``allow_find``.

    Args:
        secrets_manager_arns: Secrets Manager secrets to read (wildcards allowed), e.g.
            ``arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/*``. Default None; this or
            ``ssm_parameter_arns`` is required.
        ssm_parameter_arns: SSM parameters to read,
            e.g. ``arn:aws:ssm:eu-west-1:111122223333:parameter/app/*`` (for ``GetParametersByPath`` also list
            the path itself, ``.../parameter/app``). Default None.
        kms_key_arns: customer-managed KMS keys the secrets or SecureString parameters are encrypted with;
            they get ``kms:Decrypt`` (and ``kms:Encrypt``/``kms:GenerateDataKey`` with ``allow_write``).
            Default None: AWS-managed keys (``aws/secretsmanager``, ``aws/ssm``) need no grant.
        allow_write: also grant what PushSecret needs: create, update, tag and delete within the same ARNs,
            and set their resource policy and replication regions (PushSecret's ``resourcePolicy`` and
            ``replicationLocations`` metadata); secrets are deletable only when tagged
            ``managed-by=external-secrets``. Default False (read-only).
        allow_find: also grant the listing calls ``dataFrom.find`` uses (``secretsmanager:ListSecrets``,
            ``BatchGetSecretValue``, ``ssm:DescribeParameters``): read-only, but on every secret's metadata
            in the account since IAM scopes them to no resource. Default False.
        partition: AWS partition the ARNs belong to: ``aws`` (default), ``aws-cn`` or ``aws-us-gov``.
    """
    check_partition(SLUG, partition)
    secret_example = f"arn:{partition}:secretsmanager:eu-west-1:111122223333:secret:app/*"
    parameter_example = f"arn:{partition}:ssm:eu-west-1:111122223333:parameter/app/*"
    if not secrets_manager_arns and not ssm_parameter_arns:
        raise IrsaConfigError(
            f"preset {SLUG!r}",
            "secrets_manager_arns/ssm_parameter_arns",
            (secrets_manager_arns, ssm_parameter_arns),
            "are both missing: at least one scopes what external-secrets may read instead of Resource '*'",
            f"pass secrets_manager_arns=[{secret_example!r}] and/or ssm_parameter_arns=[{parameter_example!r}]",
        )
    statements: list[dict[str, Any]] = []
    if secrets_manager_arns:
        secrets = require_arns(
            SLUG, "secrets_manager_arns", secrets_manager_arns, "secretsmanager", partition, secret_example
        )
        statements.append(
            statement(
                "ReadSecrets",
                [
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:GetResourcePolicy",
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:ListSecretVersionIds",
                ],
                secrets,
            )
        )
        if allow_write:
            statements.append(
                statement(
                    "PushSecrets",
                    [
                        "secretsmanager:CreateSecret",
                        "secretsmanager:PutSecretValue",
                        "secretsmanager:TagResource",
                        "secretsmanager:PutResourcePolicy",
                        "secretsmanager:DeleteResourcePolicy",
                        "secretsmanager:ReplicateSecretToRegions",
                        "secretsmanager:RemoveRegionsFromReplication",
                    ],
                    secrets,
                )
            )
            # external-secrets tags secrets it creates managed-by=external-secrets; others stay undeletable.
            statements.append(
                statement(
                    "DeleteManagedSecrets",
                    ["secretsmanager:DeleteSecret"],
                    secrets,
                    {"StringEquals": {"secretsmanager:ResourceTag/managed-by": "external-secrets"}},
                )
            )
    if ssm_parameter_arns:
        parameters = require_arns(SLUG, "ssm_parameter_arns", ssm_parameter_arns, "ssm", partition, parameter_example)
        statements.append(
            statement(
                "ReadParameters",
                [
                    "ssm:GetParameter",
                    "ssm:GetParameters",
                    "ssm:GetParametersByPath",
                    "ssm:ListTagsForResource",
                ],
                parameters,
            )
        )
        if allow_write:
            statements.append(
                statement(
                    "PushParameters",
                    [
                        "ssm:AddTagsToResource",
                        "ssm:DeleteParameter",
                        "ssm:PutParameter",
                        "ssm:RemoveTagsFromResource",
                    ],
                    parameters,
                )
            )
    if allow_find:
        # BatchGetSecretValue still checks GetSecretValue on each secret, so values stay scoped.
        listing = ["ssm:DescribeParameters"] if ssm_parameter_arns else []
        if secrets_manager_arns:
            listing += ["secretsmanager:ListSecrets", "secretsmanager:BatchGetSecretValue"]
        statements.append(statement("FindWithoutResourceType", listing, "*"))
    if kms_key_arns:
        keys = require_kms_key_arns(SLUG, "kms_key_arns", kms_key_arns, partition)
        statements.append(statement("DecryptWithKeys", ["kms:Decrypt"], keys))
        if allow_write:
            # Secrets Manager encrypts new versions with GenerateDataKey, SSM SecureString with Encrypt.
            statements.append(statement("EncryptWithKeys", ["kms:Encrypt", "kms:GenerateDataKey"], keys))
    return AddonPolicy(SLUG, policy_document(*statements), [])
