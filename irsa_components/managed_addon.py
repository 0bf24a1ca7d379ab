"""ManagedAddon: an EKS managed add-on together with the IAM identity it needs.

EKS add-ons that call AWS run under a fixed Kubernetes service account. ``MANAGED_ADDONS`` records, for
each add-on this library knows, that account, its namespace and the permissions its own docs ask for (a
preset of ``irsa_components.policies`` or AWS-managed policies), with the source of each row. With
``identity='pod-identity'`` (the default, which the EKS user guide recommends for add-ons, "IAM roles for
Amazon EKS add-ons") the add-on gets a ``pod_identity_associations`` entry and the role a session-tag
narrowed Pod Identity trust; with ``identity='irsa'`` the add-on gets ``service_account_role_arn`` and the
role the IRSA trust of that one service account.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict

import pulumi
import pulumi_aws.eks as eks

from irsa_components._inputs import check_args, check_now_or_later, is_known
from irsa_components._options import child_options
from irsa_components._role import AddonPolicyArgs, RoleOutputs, create_role_resources, plan_role, with_custom_trust
from irsa_components.custom_trust import POD_IDENTITY, WEB_IDENTITY
from irsa_components.errors import IrsaConfigError
from irsa_components.pod_identity_agent import agent_for_cluster
from irsa_components.policies import preset as preset_policy
from irsa_components.trust import build_irsa_trust_policy, build_pod_identity_trust_policy, to_json
from irsa_components.validation import (
    check_trust_policy_size,
    validate_cluster_name,
    validate_namespace,
    validate_oidc_provider_arn,
    validate_service_account_name,
    validate_tags,
)

TYPE_TOKEN = "irsa-components:index:ManagedAddon"
IDENTITIES = ("pod-identity", "irsa")
CONFLICT_MODES_ON_CREATE = ("NONE", "OVERWRITE")
CONFLICT_MODES_ON_UPDATE = ("NONE", "OVERWRITE", "PRESERVE")
DEFAULT_NAMESPACE = "kube-system"
"""Namespace assumed for an add-on not in MANAGED_ADDONS (where EKS installs most add-ons)."""
_ADDON_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$", re.ASCII)

_ADDONS_PAGE = (
    "EKS user guide, 'AWS add-ons' (awsdocs/amazon-eks-user-guide "
    "latest/ug/workloads/workloads-add-ons-available-eks.adoc @027430e0)"
)


@dataclass(frozen=True)
class AddonIdentity:
    """What one EKS add-on needs from IAM: its service account and the permissions its docs list."""

    namespace: str
    service_account: str
    preset: str | None
    """Slug of the irsa_components.policies preset granting what the docs ask for, if any."""
    managed_policies: tuple[str, ...]
    """AWS-managed policy names (arn:<partition>:iam::aws:policy/<name>) attached besides the preset."""
    source: str


MANAGED_ADDONS: dict[str, AddonIdentity] = {
    "vpc-cni": AddonIdentity(
        "kube-system", "aws-node", "vpc-cni", (), f"{_ADDONS_PAGE}, #add-ons-vpc-cni (eksctl --name aws-node)"
    ),
    "aws-ebs-csi-driver": AddonIdentity(
        "kube-system",
        "ebs-csi-controller-sa",
        "ebs-csi-driver",
        (),
        f"{_ADDONS_PAGE}, #add-ons-aws-ebs-csi-driver (eksctl --name ebs-csi-controller-sa)",
    ),
    "aws-efs-csi-driver": AddonIdentity(
        "kube-system",
        "efs-csi-controller-sa",
        "efs-csi-driver",
        (),
        f"{_ADDONS_PAGE}, #add-ons-aws-efs-csi-driver (eksctl --name efs-csi-controller-sa)",
    ),
    "aws-mountpoint-s3-csi-driver": AddonIdentity(
        "kube-system",
        "s3-csi-driver-sa",
        "mountpoint-s3-csi",
        (),
        f"{_ADDONS_PAGE}, #mountpoint-for-s3-add-on (eksctl --name s3-csi-driver-sa)",
    ),
    "aws-fsx-csi-driver": AddonIdentity(
        "kube-system",
        "fsx-csi-controller-sa",
        "fsx-lustre-csi",
        (),
        f"{_ADDONS_PAGE}, #add-ons-aws-fsx-csi-driver (eksctl --name fsx-csi-controller-sa)",
    ),
    "amazon-cloudwatch-observability": AddonIdentity(
        "amazon-cloudwatch",
        "cloudwatch-agent",
        "cloudwatch-observability",
        (),
        f"{_ADDONS_PAGE}, #amazon-cloudwatch-observability (eksctl --name cloudwatch-agent "
        "--namespace amazon-cloudwatch)",
    ),
    "adot": AddonIdentity(
        "opentelemetry-operator-system",
        "adot-col-otlp-ingest",
        "adot-collector",
        (),
        "aws-otel.github.io/docs/getting-started/adot-eks-add-on/config-otlp-ingest (the OTLP ingest "
        "collector's service account and namespace; the managed policies of the three preconfigured collectors "
        "are the adot-collector preset's); EKS user guide #add-ons-adot (IAM only for those collectors)",
    ),
}
"""The EKS add-ons that call AWS: add-on name -> service account, namespace, permissions, source."""


class ManagedAddonArgs(TypedDict, total=False):
    """Arguments of a ManagedAddon. cluster_name and addon_name are required."""

    cluster_name: Required[pulumi.Input[str]]
    """Name of the EKS cluster to install the add-on on."""
    addon_name: Required[str]
    """The EKS add-on name, e.g. 'aws-ebs-csi-driver', 'vpc-cni', 'amazon-cloudwatch-observability'."""
    addon_version: str
    """Add-on version, e.g. 'v1.37.0-eksbuild.1'. Default: EKS's default version for the cluster."""
    identity: str
    """'pod-identity' (the add-on's pod_identity_associations; the agent must run, or Auto Mode) or 'irsa'
    (service_account_role_arn; needs oidc_provider_arn). Default: 'pod-identity'."""
    oidc_provider_arn: pulumi.Input[str]
    """With identity 'irsa': ARN of the cluster's IAM OIDC provider. Required then, refused otherwise."""
    addon_policy: AddonPolicyArgs
    """The add-on's permissions preset and its options, e.g. {'bucket_arns': [...]} for the Mountpoint add-on;
    'preset' defaults to the add-on's own. Default: the add-on's preset with no options."""
    policy_arns: Sequence[pulumi.Input[str]]
    """Managed policy ARNs attached besides the preset. Default: none."""
    service_account: str
    """The add-on's service account. Default: the one its docs name (required for an add-on not in the table)."""
    namespace: str
    """The add-on's namespace. Default: the one its docs name, else 'kube-system'."""
    configuration_values: pulumi.Input[str]
    """The add-on's configuration, as JSON (describe-addon-configuration gives its schema). Default: none."""
    resolve_conflicts_on_create: str
    """What EKS does with existing self-managed resources: 'NONE' or 'OVERWRITE'. Default: EKS's."""
    resolve_conflicts_on_update: str
    """What EKS does with fields changed outside the add-on on update: 'NONE', 'OVERWRITE' or 'PRESERVE'."""
    role_name: str
    """The IAM role's exact name. Default: auto-named from the component name."""
    path: str
    """The IAM path of the role. Default: '/'."""
    permissions_boundary: pulumi.Input[str]
    """ARN of a managed policy used as the role's permissions boundary. Default: none."""
    tags: Mapping[str, str]
    """Tags on the role, its policies and the add-on. Default: none."""


@dataclass(frozen=True)
class AddonPlan:
    """What a ManagedAddon will create, validated."""

    identity: str
    namespace: str
    service_account: str
    role_args: dict[str, Any]
    preset: str | None


def _choice(label: str, args: Mapping[str, Any], field: str, choices: Sequence[str]) -> str | None:
    value = args.get(field)
    if value is not None and value not in choices:
        raise IrsaConfigError(label, field, value, f"is not one of {', '.join(choices)}", f"use {choices[0]!r}")
    return value


def plan_addon(label: str, args: Mapping[str, Any]) -> AddonPlan:
    """Validates the add-on's own fields and works out its service account, namespace and permissions."""
    addon_name = args.get("addon_name")
    if not isinstance(addon_name, str) or not _ADDON_NAME.fullmatch(addon_name):
        raise IrsaConfigError(
            label, "addon_name", addon_name, "is not an EKS add-on name", "use e.g. 'aws-ebs-csi-driver'"
        )
    identity = _choice(label, args, "identity", IDENTITIES) or "pod-identity"
    if identity == "irsa" and args.get("oidc_provider_arn") is None:
        raise IrsaConfigError(
            label, "oidc_provider_arn", None, "is required with identity='irsa'", "pass ClusterOidcProvider(...).arn"
        )
    if identity == "pod-identity" and args.get("oidc_provider_arn") is not None:
        raise IrsaConfigError(
            label,
            "oidc_provider_arn",
            args["oidc_provider_arn"],
            "has no effect with identity='pod-identity'",
            "drop it, or set identity='irsa'",
        )
    known = MANAGED_ADDONS.get(addon_name)
    spec = dict(args.get("addon_policy") or {})
    policy_arns = list(args.get("policy_arns") or [])
    service_account = args.get("service_account")
    if known is None and (service_account is None or not (spec.get("preset") or policy_arns)):
        raise IrsaConfigError(
            label,
            "addon_name",
            addon_name,
            "is not an add-on whose service account and permissions this library knows "
            f"({', '.join(sorted(MANAGED_ADDONS))})",
            "pass service_account and a policy (addon_policy={'preset': ...} or policy_arns) from the add-on's docs "
            "(aws eks describe-addon-configuration --query podIdentityConfiguration)",
        )
    namespace = args.get("namespace") or (known.namespace if known else DEFAULT_NAMESPACE)
    validate_namespace(label, namespace)
    service_account = validate_service_account_name(label, service_account or (known and known.service_account))
    preset = spec.get("preset") or (known.preset if known else None)
    if preset is not None and is_known(spec):
        options = {k: v for k, v in spec.items() if k != "preset"}
        try:
            preset_policy(preset, **options)
        except IrsaConfigError as exc:
            raise IrsaConfigError(
                label,
                f"addon_policy.{exc.field}",
                exc.value,
                f"{exc.problem} (preset {preset!r} of add-on {addon_name!r})",
                f"pass it in addon_policy, e.g. addon_policy={{{exc.field!r}: [...]}}: {exc.fix}",
            ) from None
    if spec and preset is None:
        raise IrsaConfigError(
            label,
            "addon_policy",
            spec,
            f"names no preset, and add-on {addon_name!r} has no default preset",
            "add 'preset': <slug> (see irsa_components.policies.PRESETS)",
        )
    partition = spec.get("partition", "aws")
    managed = [f"arn:{partition}:iam::aws:policy/{p}" for p in (known.managed_policies if known else ())]
    role_args: dict[str, Any] = {
        key: args[key] for key in ("role_name", "path", "permissions_boundary", "tags") if args.get(key) is not None
    }
    role_args["policy_arns"] = [*policy_arns, *managed]
    if preset is not None:
        role_args["addon_policies"] = [{**spec, "preset": preset}]
    return AddonPlan(identity, namespace, service_account, role_args, preset)


class ManagedAddon(pulumi.ComponentResource):
    """An EKS managed add-on with the IAM role it needs: the role (trust per identity), its policies, and the
    add-on wired to it through pod_identity_associations or service_account_role_arn."""

    role_arn: pulumi.Output[str]
    """ARN of the add-on's role."""
    role_name: pulumi.Output[str]
    """Name of the add-on's role."""
    role_unique_id: pulumi.Output[str]
    """Unique ID (AROA...) of the add-on's role."""
    role_path: pulumi.Output[str]
    """IAM path of the add-on's role."""
    policy_arns: pulumi.Output[dict[str, str]]
    """ARN of every policy the component created, by name (the preset's slug)."""
    trust_policy: pulumi.Output[str]
    """The role's trust policy, as JSON."""
    addon_arn: pulumi.Output[str]
    """ARN of the add-on."""
    addon_version: pulumi.Output[str]
    """Installed add-on version."""
    service_account: pulumi.Output[str]
    """The add-on's service account the role is for."""
    namespace: pulumi.Output[str]
    """The add-on's namespace."""

    def __init__(self, name: str, args: ManagedAddonArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        label = f"ManagedAddon {name!r}"
        check_args(label, args, ManagedAddonArgs)
        cluster_name = args.get("cluster_name")
        if cluster_name is None:
            raise IrsaConfigError(label, "cluster_name", None, "is required", "pass the EKS cluster's name")
        cluster_name = check_now_or_later(cluster_name, lambda v: validate_cluster_name(label, v))
        plan = plan_addon(label, args)
        version = args.get("addon_version")
        if version is not None and (not isinstance(version, str) or not version.startswith("v")):
            raise IrsaConfigError(
                label, "addon_version", version, "is not an EKS add-on version", "use e.g. 'v1.37.0-eksbuild.1'"
            )
        on_create = _choice(label, args, "resolve_conflicts_on_create", CONFLICT_MODES_ON_CREATE)
        on_update = _choice(label, args, "resolve_conflicts_on_update", CONFLICT_MODES_ON_UPDATE)
        tags = validate_tags(label, args["tags"]) if args.get("tags") is not None else None
        kind = POD_IDENTITY if plan.identity == "pod-identity" else WEB_IDENTITY
        role_plan = plan_role(label, f"{name}-role", plan.role_args, trust_kinds=[kind])

        def trust(values: list[Any]) -> str:
            cluster, provider_arn = values
            if plan.identity == "pod-identity":
                document = build_pod_identity_trust_policy(cluster, plan.namespace, plan.service_account)
            else:
                validate_oidc_provider_arn(label, provider_arn)
                document = build_irsa_trust_policy([provider_arn], [(plan.namespace, plan.service_account)])
            check_trust_policy_size(label, document, role_plan.trust_policy_quota)
            return to_json(document)

        trust_inputs = [cluster_name, args.get("oidc_provider_arn")]
        if is_known(trust_inputs[1]) and trust_inputs[1] is not None:
            validate_oidc_provider_arn(label, trust_inputs[1])
        trust_policy = with_custom_trust(
            label,
            role_plan,
            trust(trust_inputs) if is_known(trust_inputs) else pulumi.Output.all(*trust_inputs).apply(trust),
        )

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = child_options(self, opts)
        created = create_role_resources(child, name, role_plan, trust_policy)
        role = RoleOutputs.of_created(created)
        waits_for: list[pulumi.Resource] = [created.role, *created.attachments]
        agent = agent_for_cluster(cluster_name, opts) if isinstance(cluster_name, str) else None
        if plan.identity == "pod-identity" and agent is not None:
            waits_for.append(agent)
        addon = eks.Addon(
            f"{name}-addon",
            cluster_name=cluster_name,
            addon_name=args["addon_name"],
            addon_version=version,
            configuration_values=args.get("configuration_values"),
            resolve_conflicts_on_create=on_create,
            resolve_conflicts_on_update=on_update,
            pod_identity_associations=[
                eks.AddonPodIdentityAssociationArgs(role_arn=role.role_arn, service_account=plan.service_account)
            ]
            if plan.identity == "pod-identity"
            else None,
            service_account_role_arn=role.role_arn if plan.identity == "irsa" else None,
            tags=tags,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=waits_for)),
        )

        self.role_arn = role.role_arn
        self.role_name = role.role_name
        self.role_unique_id = role.role_unique_id
        self.role_path = role.role_path
        self.policy_arns = role.policy_arns
        self.trust_policy = pulumi.Output.from_input(trust_policy)
        self.addon_arn = addon.arn
        self.addon_version = addon.addon_version
        self.service_account = pulumi.Output.from_input(plan.service_account)
        self.namespace = pulumi.Output.from_input(plan.namespace)
        self.register_outputs(
            {
                **role.as_dict(),
                "trust_policy": self.trust_policy,
                "addon_arn": self.addon_arn,
                "addon_version": self.addon_version,
                "service_account": self.service_account,
                "namespace": self.namespace,
            }
        )
