"""What terraform-aws-modules and eksctl users expect around existing roles and ServiceAccounts.

- eksctl's --attach-role-arn: annotate a Helm-owned ServiceAccount with a role made elsewhere (patched by
  server-side apply; destroying the stack removes only the annotation, never the ServiceAccount).
- terraform's oidc_providers: one role, different service accounts per cluster.
- terraform's create_policy: customer-managed policies created and attached, their ARNs as an output.
"""

import pulumi

import irsa_components as irsa

config = pulumi.Config()
cluster_name = config.require("clusterName")
other_cluster = config.require("otherClusterName")

external_dns = irsa.ServiceAccountRole(
    "external-dns",
    {
        "role_arn": config.require("existingRoleArn"),
        "namespace": "kube-system",
        "service_account": "external-dns",
        "service_account_mode": "patch",
    },
)

main_oidc = irsa.ClusterOidcProvider(
    "cluster-oidc", {"cluster_name": cluster_name, "extra_thumbprints": [config.require("proxyCaThumbprint")]}
)
other_oidc = irsa.ClusterOidcProvider("other-oidc", {"cluster_name": other_cluster})

reports = irsa.ServiceAccountRole(
    "reports",
    {
        "oidc_providers": [
            {"arn": main_oidc.arn, "service_accounts": ["analytics:reports", "analytics:exporter"]},
            {"arn": other_oidc.arn, "service_accounts": ["batch:nightly-reports"]},
        ],
        "service_account_mode": "none",
        "managed_policies": {
            "read-reports": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::demo-reports/*"}],
            }
        },
        "policy_name_prefix": "reports-",
    },
)

pulumi.export("reportsRoleArn", reports.role_arn)
pulumi.export("reportsRoleUniqueId", reports.role_unique_id)
pulumi.export("reportsPolicyArns", reports.policy_arns)
pulumi.export("reportsAnnotations", reports.service_account_annotations)
