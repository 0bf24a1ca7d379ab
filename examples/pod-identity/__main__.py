"""EKS Pod Identity: no OIDC provider, a role trusted by pods.eks.amazonaws.com narrowed to one service account.

The agent add-on must run on the nodes (not needed on EKS Auto Mode); associations depend on it so that
pods never start before credentials can be served.
"""

import pulumi

import irsa_components as irsa

config = pulumi.Config()
cluster_name = config.require("clusterName")
table_arn = config.require("tableArn")

depends = []
if config.get_bool("installAgent"):
    agent = irsa.PodIdentityAgent("pod-identity-agent", {"cluster_name": cluster_name})
    depends.append(agent)

orders = irsa.PodIdentityAssociation(
    "orders",
    {
        "cluster_name": cluster_name,
        "namespace": "shop",
        "service_account": "orders",
        "inline_policies": {
            "orders-table": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
                        "Resource": [table_arn, f"{table_arn}/index/*"],
                    }
                ],
            }
        },
        "tags": {"team": "shop"},
    },
    opts=pulumi.ResourceOptions(depends_on=depends),
)

# A role managed elsewhere: only the association and the ServiceAccount are created here.
reporting = irsa.PodIdentityAssociation(
    "reporting",
    {
        "cluster_name": cluster_name,
        "namespace": "analytics",
        "service_account": "reporting",
        "role_arn": config.require("sharedRoleArn"),
    },
    opts=pulumi.ResourceOptions(depends_on=depends),
)

pulumi.export("ordersRoleArn", orders.role_arn)
pulumi.export("ordersAssociationArn", orders.association_arn)
pulumi.export("reportingAssociationId", reporting.association_id)
