"""Answers to the data sources (invokes) programs commonly call, with realistic values derived from the args.

Pure functions ``(args, context) -> result`` keyed by invoke token in ``INVOKE_ANSWERS``; results use the
provider's camelCase keys and echo the args, as the provider does. ``aws.iam.get_policy_document`` is computed
(``irsa_components.policy_document``), not faked. ``irsa_components.testing.IrsaMocks`` uses the table and lets
users add or replace answers (``calls=``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from irsa_components.mock_resources import S3_HOSTED_ZONE_IDS, Context, alnum_id, digest, fake_uuid, secret_suffix
from irsa_components.policy_document import policy_document


@dataclass(frozen=True)
class InvokeContext(Context):
    """Where the fake account lives, and the issuer each cluster has."""

    issuer_for: Callable[[str], str]


Answer = Callable[[Mapping[str, Any], InvokeContext], dict[str, Any]]


def _echo(args: Mapping[str, Any], **values: Any) -> dict[str, Any]:
    out = {k: v for k, v in args.items() if v is not None}
    out.update(values)
    return out


def _caller_identity(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    return _echo(
        args,
        id=c.account,
        accountId=c.account,
        arn=f"arn:{c.partition}:iam::{c.account}:user/ci",
        userId="AIDAEXAMPLEUSERID",
    )


PARTITION_DNS = {"aws-cn": ("amazonaws.com.cn", "cn.com.amazonaws")}
"""DNS suffix and reverse DNS prefix of partitions other than ``aws`` (``amazonaws.com``, ``com.amazonaws``):
the ``aws_partition`` data source documentation gives both for AWS China."""


def _partition(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    suffix, reverse = PARTITION_DNS.get(c.partition, ("amazonaws.com", "com.amazonaws"))
    return _echo(args, id=c.partition, partition=c.partition, dnsSuffix=suffix, reverseDnsPrefix=reverse)


def _region(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    region = args.get("region") or args.get("name") or c.region
    return _echo(
        args, id=region, name=region, region=region, description=region, endpoint=f"ec2.{region}.amazonaws.com"
    )


def az_id_prefix(region: str) -> str:
    """How AZ IDs abbreviate a Region: ``use2`` (us-east-2), ``apse2`` (ap-southeast-2), ``cnn1`` (cn-north-1).

    The area is kept, each other word shortened to its initial (compass points one by one), the number kept
    (AWS RAM User Guide, "Availability Zone IDs for your AWS resources": ``use1-az1``).
    """
    area, *parts = region.split("-")
    words = (re.findall(r"north|south|east|west|[a-z]+", part) for part in parts if not part.isdigit())
    return area + "".join(word[0] for found in words for word in found) + "".join(p for p in parts if p.isdigit())


def _availability_zones(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    short = az_id_prefix(c.region)
    letters = "abc"
    return _echo(
        args,
        id=c.region,
        names=[f"{c.region}{x}" for x in letters],
        zoneIds=[f"{short}-az{i + 1}" for i in range(len(letters))],
        groupNames=[c.region] * len(letters),
    )


def _route53_zone(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    name = str(args.get("name") or f"zone-{args.get('zoneId')}.example.com").rstrip(".")
    zone_id = args.get("zoneId") or "Z" + alnum_id("zone", name, str(bool(args.get("privateZone"))), length=20)
    return _echo(
        args,
        id=zone_id,
        zoneId=zone_id,
        name=name,
        arn=f"arn:{c.partition}:route53:::hostedzone/{zone_id}",
        privateZone=bool(args.get("privateZone")),
        nameServers=[f"ns-{n}.awsdns-{n:02d}.{tld}" for n, tld in ((1, "com"), (2, "net"), (3, "org"))],
        resourceRecordSetCount=2,
        callerReference=fake_uuid("caller", name),
        comment="",
    )


def _s3_bucket(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    bucket = str(args["bucket"])
    return _echo(
        args,
        id=bucket,
        arn=f"arn:{c.partition}:s3:::{bucket}",
        bucketDomainName=f"{bucket}.s3.amazonaws.com",
        bucketRegionalDomainName=f"{bucket}.s3.{c.region}.amazonaws.com",
        region=c.region,
        hostedZoneId=S3_HOSTED_ZONE_IDS.get(c.region),
    )


def _kms_key_id(reference: str) -> str:
    """The key a reference (ID, key ARN, alias name or alias ARN) points at."""
    if ":key/" in reference:
        return reference.rsplit("/", 1)[1]
    if reference.startswith("alias/") or ":alias/" in reference:
        return fake_uuid("key", reference.split(":alias/")[-1].removeprefix("alias/"))
    return reference


def _kms_key(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    key_id = _kms_key_id(str(args["keyId"]))
    return _echo(
        args,
        id=key_id,
        arn=f"arn:{c.partition}:kms:{c.region}:{c.account}:key/{key_id}",
        awsAccountId=c.account,
        enabled=True,
        keyManager="CUSTOMER",
        keySpec="SYMMETRIC_DEFAULT",
        keyState="Enabled",
        keyUsage="ENCRYPT_DECRYPT",
        origin="AWS_KMS",
        multiRegion=False,
    )


def _kms_alias(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    name = str(args["name"])
    key_id = fake_uuid("key", name.removeprefix("alias/"))
    arn = f"arn:{c.partition}:kms:{c.region}:{c.account}:{name}"
    return _echo(
        args,
        id=arn,
        arn=arn,
        targetKeyId=key_id,
        targetKeyArn=f"arn:{c.partition}:kms:{c.region}:{c.account}:key/{key_id}",
    )


def _secret(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    arn = args.get("arn")
    name = args.get("name") or (str(arn).split(":secret:", 1)[-1].rsplit("-", 1)[0] if arn else "secret")
    arn = arn or f"arn:{c.partition}:secretsmanager:{c.region}:{c.account}:secret:{name}-{secret_suffix(str(name))}"
    return _echo(args, id=arn, arn=arn, name=name, description="", kmsKeyId="", tags={})


def _sqs_queue(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    name = str(args["name"])
    url = f"https://sqs.{c.region}.amazonaws.com/{c.account}/{name}"
    return _echo(args, id=url, url=url, arn=f"arn:{c.partition}:sqs:{c.region}:{c.account}:{name}", tags={})


def _iam_role(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    name = str(args["name"])
    trust = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},'
        '"Action":"sts:AssumeRole"}]}'
    )
    return _echo(
        args,
        id=name,
        arn=f"arn:{c.partition}:iam::{c.account}:role/{name}",
        path="/",
        uniqueId="AROA" + alnum_id("role", name, length=17),
        assumeRolePolicy=trust,
        maxSessionDuration=3600,
        createDate="2026-01-01T00:00:00Z",
        description="",
        tags={},
    )


def _iam_policy(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    arn = args.get("arn")
    name = args.get("name") or (str(arn).rsplit("/", 1)[-1] if arn else "policy")
    path = args.get("pathPrefix") or "/"
    arn = arn or f"arn:{c.partition}:iam::{c.account}:policy{path}{name}"
    return _echo(
        args,
        id=arn,
        arn=arn,
        name=name,
        path=path,
        policyId="ANPA" + alnum_id("policy", str(arn), length=17),
        policy='{"Version":"2012-10-17","Statement":[]}',
        description="",
        attachmentCount=1,
        tags={},
    )


def _eks_cluster(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    name = str(args["name"])
    return _echo(
        args,
        id=name,
        name=name,
        arn=f"arn:{c.partition}:eks:{c.region}:{c.account}:cluster/{name}",
        identities=[{"oidcs": [{"issuer": c.issuer_for(name)}]}],
        endpoint=f"https://{digest(name).upper()}.gr7.{c.region}.eks.amazonaws.com",
        certificateAuthorities=[{"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"}],
        roleArn=f"arn:{c.partition}:iam::{c.account}:role/{name}-cluster",
        status="ACTIVE",
        version="1.33",
        platformVersion="eks.9",
        tags={},
    )


def _eks_cluster_auth(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    name = str(args["name"])
    return _echo(args, id=name, name=name, token=f"k8s-aws-v1.{digest('token', name, length=64)}")


ADDON_VERSIONS = {
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    "vpc-cni": "v1.20.0-eksbuild.1",
    "coredns": "v1.12.1-eksbuild.2",
    "kube-proxy": "v1.33.0-eksbuild.2",
    "aws-ebs-csi-driver": "v1.45.0-eksbuild.2",
}
"""Versions ``eks.get_addon_version`` answers (others: ``v1.0.0-eksbuild.1``)."""


def _addon_version(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    addon = str(args["addonName"])
    return _echo(args, id=addon, version=ADDON_VERSIONS.get(addon, "v1.0.0-eksbuild.1"))


def _ssm_parameter(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    name = str(args["name"])
    return _echo(
        args,
        id=name,
        name=name,
        arn=f"arn:{c.partition}:ssm:{c.region}:{c.account}:parameter/{name.lstrip('/')}",
        type="String",
        value=f"value-of-{name.strip('/').replace('/', '-')}",
        insecureValue=f"value-of-{name.strip('/').replace('/', '-')}",
        version=1,
    )


def _vpc(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    vpc_id = args.get("id") or f"vpc-{digest('vpc', repr(sorted(args.items())), length=17)}"
    return _echo(
        args,
        id=vpc_id,
        arn=f"arn:{c.partition}:ec2:{c.region}:{c.account}:vpc/{vpc_id}",
        cidrBlock="10.0.0.0/16",
        default=bool(args.get("default")),
        ownerId=c.account,
        state="available",
    )


def _subnets(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    seed = repr(sorted((k, repr(v)) for k, v in args.items()))
    return _echo(args, id=c.region, ids=[f"subnet-{digest('subnet', seed, str(i), length=17)}" for i in range(3)])


def _policy_document(args: Mapping[str, Any], c: InvokeContext) -> dict[str, Any]:
    return policy_document(args)


INVOKE_ANSWERS: Mapping[str, Answer] = {
    "aws:index/getCallerIdentity:getCallerIdentity": _caller_identity,
    "aws:index/getPartition:getPartition": _partition,
    "aws:index/getRegion:getRegion": _region,
    "aws:index/getAvailabilityZones:getAvailabilityZones": _availability_zones,
    "aws:iam/getPolicyDocument:getPolicyDocument": _policy_document,
    "aws:iam/getRole:getRole": _iam_role,
    "aws:iam/getPolicy:getPolicy": _iam_policy,
    "aws:route53/getZone:getZone": _route53_zone,
    "aws:s3/getBucket:getBucket": _s3_bucket,
    "aws:kms/getKey:getKey": _kms_key,
    "aws:kms/getAlias:getAlias": _kms_alias,
    "aws:secretsmanager/getSecret:getSecret": _secret,
    "aws:sqs/getQueue:getQueue": _sqs_queue,
    "aws:eks/getCluster:getCluster": _eks_cluster,
    "aws:eks/getClusterAuth:getClusterAuth": _eks_cluster_auth,
    "aws:eks/getAddonVersion:getAddonVersion": _addon_version,
    "aws:ssm/getParameter:getParameter": _ssm_parameter,
    "aws:ec2/getVpc:getVpc": _vpc,
    "aws:ec2/getSubnets:getSubnets": _subnets,
}
"""The data sources answered out of the box (``tls.get_certificate`` is answered by ``IrsaMocks`` itself)."""
