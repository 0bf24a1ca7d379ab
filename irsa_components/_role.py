"""What ServiceAccountRole and PodIdentityAssociation share: the role, its policies, the ServiceAccount.

Validation (``plan_role``, ``plan_service_account``) is separate from creation so that every
plain input is checked before the first cloud resource is registered.
"""

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Required, TypedDict

import pulumi
import pulumi_aws.eks as eks
import pulumi_aws.iam as iam
import pulumi_kubernetes.core.v1 as k8s_core

from irsa_components._addon_policies import PlannedPreset, plan_addon_policies
from irsa_components._inputs import check_now_or_later, is_known
from irsa_components.custom_trust import NO_CUSTOM_TRUST, CustomTrust, customise_trust, plan_custom_trust
from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import PRESET_TAG
from irsa_components.trust import to_json
from irsa_components.validation import (
    DEFAULT_MAX_POLICY_ATTACHMENTS,
    DEFAULT_TRUST_POLICY_QUOTA,
    INLINE_POLICIES_MAX_SIZE,
    MANAGED_POLICY_MAX_SIZE,
    check_trust_policy_size,
    parse_policy_document,
    policy_arn_name,
    policy_size,
    validate_autonamed_role,
    validate_max_session_duration,
    validate_path,
    validate_policy_arn,
    validate_policy_name,
    validate_role_arn,
    validate_role_name,
    validate_tags,
)

ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn"
FIELD_MANAGER = "irsa-components"
"""Server-side apply field manager of the ServiceAccount patches (service_account_mode 'patch')."""
PATCH_FIELD_MANAGER_ANNOTATION = "pulumi.com/patchFieldManager"
SERVICE_ACCOUNT_MODES = ("create", "patch", "none")
_ANNOTATION_KEY = re.compile(
    r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$",
    re.ASCII,
)


class AddonPolicyArgs(TypedDict, total=False):
    """One add-on preset: ``preset`` names it, the other fields are its options (each preset takes only its own)."""

    preset: Required[str]
    """The preset's slug, e.g. 'ebs-csi-driver', 'aws-load-balancer-controller', 'karpenter', 'external-dns'."""
    partition: str
    """AWS partition of the ARNs the preset builds: 'aws', 'aws-cn' or 'aws-us-gov' (every preset). Default: 'aws'."""
    cluster_name: pulumi.Input[str]
    """aws-load-balancer-controller (pins its tag conditions to this cluster; default: any), karpenter (required),
    vpc-cni (required with enable_cloudwatch_logs: the cluster's log group)."""
    target_group_binding_only: bool
    """aws-load-balancer-controller: TargetGroupBinding only, no load balancer creation. Default: False."""
    target_group_arns: Sequence[pulumi.Input[str]]
    """aws-load-balancer-controller: target groups it may register into; required with target_group_binding_only."""
    enable_cloudwatch_logs: bool
    """vpc-cni: the network policy agent writes to the cluster's CloudWatch log group. Default: False."""
    cluster_names: Sequence[pulumi.Input[str]]
    """cluster-autoscaler: the clusters whose node groups it may scale. Required."""
    kms_key_arns: Sequence[pulumi.Input[str]]
    """ebs-csi-driver (keys of encrypted volumes), external-secrets and secrets-store-csi-driver-provider-aws
    (keys of the secrets), mountpoint-s3-csi (SSE-KMS objects), velero (ebsKmsKeyId keys). Default: none."""
    file_system_arns: Sequence[pulumi.Input[str]]
    """efs-csi-driver: the EFS file systems it may create access points on. Default: any of the account."""
    ip_family: str
    """vpc-cni: 'ipv4' (AWS's managed policy), 'ipv6' (an ENI-scoped document) or 'dual' (both). Default: 'ipv4'."""
    hosted_zone_arns: Sequence[pulumi.Input[str]]
    """external-dns and cert-manager: the Route 53 hosted zones they may change. Required (cert-manager: or
    assume_role_arns)."""
    assume_role_arns: Sequence[pulumi.Input[str]]
    """cert-manager: zone-owner roles in other accounts it may assume. Default: none."""
    node_role_arns: Sequence[pulumi.Input[str]]
    """karpenter: the node roles it may pass to instance profiles. Required."""
    interruption_queue_arn: pulumi.Input[str]
    """karpenter: its interruption SQS queue. Default: none (interruption handling off)."""
    region: pulumi.Input[str]
    """karpenter: the region its resources are scoped to. Default: any region."""
    account_id: pulumi.Input[str]
    """karpenter: the account its resources are scoped to. Default: any account."""
    secrets_manager_arns: Sequence[pulumi.Input[str]]
    """external-secrets (read, and write with allow_write) and secrets-store-csi-driver-provider-aws (mount): the
    Secrets Manager secrets. This or ssm_parameter_arns is required."""
    ssm_parameter_arns: Sequence[pulumi.Input[str]]
    """external-secrets and secrets-store-csi-driver-provider-aws: the SSM parameters, as secrets_manager_arns."""
    allow_write: bool
    """external-secrets: also push to the given secrets and parameters. Default: False."""
    allow_find: bool
    """external-secrets: also list secrets and parameters (for find-by-name/tag). Default: False."""
    bucket_arns: Sequence[pulumi.Input[str]]
    """velero (its backup buckets) and mountpoint-s3-csi (the buckets it may mount). Required."""
    path_arns: Sequence[pulumi.Input[str]]
    """mountpoint-s3-csi and velero: object prefixes ('arn:aws:s3:::bucket/prefix/*') within bucket_arns.
    Default: whole buckets."""
    allow_object_tagging: bool
    """velero: s3:PutObjectTagging on the backup objects, as upstream's policy. Default: True."""
    directory_bucket_arns: Sequence[pulumi.Input[str]]
    """mountpoint-s3-csi: S3 Express directory buckets (s3express:CreateSession). Default: none."""
    workspace_arns: Sequence[pulumi.Input[str]]
    """amazon-managed-prometheus: the workspaces it may write to and query. Required. adot-collector: remote
    write only to these instead of AmazonPrometheusRemoteWriteAccess. Default: the managed policy."""
    queue_arns: Sequence[pulumi.Input[str]]
    """aws-node-termination-handler: the SQS queues it consumes. Required."""
    managed_tag: str
    """aws-node-termination-handler: the tag it looks for before draining (its managedTag setting)."""
    s3_bucket_arns: Sequence[pulumi.Input[str]]
    """fsx-lustre-csi: S3 buckets linked to the file systems (data repositories); aws-for-fluent-bit: buckets of
    its s3 output. Default: none."""
    service_role_arns: Sequence[pulumi.Input[str]]
    """fsx-lustre-csi: your account's FSx service-linked roles instead of any account's. Default: any account."""
    access_log_bucket_arns: Sequence[pulumi.Input[str]]
    """aws-gateway-api-controller: buckets whose policies it may set for access logs. Default: any bucket."""
    log_group_arns: Sequence[pulumi.Input[str]]
    """aws-for-fluent-bit: the CloudWatch log groups it writes. Required."""
    firehose_stream_arns: Sequence[pulumi.Input[str]]
    """aws-for-fluent-bit: Firehose delivery streams of its kinesis_firehose output. Default: none."""
    kinesis_stream_arns: Sequence[pulumi.Input[str]]
    """aws-for-fluent-bit: Kinesis data streams of its kinesis_streams output. Default: none."""
    ca_arns: Sequence[pulumi.Input[str]]
    """aws-privateca-issuer: the private CAs it may issue certificates from. Required."""


class RoleArgs(TypedDict, total=False):
    """Options of the IAM role a component creates, and the policies it gets."""

    policy_arns: Sequence[pulumi.Input[str]]
    """Managed policy ARNs to attach to the role (AWS-managed or your own). Default: none."""
    inline_policies: Mapping[str, pulumi.Input[Any]]
    """Inline policies, policy name -> document (a dict, which may hold Outputs, or JSON text). Default: none."""
    role_name: str
    """The IAM role's exact name. Default: auto-named by Pulumi from the component name."""
    path: str
    """The IAM path of the role. Default: '/'."""
    description: str
    """The role's description. Default: none."""
    permissions_boundary: pulumi.Input[str]
    """ARN of a managed policy used as the role's permissions boundary. Default: none."""
    max_session_duration: int
    """Longest session, in seconds (3600..43200). Default: 3600."""
    tags: Mapping[str, str]
    """Tags on every AWS resource the component creates. Default: none."""
    max_trust_policy_size: int
    """The account's role trust policy quota in characters, if raised from IAM's default. Default: 2048."""
    max_policy_attachments: int
    """The account's managed-policies-per-role quota, if raised from IAM's default. Default: 10."""
    addon_policies: Sequence[AddonPolicyArgs]
    """Add-on presets, each {'preset': slug, **options}: a scoped policy and/or AWS-managed ARNs. Default: none."""
    managed_policies: Mapping[str, pulumi.Input[Any]]
    """Customer-managed policies to create and attach, name -> document (dict or JSON). Default: none."""
    policy_name_prefix: str
    """IAM name of each managed_policies policy: this prefix + its key. Default: auto-named from the component."""
    policy_path: str
    """IAM path of the policies the component creates (managed_policies and presets). Default: the role's path."""
    trust_conditions: Mapping[str, Mapping[str, pulumi.Input[Any]]]
    """Extra conditions ANDed into every trust statement the component builds, {operator: {key: value}}, e.g.
    {'StringEquals': {'aws:SourceAccount': '111122223333'}}; keys the component sets, or that the request never
    carries, are refused. Default: none."""
    trust_statements: Sequence[Mapping[str, Any]]
    """Extra trust statements appended as given (counted in the trust size quota). Default: none."""


class ServiceAccountArgs(TypedDict, total=False):
    """Options of the Kubernetes ServiceAccount(s) a component creates."""

    create_service_account: bool
    """Create the Kubernetes ServiceAccount(s) with the component's Kubernetes provider. Default: True.
    Alias of service_account_mode: True is 'create', False is 'none'."""
    service_account_mode: str
    """'create' the ServiceAccount(s); 'patch' one that something else (a Helm chart) owns, adding the
    annotations by server-side apply and never deleting it; 'none'. Default: 'create'."""
    service_account_labels: Mapping[str, str]
    """Labels on the created ServiceAccount(s). Default: none."""
    service_account_annotations: Mapping[str, str]
    """Extra annotations on the created ServiceAccount(s), e.g. 'eks.amazonaws.com/token-expiration'. Default: none."""


ROLE_OPTION_FIELDS = tuple(RoleArgs.__annotations__)


@dataclass
class RolePlan:
    """Validated role options, ready to create."""

    logical_name: str
    role_name: str | None
    path: str | None
    description: str | None
    permissions_boundary: pulumi.Input[str] | None
    max_session_duration: int | None
    tags: dict[str, str] | None
    trust_policy_quota: int
    policy_attachments: list[tuple[str, pulumi.Input[str]]] = field(default_factory=list)
    """(child resource suffix, policy ARN) per managed policy."""
    inline_policies: list[tuple[str, pulumi.Input[str]]] = field(default_factory=list)
    """(policy name, JSON document) per inline policy."""
    addon_policies: list[PlannedPreset] = field(default_factory=list)
    managed_policies: list[tuple[str, pulumi.Input[str]]] = field(default_factory=list)
    """(key, JSON document) per customer-managed policy to create."""
    policy_name_prefix: str | None = None
    policy_path: str | None = None
    custom_trust: CustomTrust = NO_CUSTOM_TRUST
    trust_kinds: tuple[str, ...] = ()


def _attachment_suffixes(component: str, arns: Sequence[pulumi.Input[str]]) -> list[tuple[str, pulumi.Input[str]]]:
    """Names each attachment after its policy so reordering the list replaces nothing."""
    result: list[tuple[str, pulumi.Input[str]]] = []
    seen: set[str] = set()
    for index, arn in enumerate(arns):
        if isinstance(arn, str):
            validate_policy_arn(component, arn)
            suffix = policy_arn_name(arn)
            if arn in seen:
                raise IrsaConfigError(component, "policy_arns", arn, "is listed twice", "list each policy once")
            seen.add(arn)
        else:
            # Only known at deploy time: the position is the only stable name available now.
            suffix = f"policy-{index}"
        result.append((suffix, check_now_or_later(arn, lambda v: validate_policy_arn(component, v))))
    names = [s for s, _ in result]
    return [(s if names.count(s) == 1 else f"{s}-{i}", a) for i, (s, a) in enumerate(result)]


def _inline_policy_json(component: str, key: str, document: Any) -> pulumi.Input[str]:
    def check(value: Any) -> str:
        doc = parse_policy_document(component, value, field=f"inline_policies[{key!r}]")
        return to_json(doc)

    return check_now_or_later(document, check)


def _managed_policy_json(component: str, key: str, document: Any) -> str:
    doc = parse_policy_document(component, document, field=f"managed_policies[{key!r}]")
    size = policy_size(doc)
    if size > MANAGED_POLICY_MAX_SIZE:
        raise IrsaConfigError(
            component,
            f"managed_policies[{key!r}]",
            f"{size} characters",
            f"exceeds IAM's {MANAGED_POLICY_MAX_SIZE}-character limit for a managed policy",
            "split it into two entries",
        )
    return to_json(doc)


def _checked_managed_policy(component: str, key: str, document: Any) -> pulumi.Input[str]:
    return check_now_or_later(document, lambda v: _managed_policy_json(component, key, v))


def _plan_managed_policies(
    component: str, args: Mapping[str, Any], presets: Sequence[PlannedPreset]
) -> tuple[list[tuple[str, pulumi.Input[str]]], str | None, str | None]:
    policies = args.get("managed_policies") or {}
    if not isinstance(policies, Mapping):
        raise IrsaConfigError(
            component, "managed_policies", policies, "must be a mapping name -> document", "pass {'s3-read': {...}}"
        )
    prefix = args.get("policy_name_prefix")
    if prefix is not None and (not isinstance(prefix, str) or not prefix):
        raise IrsaConfigError(component, "policy_name_prefix", prefix, "must be a non-empty string", "e.g. 'eks-'")
    path = args.get("policy_path")
    if path is not None:
        validate_path(component, path, field="policy_path")
    slugs = {p.slug for p in presets}
    planned: list[tuple[str, pulumi.Input[str]]] = []
    for key, document in policies.items():
        validate_policy_name(component, key, field="managed_policies")
        if prefix is not None:
            validate_policy_name(component, f"{prefix}{key}", field="policy_name_prefix")
        if key in slugs:
            raise IrsaConfigError(
                component,
                "managed_policies",
                key,
                "has the name of a preset in addon_policies (both would be outputs under that name)",
                "rename the key",
            )
        planned.append((key, _checked_managed_policy(component, key, document)))
    return planned, prefix, path


def plan_role(
    component: str, logical_name: str, args: Mapping[str, Any], *, trust_kinds: Sequence[str] = ()
) -> RolePlan:
    """Validates the role options of ``args`` (a RoleArgs); ``trust_kinds`` are the kinds of request the
    trust admits (``custom_trust.WEB_IDENTITY``...), against which ``trust_conditions`` are checked."""
    role_name = args.get("role_name")
    if role_name is not None:
        validate_role_name(component, role_name)
    else:
        validate_autonamed_role(component, logical_name)
    path = args.get("path")
    if path is not None:
        validate_path(component, path)
    duration = args.get("max_session_duration")
    if duration is not None:
        validate_max_session_duration(component, duration)
    tags = args.get("tags")
    if tags is not None:
        tags = validate_tags(component, tags)
    boundary = args.get("permissions_boundary")
    if boundary is not None:
        boundary = check_now_or_later(
            boundary, lambda v: validate_policy_arn(component, v, field="permissions_boundary")
        )
    quota = args.get("max_trust_policy_size", DEFAULT_TRUST_POLICY_QUOTA)
    if isinstance(quota, bool) or not isinstance(quota, int) or quota < DEFAULT_TRUST_POLICY_QUOTA:
        raise IrsaConfigError(
            component,
            "max_trust_policy_size",
            quota,
            f"must be a whole number of characters, at least IAM's default {DEFAULT_TRUST_POLICY_QUOTA}",
            "set it to the 'Role trust policy length' quota of your account",
        )

    policy_arns = args.get("policy_arns") or []
    if isinstance(policy_arns, str):
        raise IrsaConfigError(component, "policy_arns", policy_arns, "must be a list", f"pass [{policy_arns!r}]")
    attachments = _attachment_suffixes(component, policy_arns)
    presets = plan_addon_policies(component, args.get("addon_policies"))
    for addon in presets:
        for arn in addon.managed_policy_arns:
            if arn in policy_arns:
                raise IrsaConfigError(
                    component, "policy_arns", arn, f"is also attached by preset {addon.slug!r}", "list it only once"
                )
    managed, policy_name_prefix, policy_path = _plan_managed_policies(component, args, presets)
    extra_attachments = sum(len(p.managed_policy_arns) + (p.document is not None) for p in presets) + len(managed)
    limit = args.get("max_policy_attachments", DEFAULT_MAX_POLICY_ATTACHMENTS)
    if len(attachments) + extra_attachments > limit:
        raise IrsaConfigError(
            component,
            "policy_arns",
            f"{len(attachments) + extra_attachments} managed policies",
            f"exceeds the {limit} managed policies IAM lets one role have attached",
            "merge policies, move some into inline_policies, or raise the account quota (up to 20) and set "
            "max_policy_attachments",
        )

    inline: list[tuple[str, pulumi.Input[str]]] = []
    known_size = 0
    for key, document in (args.get("inline_policies") or {}).items():
        validate_policy_name(component, key, field="inline_policies")
        policy_json = _inline_policy_json(component, key, document)
        if isinstance(policy_json, str):
            known_size += policy_size(json.loads(policy_json))
        inline.append((key, policy_json))
    if known_size > INLINE_POLICIES_MAX_SIZE:
        raise IrsaConfigError(
            component,
            "inline_policies",
            f"{known_size} characters",
            f"exceeds IAM's {INLINE_POLICIES_MAX_SIZE}-character total for a role's inline policies",
            "move some permissions into a managed policy (policy_arns)",
        )

    return RolePlan(
        logical_name=logical_name,
        role_name=role_name,
        path=path,
        description=args.get("description"),
        permissions_boundary=boundary,
        max_session_duration=duration,
        tags=tags,
        trust_policy_quota=quota,
        policy_attachments=attachments,
        inline_policies=inline,
        addon_policies=presets,
        managed_policies=managed,
        policy_name_prefix=policy_name_prefix,
        policy_path=policy_path,
        custom_trust=plan_custom_trust(component, args, trust_kinds),
        trust_kinds=tuple(trust_kinds),
    )


def with_custom_trust(component: str, plan: RolePlan, trust_policy: pulumi.Input[str]) -> pulumi.Input[str]:
    """The built trust (JSON) with the plan's trust_conditions and trust_statements, size-checked in total."""
    custom = plan.custom_trust
    if not custom:
        return trust_policy

    def finish(values: list[Any]) -> str:
        document, conditions, statements = values
        result = customise_trust(component, json.loads(document), plan.trust_kinds, conditions, statements)
        check_trust_policy_size(component, result, plan.trust_policy_quota)
        return to_json(result)

    inputs = [trust_policy, custom.conditions, custom.statements]
    if is_known(inputs):
        return finish(inputs)
    return pulumi.Output.all(*inputs).apply(finish)


def refuse_role_options(component: str, args: Mapping[str, Any], reason: str) -> None:
    """A bring-your-own role can't take role options: say so instead of silently ignoring them."""
    given = [f for f in ROLE_OPTION_FIELDS if args.get(f) is not None]
    if given:
        raise IrsaConfigError(
            component,
            given[0],
            args[given[0]],
            f"has no effect because {reason}",
            "configure that role where it is defined, or drop role_arn to let this component create the role",
        )


def validate_existing_role_arn(component: str, value: pulumi.Input[str]) -> pulumi.Input[str]:
    return check_now_or_later(value, lambda v: validate_role_arn(component, v))


def role_name_and_path(role_arn: str) -> tuple[str, str]:
    """The name and path of a role, read off its ARN (``arn:aws:iam::111122223333:role/path/name``)."""
    parts = role_arn.split(":", 5)[5].split("/")
    return parts[-1], "/" + "".join(f"{p}/" for p in parts[1:-1])


@dataclass
class CreatedRole:
    """The role a component registered, and the policies it created for it."""

    role: iam.Role
    policy_arns: dict[str, pulumi.Output[str]]
    """ARN of every policy created for the role, by name: managed_policies keys and preset slugs."""
    attachments: list[pulumi.Resource]
    """Every attachment and inline policy: what must exist before the role's users start."""


def create_role(child: pulumi.ResourceOptions, name: str, plan: RolePlan, trust_policy: pulumi.Input[str]) -> iam.Role:
    """Registers the role, one attachment per managed policy and one inline policy per document."""
    return create_role_resources(child, name, plan, trust_policy).role


def create_role_resources(
    child: pulumi.ResourceOptions, name: str, plan: RolePlan, trust_policy: pulumi.Input[str]
) -> CreatedRole:
    """Registers the role with its attachments, inline policies, preset and customer-managed policies."""
    attachments: list[pulumi.Resource] = []
    policy_arns: dict[str, pulumi.Output[str]] = {}
    role = iam.Role(
        plan.logical_name,
        assume_role_policy=trust_policy,
        name=plan.role_name,
        path=plan.path,
        description=plan.description,
        permissions_boundary=plan.permissions_boundary,
        max_session_duration=plan.max_session_duration,
        tags=plan.tags,
        opts=child,
    )
    for suffix, arn in plan.policy_attachments:
        attachments.append(iam.RolePolicyAttachment(f"{name}-{suffix}", role=role.name, policy_arn=arn, opts=child))
    for policy_name, document in plan.inline_policies:
        attachments.append(
            iam.RolePolicy(f"{name}-{policy_name}", role=role.id, name=policy_name, policy=document, opts=child)
        )
    for addon in plan.addon_policies:
        if addon.document is not None:
            policy = iam.Policy(
                f"{name}-{addon.slug}",
                policy=addon.document,
                path=plan.policy_path or plan.path,
                description=f"Permissions of the {addon.slug} add-on (irsa-components preset)",
                tags={**(plan.tags or {}), PRESET_TAG: addon.slug},
                opts=child,
            )
            policy_arns[addon.slug] = policy.arn
            attachments.append(
                iam.RolePolicyAttachment(f"{name}-{addon.slug}", role=role.name, policy_arn=policy.arn, opts=child)
            )
        for arn in addon.managed_policy_arns:
            attachments.append(
                iam.RolePolicyAttachment(
                    f"{name}-{addon.slug}-{policy_arn_name(arn)}", role=role.name, policy_arn=arn, opts=child
                )
            )
    for key, document in plan.managed_policies:
        # "managed-" keeps these names apart from the policy_arns attachments, named after their policies.
        policy = iam.Policy(
            f"{name}-managed-{key}",
            name=f"{plan.policy_name_prefix}{key}" if plan.policy_name_prefix is not None else None,
            policy=document,
            path=plan.policy_path or plan.path,
            tags=plan.tags,
            opts=child,
        )
        policy_arns[key] = policy.arn
        attachments.append(
            iam.RolePolicyAttachment(f"{name}-managed-{key}", role=role.name, policy_arn=policy.arn, opts=child)
        )
    return CreatedRole(role, policy_arns, attachments)


@dataclass
class ServiceAccountPlan:
    """Validated ServiceAccount options."""

    create: bool
    labels: dict[str, str]
    annotations: dict[str, str]
    mode: str = "create"
    """'create', 'patch' (annotate a ServiceAccount owned elsewhere) or 'none'."""


def service_account_mode(component: str, args: Mapping[str, Any]) -> str:
    """``service_account_mode``, or its alias ``create_service_account`` (True: 'create', False: 'none')."""
    create = args.get("create_service_account")
    if create is not None and not isinstance(create, bool):
        raise IrsaConfigError(component, "create_service_account", create, "must be True or False", "pass a bool")
    mode = args.get("service_account_mode")
    if mode is None:
        return "none" if create is False else "create"
    if mode not in SERVICE_ACCOUNT_MODES:
        raise IrsaConfigError(
            component, "service_account_mode", mode, "is not a ServiceAccount mode", "use 'create', 'patch' or 'none'"
        )
    if create is not None and create != (mode == "create"):
        raise IrsaConfigError(
            component,
            "create_service_account",
            create,
            f"contradicts service_account_mode={mode!r}",
            "drop create_service_account (service_account_mode replaces it)",
        )
    return str(mode)


def plan_service_account(component: str, args: Mapping[str, Any], *, irsa: bool) -> ServiceAccountPlan:
    """Validates the ServiceAccount options of ``args`` (a ServiceAccountArgs)."""
    mode = service_account_mode(component, args)
    create = mode == "create"
    maps: dict[str, dict[str, str]] = {}
    for field_name in ("service_account_labels", "service_account_annotations"):
        value = args.get(field_name) or {}
        if not isinstance(value, Mapping) or not is_known(value):
            raise IrsaConfigError(
                component, field_name, value, "must be a mapping of plain strings", "pass e.g. {'team': 'a'}"
            )
        for key, item in value.items():
            if not isinstance(key, str) or not _ANNOTATION_KEY.fullmatch(key) or not isinstance(item, str):
                raise IrsaConfigError(
                    component,
                    field_name,
                    key,
                    "is not a valid Kubernetes key with a string value",
                    "use e.g. 'example.com/team'",
                )
        maps[field_name] = dict(value)
    annotations = maps["service_account_annotations"]
    if ROLE_ARN_ANNOTATION in annotations:
        fix = (
            "drop it: the component sets it to the role it creates"
            if irsa
            else "drop it: EKS Pod Identity uses the association, and an IRSA annotation would take precedence"
        )
        raise IrsaConfigError(
            component, "service_account_annotations", ROLE_ARN_ANNOTATION, "is managed by the component", fix
        )
    if mode == "patch" and not irsa and not annotations and not maps["service_account_labels"]:
        raise IrsaConfigError(
            component,
            "service_account_mode",
            mode,
            "has nothing to patch: EKS Pod Identity needs no annotation on the ServiceAccount",
            "use service_account_mode='none', or give service_account_labels/annotations to add",
        )
    return ServiceAccountPlan(create=create, labels=maps["service_account_labels"], annotations=annotations, mode=mode)


def create_service_account(
    child: pulumi.ResourceOptions,
    resource_name: str,
    namespace: pulumi.Input[str],
    service_account: pulumi.Input[str],
    annotations: Mapping[str, pulumi.Input[str]],
    labels: Mapping[str, str],
) -> k8s_core.ServiceAccount:
    """Registers one ServiceAccount with exactly the given name, namespace, annotations and labels."""
    return k8s_core.ServiceAccount(
        resource_name,
        metadata={
            "name": service_account,
            "namespace": namespace,
            "annotations": dict(annotations) or None,
            "labels": dict(labels) or None,
        },
        opts=child,
    )


def patch_service_account(
    child: pulumi.ResourceOptions,
    resource_name: str,
    namespace: pulumi.Input[str],
    service_account: pulumi.Input[str],
    annotations: Mapping[str, pulumi.Input[str]],
    labels: Mapping[str, str],
) -> k8s_core.ServiceAccountPatch:
    """Adds annotations and labels to a ServiceAccount something else owns (a Helm chart), by server-side apply
    under this library's field manager. Destroying the patch removes only those fields, never the
    ServiceAccount."""
    return k8s_core.ServiceAccountPatch(
        resource_name,
        metadata={
            "name": service_account,
            "namespace": namespace,
            "annotations": {**annotations, PATCH_FIELD_MANAGER_ANNOTATION: FIELD_MANAGER},
            "labels": dict(labels) or None,
        },
        opts=child,
    )


def register_service_account(
    plan: ServiceAccountPlan,
    child: pulumi.ResourceOptions,
    resource_name: str,
    namespace: pulumi.Input[str],
    service_account: pulumi.Input[str],
    annotations: Mapping[str, pulumi.Input[str]],
) -> None:
    """Creates, patches or leaves alone the ServiceAccount, as ``plan.mode`` says; a patch is named
    ``<resource_name>-patch``, so switching modes never reuses another resource's name."""
    if plan.mode == "create":
        create_service_account(child, resource_name, namespace, service_account, annotations, plan.labels)
    elif plan.mode == "patch":
        patch_service_account(child, f"{resource_name}-patch", namespace, service_account, annotations, plan.labels)


def create_association(
    child: pulumi.ResourceOptions,
    resource_name: str,
    cluster_name: pulumi.Input[str],
    namespace: pulumi.Input[str],
    service_account: pulumi.Input[str],
    role_arn: pulumi.Input[str],
    tags: Mapping[str, str] | None,
    *,
    target_role_arn: pulumi.Input[str] | None = None,
    disable_session_tags: bool = False,
    session_policy: pulumi.Input[str] | None = None,
) -> eks.PodIdentityAssociation:
    """Registers one EKS Pod Identity association; the optional fields are sent only when set."""
    return eks.PodIdentityAssociation(
        resource_name,
        cluster_name=cluster_name,
        namespace=namespace,
        service_account=service_account,
        role_arn=role_arn,
        target_role_arn=target_role_arn,
        disable_session_tags=True if disable_session_tags else None,
        policy=session_policy,
        tags=tags,
        opts=child,
    )


@dataclass
class RoleOutputs:
    """The role outputs every role component exposes, for a created role or an existing one."""

    role_arn: pulumi.Output[str]
    role_name: pulumi.Output[str]
    role_unique_id: pulumi.Output[str]
    role_path: pulumi.Output[str]
    policy_arns: pulumi.Output[dict[str, str]]

    @staticmethod
    def of_created(created: CreatedRole) -> "RoleOutputs":
        role = created.role
        return RoleOutputs(
            role.arn,
            role.name,
            role.unique_id,
            role.path,
            pulumi.Output.from_input(created.policy_arns),  # type: ignore[arg-type]
        )

    @staticmethod
    def of_existing(role_arn: pulumi.Input[str]) -> "RoleOutputs":
        """An existing role: name and path from its ARN; its unique ID is not looked up (empty)."""
        arn = pulumi.Output.from_input(role_arn)
        return RoleOutputs(
            arn,
            arn.apply(lambda a: role_name_and_path(a)[0]),
            pulumi.Output.from_input(""),
            arn.apply(lambda a: role_name_and_path(a)[1]),
            pulumi.Output.from_input({}),
        )

    def as_dict(self) -> dict[str, pulumi.Output[Any]]:
        return {
            "role_arn": self.role_arn,
            "role_name": self.role_name,
            "role_unique_id": self.role_unique_id,
            "role_path": self.role_path,
            "policy_arns": self.policy_arns,
        }
