"""The usual split: the cluster stack exports its OIDC provider, each application stack reads it."""

import pulumi
import pulumi_aws as aws

import irsa_components as irsa

config = pulumi.Config()
cluster = pulumi.StackReference(config.require("clusterStack"))
table = aws.dynamodb.Table(
    "orders", hash_key="id", attributes=[{"name": "id", "type": "S"}], billing_mode="PAY_PER_REQUEST"
)
role = irsa.ServiceAccountRole(
    "orders",
    {
        "oidc_provider_arn": cluster.require_output("oidcProviderArn"),
        "namespace": "orders",
        "service_account": "orders-api",
        "inline_policies": {
            "table": table.arn.apply(
                lambda arn: {
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": arn}
                    ],
                }
            )
        },
    },
)
pulumi.export("cluster", cluster.get_output("clusterName"))
pulumi.export("roleArn", role.role_arn)
