"""One role, several clusters: a trust statement per cluster's OIDC provider, a ServiceAccount per cluster.

Each cluster gets its own Kubernetes provider (kubeconfig built from the cluster, token from `aws eks get-token`),
so the ServiceAccounts are created with the role's annotations from `service_account_annotations`.
"""

import json

import pulumi
import pulumi_aws.eks as eks
import pulumi_kubernetes as k8s

import irsa_components as irsa

config = pulumi.Config()
cluster_names: list[str] = config.require_object("clusterNames")
queue_arn = config.require("queueArn")


def kubeconfig(cluster: eks.AwaitableGetClusterResult) -> str:
    return json.dumps(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {
                    "name": cluster.name,
                    "cluster": {
                        "server": cluster.endpoint,
                        "certificate-authority-data": cluster.certificate_authorities[0].data,
                    },
                }
            ],
            "users": [
                {
                    "name": cluster.name,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": "aws",
                            "args": ["eks", "get-token", "--cluster-name", cluster.name],
                        }
                    },
                }
            ],
            "contexts": [{"name": cluster.name, "context": {"cluster": cluster.name, "user": cluster.name}}],
            "current-context": cluster.name,
        }
    )


providers = {name: irsa.ClusterOidcProvider(f"{name}-oidc", {"cluster_name": name}) for name in cluster_names}

worker = irsa.ServiceAccountRole(
    "billing-worker",
    {
        "oidc_provider_arns": [p.arn for p in providers.values()],
        "namespace": "billing",
        "service_account": "worker",
        "create_service_account": False,
        "inline_policies": {
            "consume-events": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                        "Resource": queue_arn,
                    }
                ],
            }
        },
    },
)

for name in cluster_names:
    cluster = eks.get_cluster_output(name=name)
    kube = k8s.Provider(f"{name}-k8s", kubeconfig=cluster.apply(kubeconfig))
    k8s.core.v1.ServiceAccount(
        f"{name}-billing-worker",
        metadata={"name": "worker", "namespace": "billing", "annotations": worker.service_account_annotations},
        opts=pulumi.ResourceOptions(provider=kube),
    )

pulumi.export("roleArn", worker.role_arn)
pulumi.export("trustPolicy", worker.trust_policy)
