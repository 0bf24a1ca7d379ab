"""Migration from IRSA to EKS Pod Identity, the way eksctl's `utils migrate-to-pod-identity` does it.

`pulumi config set mode both`: the role also trusts Pod Identity and gets its association, while the
ServiceAccount keeps its role-arn annotation, so pods go on using IRSA. `pulumi config set mode pod-identity`:
the annotation and the OIDC statement go; roll the pods and they use Pod Identity. The role is never replaced,
only its trust policy changes. See docs/migration.md for the steps and the rollback.
"""

import pulumi

import irsa_components as irsa

config = pulumi.Config()
cluster_name = config.require("clusterName")
mode = config.require("mode")
bucket = config.require("bucketName")

# Kept in every mode: rolling back to IRSA needs it, and other roles of the cluster may still use it.
oidc = irsa.ClusterOidcProvider("cluster-oidc", {"cluster_name": cluster_name})

# Installed whatever the mode, so that rolling back to 'irsa' never removes an agent other workloads may use.
depends = []
if config.get_bool("installAgent"):
    depends.append(irsa.PodIdentityAgent("pod-identity-agent", {"cluster_name": cluster_name}))

reader = irsa.ServiceAccountRole(
    "reports-reader",
    {
        "oidc_provider_arn": oidc.arn,
        "namespace": "apps",
        "service_account": "reports-reader",
        "mode": mode,
        "pod_identity": {"cluster_name": cluster_name},
        "inline_policies": {
            "read-reports": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"},
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"},
                ],
            }
        },
    },
    opts=pulumi.ResourceOptions(depends_on=depends),
)

pulumi.export("mode", reader.mode)
pulumi.export("roleArn", reader.role_arn)
pulumi.export("associationArns", reader.association_arns)
pulumi.export("serviceAccountAnnotations", reader.service_account_annotations)
