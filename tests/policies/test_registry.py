"""Every preset against its add-on's own upstream policy, IAM's syntax (moto), parliament, and IAM's size limit.

The upstream action lists in tests/data/upstream/<slug>.json were read from each add-on's published
policy (source repository, path, commit and date recorded in each source; tests/test_upstream.py checks
the records themselves).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from moto.iam.policy_validation import IAMPolicyDocumentValidator
from parliament import analyze_policy_string

from irsa_components import IrsaConfigError
from irsa_components.policies import PRESETS, preset, preset_options
from irsa_components.policies.upstream import recorded_items
from irsa_components.review.analysis import wildcard_match
from irsa_components.validation import MANAGED_POLICY_MAX_SIZE, policy_size

UPSTREAM = Path(__file__).resolve().parent.parent / "data" / "upstream"
ACCOUNT = "123456789012"
KEY = f"arn:{{p}}:kms:eu-west-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"

# Options that exercise every statement of each preset; {p} is the partition.
SAMPLE_OPTIONS: dict[str, dict[str, Any]] = {
    "aws-load-balancer-controller": {"cluster_name": "prod"},
    "ebs-csi-driver": {"kms_key_arns": [KEY]},
    "efs-csi-driver": {
        "file_system_arns": [f"arn:{{p}}:elasticfilesystem:eu-west-1:{ACCOUNT}:file-system/fs-12345678"]
    },
    "vpc-cni": {"ip_family": "dual", "enable_cloudwatch_logs": True, "cluster_name": "prod"},
    "external-dns": {"hosted_zone_arns": ["arn:{p}:route53:::hostedzone/Z123EXAMPLE"]},
    "cert-manager": {
        "hosted_zone_arns": ["arn:{p}:route53:::hostedzone/Z123EXAMPLE"],
        "assume_role_arns": [f"arn:{{p}}:iam::{ACCOUNT}:role/dns-manager"],
    },
    "cluster-autoscaler": {"cluster_names": ["prod"]},
    "karpenter": {
        "cluster_name": "prod",
        "node_role_arns": [f"arn:{{p}}:iam::{ACCOUNT}:role/KarpenterNodeRole-prod"],
        "interruption_queue_arn": f"arn:{{p}}:sqs:eu-west-1:{ACCOUNT}:prod-interruptions",
        "region": "eu-west-1",
        "account_id": ACCOUNT,
    },
    "external-secrets": {
        "secrets_manager_arns": [f"arn:{{p}}:secretsmanager:eu-west-1:{ACCOUNT}:secret:prod/*"],
        "ssm_parameter_arns": [f"arn:{{p}}:ssm:eu-west-1:{ACCOUNT}:parameter/prod/*"],
        "kms_key_arns": [KEY],
        "allow_write": True,
        "allow_find": True,
    },
    "velero": {
        "bucket_arns": ["arn:{p}:s3:::prod-backups"],
        "path_arns": ["arn:{p}:s3:::prod-backups/cluster-a/*"],
        "kms_key_arns": [KEY],
    },
    "amazon-managed-prometheus": {
        "workspace_arns": [f"arn:{{p}}:aps:eu-west-1:{ACCOUNT}:workspace/ws-12345678-abcd-1234-abcd-123456789012"]
    },
    "mountpoint-s3-csi": {
        "bucket_arns": ["arn:{p}:s3:::prod-data"],
        "kms_key_arns": [KEY],
        "directory_bucket_arns": [f"arn:{{p}}:s3express:eu-west-1:{ACCOUNT}:bucket/prod-data--euw1-az1--x-s3"],
    },
    "aws-node-termination-handler": {"queue_arns": [f"arn:{{p}}:sqs:eu-west-1:{ACCOUNT}:nth"]},
    "fsx-lustre-csi": {
        "s3_bucket_arns": ["arn:{p}:s3:::prod-data"],
        "service_role_arns": [
            f"arn:{{p}}:iam::{ACCOUNT}:role/aws-service-role/fsx.amazonaws.com/AWSServiceRoleForAmazonFSx",
            f"arn:{{p}}:iam::{ACCOUNT}:role/aws-service-role/s3.data-source.lustre.fsx.amazonaws.com/*",
        ],
    },
    "cloudwatch-observability": {},
    "aws-privateca-issuer": {
        "ca_arns": [f"arn:{{p}}:acm-pca:eu-west-1:{ACCOUNT}:certificate-authority/12345678-1234-1234-1234-123456789012"]
    },
    "aws-gateway-api-controller": {"access_log_bucket_arns": ["arn:{p}:s3:::prod-lattice-logs"]},
    "secrets-store-csi-driver-provider-aws": {
        "secrets_manager_arns": [f"arn:{{p}}:secretsmanager:eu-west-1:{ACCOUNT}:secret:prod/db-??????"],
        "ssm_parameter_arns": [f"arn:{{p}}:ssm:eu-west-1:{ACCOUNT}:parameter/prod/*"],
        "kms_key_arns": [KEY],
    },
    "aws-for-fluent-bit": {
        "log_group_arns": [f"arn:{{p}}:logs:eu-west-1:{ACCOUNT}:log-group:/eks/prod/*"],
        "firehose_stream_arns": [f"arn:{{p}}:firehose:eu-west-1:{ACCOUNT}:deliverystream/prod-logs"],
        "kinesis_stream_arns": [f"arn:{{p}}:kinesis:eu-west-1:{ACCOUNT}:stream/prod-logs"],
        "s3_bucket_arns": ["arn:{p}:s3:::prod-logs"],
    },
    "fsx-openzfs-csi": {},
    "adot-collector": {},
}

# Sources whose actions apply under other options than SAMPLE_OPTIONS (key: the source's 1-based position).
SOURCE_OPTIONS: dict[tuple[str, int], dict[str, Any]] = {
    ("aws-load-balancer-controller", 2): {
        "cluster_name": None,
        "target_group_binding_only": True,
        "target_group_arns": [f"arn:{{p}}:elasticloadbalancing:eu-west-1:{ACCOUNT}:targetgroup/web/73e2d6bc24d8a067"],
    },
    ("vpc-cni", 1): {"ip_family": "ipv4"},
}

# Upstream actions a preset deliberately does not grant, with the reason; anything else missing fails.
DELIBERATELY_NOT_GRANTED: dict[str, dict[str, str]] = {
    "external-secrets": {
        "ssm:GetParameter*": "upstream's wildcard also covers GetParameterHistory, which the operator never calls; "
        "GetParameter, GetParameters and GetParametersByPath are granted by name",
        "ssm:PutParameter*": "the wildcard matches only PutParameter, granted by name",
    },
}

# parliament findings that come from its bundled IAM database lagging AWS or misreading ARNs the upstream
# policies themselves use; each is (slug, issue, text in the finding's detail).
PARLIAMENT_KNOWN_GAPS = [
    ("aws-load-balancer-controller", "UNKNOWN_ACTION", "elasticloadbalancing:ModifyIpPools"),
    # Amazon S3 Files (2026) is newer than parliament's IAM database.
    ("efs-csi-driver", "UNKNOWN_PREFIX", "s3files"),
    ("efs-csi-driver", "UNKNOWN_ACTION", "s3files:"),
    # parliament matches no ARN against its s3express bucket format, even arn:aws:s3express:...:bucket/*.
    ("mountpoint-s3-csi", "RESOURCE_MISMATCH", "s3express:CreateSession"),
    # vpc-lattice:* on Lattice ARNs also names the calls IAM authorizes on "*" only; the preset grants
    # those on "*" separately (test_presets_group_d checks it).
    ("aws-gateway-api-controller", "RESOURCE_MISMATCH", "vpc-lattice:"),
    ("karpenter", "RESOURCE_MISMATCH", "ec2:CreateFleet"),
    ("karpenter", "RESOURCE_MISMATCH", "ec2:RunInstances"),
    ("karpenter", "RESOURCE_MISMATCH", "arc-zonal-shift:GetManagedResource"),
    ("karpenter", "RESOURCE_MISMATCH", "ssm:GetParameter"),
]
PARLIAMENT_ERRORS = {"CRITICAL", "HIGH"}
PARLIAMENT_BROKEN_GRANTS = {"RESOURCE_MISMATCH", "UNKNOWN_ACTION", "UNKNOWN_PREFIX", "MALFORMED"}


REGION = {"aws": "eu-west-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}


def options_for(slug: str, partition: str = "aws", source: int | None = None) -> dict[str, Any]:
    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("{p}", partition).replace("eu-west-1", REGION[partition])
        if isinstance(value, list):
            return [fill(v) for v in value]
        return value

    options = SAMPLE_OPTIONS[slug]
    if (slug, source) in SOURCE_OPTIONS:
        options = options | SOURCE_OPTIONS[(slug, source)]
    return {k: fill(v) for k, v in options.items()} | {"partition": partition}


def upstream(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((UPSTREAM / f"{slug}.json").read_text())
    return data


def granted_actions(document: dict[str, Any] | None) -> list[str]:
    if document is None:
        return []
    actions: list[str] = []
    for statement in document["Statement"]:
        if statement["Effect"] == "Allow":
            value = statement["Action"]
            actions += [value] if isinstance(value, str) else value
    return actions


SLUGS = sorted(PRESETS)


def test_registry_has_every_preset_the_issue_names():
    assert set(PRESETS) == set(SAMPLE_OPTIONS)
    assert {p.stem for p in UPSTREAM.glob("*.json")} == set(PRESETS)


SOURCES = [(slug, n) for slug in SLUGS for n in range(1, len(upstream(slug)["sources"]) + 1)]


@pytest.mark.parametrize("slug,n", SOURCES)
def test_preset_grants_every_upstream_action(slug, n):
    """Each recorded upstream list is covered by the preset's document, plus, where the preset attaches an
    AWS-managed policy, the actions that policy was recorded to grant (``managed_policy_covers``)."""
    addon = preset(slug, **options_for(slug, source=n))
    data = upstream(slug)
    source = data["sources"][n - 1]
    if source["format"] == "managed-policies":
        assert set(recorded_items(source)) <= set(addon.managed_policy_arns)
        return
    granted = granted_actions(addon.document)
    covers = data.get("managed_policy_covers")
    if covers and set(data["managed_policy_arns"]) <= set(addon.managed_policy_arns):
        granted += covers["actions"]
    excused = DELIBERATELY_NOT_GRANTED.get(slug, {})
    missing = [
        action
        for action in recorded_items(source)
        if action not in excused and not any(wildcard_match(g, action, ignore_case=True) for g in granted)
    ]
    assert missing == []


def test_a_preset_missing_an_upstream_action_fails_the_coverage_check():
    granted = granted_actions(preset("velero", **options_for("velero") | {"allow_object_tagging": False}).document)
    assert not any(wildcard_match(g, "s3:PutObjectTagging", ignore_case=True) for g in granted)


def test_wildcard_grants_are_understood_as_iam_does():
    assert wildcard_match("ec2:Describe*", "ec2:DescribeInstances", ignore_case=True)
    assert wildcard_match("EC2:describe*", "ec2:DescribeInstances", ignore_case=True)
    assert not wildcard_match("ec2:Describe*", "ec2:CreateTags", ignore_case=True)
    assert wildcard_match("kms:ReEncrypt*", "kms:ReEncryptFrom", ignore_case=True)


@pytest.mark.parametrize("partition", ["aws", "aws-cn", "aws-us-gov"])
@pytest.mark.parametrize("slug", SLUGS)
def test_preset_document_is_valid_iam_within_the_managed_policy_limit(slug, partition):
    addon = preset(slug, **options_for(slug, partition))
    assert addon.document is not None or addon.managed_policy_arns
    for arn in addon.managed_policy_arns:
        assert arn.startswith(f"arn:{partition}:iam::aws:policy/")
    if addon.document is not None:
        IAMPolicyDocumentValidator(json.dumps(addon.document)).validate()
        assert policy_size(addon.document) <= MANAGED_POLICY_MAX_SIZE
        resources = [
            r
            for s in addon.document["Statement"]
            for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
        ]
        assert all(r == "*" or r.startswith(f"arn:{partition}:") for r in resources)


@pytest.mark.parametrize("slug", SLUGS)
def test_parliament_finds_no_error_level_problem(slug):
    addon = preset(slug, **options_for(slug))
    if addon.document is None:
        return
    problems = []
    for finding in analyze_policy_string(json.dumps(addon.document)).findings:
        known = any(
            slug == s and finding.issue == issue and text in str(finding.detail)
            for s, issue, text in PARLIAMENT_KNOWN_GAPS
        )
        if not known and (finding.severity in PARLIAMENT_ERRORS or finding.issue in PARLIAMENT_BROKEN_GRANTS):
            problems.append((finding.issue, str(finding.detail)))
    assert problems == []


@pytest.mark.parametrize("slug", [s for s in SLUGS if any(isinstance(v, list) for v in SAMPLE_OPTIONS[s].values())])
def test_required_scope_options_are_never_silently_star(slug):
    """Every list option that scopes resources is either required (an error when missing) or optional."""
    for option, value in SAMPLE_OPTIONS[slug].items():
        if not isinstance(value, list):
            continue
        rest = {k: v for k, v in options_for(slug).items() if k != option}
        try:
            addon = preset(slug, **rest)
        except IrsaConfigError as err:
            assert err.field in (option, "secrets_manager_arns / ssm_parameter_arns")
            continue
        # Optional scope: leaving it out must not widen any write to Resource "*".
        widened = preset(slug, **options_for(slug))
        assert policy_size(addon.document or {}) <= policy_size(widened.document or {})


def test_unknown_preset_and_option_are_errors_naming_them():
    with pytest.raises(IrsaConfigError) as err:
        preset("nginx")
    assert (err.value.field, err.value.value) == ("preset", "nginx")
    assert "ebs-csi-driver" in err.value.fix
    with pytest.raises(IrsaConfigError) as err:
        preset("velero", bucket_arns=["arn:aws:s3:::b"], buckets=["b"])
    assert (err.value.field, err.value.component) == ("buckets", "preset 'velero'")
    assert "bucket_arns" in err.value.fix


def test_preset_options_are_introspectable():
    assert preset_options("external-dns") == ["hosted_zone_arns", "partition"]


@pytest.mark.parametrize(
    "slug,option,wrong_kind",
    [
        ("external-dns", "hosted_zone_arns", "arn:aws:route53:::change/C123"),
        ("cert-manager", "hosted_zone_arns", "arn:aws:route53:::healthcheck/abc"),
        ("ebs-csi-driver", "kms_key_arns", "arn:aws:kms:eu-west-1:123456789012:alias/ebs"),
    ],
)
def test_scope_arns_must_name_the_right_kind_of_resource(slug, option, wrong_kind):
    with pytest.raises(IrsaConfigError) as err:
        preset(slug, **{option: [wrong_kind]})
    assert (err.value.field, err.value.value) == (option, wrong_kind)
