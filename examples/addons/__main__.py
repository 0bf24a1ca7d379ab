"""The usual platform add-ons, each with its own least-privilege role from a preset.

IRSA for the controllers that run before Pod Identity is available or whose charts expect the annotation
(LB controller, EBS CSI, external-dns); Pod Identity for cert-manager and Karpenter, with the agent add-on.
"""

import pulumi
import pulumi_aws as aws

import irsa_components as irsa

config = pulumi.Config()
cluster_name = config.require("clusterName")
zones = config.require_object("hostedZoneArns")

oidc = irsa.ClusterOidcProvider("cluster-oidc", {"cluster_name": cluster_name})
agent = irsa.PodIdentityAgent("pod-identity-agent", {"cluster_name": cluster_name})


def irsa_addon(name: str, namespace: str, service_account: str, *presets: dict) -> irsa.ServiceAccountRole:
    return irsa.ServiceAccountRole(
        name,
        {
            "oidc_provider_arn": oidc.arn,
            "namespace": namespace,
            "service_account": service_account,
            "addon_policies": list(presets),
        },
    )


lb = irsa_addon(
    "aws-lb-controller",
    "kube-system",
    "aws-load-balancer-controller",
    {"preset": "aws-load-balancer-controller", "cluster_name": cluster_name},
)
ebs = irsa_addon(
    "ebs-csi",
    "kube-system",
    "ebs-csi-controller-sa",
    {"preset": "ebs-csi-driver", "kms_key_arns": [config.require("ebsKmsKeyArn")]},
)
dns = irsa_addon("external-dns", "external-dns", "external-dns", {"preset": "external-dns", "hosted_zone_arns": zones})

cert_manager = irsa.PodIdentityAssociation(
    "cert-manager",
    {
        "cluster_name": cluster_name,
        "namespace": "cert-manager",
        "service_account": "cert-manager",
        "addon_policies": [{"preset": "cert-manager", "hosted_zone_arns": zones}],
    },
    opts=pulumi.ResourceOptions(depends_on=[agent]),
)

karpenter = irsa.PodIdentityAssociation(
    "karpenter",
    {
        "cluster_name": cluster_name,
        "namespace": "kube-system",
        "service_account": "karpenter",
        "addon_policies": [
            {
                "preset": "karpenter",
                "cluster_name": cluster_name,
                "node_role_arns": [config.require("karpenterNodeRoleArn")],
                "interruption_queue_arn": config.require("karpenterQueueArn"),
                # Deploy-time values: the preset's document is built once they resolve.
                "region": aws.get_region_output().region,
                "account_id": aws.get_caller_identity_output().account_id,
            }
        ],
    },
    opts=pulumi.ResourceOptions(depends_on=[agent]),
)

pulumi.export(
    "roles",
    {
        "aws-load-balancer-controller": lb.role_arn,
        "ebs-csi-driver": ebs.role_arn,
        "external-dns": dns.role_arn,
        "cert-manager": cert_manager.role_arn,
        "karpenter": karpenter.role_arn,
    },
)
