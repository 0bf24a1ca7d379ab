"""Computed outputs of any ``aws:`` or ``kubernetes:`` resource, as the providers would return them.

The ARN formats are a table, one row per resource type with the AWS documentation page it comes from (the
"Actions, resources, and condition keys" page of the service in the Service Authorization Reference, unless
noted). Types without a row get the generic rule ``arn:<partition>:<service>:<region>:<account>:<resource>/<name>``
(service: the token's module; resource: its type in kebab-case). Every value is derived from the inputs and the
logical name, so runs are reproducible. Pure functions: ``irsa_components.testing`` calls them from the mocks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


def digest(*parts: str, length: int = 32) -> str:
    """A deterministic hex string derived from ``parts``."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def fake_uuid(*parts: str) -> str:
    """A version-4-shaped UUID derived from ``parts``."""
    h = digest(*parts)
    variant = "89ab"[int(h[16], 16) % 4]
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"


def alnum_id(*parts: str, length: int) -> str:
    """Uppercase letters and digits (IDs such as Route 53 zone IDs)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    number = int(digest(*parts, length=40), 16)
    out = []
    for _ in range(length):
        number, index = divmod(number, len(alphabet))
        out.append(alphabet[index])
    return "".join(out)


def secret_suffix(*parts: str) -> str:
    """Secrets Manager's 6-character ARN suffix (letters and digits, mixed case)."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    number = int(digest("secret", *parts, length=16), 16)
    out = []
    for _ in range(6):
        number, index = divmod(number, len(alphabet))
        out.append(alphabet[index])
    return "".join(out)


@dataclass(frozen=True)
class Context:
    """Where the fake resources live."""

    partition: str
    region: str
    account: str


@dataclass(frozen=True)
class ArnFormat:
    """How one resource type's ARN and ID look.

    ``arn`` is a ``str.format`` template over ``partition``, ``region``, ``account``, ``name`` (the resource's
    name input, auto-named when absent) and ``key`` (a generated identifier: ``key_style``). ``id`` is the
    template of the Pulumi ID (default ``{name}``).
    """

    type: str
    arn: str
    source: str
    name_input: str = "name"
    id: str = "{name}"
    key_style: str = ""
    """How the generated ``{key}`` looks: ``uuid``, ``secret`` (6 chars), ``zone``, ``fs``, ``vpc``... or empty."""


_SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference/"

ARN_FORMATS: tuple[ArnFormat, ...] = (
    ArnFormat("aws:s3/bucket:Bucket", "arn:{partition}:s3:::{name}", _SAR + "list_amazons3.html", "bucket"),
    ArnFormat("aws:s3/bucketV2:BucketV2", "arn:{partition}:s3:::{name}", _SAR + "list_amazons3.html", "bucket"),
    ArnFormat(
        "aws:dynamodb/table:Table",
        "arn:{partition}:dynamodb:{region}:{account}:table/{name}",
        _SAR + "list_amazondynamodb.html",
    ),
    ArnFormat(
        "aws:sqs/queue:Queue",
        "arn:{partition}:sqs:{region}:{account}:{name}",
        _SAR + "list_amazonsqs.html",
        id="https://sqs.{region}.amazonaws.com/{account}/{name}",
    ),
    ArnFormat(
        "aws:sns/topic:Topic",
        "arn:{partition}:sns:{region}:{account}:{name}",
        _SAR + "list_amazonsns.html",
        id="arn:{partition}:sns:{region}:{account}:{name}",
    ),
    ArnFormat(
        "aws:kms/key:Key",
        "arn:{partition}:kms:{region}:{account}:key/{key}",
        _SAR + "list_awskeymanagementservice.html",
        name_input="",
        id="{key}",
        key_style="uuid",
    ),
    ArnFormat(
        "aws:kms/alias:Alias",
        "arn:{partition}:kms:{region}:{account}:{name}",
        _SAR + "list_awskeymanagementservice.html",
    ),
    ArnFormat(
        "aws:secretsmanager/secret:Secret",
        "arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{key}",
        _SAR + "list_awssecretsmanager.html",
        id="arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{key}",
        key_style="secret",
    ),
    ArnFormat(
        "aws:ecr/repository:Repository",
        "arn:{partition}:ecr:{region}:{account}:repository/{name}",
        _SAR + "list_amazonelasticcontainerregistry.html",
    ),
    ArnFormat(
        "aws:cloudwatch/logGroup:LogGroup",
        "arn:{partition}:logs:{region}:{account}:log-group:{name}",
        # The provider strips the ":*" the API appends (Terraform aws_cloudwatch_log_group docs, "arn").
        _SAR + "list_amazoncloudwatchlogs.html",
    ),
    ArnFormat(
        "aws:ssm/parameter:Parameter",
        "arn:{partition}:ssm:{region}:{account}:parameter/{name}",
        _SAR + "list_awssystemsmanager.html",
    ),
    ArnFormat(
        "aws:route53/zone:Zone",
        "arn:{partition}:route53:::hostedzone/{key}",
        _SAR + "list_amazonroute53.html",
        id="{key}",
        key_style="zone",
    ),
    ArnFormat(
        "aws:lambda/function:Function",
        "arn:{partition}:lambda:{region}:{account}:function:{name}",
        _SAR + "list_awslambda.html",
    ),
    ArnFormat(
        "aws:rds/instance:Instance",
        "arn:{partition}:rds:{region}:{account}:db:{name}",
        _SAR + "list_amazonrds.html",
        name_input="identifier",
        id="db-{key}",
        key_style="rds",
    ),
    ArnFormat(
        "aws:rds/cluster:Cluster",
        "arn:{partition}:rds:{region}:{account}:cluster:{name}",
        _SAR + "list_amazonrds.html",
        name_input="clusterIdentifier",
    ),
    ArnFormat(
        "aws:efs/fileSystem:FileSystem",
        "arn:{partition}:elasticfilesystem:{region}:{account}:file-system/fs-{key}",
        _SAR + "list_amazonelasticfilesystem.html",
        name_input="",
        id="fs-{key}",
        key_style="hex17",
    ),
    ArnFormat(
        "aws:eks/cluster:Cluster",
        "arn:{partition}:eks:{region}:{account}:cluster/{name}",
        _SAR + "list_amazonelastickubernetesservice.html",
    ),
    ArnFormat(
        "aws:ec2/vpc:Vpc",
        "arn:{partition}:ec2:{region}:{account}:vpc/vpc-{key}",
        _SAR + "list_amazonec2.html",
        name_input="",
        id="vpc-{key}",
        key_style="hex17",
    ),
    ArnFormat(
        "aws:ec2/subnet:Subnet",
        "arn:{partition}:ec2:{region}:{account}:subnet/subnet-{key}",
        _SAR + "list_amazonec2.html",
        name_input="",
        id="subnet-{key}",
        key_style="hex17",
    ),
    ArnFormat(
        "aws:ec2/securityGroup:SecurityGroup",
        "arn:{partition}:ec2:{region}:{account}:security-group/sg-{key}",
        _SAR + "list_amazonec2.html",
        id="sg-{key}",
        key_style="hex17",
    ),
    ArnFormat(
        "aws:iam/user:User",
        "arn:{partition}:iam::{account}:user{path}{name}",
        _SAR + "list_awsidentityandaccessmanagementiam.html",
    ),
    ArnFormat(
        "aws:iam/group:Group",
        "arn:{partition}:iam::{account}:group{path}{name}",
        _SAR + "list_awsidentityandaccessmanagementiam.html",
    ),
    ArnFormat(
        "aws:iam/instanceProfile:InstanceProfile",
        "arn:{partition}:iam::{account}:instance-profile{path}{name}",
        _SAR + "list_awsidentityandaccessmanagementiam.html",
    ),
    ArnFormat(
        "aws:kinesis/stream:Stream",
        "arn:{partition}:kinesis:{region}:{account}:stream/{name}",
        _SAR + "list_amazonkinesis.html",
        id="arn:{partition}:kinesis:{region}:{account}:stream/{name}",
    ),
    ArnFormat(
        "aws:sfn/stateMachine:StateMachine",
        "arn:{partition}:states:{region}:{account}:stateMachine:{name}",
        _SAR + "list_awsstepfunctions.html",
        id="arn:{partition}:states:{region}:{account}:stateMachine:{name}",
    ),
    ArnFormat(
        "aws:cloudwatch/eventBus:EventBus",
        "arn:{partition}:events:{region}:{account}:event-bus/{name}",
        _SAR + "list_amazoneventbridge.html",
    ),
)
"""ARN formats by resource type. IAM roles, policies and OIDC providers, EKS add-ons and Pod Identity
associations are built in ``irsa_components.testing`` (their IDs and extra outputs are specific)."""

ARN_FORMAT_BY_TYPE: Mapping[str, ArnFormat] = {f.type: f for f in ARN_FORMATS}

S3_HOSTED_ZONE_IDS: Mapping[str, str] = {
    # The Route 53 hosted zone of the S3 website endpoint of each Region (a bucket's ``hostedZoneId``): AWS
    # General Reference, "Amazon Simple Storage Service endpoints and quotas", Website endpoints,
    # https://docs.aws.amazon.com/general/latest/gr/s3.html#s3_website_region_endpoints
    "us-east-1": "Z3AQBSTGFYJSTF",
    "us-east-2": "Z2O1EMRO9K5GLX",
    "us-west-1": "Z2F56UZL2M1ACD",
    "us-west-2": "Z3BJ6K6RIION7M",
    "ca-central-1": "Z1QDHH18159H29",
    "eu-central-1": "Z21DNDUVLTQW6Q",
    "eu-west-1": "Z1BKCTXD74EZPE",
    "eu-west-2": "Z3GKZC51ZF0DB4",
    "eu-west-3": "Z3R1K369G5AVDG",
    "eu-north-1": "Z3BAZG2TWCNX0D",
    "ap-east-1": "ZNB98KWMFR0R6",
    "ap-south-1": "Z11RGJOFQNVJUP",
    "ap-northeast-1": "Z2M4EHUR26P7ZW",
    "ap-northeast-2": "Z3W03O7B5YMIYP",
    "ap-northeast-3": "Z2YQB5RD63NC85",
    "ap-southeast-1": "Z3O0J2DXBE1FTB",
    "ap-southeast-2": "Z1WCIGYICN2BYD",
    "me-south-1": "Z1MPMWCPA7YB62",
    "sa-east-1": "Z7KQH4QJS55SO",
    "us-gov-west-1": "Z31GFT0UA1I2HV",
}
"""Regions not listed have no ``hostedZoneId`` in the mocks (``None``) rather than another Region's."""


def generic_arn_format(type_token: str) -> ArnFormat:
    """The documented rule for types without a row: ``arn:<p>:<service>:<region>:<account>:<resource>/<name>``."""
    module, _, rest = type_token.partition(":")[2].partition("/")
    resource = re.sub(r"(?<!^)(?=[A-Z])", "-", rest.split(":", 1)[0]).lower()
    return ArnFormat(type_token, f"arn:{{partition}}:{module}:{{region}}:{{account}}:{resource}/{{name}}", "generic")


def default_issuer(region: str, cluster_name: str) -> str:
    """The OIDC issuer URL a fake EKS cluster has."""
    return f"https://oidc.eks.{region}.amazonaws.com/id/{digest(cluster_name).upper()}"


def autoname(logical_name: str, type_token: str = "") -> str:
    """What Pulumi's autonaming gives a resource whose name input is absent: ``<logical>-<7 hex>``.

    S3 bucket names are lowercase; FIFO queue names end in ``.fifo`` (handled by the caller).
    """
    name = f"{logical_name}-{digest(logical_name, length=7)}"
    return name.lower() if type_token.startswith("aws:s3/") else name


def _key(style: str, *parts: str) -> str:
    if style == "uuid":
        return fake_uuid("key", *parts)
    if style == "secret":
        return secret_suffix(*parts)
    if style == "zone":
        return "Z" + alnum_id("zone", *parts, length=20)
    if style == "rds":
        return alnum_id("rds", *parts, length=26)
    if style == "hex17":
        return digest("hex", *parts, length=17)
    return ""


def _named(type_token: str, logical_name: str, inputs: Mapping[str, Any], name_input: str) -> str:
    name = inputs.get(name_input)
    if isinstance(name, str) and name:
        return name
    prefix = inputs.get(f"{name_input}Prefix") if name_input else None
    if isinstance(prefix, str):
        return prefix + str(int(digest(logical_name, length=12), 16)).zfill(26)
    name = autoname(logical_name, type_token)
    if type_token == "aws:sqs/queue:Queue" and inputs.get("fifoQueue"):
        name += ".fifo"
    return name


def _extra_outputs(fmt: ArnFormat, ctx: Context, name: str, key: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Identifiers besides ``id``/``arn``/name that people put in policies and configs."""
    p, r, a = ctx.partition, ctx.region, ctx.account
    t = fmt.type
    if t.startswith("aws:s3/bucket"):
        return {
            "bucketDomainName": f"{name}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{name}.s3.{r}.amazonaws.com",
            "region": r,
            "hostedZoneId": S3_HOSTED_ZONE_IDS.get(r),
        }
    if t == "aws:dynamodb/table:Table":
        out: dict[str, Any] = {}
        if inputs.get("streamEnabled"):
            out["streamLabel"] = "2026-01-01T00:00:00.000"
            out["streamArn"] = f"arn:{p}:dynamodb:{r}:{a}:table/{name}/stream/2026-01-01T00:00:00.000"
        return out
    if t == "aws:sqs/queue:Queue":
        return {"url": f"https://sqs.{r}.amazonaws.com/{a}/{name}"}
    if t == "aws:kms/key:Key":
        return {"keyId": key}
    if t == "aws:kms/alias:Alias":
        target = inputs.get("targetKeyId")
        return {"targetKeyArn": f"arn:{p}:kms:{r}:{a}:key/{target}"} if isinstance(target, str) else {}
    if t == "aws:ecr/repository:Repository":
        return {"repositoryUrl": f"{a}.dkr.ecr.{r}.amazonaws.com/{name}", "registryId": a}
    if t == "aws:route53/zone:Zone":
        return {
            "zoneId": key,
            "nameServers": [f"ns-{n}.awsdns-{n:02d}.{tld}" for n, tld in ((1, "com"), (2, "net"), (3, "org"))],
        }
    if t == "aws:lambda/function:Function":
        arn = f"arn:{p}:lambda:{r}:{a}:function:{name}"
        return {
            "invokeArn": f"arn:{p}:apigateway:{r}:lambda:path/2015-03-31/functions/{arn}/invocations",
            "qualifiedArn": f"{arn}:$LATEST",
            "version": "$LATEST",
        }
    if t == "aws:rds/instance:Instance":
        # ``identifier`` is the name input: auto-named before creation, like every name (not computed).
        return {
            "resourceId": f"db-{key}",
            "endpoint": f"{name}.{key[:12].lower()}.{r}.rds.amazonaws.com:5432",
        }
    if t == "aws:efs/fileSystem:FileSystem":
        return {"dnsName": f"fs-{key}.efs.{r}.amazonaws.com"}
    if t == "aws:eks/cluster:Cluster":
        return {
            "identities": [{"oidcs": [{"issuer": default_issuer(r, name)}]}],
            "endpoint": f"https://{digest(name).upper()}.gr7.{r}.eks.amazonaws.com",
            "certificateAuthority": {"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"},
            "clusterId": fake_uuid("cluster", name),
            "platformVersion": "eks.9",
            "status": "ACTIVE",
            "version": "1.33",  # a version given as input is kept (inputs win over extra outputs)
        }
    if t == "aws:iam/user:User":
        return {"uniqueId": "AIDA" + alnum_id("user", name, length=17)}
    return {}


def resource_outputs(
    type_token: str,
    logical_name: str,
    inputs: Mapping[str, Any],
    ctx: Context,
    *,
    has_name: bool,
    has_arn: bool = True,
) -> tuple[str, dict[str, Any], frozenset[str]]:
    """The ID, the full state (inputs echoed, computed outputs added) and the names of the outputs known only
    once the resource exists (the auto-name is known before).

    ``has_name``/``has_arn``: whether a type without a row has a ``name`` property (auto-named when absent) and
    an ``arn`` output.
    """
    fmt = ARN_FORMAT_BY_TYPE.get(type_token) or generic_arn_format(type_token)
    name_input = fmt.name_input if (fmt.name_input != "name" or has_name or type_token in ARN_FORMAT_BY_TYPE) else ""
    name = _named(type_token, logical_name, inputs, name_input) if name_input else logical_name
    key = _key(fmt.key_style, type_token, logical_name, name)
    path = str(inputs["path"]) if isinstance(inputs.get("path"), str) else "/"
    values = {"partition": ctx.partition, "region": ctx.region, "account": ctx.account, "name": name, "key": key}
    values["path"] = path
    if type_token == "aws:ssm/parameter:Parameter":
        values["name"] = name.lstrip("/")
    state = dict(inputs)
    computed: dict[str, Any] = {"arn": fmt.arn.format(**values)} if has_arn or type_token in ARN_FORMAT_BY_TYPE else {}
    if name_input and not inputs.get(name_input):
        # Known in a preview too: the engine picks auto-names before anything is created.
        state[name_input] = name
    for key_name, value in _extra_outputs(fmt, ctx, name, key, inputs).items():
        if inputs.get(key_name) is None:
            computed[key_name] = value
    if inputs.get("arn") is not None:
        computed.pop("arn")
    if inputs.get("tags") is not None:
        computed["tagsAll"] = dict(inputs["tags"])
    state.update(computed)
    values["name"] = name
    # A type with neither a name nor a generated key gets a placeholder ID derived from its logical name.
    resource_id = f"{logical_name}-id" if not name_input and fmt.id == "{name}" else fmt.id.format(**values)
    return resource_id, state, frozenset(computed)


def kubernetes_outputs(
    type_token: str, logical_name: str, inputs: Mapping[str, Any]
) -> tuple[str, dict[str, Any], frozenset[str]]:
    """A Kubernetes object's ID (``namespace/name``) and state: ``metadata.name`` auto-named when absent,
    ``namespace`` defaulted for namespaced kinds, a ``uid``."""
    metadata = dict(inputs.get("metadata") or {})
    computed = set()
    if not metadata.get("name"):
        metadata["name"] = autoname(logical_name).lower()
    kind = type_token.rsplit(":", 1)[-1]
    cluster_scoped = kind in {
        "Namespace",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "StorageClass",
    }
    if not cluster_scoped and not metadata.get("namespace"):
        metadata["namespace"] = "default"
    metadata["uid"] = fake_uuid("uid", type_token, logical_name)
    computed.add("metadata.uid")
    state = dict(inputs)
    state["metadata"] = metadata
    group_version = type_token.split(":")[1]
    group, _, version = group_version.partition("/")
    state.setdefault("apiVersion", version if group == "core" else f"{group}/{version}")
    state.setdefault("kind", kind)
    resource_id = metadata["name"] if cluster_scoped else f"{metadata['namespace']}/{metadata['name']}"
    return resource_id, state, frozenset(computed)
