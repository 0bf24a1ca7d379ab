"""EKS managed add-ons with their IAM identity, in one component each.

ManagedAddon knows each add-on's service account and default permissions preset; the Pod Identity ones need
the agent (declared first, so each add-on waits for it), the IRSA one needs the cluster's OIDC provider.
"""

import pulumi

import irsa_components as irsa

config = pulumi.Config()
cluster_name = config.require("clusterName")

if config.get_bool("installAgent"):
    irsa.PodIdentityAgent("pod-identity-agent", {"cluster_name": cluster_name})

ebs = irsa.ManagedAddon("ebs-csi", {"cluster_name": cluster_name, "addon_name": "aws-ebs-csi-driver"})
mountpoint = irsa.ManagedAddon(
    "s3-csi",
    {
        "cluster_name": cluster_name,
        "addon_name": "aws-mountpoint-s3-csi-driver",
        "addon_policy": {"bucket_arns": [config.require("bucketArn")]},
    },
)
observability = irsa.ManagedAddon(
    "cloudwatch", {"cluster_name": cluster_name, "addon_name": "amazon-cloudwatch-observability"}
)

oidc = irsa.ClusterOidcProvider("cluster-oidc", {"cluster_name": cluster_name})
cni = irsa.ManagedAddon(
    "vpc-cni",
    {
        "cluster_name": cluster_name,
        "addon_name": "vpc-cni",
        "identity": "irsa",
        "oidc_provider_arn": oidc.arn,
        "resolve_conflicts_on_update": "PRESERVE",
    },
)

pulumi.export("ebsRoleArn", ebs.role_arn)
pulumi.export("mountpointPolicies", mountpoint.policy_arns)
pulumi.export("cniRoleArn", cni.role_arn)
