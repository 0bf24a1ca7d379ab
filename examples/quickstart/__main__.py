"""Quickstart: IRSA for one workload, as the eksctl and Terraform guides set it up, in one dependency graph.

TLS thumbprint lookup -> IAM OIDC provider -> role trusting exactly apps/s3-reader -> policy and ServiceAccount.
The ServiceAccount is created with the default Kubernetes provider: point your kubeconfig at the cluster.
"""

import pulumi

import irsa_components as irsa

config = pulumi.Config()
cluster_name = config.require("clusterName")
namespace = config.require("namespace")
bucket = config.require("bucketName")

oidc = irsa.ClusterOidcProvider("cluster-oidc", {"cluster_name": cluster_name})

reader = irsa.ServiceAccountRole(
    "s3-reader",
    {
        "oidc_provider_arn": oidc.arn,
        "namespace": namespace,
        "service_account": "s3-reader",
        "inline_policies": {
            "read-reports": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"},
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"},
                ],
            }
        },
        "service_account_labels": {"app.kubernetes.io/name": "s3-reader"},
    },
)

pulumi.export("oidcProviderArn", oidc.arn)
pulumi.export("roleArn", reader.role_arn)
pulumi.export("serviceAccount", reader.service_accounts)
