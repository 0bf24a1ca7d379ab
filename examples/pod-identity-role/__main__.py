"""One Pod Identity role, associations in many clusters.

The role's trust admits exactly the listed (cluster, namespace, service account) triples through the session
tags EKS sets; each association is keyed by cluster/namespace/name, so adding a cluster never renames the
others. A cluster added later can also use the role through a PodIdentityAssociation with its role_arn.
"""

import pulumi

import irsa_components as irsa

config = pulumi.Config()
cluster_names: list[str] = config.require_object("clusterNames")
queue_arn = config.require("queueArn")

workers = irsa.PodIdentityRole(
    "order-workers",
    {
        "associations": [
            {"cluster_name": cluster, "namespace": "orders", "service_account": "worker"} for cluster in cluster_names
        ]
        + [{"cluster_name": cluster_names[0], "namespace": "orders", "service_account": "replayer"}],
        "inline_policies": {
            "consume-orders": {
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
        "tags": {"team": "orders"},
    },
)

pulumi.export("roleArn", workers.role_arn)
pulumi.export("associations", workers.associations)
