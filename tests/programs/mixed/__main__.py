"""An ordinary program: resources whose ARNs are computed, data sources, config defaults, an IRSA role."""

import json

import pulumi
import pulumi_aws as aws

import irsa_components as irsa

config = pulumi.Config()
app = config.require("appName")
namespace = config.require("namespace")
extra_buckets = config.require_object("extraBuckets")
retention = config.require_int("retentionDays")

table = aws.dynamodb.Table(
    "orders",
    attributes=[{"name": "pk", "type": "S"}],
    hash_key="pk",
    billing_mode="PAY_PER_REQUEST",
    stream_enabled=True,
    stream_view_type="NEW_IMAGE",
)
named_table = aws.dynamodb.Table(
    "customers", name=f"{app}-customers", attributes=[{"name": "id", "type": "S"}], hash_key="id"
)
bucket = aws.s3.BucketV2("reports")
legacy = aws.s3.Bucket("legacy", bucket=f"{app}-legacy")
extras = [aws.s3.BucketV2(f"extra-{name}", bucket=f"{app}-{name}") for name in extra_buckets]
key = aws.kms.Key("data-key", description="orders data")
alias = aws.kms.Alias("data-key-alias", name=f"alias/{app}", target_key_id=key.key_id)
queue = aws.sqs.Queue("events", message_retention_seconds=retention * 86400)
fifo = aws.sqs.Queue("ordered", fifo_queue=True)
zone = aws.route53.get_zone(name=config.require("domain"))
shared_key = aws.kms.get_alias(name="alias/shared")

document = aws.iam.get_policy_document_output(
    statements=[
        {
            "sid": "ReadTables",
            "actions": ["dynamodb:GetItem", "dynamodb:Query"],
            "resources": [table.arn, pulumi.Output.concat(table.arn, "/index/*"), named_table.arn],
        },
        {"sid": "Stream", "actions": ["dynamodb:GetRecords"], "resources": [table.stream_arn]},
        {
            "sid": "Objects",
            "actions": ["s3:GetObject", "s3:PutObject"],
            "resources": [pulumi.Output.concat(bucket.arn, "/*"), legacy.arn.apply(lambda arn: f"{arn}/*")],
        },
        {
            "sid": "Decrypt",
            "actions": ["kms:Decrypt"],
            "resources": [key.arn, shared_key.target_key_arn],
            "conditions": [
                {"test": "StringEquals", "variable": "kms:ViaService", "values": ["s3.us-east-2.amazonaws.com"]}
            ],
        },
        {"sid": "Queue", "actions": ["sqs:SendMessage"], "resources": [queue.arn, fifo.arn]},
        {
            "sid": "Records",
            "actions": ["route53:ChangeResourceRecordSets"],
            "resources": [f"arn:aws:route53:::hostedzone/{zone.zone_id}"],
        },
    ]
)

oidc = irsa.ClusterOidcProvider("cluster-oidc", {"cluster_name": config.require("clusterName")})
role = irsa.ServiceAccountRole(
    "orders-api",
    {
        "oidc_provider_arn": oidc.arn,
        "namespace": namespace,
        "service_account": "orders-api",
        "create_service_account": False,
    },
)
aws.iam.RolePolicy("orders-api-access", role=role.role_name, policy=document.json)
aws.iam.RolePolicy(
    "orders-api-extras",
    role=role.role_name,
    policy=pulumi.Output.all(*[b.arn for b in extras]).apply(
        lambda arns: json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": arns}]}
        )
    ),
)

pulumi.export("tableName", table.name)
pulumi.export("tableArn", table.arn)
pulumi.export("bucket", bucket.bucket)
pulumi.export("queueUrl", queue.url)
pulumi.export("keyId", key.id.apply(lambda i: i.upper()))
pulumi.export("zoneId", zone.zone_id)
pulumi.export("alias", alias.arn)
