"""ServiceAccountRole: an IAM role for Kubernetes service accounts (IRSA) and its ServiceAccount(s).

It also carries the migration to EKS Pod Identity without downtime (``mode``): the role can trust Pod
Identity too and get its associations while pods keep IRSA, then drop IRSA, without ever being replaced.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Required, TypedDict

import pulumi
import pulumi_kubernetes as k8s

from irsa_components._inputs import check_args, check_now_or_later, is_known, setting
from irsa_components._options import child_options
from irsa_components._role import (
    AUDIENCE_ANNOTATION,
    ROLE_ARN_ANNOTATION,
    RoleArgs,
    RoleOutputs,
    ServiceAccountArgs,
    create_association,
    create_role_resources,
    plan_role,
    plan_service_account,
    refuse_role_options,
    register_service_account,
    validate_existing_role_arn,
    with_custom_trust,
)
from irsa_components.custom_trust import POD_IDENTITY, WEB_IDENTITY
from irsa_components.errors import IrsaConfigError
from irsa_components.trust import (
    DEFAULT_AUDIENCE,
    build_irsa_trust_policy,
    build_irsa_trust_policy_per_provider,
    build_pod_identity_subjects_trust_policy,
    combine_trust_policies,
    to_json,
)
from irsa_components.validation import (
    SamePartition,
    check_trust_policy_size,
    closest,
    exactly_one,
    has_wildcard,
    parse_service_account_ref,
    unique_child_names,
    validate_audience,
    validate_cluster_name,
    validate_namespace,
    validate_oidc_provider_arn,
    validate_service_account_name,
    validate_subjects,
)

TYPE_TOKEN = "irsa-components:index:ServiceAccountRole"
MODES = ("irsa", "both", "pod-identity")
DEFAULT_MODE = "irsa"
POD_IDENTITY_FIELDS = ("cluster_name", "keep_oidc_trust")
OIDC_PROVIDER_FIELDS = ("arn", "service_accounts", "name", "kubernetes_provider")
TRUST_FIELDS = ("oidc_provider_arn", "oidc_provider_arns", "oidc_providers", "audience", "mode", "pod_identity")
"""What only a role created here uses: refused next to role_arn."""


class OidcProviderSubjectsArgs(TypedDict, total=False):
    """One cluster of a ServiceAccountRole trusted by several clusters with different service accounts."""

    arn: Required[pulumi.Input[str]]
    """ARN of the cluster's IAM OIDC provider, e.g. ClusterOidcProvider(...).arn."""
    service_accounts: Required[Sequence[str]]
    """The service accounts of this cluster to trust, each 'namespace:name'."""
    name: str
    """A short key for this cluster in child resource names (needed when two clusters list the same service
    account and ServiceAccounts are created or patched). Default: none."""
    kubernetes_provider: k8s.Provider
    """The Kubernetes provider of this cluster, for its ServiceAccounts. Default: the component's provider."""


class PodIdentityMigrationArgs(TypedDict, total=False):
    """Where a ServiceAccountRole's EKS Pod Identity associations go (modes 'both' and 'pod-identity')."""

    cluster_name: Required[pulumi.Input[str]]
    """Name of the EKS cluster in which each trusted service account gets a Pod Identity association. Required."""
    keep_oidc_trust: bool
    """In mode 'pod-identity', keep the OIDC statement(s) until the pods started under IRSA are rolled. Default: False."""


class ServiceAccountRoleArgs(RoleArgs, ServiceAccountArgs, total=False):
    """Arguments of a ServiceAccountRole. One subject form is required, and one provider form except in mode
    'pod-identity'."""

    oidc_provider_arn: pulumi.Input[str]
    """ARN of the cluster's IAM OIDC provider, e.g. ClusterOidcProvider(...).arn."""
    oidc_provider_arns: Sequence[pulumi.Input[str]]
    """Several OIDC provider ARNs: one role trusted by the same service account(s) in several clusters."""
    oidc_providers: Sequence[OidcProviderSubjectsArgs]
    """Several clusters, each with its own service accounts: [{'arn': ..., 'service_accounts': ['ns:name']}]
    (instead of a provider form plus a subject form). Default: none."""
    role_arn: pulumi.Input[str]
    """An existing role to annotate the ServiceAccount(s) with (eksctl's --attach-role-arn): no role and no OIDC
    provider are needed, role and trust options are refused. Default: create the role."""
    namespace: pulumi.Input[str]
    """Namespace of the one service account to trust (with service_account)."""
    service_account: pulumi.Input[str]
    """Name of the one service account to trust (with namespace)."""
    service_accounts: Sequence[str]
    """Several service accounts to trust, each 'namespace:name' (instead of namespace + service_account)."""
    audience: str
    """Audience the web identity token must carry (the ':aud' condition). Default: 'sts.amazonaws.com'."""
    allow_wildcard: bool
    """Allow '*' and '?' in namespaces and names; the 'sub' condition then uses StringLike. Default: False."""
    mode: str
    """'irsa'; 'both': IRSA plus Pod Identity (trust and associations), pods keep IRSA while annotated;
    'pod-identity': no role-arn annotation, no OIDC statements, associations stay. Default: 'irsa'."""
    pod_identity: PodIdentityMigrationArgs
    """The Pod Identity side of modes 'both' and 'pod-identity', e.g. {'cluster_name': 'prod'}. Default: none."""


def _provider_arns(
    label: str, args: Mapping[str, Any], *, required: bool = True
) -> tuple[str, list[pulumi.Input[str]]]:
    field = exactly_one(label, args, "oidc_provider_arn", "oidc_provider_arns", required=required)
    if field is None:
        return "oidc_provider_arn", []
    if field == "oidc_provider_arn":
        return field, [args[field]]
    arns = args[field]
    if isinstance(arns, str) or not isinstance(arns, Sequence) or not arns:
        raise IrsaConfigError(
            label, field, arns, "must be a non-empty list of provider ARNs", "pass [provider.arn, ...]"
        )
    return field, list(arns)


def _subjects(label: str, args: Mapping[str, Any]) -> tuple[str, list[tuple[pulumi.Input[str], pulumi.Input[str]]]]:
    single = args.get("namespace") is not None or args.get("service_account") is not None
    listed = args.get("service_accounts") is not None
    if single and listed:
        raise IrsaConfigError(
            label,
            "namespace / service_accounts",
            args.get("service_accounts"),
            "are mutually exclusive",
            "pass either namespace + service_account, or service_accounts=['namespace:name', ...]",
        )
    if single:
        for field in ("namespace", "service_account"):
            if args.get(field) is None:
                raise IrsaConfigError(label, field, None, "is unset", "pass namespace and service_account together")
        return "namespace", [(args["namespace"], args["service_account"])]
    refs = args.get("service_accounts")
    if refs is None or isinstance(refs, str) or not refs:
        raise IrsaConfigError(
            label,
            "service_accounts",
            refs,
            "is empty: no service account would be trusted",
            "pass namespace + service_account, or service_accounts=['namespace:name', ...]",
        )
    return "service_accounts", [parse_service_account_ref(label, ref) for ref in refs]


def _name_field(subject_field: str) -> str:
    """The arg a service account name came from: ``service_account``, or ``service_accounts`` in the list form."""
    return "service_accounts" if subject_field == "service_accounts" else "service_account"


def _check_subject_now(label: str, field: str, ns: Any, sa: Any, allow_wildcard: bool) -> None:
    if is_known(ns):
        validate_namespace(label, ns, field=field, allow_wildcard=allow_wildcard)
    if is_known(sa):
        validate_service_account_name(label, sa, field=_name_field(field), allow_wildcard=allow_wildcard)


def _pattern_service_account(label: str) -> IrsaConfigError:
    return IrsaConfigError(
        label,
        "create_service_account",
        True,
        "can't create a ServiceAccount whose name or namespace is a wildcard pattern",
        "set create_service_account=False and annotate the matching ServiceAccounts with service_account_annotations",
    )


def _exact_names(
    label: str, subject_field: str, ns: pulumi.Input[str], sa: pulumi.Input[str], allow_wildcard: bool
) -> tuple[pulumi.Input[str], pulumi.Input[str]]:
    """The namespace and name to create a ServiceAccount with, checked now or at deploy time as the trust checks
    them, and then refused if they are wildcard patterns (which can't name a ServiceAccount)."""

    def exact(resolved: str) -> str:
        if has_wildcard(resolved):
            raise _pattern_service_account(label)
        return resolved

    def namespace(value: str) -> str:
        return exact(validate_namespace(label, value, field=subject_field, allow_wildcard=allow_wildcard))

    def name(value: str) -> str:
        field = _name_field(subject_field)
        return exact(validate_service_account_name(label, value, field=field, allow_wildcard=allow_wildcard))

    return check_now_or_later(ns, namespace), check_now_or_later(sa, name)


@dataclass(frozen=True)
class MigrationPlan:
    """What a mode means for the trust, the associations and the ServiceAccount annotation."""

    mode: str
    irsa_trust: bool
    """The trust holds the OIDC statement(s)."""
    annotate: bool
    """The ServiceAccount(s) carry the role-arn annotation (so pods use IRSA)."""
    cluster_name: pulumi.Input[str] | None = None
    """Cluster of the Pod Identity associations and trust; None in mode 'irsa'."""


def parse_mode(label: str, args: Mapping[str, Any]) -> str:
    mode = setting(args, "mode", DEFAULT_MODE)
    if mode not in MODES:
        near = closest(mode.replace("_", "-").lower(), MODES) if isinstance(mode, str) else None
        raise IrsaConfigError(
            label,
            "mode",
            mode,
            "is not a migration mode",
            f"use {near!r}" if near else "use 'irsa', 'both' or 'pod-identity'",
        )
    return str(mode)


def _wildcard_subject_field(subject_field: str, namespace: Any, service_account: Any) -> str | None:
    """The field naming a wildcard subject, or None when the (known parts of the) subject are exact."""
    if subject_field == "service_accounts":
        wild = any(isinstance(v, str) and has_wildcard(v) for v in (namespace, service_account))
        return subject_field if wild else None
    if isinstance(namespace, str) and has_wildcard(namespace):
        return "namespace"
    if isinstance(service_account, str) and has_wildcard(service_account):
        return "service_account"
    return None


def refuse_wildcard_associations(label: str, subject_field: str, subjects: Sequence[tuple[Any, Any]]) -> None:
    """A Pod Identity association names one exact namespace and service account: no patterns."""
    for namespace, service_account in subjects:
        field = _wildcard_subject_field(subject_field, namespace, service_account)
        if field is not None:
            raise IrsaConfigError(
                label,
                field,
                f"{namespace}:{service_account}",
                "is a wildcard pattern, and an EKS Pod Identity association names one exact namespace and "
                "service account",
                "list the service accounts exactly, or keep mode='irsa' for this role",
            )


def plan_migration(
    label: str,
    args: Mapping[str, Any],
    mode: str,
    provider_count: int,
    subject_field: str,
    subjects: Sequence[tuple[Any, Any]],
) -> MigrationPlan:
    """Validates ``pod_identity`` against ``mode``: what is asked for must take effect, never be ignored."""
    options = args.get("pod_identity")
    if mode == "irsa":
        if options is not None and args.get("mode") is None:
            raise IrsaConfigError(
                label,
                "pod_identity",
                options,
                "has no effect: mode is unset and defaults to 'irsa'",
                "set mode='both' to trust Pod Identity and create the associations alongside IRSA (an explicit "
                "mode='irsa' keeps pod_identity configured, e.g. for a rollback)",
            )
        return MigrationPlan(mode=mode, irsa_trust=True, annotate=True)
    if not isinstance(options, Mapping) or options.get("cluster_name") is None:
        raise IrsaConfigError(
            label,
            "pod_identity",
            options,
            f"needs cluster_name in mode={mode!r}",
            "pass pod_identity={'cluster_name': <the cluster of the service accounts>}",
        )
    unknown = sorted(set(options) - set(POD_IDENTITY_FIELDS))
    if unknown:
        raise IrsaConfigError(
            label, "pod_identity", unknown[0], "is not a Pod Identity option", f"use {', '.join(POD_IDENTITY_FIELDS)}"
        )
    cluster_name = options["cluster_name"]
    if is_known(cluster_name):
        validate_cluster_name(label, cluster_name, field="pod_identity.cluster_name")
    keep = setting(options, "keep_oidc_trust", False)
    if not isinstance(keep, bool):
        raise IrsaConfigError(label, "pod_identity.keep_oidc_trust", keep, "must be True or False", "pass a bool")
    if keep and mode != "pod-identity":
        raise IrsaConfigError(
            label,
            "pod_identity.keep_oidc_trust",
            keep,
            f"has no effect in mode={mode!r}, whose trust holds the OIDC statement(s) anyway",
            "drop it, or set it together with mode='pod-identity'",
        )
    if keep and provider_count == 0:
        raise IrsaConfigError(
            label,
            "pod_identity.keep_oidc_trust",
            keep,
            "keeps the OIDC statement(s), but no OIDC provider is given",
            "pass oidc_provider_arn as in mode 'both', or drop keep_oidc_trust",
        )
    if mode == "pod-identity" and provider_count > 1 and not keep:
        raise IrsaConfigError(
            label,
            "mode",
            mode,
            f"would drop the IRSA trust of {provider_count} clusters while Pod Identity covers only "
            "pod_identity.cluster_name: pods in the other clusters would lose access",
            "keep mode='both' until every cluster has moved, or list only this cluster's provider first",
        )
    refuse_wildcard_associations(label, subject_field, subjects)
    return MigrationPlan(
        mode=mode, irsa_trust=mode == "both" or keep, annotate=mode == "both", cluster_name=cluster_name
    )


def trust_policy_json(
    label: str,
    provider_field: str,
    provider_arns: Sequence[str],
    subject_field: str,
    subjects: Sequence[tuple[str, str]],
    audience: str,
    allow_wildcard: bool,
    quota: int,
    *,
    irsa: bool = True,
    pod_identity_cluster: str | None = None,
    partitions: SamePartition | None = None,
) -> str:
    """Validates resolved values and builds the trust document (the same checks at construction and in apply):
    the OIDC statement(s) when ``irsa``, and the Pod Identity statement(s) when ``pod_identity_cluster`` is set.
    """
    for arn in provider_arns:
        validate_oidc_provider_arn(label, arn, field=provider_field)
        (partitions or SamePartition(label)).check(provider_field, arn)
    if len(set(provider_arns)) != len(provider_arns):
        raise IrsaConfigError(
            label, provider_field, list(provider_arns), "lists a provider twice", "list each provider once"
        )
    checked = validate_subjects(
        label, subjects, field=subject_field, allow_wildcard=allow_wildcard, name_field=_name_field(subject_field)
    )
    documents = [build_irsa_trust_policy(provider_arns, checked, audience)] if irsa else []
    if pod_identity_cluster is not None:
        validate_cluster_name(label, pod_identity_cluster, field="pod_identity.cluster_name")
        refuse_wildcard_associations(label, subject_field, checked)
        documents.append(build_pod_identity_subjects_trust_policy(pod_identity_cluster, checked))
    document = documents[0] if len(documents) == 1 else combine_trust_policies(*documents)
    check_trust_policy_size(label, document, quota)
    return to_json(document)


def refuse_providers_of_other_accounts(label: str, field: str, role_arn: str, provider_arns: Sequence[str]) -> str:
    """STS looks a web identity provider up in the role's own account only (EKS user guide, "Authenticate to
    another account with IRSA"): a provider of another account would never admit a token. Returns ``role_arn``."""
    role_account = role_arn.split(":")[4] if role_arn.count(":") >= 5 else None
    for arn in provider_arns:
        provider_account = arn.split(":")[4]
        if role_account and provider_account != role_account:
            raise IrsaConfigError(
                label,
                field,
                arn,
                f"is an OIDC provider of account {provider_account}, but the role is created in account "
                f"{role_account}: STS only consults identity providers of the role's own account, so no token would "
                "ever be admitted",
                f"create the provider in account {role_account} (a ClusterOidcProvider for the cluster's issuer in a "
                "stack deploying to that account) and pass its ARN",
            )
    return role_arn


def subject_resource_names(name: str, subject_field: str, subjects: Sequence[tuple[Any, Any]]) -> list[str]:
    """The name of each subject's ServiceAccount (its association adds '-association'): '<name>-sa' for the
    single form, '<name>-<namespace>-<name>' for the list, where 'a-b:c' and 'a:b-c' would share a name (and
    URN): the first keeps it, the other gets a hash of its reference."""
    if subject_field == "namespace":
        return [f"{name}-sa"]
    return unique_child_names([(f"{name}-{ns}-{sa}", f"{ns}:{sa}") for ns, sa in subjects])


def _create_associations(
    child: pulumi.ResourceOptions,
    name: str,
    subject_field: str,
    subjects: Sequence[tuple[pulumi.Input[str], pulumi.Input[str]]],
    cluster_name: pulumi.Input[str],
    role_arn: pulumi.Input[str],
    tags: Mapping[str, str] | None,
) -> list[pulumi.Output[str]]:
    """One Pod Identity association per subject; returns their ARNs."""
    names = subject_resource_names(name, subject_field, subjects)
    return [
        create_association(
            child,
            f"{name}-association" if subject_field == "namespace" else f"{resource_name}-association",
            cluster_name,
            namespace,
            service_account,
            role_arn,
            tags,
        ).association_arn
        for (namespace, service_account), resource_name in zip(subjects, names, strict=True)
    ]


def _allow_wildcard(label: str, args: Mapping[str, Any]) -> bool:
    allow_wildcard = setting(args, "allow_wildcard", False)
    if not isinstance(allow_wildcard, bool):
        raise IrsaConfigError(label, "allow_wildcard", allow_wildcard, "must be True or False", "pass a bool")
    return allow_wildcard


@dataclass(frozen=True)
class _ProviderEntry:
    arn: pulumi.Input[str]
    subjects: list[tuple[str, str]]
    name: str | None
    kubernetes_provider: pulumi.ProviderResource | None


def _oidc_provider_entries(label: str, args: Mapping[str, Any]) -> list[_ProviderEntry]:
    """The ``oidc_providers`` entries, alone: no other provider or subject form may sit beside them."""
    others = [
        f
        for f in ("oidc_provider_arn", "oidc_provider_arns", "namespace", "service_account", "service_accounts")
        if args.get(f) is not None
    ]
    if others:
        raise IrsaConfigError(
            label,
            f"oidc_providers / {others[0]}",
            args[others[0]],
            "are mutually exclusive: oidc_providers names each cluster's provider and service accounts",
            f"drop {others[0]}",
        )
    if args.get("mode", DEFAULT_MODE) != "irsa" or args.get("pod_identity") is not None:
        raise IrsaConfigError(
            label,
            "mode",
            args.get("mode"),
            "can't migrate a role trusted through oidc_providers (different service accounts per cluster)",
            "use oidc_provider_arn with mode 'both' per cluster, or keep mode='irsa'",
        )
    raw = args["oidc_providers"]
    if isinstance(raw, (str, Mapping)) or not isinstance(raw, Sequence) or not raw:
        raise IrsaConfigError(
            label,
            "oidc_providers",
            raw,
            "must be a non-empty list of {'arn': ..., 'service_accounts': [...]}",
            "pass [{'arn': provider.arn, 'service_accounts': ['apps:api']}]",
        )
    entries = []
    names: set[str] = set()
    for entry in raw:
        if not isinstance(entry, Mapping) or entry.get("arn") is None:
            raise IrsaConfigError(
                label, "oidc_providers", entry, "entry has no 'arn'", "pass {'arn': provider.arn, ...}"
            )
        unknown = sorted(set(entry) - set(OIDC_PROVIDER_FIELDS))
        if unknown:
            raise IrsaConfigError(
                label,
                "oidc_providers",
                unknown[0],
                "is not a field of an entry",
                f"use {', '.join(OIDC_PROVIDER_FIELDS)}",
            )
        refs = entry.get("service_accounts")
        if refs is None or isinstance(refs, str) or not refs:
            raise IrsaConfigError(
                label,
                "oidc_providers.service_accounts",
                refs,
                "is empty: no service account of that cluster would be trusted",
                "pass ['namespace:name', ...]",
            )
        if is_known(entry["arn"]):
            validate_oidc_provider_arn(label, entry["arn"], field="oidc_providers.arn")
        key = entry.get("name")
        if key is not None:
            if not isinstance(key, str) or not key or key in names:
                raise IrsaConfigError(
                    label, "oidc_providers.name", key, "must be a unique non-empty string", "e.g. 'prod-eu'"
                )
            validate_namespace(label, key, field="oidc_providers.name")
            names.add(key)
        subjects = [parse_service_account_ref(label, ref, field="oidc_providers.service_accounts") for ref in refs]
        entries.append(_ProviderEntry(entry["arn"], subjects, key, entry.get("kubernetes_provider")))
    return entries


def _check_service_account_names(label: str, entries: Sequence[_ProviderEntry]) -> None:
    """A ServiceAccount listed by several clusters gets one child per cluster: their names need the entries'
    ``name`` keys, or two children would share a name."""
    seen: set[tuple[str, str, str | None]] = set()
    for entry in entries:
        for ns, sa in entry.subjects:
            key = (ns, sa, entry.name)
            if key in seen:
                raise IrsaConfigError(
                    label,
                    "oidc_providers.name",
                    f"{ns}:{sa}",
                    "is listed by several clusters, whose ServiceAccounts would share a resource name",
                    "give each entry a 'name' (e.g. the cluster's), or set service_account_mode='none'",
                )
            seen.add(key)


class ServiceAccountRole(pulumi.ComponentResource):
    """An IAM role that pods assume through IRSA, trusted by exactly the named service accounts.

    Creates the role (trust: the OIDC provider(s), exact ``sub`` and ``aud``), its policy
    attachments and inline policies, and one Kubernetes ServiceAccount per subject annotated
    with the role ARN. In mode 'both' the role also trusts EKS Pod Identity for the same
    subjects and gets one association per subject; in mode 'pod-identity' the annotation and
    the OIDC statements go. The role and every child keep their names across modes.
    """

    role_arn: pulumi.Output[str]
    """ARN of the role (created here, or the existing role_arn)."""
    role_name: pulumi.Output[str]
    """Name of the created role."""
    role_unique_id: pulumi.Output[str]
    """Unique ID (AROA...) of the created role; empty for an existing role_arn."""
    role_path: pulumi.Output[str]
    """IAM path of the role."""
    policy_arns: pulumi.Output[dict[str, str]]
    """ARN of every policy the component created, by name (managed_policies keys and preset slugs)."""
    trust_policy: pulumi.Output[str]
    """The role's trust policy, as JSON (empty for an existing role_arn)."""
    service_account_name: pulumi.Output[str]
    """Name of the (first) trusted service account."""
    namespace: pulumi.Output[str]
    """Namespace of the (first) trusted service account."""
    service_accounts: pulumi.Output[list[str]]
    """Every trusted service account as 'namespace:name'."""
    service_account_annotations: pulumi.Output[dict[str, str]]
    """Annotations a ServiceAccount needs to use this role (ready for Helm values when not created here)."""
    mode: pulumi.Output[str]
    """The migration mode in effect: 'irsa', 'both' or 'pod-identity'."""
    association_arns: pulumi.Output[list[str]]
    """ARNs of the Pod Identity associations, one per service account (empty in mode 'irsa')."""

    def __init__(self, name: str, args: ServiceAccountRoleArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        label = f"ServiceAccountRole {name!r}"
        check_args(label, args, ServiceAccountRoleArgs)
        existing_role = args.get("role_arn")
        if existing_role is not None:
            self._existing_role(name, label, args, existing_role, opts)
            return
        if args.get("oidc_providers") is not None:
            self._per_provider(name, label, args, opts)
            return
        mode = parse_mode(label, args)
        provider_field, provider_arns = _provider_arns(label, args, required=mode != "pod-identity")
        partitions = SamePartition(label)
        for arn in provider_arns:
            if is_known(arn):
                validate_oidc_provider_arn(label, arn, field=provider_field)
                partitions.check(provider_field, str(arn))
        subject_field, subjects = _subjects(label, args)
        allow_wildcard = _allow_wildcard(label, args)
        for ns, sa in subjects:
            _check_subject_now(label, subject_field, ns, sa, allow_wildcard)
        audience = validate_audience(label, setting(args, "audience", DEFAULT_AUDIENCE))
        migration = plan_migration(label, args, mode, len(provider_arns), subject_field, subjects)
        kinds = ([WEB_IDENTITY] if migration.irsa_trust else []) + ([POD_IDENTITY] if migration.cluster_name else [])
        role_plan = plan_role(label, f"{name}-role", args, partitions, trust_kinds=kinds)
        sa_plan = plan_service_account(label, args, irsa=migration.annotate)
        if sa_plan.annotations.get(AUDIENCE_ANNOTATION, audience) != audience:
            raise IrsaConfigError(
                label,
                "service_account_annotations",
                {AUDIENCE_ANNOTATION: sa_plan.annotations[AUDIENCE_ANNOTATION]},
                f"contradicts audience={audience!r}: pods would get tokens the role's trust refuses",
                "drop the annotation: the component sets it from audience",
            )
        if sa_plan.mode != "none" and any(isinstance(v, str) and has_wildcard(v) for pair in subjects for v in pair):
            raise _pattern_service_account(label)

        cluster_inputs = [] if migration.cluster_name is None else [migration.cluster_name]

        def build(values: list[Any]) -> str:
            arns = values[: len(provider_arns)]
            flat = values[len(provider_arns) : len(values) - len(cluster_inputs)]
            pairs = list(zip(flat[0::2], flat[1::2], strict=True))
            return trust_policy_json(
                label,
                provider_field,
                arns,
                subject_field,
                pairs,
                audience,
                allow_wildcard,
                role_plan.trust_policy_quota,
                irsa=migration.irsa_trust,
                pod_identity_cluster=values[-1] if cluster_inputs else None,
                partitions=partitions,
            )

        # The providers stay among the inputs when unused (mode 'pod-identity'): still checked, ready to roll back.
        trust_inputs = [*provider_arns, *(v for pair in subjects for v in pair), *cluster_inputs]
        trust_policy = with_custom_trust(
            label,
            role_plan,
            build(trust_inputs) if is_known(trust_inputs) else pulumi.Output.all(*trust_inputs).apply(build),
        )

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = child_options(self, opts)

        created = create_role_resources(child, name, role_plan, trust_policy)
        role = created.role
        association_arns = (
            []
            if migration.cluster_name is None
            else _create_associations(
                child, name, subject_field, subjects, migration.cluster_name, role.arn, role_plan.tags
            )
        )
        annotations: dict[str, pulumi.Input[str]] = dict(sa_plan.annotations)
        if migration.annotate:
            annotations = {ROLE_ARN_ANNOTATION: role.arn, **annotations}
            if audience != DEFAULT_AUDIENCE:
                # Without it the webhook projects a token for the default audience, which the trust refuses.
                annotations[AUDIENCE_ANNOTATION] = audience
        if sa_plan.mode != "none":
            resource_names = subject_resource_names(name, subject_field, subjects)
            for (ns, sa), resource_name in zip(subjects, resource_names, strict=True):
                exact_ns, exact_sa = _exact_names(label, subject_field, ns, sa, allow_wildcard)
                register_service_account(sa_plan, child, resource_name, exact_ns, exact_sa, annotations)

        outputs = RoleOutputs.of_created(created)
        if migration.irsa_trust and provider_arns:
            outputs.role_arn = pulumi.Output.all(role.arn, *provider_arns).apply(
                lambda v: refuse_providers_of_other_accounts(label, provider_field, v[0], v[1:])
            )
        self._finish(outputs, trust_policy, subjects, annotations, migration.mode, association_arns)

    def _existing_role(
        self,
        name: str,
        label: str,
        args: ServiceAccountRoleArgs,
        role_arn: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None,
    ) -> None:
        """eksctl's --attach-role-arn: only the ServiceAccount(s), annotated with a role made elsewhere."""
        refuse_role_options(label, args, "role_arn names an existing role")
        given = [f for f in TRUST_FIELDS if args.get(f) is not None]
        if given:
            raise IrsaConfigError(
                label,
                given[0],
                args[given[0]],  # type: ignore[literal-required]
                "has no effect because role_arn names an existing role, whose trust is defined where it is",
                "drop it, or drop role_arn to let this component create the role",
            )
        role_arn = validate_existing_role_arn(label, role_arn)
        subject_field, subjects = _subjects(label, args)
        allow_wildcard = _allow_wildcard(label, args)
        for ns, sa in subjects:
            _check_subject_now(label, subject_field, ns, sa, allow_wildcard)
        sa_plan = plan_service_account(label, args, irsa=True)
        if sa_plan.mode != "none" and any(isinstance(v, str) and has_wildcard(v) for pair in subjects for v in pair):
            raise _pattern_service_account(label)

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = child_options(self, opts)
        annotations: dict[str, pulumi.Input[str]] = {ROLE_ARN_ANNOTATION: role_arn, **sa_plan.annotations}
        if sa_plan.mode != "none":
            resource_names = subject_resource_names(name, subject_field, subjects)
            for (ns, sa), resource_name in zip(subjects, resource_names, strict=True):
                exact_ns, exact_sa = _exact_names(label, subject_field, ns, sa, allow_wildcard)
                register_service_account(sa_plan, child, resource_name, exact_ns, exact_sa, annotations)
        self._finish(RoleOutputs.of_existing(role_arn), "", subjects, annotations, "irsa", [])

    def _per_provider(
        self, name: str, label: str, args: ServiceAccountRoleArgs, opts: pulumi.ResourceOptions | None
    ) -> None:
        """``oidc_providers``: one statement per cluster, each with that cluster's own service accounts."""
        entries = _oidc_provider_entries(label, args)
        allow_wildcard = _allow_wildcard(label, args)
        for entry in entries:
            for ns, sa in entry.subjects:
                _check_subject_now(label, "oidc_providers.service_accounts", ns, sa, allow_wildcard)
        audience = validate_audience(label, args.get("audience", DEFAULT_AUDIENCE))
        role_plan = plan_role(label, f"{name}-role", args, trust_kinds=[WEB_IDENTITY])
        sa_plan = plan_service_account(label, args, irsa=True)
        every_subject = [pair for entry in entries for pair in entry.subjects]
        if sa_plan.mode != "none":
            if any(has_wildcard(v) for pair in every_subject for v in pair):
                raise _pattern_service_account(label)
            _check_service_account_names(label, entries)

        def build(arns: list[Any]) -> str:
            for arn in arns:
                validate_oidc_provider_arn(label, arn, field="oidc_providers.arn")
            if len(set(arns)) != len(arns):
                raise IrsaConfigError(
                    label, "oidc_providers.arn", list(arns), "lists a provider twice", "list each provider once"
                )
            groups = [
                (
                    arn,
                    validate_subjects(
                        label,
                        entry.subjects,
                        field="oidc_providers.service_accounts",
                        allow_wildcard=allow_wildcard,
                    ),
                )
                for arn, entry in zip(arns, entries, strict=True)
            ]
            document = build_irsa_trust_policy_per_provider(groups, audience)
            check_trust_policy_size(label, document, role_plan.trust_policy_quota)
            return to_json(document)

        arn_inputs = [entry.arn for entry in entries]
        trust_policy = with_custom_trust(
            label,
            role_plan,
            build(arn_inputs) if is_known(arn_inputs) else pulumi.Output.all(*arn_inputs).apply(build),
        )

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = child_options(self, opts)
        created = create_role_resources(child, name, role_plan, trust_policy)
        annotations: dict[str, pulumi.Input[str]] = {ROLE_ARN_ANNOTATION: created.role.arn, **sa_plan.annotations}
        if sa_plan.mode != "none":
            for entry in entries:
                entry_opts = (
                    child
                    if entry.kubernetes_provider is None
                    else pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(provider=entry.kubernetes_provider))
                )
                for ns, sa in entry.subjects:
                    key = f"{entry.name}-" if entry.name else ""
                    register_service_account(sa_plan, entry_opts, f"{name}-{key}{ns}-{sa}", ns, sa, annotations)
        unique = list(dict.fromkeys(every_subject))
        self._finish(RoleOutputs.of_created(created), trust_policy, unique, annotations, "irsa", [])

    def _finish(
        self,
        role: RoleOutputs,
        trust_policy: pulumi.Input[str],
        subjects: Sequence[tuple[pulumi.Input[str], pulumi.Input[str]]],
        annotations: Mapping[str, pulumi.Input[str]],
        mode: str,
        association_arns: Sequence[pulumi.Output[str]],
    ) -> None:
        self.role_arn = role.role_arn
        self.role_name = role.role_name
        self.role_unique_id = role.role_unique_id
        self.role_path = role.role_path
        self.policy_arns = role.policy_arns
        self.trust_policy = pulumi.Output.from_input(trust_policy)
        self.namespace = pulumi.Output.from_input(subjects[0][0])
        self.service_account_name = pulumi.Output.from_input(subjects[0][1])
        refs = [pulumi.Output.concat(ns, ":", sa) if not is_known((ns, sa)) else f"{ns}:{sa}" for ns, sa in subjects]
        self.service_accounts = pulumi.Output.from_input(refs)  # type: ignore[arg-type]
        self.service_account_annotations = pulumi.Output.from_input(annotations)  # type: ignore[arg-type]
        self.mode = pulumi.Output.from_input(mode)
        self.association_arns = pulumi.Output.from_input(association_arns)  # type: ignore[arg-type]
        self.register_outputs(
            {
                **role.as_dict(),
                "trust_policy": self.trust_policy,
                "service_account_name": self.service_account_name,
                "namespace": self.namespace,
                "service_accounts": self.service_accounts,
                "service_account_annotations": self.service_account_annotations,
                "mode": self.mode,
                "association_arns": self.association_arns,
            }
        )
