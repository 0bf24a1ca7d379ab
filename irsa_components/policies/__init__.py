"""Least-privilege permission presets for the add-ons people run on EKS, one module per add-on.

``preset("ebs-csi-driver", kms_key_arns=[...])`` returns an ``AddonPolicy``: our scoped policy document
and/or the AWS-managed policy ARNs AWS maintains for that add-on. Components take presets in their
``addon_policies`` field: ``[{"preset": "ebs-csi-driver", "kms_key_arns": [...]}]``.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from irsa_components.errors import IrsaConfigError
from irsa_components.policies import (
    adot_collector,
    amazon_managed_prometheus,
    aws_for_fluent_bit,
    aws_gateway_api_controller,
    aws_load_balancer_controller,
    aws_node_termination_handler,
    aws_privateca_issuer,
    cert_manager,
    cloudwatch_observability,
    cluster_autoscaler,
    ebs_csi_driver,
    efs_csi_driver,
    external_dns,
    external_secrets,
    fsx_lustre_csi,
    fsx_openzfs_csi,
    karpenter,
    mountpoint_s3_csi,
    secrets_store_csi_driver_provider_aws,
    velero,
    vpc_cni,
)
from irsa_components.policies._base import AddonPolicy

PresetFunction = Callable[..., AddonPolicy]

PRESETS: dict[str, PresetFunction] = {
    module.SLUG: getattr(module, module.__name__.rsplit(".", 1)[-1])
    for module in (
        aws_load_balancer_controller,
        ebs_csi_driver,
        efs_csi_driver,
        vpc_cni,
        external_dns,
        cert_manager,
        cluster_autoscaler,
        karpenter,
        external_secrets,
        velero,
        amazon_managed_prometheus,
        mountpoint_s3_csi,
        aws_node_termination_handler,
        fsx_lustre_csi,
        cloudwatch_observability,
        aws_privateca_issuer,
        aws_gateway_api_controller,
        secrets_store_csi_driver_provider_aws,
        aws_for_fluent_bit,
        fsx_openzfs_csi,
        adot_collector,
    )
}
"""Every preset: slug -> function of its keyword options."""


def preset_options(slug: str) -> list[str]:
    """The keyword options a preset accepts."""
    return list(inspect.signature(PRESETS[slug]).parameters)


def managed_policies_replaced_by(slug: str, options: Iterable[str]) -> set[str]:
    """Names of AWS-managed policies a preset drops when these options are given, whatever their values.

    Lets a component know what a preset attaches while an option's value is still a deploy-time Output.
    """
    table: Mapping[str, str] = getattr(sys.modules[PRESETS[slug].__module__], "MANAGED_POLICIES_REPLACED_BY", {})
    return {table[option] for option in options if option in table}


def preset(slug: str, **options: Any) -> AddonPolicy:
    """The permissions of add-on ``slug`` for these options; unknown slugs and options are errors."""
    if slug not in PRESETS:
        raise IrsaConfigError(
            "addon_policies", "preset", slug, "is not a known preset", f"use one of {', '.join(sorted(PRESETS))}"
        )
    accepted = preset_options(slug)
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        raise IrsaConfigError(
            f"preset {slug!r}",
            unknown[0],
            options[unknown[0]],
            "is not an option of this preset",
            f"use {', '.join(accepted)}",
        )
    return PRESETS[slug](**options)


def preset_from_spec(component: str, spec: Mapping[str, Any]) -> AddonPolicy:
    """A preset from a component's ``addon_policies`` entry: ``{"preset": slug, **options}``."""
    if not isinstance(spec, Mapping) or not isinstance(spec.get("preset"), str):
        raise IrsaConfigError(
            component,
            "addon_policies",
            spec,
            "entry has no 'preset' slug",
            "write entries like {'preset': 'ebs-csi-driver', 'kms_key_arns': [...]}",
        )
    options = {k: v for k, v in spec.items() if k != "preset"}
    return preset(spec["preset"], **options)


__all__ = [
    "PRESETS",
    "AddonPolicy",
    "managed_policies_replaced_by",
    "preset",
    "preset_from_spec",
    "preset_options",
]
