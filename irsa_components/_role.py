"""What ServiceAccountRole and PodIdentityAssociation share: the role, its policies, the ServiceAccount.

Validation (``plan_role``, ``plan_service_account``) is separate from creation so that every
plain input is checked before the first cloud resource is registered.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Required, TypedDict

import pulumi
import pulumi_aws.eks as eks
import pulumi_aws.iam as iam
import pulumi_kubernetes.core.v1 as k8s_core

from irsa_components._addon_policies import PlannedPreset, plan_addon_policies
from irsa_components._inputs import check_now_or_later, is_known, setting
from irsa_components.custom_trust import NO_CUSTOM_TRUST, CustomTrust, customise_trust, plan_custom_trust
from irsa_components.errors import IrsaConfigError
from irsa_components.policies._base import PRESET_TAG
from irsa_components.trust import to_json
from irsa_components.validation import (
    DEFAULT_MAX_POLICY_ATTACHMENTS,
    DEFAULT_TRUST_POLICY_QUOTA,
    INLINE_POLICIES_MAX_SIZE,
    MANAGED_POLICY_MAX_SIZE,
    SamePartition,
    check_trust_policy_size,
    parse_policy_document,
    policy_arn_name,
    policy_size,
    unique_child_names,
    validate_annotations,
    validate_autonamed_role,
    validate_description,
    validate_labels,
    validate_max_session_duration,
    validate_path,
    validate_policy_arn,
    validate_policy_attachment_quota,
    validate_policy_name,
    validate_role_arn,
    validate_role_name,
    validate_tags,
    validate_trust_policy_quota,
    validate_webhook_annotations,
)

ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn"
AUDIENCE_ANNOTATION = "eks.amazonaws.com/audience"
FIELD_MANAGER = "irsa-components"
"""Server-side apply field manager of the ServiceAccount patches (service_account_mode 'patch')."""
PATCH_FIELD_MANAGER_ANNOTATION = "pulumi.com/patchFieldManager"
SERVICE_ACCOUNT_MODES = ("create", "patch", "none")


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
    description: pulumi.Input[str]
    """The role's description (at most 1,000 characters). Default: none."""
    permissions_boundary: pulumi.Input[str]
    """ARN of a managed policy used as the role's permissions boundary. Default: none."""
    max_session_duration: int
    """Longest session, in seconds (3600..43200). Default: 3600."""
    tags: Mapping[str, str]
    """Tags on every AWS resource the component creates. Default: none."""
    max_trust_policy_size: int
    """The account's role trust policy quota in characters, if raised from IAM's default (at most 8192).
    Default: 2048."""
    max_policy_attachments: int
    """The account's managed-policies-per-role quota, if raised from IAM's default (at most 20). Default: 10."""
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
    description: pulumi.Input[str] | None
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


def _attachment_suffixes(
    component: str,
    arns: Sequence[pulumi.Input[str]],
    partitions: SamePartition,
    taken: Sequence[str] = (),
) -> list[tuple[str, pulumi.Input[str]]]:
    """Names each attachment after its policy so reordering the list replaces nothing; two policies of one
    name get their position, and a name still taken (by a preset's attachment in ``taken``, or another
    policy's name) gets a hash of the ARN instead, so no two children share a URN."""
    result: list[tuple[str, pulumi.Input[str]]] = []
    identities: list[str] = []
    seen: set[str] = set()

    def check(value: Any) -> str:
        return partitions.check("policy_arns", validate_policy_arn(component, value))

    for index, arn in enumerate(arns):
        if isinstance(arn, str):
            check(arn)
            suffix = policy_arn_name(arn)
            if arn in seen:
                raise IrsaConfigError(component, "policy_arns", arn, "is listed twice", "list each policy once")
            seen.add(arn)
            identities.append(arn)
        else:
            # Only known at deploy time: the position is the only stable name available now.
            suffix = f"policy-{index}"
            identities.append(f"position {index}")
        result.append((suffix, check_now_or_later(arn, check)))
    names = [s for s, _ in result]
    legacy = [s if names.count(s) == 1 else f"{s}-{i}" for i, s in enumerate(names)]
    # Natural names (one policy of that name) are claimed before position-suffixed ones.
    order = sorted(range(len(legacy)), key=lambda i: names.count(names[i]) != 1)
    unique = unique_child_names([(legacy[i], identities[i]) for i in order], keep=taken)
    final = dict(zip(order, unique, strict=True))
    return [(final[i], arn) for i, (_, arn) in enumerate(result)]


def _inline_policy_json(component: str, key: str, document: Any) -> pulumi.Input[str]:
    def check(value: Any) -> str:
        doc = parse_policy_document(component, value, field=f"inline_policies[{key!r}]")
        return to_json(doc)

    return check_now_or_later(document, check)


def _inline_policies(component: str, policies: Mapping[str, Any]) -> list[tuple[str, pulumi.Input[str]]]:
    """Each inline policy as JSON, checked now or at deploy time; their total size too, once all are known."""
    inline: list[tuple[str, pulumi.Input[str]]] = []
    for key, document in policies.items():
        validate_policy_name(component, key, field="inline_policies")
        inline.append((key, _inline_policy_json(component, key, document)))

    def check_total(documents: Sequence[str]) -> list[str]:
        total = sum(policy_size(json.loads(d)) for d in documents)
        if total > INLINE_POLICIES_MAX_SIZE:
            raise IrsaConfigError(
                component,
                "inline_policies",
                f"{total} characters",
                f"exceeds IAM's {INLINE_POLICIES_MAX_SIZE}-character total for a role's inline policies",
                "move some permissions into a managed policy (policy_arns)",
            )
        return list(documents)

    documents = [d for _, d in inline]
    plain = [d for d in documents if isinstance(d, str)]
    # Plain documents over the limit fail now; together with deploy-time ones, once those resolve.
    check_total(plain)
    if len(plain) == len(documents):
        return inline
    checked = pulumi.Output.all(*documents).apply(check_total)

    def pick(index: int) -> pulumi.Output[str]:
        return checked.apply(lambda docs: docs[index])

    return [(key, pick(i)) for i, (key, _) in enumerate(inline)]


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
    component: str,
    logical_name: str,
    args: Mapping[str, Any],
    partitions: SamePartition | None = None,
    *,
    trust_kinds: Sequence[str] = (),
) -> RolePlan:
    """Validates the role options of ``args`` (a RoleArgs); ``partitions`` holds the component's other ARNs;
    ``trust_kinds`` are the kinds of request the trust admits (``custom_trust.WEB_IDENTITY``...), against which
    ``trust_conditions`` are checked."""
    partitions = partitions or SamePartition(component)
    role_name = args.get("role_name")
    if role_name is not None:
        validate_role_name(component, role_name)
    else:
        validate_autonamed_role(component, logical_name)
    path = args.get("path")
    if path is not None:
        validate_path(component, path)
    description = args.get("description")
    if description is not None:
        description = check_now_or_later(description, lambda v: validate_description(component, v))
    duration = args.get("max_session_duration")
    if duration is not None:
        validate_max_session_duration(component, duration)
    boundary = args.get("permissions_boundary")
    if boundary is not None:
        boundary = check_now_or_later(
            boundary,
            lambda v: partitions.check(
                "permissions_boundary", validate_policy_arn(component, v, field="permissions_boundary")
            ),
        )
    quota = validate_trust_policy_quota(component, setting(args, "max_trust_policy_size", DEFAULT_TRUST_POLICY_QUOTA))
    limit = validate_policy_attachment_quota(
        component, setting(args, "max_policy_attachments", DEFAULT_MAX_POLICY_ATTACHMENTS)
    )

    policy_arns = args.get("policy_arns") or []
    if isinstance(policy_arns, str) or not isinstance(policy_arns, Sequence):
        raise IrsaConfigError(
            component, "policy_arns", policy_arns, "must be a list", "wrap the value in a list: policy_arns=[...]"
        )
    presets = plan_addon_policies(component, args.get("addon_policies"))
    preset_names: list[str] = []
    for addon in presets:
        partitions.check_partition(f"addon_policies[{addon.slug!r}].partition", addon.partition)
        for arn in addon.managed_policy_arns:
            partitions.check("addon_policies", arn)
            if arn in policy_arns:
                raise IrsaConfigError(
                    component, "policy_arns", arn, f"is also attached by preset {addon.slug!r}", "list it only once"
                )
            preset_names.append(f"{addon.slug}-{policy_arn_name(arn)}")
        if addon.document is not None:
            preset_names.append(addon.slug)
    managed, policy_name_prefix, policy_path = _plan_managed_policies(component, args, presets)
    attachments = _attachment_suffixes(
        component, policy_arns, partitions, [*preset_names, *(f"managed-{key}" for key, _ in managed)]
    )
    extra_attachments = sum(len(p.managed_policy_arns) + (p.document is not None) for p in presets) + len(managed)
    if len(attachments) + extra_attachments > limit:
        raise IrsaConfigError(
            component,
            "policy_arns",
            f"{len(attachments) + extra_attachments} managed policies",
            f"exceeds the {limit} managed policies IAM lets one role have attached",
            "merge policies, move some into inline_policies, or raise the account quota (up to 20) and set "
            "max_policy_attachments",
        )
    tags = args.get("tags")
    if tags is not None:
        # A preset's policy also carries the library's preset tag: it counts against the 50.
        reserved = 1 if any(p.document is not None for p in presets) else 0
        tags = validate_tags(component, tags, reserved=reserved, role=True)
        if reserved and PRESET_TAG in tags:
            raise IrsaConfigError(
                component, "tags", PRESET_TAG, "is the tag the library puts on preset policies", "use another key"
            )

    inline_policies = args.get("inline_policies") or {}
    if not isinstance(inline_policies, Mapping):
        raise IrsaConfigError(
            component,
            "inline_policies",
            inline_policies,
            "must be a dict of policy name -> document",
            "pass e.g. {'read-reports': {'Version': '2012-10-17', 'Statement': [...]}}",
        )
    inline = _inline_policies(component, inline_policies)

    return RolePlan(
        logical_name=logical_name,
        role_name=role_name,
        path=path,
        description=description,
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
    for field_name, check in (
        ("service_account_labels", validate_labels),
        ("service_account_annotations", validate_annotations),
    ):
        value = args.get(field_name) or {}
        if not isinstance(value, Mapping) or not is_known(value):
            raise IrsaConfigError(
                component, field_name, value, "must be a mapping of plain strings", "pass e.g. {'team': 'a'}"
            )
        maps[field_name] = check(component, value, field=field_name)
    annotations = maps["service_account_annotations"]
    validate_webhook_annotations(component, annotations)
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


def role_name_and_path(role_arn: str) -> tuple[str, str]:
    """The name and path of a role, read off its ARN (``arn:aws:iam::111122223333:role/path/name``)."""
    parts = role_arn.split(":", 5)[5].split("/")
    return parts[-1], "/" + "".join(f"{p}/" for p in parts[1:-1])


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
