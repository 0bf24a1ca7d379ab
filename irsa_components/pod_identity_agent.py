"""PodIdentityAgent: the eks-pod-identity-agent add-on that serves Pod Identity credentials on the nodes."""

import weakref
from typing import Required, TypedDict

import pulumi
import pulumi_aws.eks as eks

from irsa_components._inputs import check_args, check_now_or_later, is_known
from irsa_components._options import child_options
from irsa_components.errors import IrsaConfigError
from irsa_components.validation import validate_addon_version, validate_cluster_name, validate_tags

TYPE_TOKEN = "irsa-components:index:PodIdentityAgent"
ADDON_NAME = "eks-pod-identity-agent"


_INSTALLED: "weakref.WeakKeyDictionary[pulumi.Resource, dict[tuple[str, int | None], str]]" = (
    weakref.WeakKeyDictionary()
)
"""Per program (keyed by its root stack): (cluster name, explicit AWS provider) -> the agent component's name."""
_AGENTS: "weakref.WeakKeyDictionary[pulumi.Resource, dict[tuple[str, int | None], PodIdentityAgent]]" = (
    weakref.WeakKeyDictionary()
)
"""Per program: (cluster name, explicit AWS provider) -> the agent component, for what must wait for it."""


def agent_for_cluster(cluster_name: str, opts: pulumi.ResourceOptions | None) -> "PodIdentityAgent | None":
    """The PodIdentityAgent this program declared (so far) for ``cluster_name`` with the same AWS provider."""
    root = pulumi.runtime.get_root_resource()
    if root is None:
        return None
    return _AGENTS.get(root, {}).get((cluster_name, _explicit_aws_provider(opts)))


def _explicit_aws_provider(opts: pulumi.ResourceOptions | None) -> int | None:
    """Identity of the AWS provider given in ``opts``, so same-named clusters of two accounts stay apart."""
    if opts is None:
        return None
    providers = opts.providers
    candidates = list(providers.values()) if isinstance(providers, dict) else list(providers or [])
    candidates.append(opts.provider)
    return next((id(p) for p in candidates if p is not None and getattr(p, "package", None) == "aws"), None)


def _claim_cluster(label: str, name: str, cluster_name: str, opts: pulumi.ResourceOptions | None) -> None:
    """EKS installs an add-on once per cluster: a second agent for the same cluster would fail at deploy."""
    root = pulumi.runtime.get_root_resource()
    if root is None:
        return
    installed = _INSTALLED.setdefault(root, {})
    key = (cluster_name, _explicit_aws_provider(opts))
    if key in installed:
        raise IrsaConfigError(
            label,
            "cluster_name",
            cluster_name,
            f"already gets the agent from PodIdentityAgent {installed[key]!r} (EKS installs an add-on once per cluster)",
            "keep one PodIdentityAgent per cluster and pass it in depends_on wherever it is needed",
        )
    installed[key] = name


class PodIdentityAgentArgs(TypedDict, total=False):
    """Arguments of a PodIdentityAgent. cluster_name is required."""

    cluster_name: Required[pulumi.Input[str]]
    """Name of the EKS cluster to install the agent on (once per cluster; not needed on EKS Auto Mode)."""
    addon_version: str
    """Add-on version, e.g. 'v1.3.4-eksbuild.1'. Default: EKS's default version for the cluster."""
    resolve_conflicts_on_update: str
    """What EKS does with fields changed outside the add-on on update: 'NONE', 'OVERWRITE' or 'PRESERVE'. Default: EKS's."""
    tags: dict[str, str]
    """Tags on the add-on. Default: none."""


class PodIdentityAgent(pulumi.ComponentResource):
    """The EKS Pod Identity Agent add-on; without it on the nodes, Pod Identity associations do nothing."""

    addon_arn: pulumi.Output[str]
    """ARN of the add-on."""
    addon_version: pulumi.Output[str]
    """Installed add-on version."""

    def __init__(self, name: str, args: PodIdentityAgentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        label = f"PodIdentityAgent {name!r}"
        check_args(label, args, PodIdentityAgentArgs)
        cluster_name = args.get("cluster_name")
        if cluster_name is None:
            raise IrsaConfigError(label, "cluster_name", None, "is required", "pass the EKS cluster's name")
        if is_known(cluster_name):
            validate_cluster_name(label, cluster_name)
        version = args.get("addon_version")
        if version is not None:
            validate_addon_version(label, version)
        resolve = args.get("resolve_conflicts_on_update")
        if resolve is not None and resolve not in ("NONE", "OVERWRITE", "PRESERVE"):
            raise IrsaConfigError(
                label,
                "resolve_conflicts_on_update",
                resolve,
                "is not an EKS conflict mode",
                "use NONE, OVERWRITE or PRESERVE",
            )
        tags = validate_tags(label, args["tags"]) if args.get("tags") is not None else None
        if isinstance(cluster_name, str):
            _claim_cluster(label, name, cluster_name, opts)

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = child_options(self, opts)
        root = pulumi.runtime.get_root_resource()
        if isinstance(cluster_name, str) and root is not None:
            _AGENTS.setdefault(root, {})[(cluster_name, _explicit_aws_provider(opts))] = self

        addon = eks.Addon(
            f"{name}-addon",
            cluster_name=check_now_or_later(cluster_name, lambda v: validate_cluster_name(label, v)),
            addon_name=ADDON_NAME,
            addon_version=version,
            resolve_conflicts_on_update=resolve,
            tags=tags,
            opts=child,
        )
        self.addon_arn = addon.arn
        self.addon_version = addon.addon_version
        self.register_outputs({"addon_arn": self.addon_arn, "addon_version": self.addon_version})
