"""Pulumi components for least-privilege AWS access from Amazon EKS workloads (IRSA and EKS Pod Identity)."""

from irsa_components.cluster_oidc_provider import ClusterOidcProvider, ClusterOidcProviderArgs
from irsa_components.cross_account import CrossAccountTargetRole, CrossAccountTargetRoleArgs
from irsa_components.errors import IrsaConfigError
from irsa_components.managed_addon import MANAGED_ADDONS, ManagedAddon, ManagedAddonArgs
from irsa_components.pod_identity_agent import PodIdentityAgent, PodIdentityAgentArgs
from irsa_components.pod_identity_association import PodIdentityAssociation, PodIdentityAssociationArgs
from irsa_components.pod_identity_role import PodIdentityRole, PodIdentityRoleArgs, PodIdentityRoleAssociationArgs
from irsa_components.service_account_role import (
    OidcProviderSubjectsArgs,
    PodIdentityMigrationArgs,
    ServiceAccountRole,
    ServiceAccountRoleArgs,
)
from irsa_components.trust import (
    build_irsa_trust_policy,
    build_pod_identity_trust_policy,
    build_target_role_trust_policy,
    service_account_subject,
)

__all__ = [
    "MANAGED_ADDONS",
    "ClusterOidcProvider",
    "ClusterOidcProviderArgs",
    "CrossAccountTargetRole",
    "CrossAccountTargetRoleArgs",
    "IrsaConfigError",
    "ManagedAddon",
    "ManagedAddonArgs",
    "OidcProviderSubjectsArgs",
    "PodIdentityAgent",
    "PodIdentityAgentArgs",
    "PodIdentityAssociation",
    "PodIdentityAssociationArgs",
    "PodIdentityMigrationArgs",
    "PodIdentityRole",
    "PodIdentityRoleArgs",
    "PodIdentityRoleAssociationArgs",
    "ServiceAccountRole",
    "ServiceAccountRoleArgs",
    "build_irsa_trust_policy",
    "build_pod_identity_trust_policy",
    "build_target_role_trust_policy",
    "service_account_subject",
]
