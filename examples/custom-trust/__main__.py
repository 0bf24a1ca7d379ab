"""Custom trust conditions and statements, without weakening the default trust.

- Pod Identity: ``aws:SourceAccount`` (the confused-deputy guard of terraform-aws-modules/eks-pod-identity#11)
  is ANDed into the session-tag statement.
- IRSA: ``aws:RequestedRegion`` is ANDed into the web identity statement, and a hand-written statement lets
  a break-glass role assume the role too (`plan` lists it among who can assume the role).
"""

import pulumi
import pulumi_aws as aws

import irsa_components as irsa

config = pulumi.Config()
cluster_name = config.require("clusterName")
account_id = aws.get_caller_identity_output().account_id

orders = irsa.PodIdentityAssociation(
    "orders",
    {
        "cluster_name": cluster_name,
        "namespace": "shop",
        "service_account": "orders",
        "policy_arns": ["arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess"],
        "trust_conditions": {"StringEquals": {"aws:SourceAccount": account_id}},
    },
)

oidc = irsa.ClusterOidcProvider("cluster-oidc", {"cluster_name": cluster_name})
reports = irsa.ServiceAccountRole(
    "reports",
    {
        "oidc_provider_arn": oidc.arn,
        "namespace": "analytics",
        "service_account": "reports",
        "policy_arns": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
        "trust_conditions": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}},
        "trust_statements": [
            {
                "Sid": "BreakGlass",
                "Effect": "Allow",
                "Principal": {"AWS": config.require("breakGlassRoleArn")},
                "Action": "sts:AssumeRole",
            }
        ],
    },
)

pulumi.export("ordersTrust", orders.role_arn)
pulumi.export("reportsTrustPolicy", reports.trust_policy)
