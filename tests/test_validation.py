"""Validators: what AWS or Kubernetes would reject is refused with a message naming component, field, value, fix."""

from __future__ import annotations

import json
import re

import pytest
from conftest import PROVIDER_ARN

from irsa_components import IrsaConfigError
from irsa_components.trust import build_irsa_trust_policy
from irsa_components.validation import (
    SamePartition,
    check_trust_policy_size,
    closest_key,
    condition_operator_known,
    exactly_one,
    parse_policy_document,
    parse_service_account_ref,
    policy_size,
    resource_is_valid,
    unique_child_names,
    validate_annotations,
    validate_audience,
    validate_autonamed_role,
    validate_client_ids,
    validate_cluster_name,
    validate_description,
    validate_issuer_url,
    validate_labels,
    validate_max_session_duration,
    validate_namespace,
    validate_oidc_provider_arn,
    validate_path,
    validate_policy_arn,
    validate_policy_attachment_quota,
    validate_role_arn,
    validate_role_name,
    validate_service_account_name,
    validate_subjects,
    validate_tags,
    validate_thumbprints,
    validate_trust_policy_quota,
)

C = "ServiceAccountRole 'app'"


def test_error_message_names_component_field_value_and_fix():
    with pytest.raises(IrsaConfigError) as err:
        validate_namespace(C, "Kube_System")
    assert str(err.value).startswith("ServiceAccountRole 'app': namespace='Kube_System' is not a valid RFC 1123 label")
    assert "Fix: use e.g. 'kube-system'" in str(err.value)
    assert (err.value.component, err.value.field, err.value.value) == (C, "namespace", "Kube_System")
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize("value", ["default", "kube-system", "a", "a" * 63, "team-1"])
def test_valid_namespaces_pass(value):
    assert validate_namespace(C, value) == value


@pytest.mark.parametrize("value", ["", "Apps", "a" * 64, "-apps", "apps-", "my.ns", "my_ns", None, 3])
def test_invalid_namespaces_are_refused(value):
    with pytest.raises(IrsaConfigError) as err:
        validate_namespace(C, value)
    assert err.value.field == "namespace"


@pytest.mark.parametrize("value", ["s3-reader", "my.app.sa", "a" * 253, "x"])
def test_valid_service_account_names_pass(value):
    assert validate_service_account_name(C, value) == value


@pytest.mark.parametrize("value", ["", "S3Reader", "a" * 254, "app_sa", ".app", "app."])
def test_invalid_service_account_names_are_refused(value):
    with pytest.raises(IrsaConfigError) as err:
        validate_service_account_name(C, value)
    assert err.value.field == "service_account"


def test_wildcards_are_refused_unless_allowed():
    with pytest.raises(IrsaConfigError, match="allow_wildcard=True"):
        validate_service_account_name(C, "*")
    with pytest.raises(IrsaConfigError, match="wildcard"):
        validate_namespace(C, "team-?")
    assert validate_namespace(C, "team-*", allow_wildcard=True) == "team-*"
    assert validate_service_account_name(C, "*", allow_wildcard=True) == "*"


def test_wildcard_patterns_must_still_be_valid_names():
    with pytest.raises(IrsaConfigError):
        validate_namespace(C, "Team-*", allow_wildcard=True)


def test_service_account_refs_are_namespace_colon_name():
    assert parse_service_account_ref(C, "kube-system:external-dns") == ("kube-system", "external-dns")
    for bad in ["external-dns", "a:b:c", 5]:
        with pytest.raises(IrsaConfigError, match="namespace:name"):
            parse_service_account_ref(C, bad)


def test_duplicate_subjects_are_refused():
    with pytest.raises(IrsaConfigError, match="listed twice"):
        validate_subjects(C, [("a", "b"), ("a", "b")], field="service_accounts", allow_wildcard=False)


def test_provider_arn_yields_its_url_part():
    assert validate_oidc_provider_arn(C, PROVIDER_ARN) == PROVIDER_ARN.split("oidc-provider/")[1]
    gov = "arn:aws-us-gov:iam::123456789012:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/ABC"
    assert validate_oidc_provider_arn(C, gov) == "oidc.eks.us-gov-west-1.amazonaws.com/id/ABC"


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::123456789012:oidc-provider/https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        "arn:aws:iam::12345:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        "arn:aws:iam::123456789012:role/oidc",
        "arn:azure:iam::123456789012:oidc-provider/x.example.com",
        "oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    ],
)
def test_malformed_provider_arns_are_refused(value):
    with pytest.raises(IrsaConfigError, match="oidc_provider_arn"):
        validate_oidc_provider_arn(C, value)


def test_role_and_policy_arns():
    assert validate_role_arn(C, "arn:aws:iam::123456789012:role/team/app") == "arn:aws:iam::123456789012:role/team/app"
    assert validate_policy_arn(C, "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy")
    assert validate_policy_arn(C, "arn:aws-cn:iam::123456789012:policy/mine")
    with pytest.raises(IrsaConfigError, match="role ARN"):
        validate_role_arn(C, "arn:aws:iam::123456789012:user/app")
    with pytest.raises(IrsaConfigError, match="policy ARN"):
        validate_policy_arn(C, "AmazonS3ReadOnlyAccess")


def test_role_names_and_auto_names_fit_iam():
    assert validate_role_name(C, "a" * 64)
    for bad in ["a" * 65, "my role", "role/x", ""]:
        with pytest.raises(IrsaConfigError, match="role name"):
            validate_role_name(C, bad)
    validate_autonamed_role(C, "a" * 56)
    with pytest.raises(IrsaConfigError, match="set role_name"):
        validate_autonamed_role(C, "a" * 57)


@pytest.mark.parametrize(
    "value,ok", [("/", True), ("/eks/", True), ("/a/b/", True), ("eks", False), ("/eks", False), ("", False)]
)
def test_paths(value, ok):
    if ok:
        assert validate_path(C, value) == value
    else:
        with pytest.raises(IrsaConfigError, match="path"):
            validate_path(C, value)


@pytest.mark.parametrize(
    "value,ok", [(3600, True), (43200, True), (3599, False), (43201, False), (True, False), ("3600", False)]
)
def test_max_session_duration_range(value, ok):
    if ok:
        assert validate_max_session_duration(C, value) == value
    else:
        with pytest.raises(IrsaConfigError, match=r"3600\.\.43200"):
            validate_max_session_duration(C, value)


def test_thumbprints_are_at_most_five_sha1_hex_values():
    assert validate_thumbprints(C, ["9E99A48A9960B14926BB7F3B02E22DA2B0AB7280"]) == [
        "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
    ]
    with pytest.raises(IrsaConfigError, match="at most 5"):
        validate_thumbprints(C, ["a" * 40] * 6)
    with pytest.raises(IrsaConfigError, match="40 hexadecimal"):
        validate_thumbprints(C, ["9e:99:a4"])


def test_issuer_url_gets_https_and_refuses_http():
    assert (
        validate_issuer_url(C, "oidc.eks.eu-west-1.amazonaws.com/id/ABC")
        == "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"
    )
    assert (
        validate_issuer_url(C, "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC/")
        == "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC"
    )
    with pytest.raises(IrsaConfigError, match="https"):
        validate_issuer_url(C, "http://oidc.eks.eu-west-1.amazonaws.com/id/ABC")


def test_cluster_names():
    assert validate_cluster_name(C, "prod_eu-1") == "prod_eu-1"
    for bad in ["-prod", "prod cluster", "a" * 101, ""]:
        with pytest.raises(IrsaConfigError, match="cluster name"):
            validate_cluster_name(C, bad)


def test_exactly_one_of_mutually_exclusive_args():
    assert exactly_one(C, {"a": 1}, "a", "b") == "a"
    with pytest.raises(IrsaConfigError, match="mutually exclusive"):
        exactly_one(C, {"a": 1, "b": 2}, "a", "b")
    with pytest.raises(IrsaConfigError, match="set exactly one of a, b"):
        exactly_one(C, {}, "a", "b")
    assert exactly_one(C, {}, "a", "b", required=False) is None


READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}


def test_policy_documents_parse_from_dict_or_json():
    doc = {"Version": "2012-10-17", "Statement": [READ]}
    assert parse_policy_document(C, doc, field="p") == doc
    assert parse_policy_document(C, json.dumps({"Statement": READ}), field="p") == {"Statement": READ}
    with pytest.raises(IrsaConfigError, match="not valid JSON"):
        parse_policy_document(C, "{", field="p")
    with pytest.raises(IrsaConfigError, match="not an IAM policy document"):
        parse_policy_document(C, {"Effect": "Allow"}, field="p")


def test_policy_size_ignores_whitespace():
    assert policy_size({"a": "b c"}) == len('{"a":"bc"}')


def test_trust_policy_over_the_quota_is_refused_and_a_raised_quota_is_honoured():
    subjects = [(f"namespace-{i:02d}", f"service-account-{i:02d}") for i in range(40)]
    doc = build_irsa_trust_policy([PROVIDER_ARN], subjects)
    assert policy_size(doc) > 2048
    with pytest.raises(IrsaConfigError, match="exceeds the IAM trust policy quota of 2048") as err:
        check_trust_policy_size(C, doc, 2048)
    assert "max_trust_policy_size" in err.value.fix
    check_trust_policy_size(C, doc, 8192)


@pytest.mark.parametrize(
    "statement,problem",
    [
        ({**READ, "Effect": "Maybe"}, "Effect is 'Maybe'"),
        ({"Effect": "Allow", "Resource": "*"}, "exactly one of Action and NotAction"),
        ({**READ, "NotAction": "s3:PutObject"}, "exactly one of Action and NotAction"),
        ({"Effect": "Allow", "Action": "s3:GetObject"}, "exactly one of Resource and NotResource"),
        ({**READ, "Action": []}, "Action is not a non-empty string or list"),
        ({**READ, "Action": "GetObject"}, "not of the form 'service:Action'"),
        ({**READ, "Principal": "*"}, "Principal, which permission policies do not take"),
        ({**READ, "Condition": {"StringEquals": "x"}}, "Condition is not {operator: {key: value}}"),
    ],
)
def test_permission_statements_iam_would_reject_are_refused(statement, problem):
    with pytest.raises(IrsaConfigError, match=re.escape(problem)):
        parse_policy_document(C, {"Version": "2012-10-17", "Statement": [statement]}, field="p")


def test_empty_statement_list_and_unknown_version_are_refused():
    with pytest.raises(IrsaConfigError, match="has no statement"):
        parse_policy_document(C, {"Statement": []}, field="p")
    with pytest.raises(IrsaConfigError, match="not an IAM policy version"):
        parse_policy_document(C, {"Version": "2024-01-01", "Statement": [READ]}, field="p")


def test_names_with_a_trailing_newline_or_non_ascii_letters_are_refused():
    with pytest.raises(IrsaConfigError):
        validate_namespace(C, "apps\n")
    with pytest.raises(IrsaConfigError):
        validate_role_name(C, "r\u00f4le")


# ---- rules added for issue 10 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "operator",
    ["StringEquals", "StringLikeIfExists", "ForAnyValue:StringLike", "ForAllValues:ArnEquals", "Null", "Bool"],
)
def test_known_condition_operators(operator):
    assert condition_operator_known(operator)


@pytest.mark.parametrize("operator", ["StringEqual", "NullIfExists", "ForSomeValues:StringLike", "stringequals", ""])
def test_unknown_condition_operators(operator):
    assert not condition_operator_known(operator)


@pytest.mark.parametrize(
    "resource",
    [
        "*",
        "arn:aws:s3:::bucket",
        "arn:aws:s3:::bucket/*",
        "arn:aws:iam::${aws:PrincipalAccount}:role/x",
        "arn:*:sqs:*:*:q",
    ],
)
def test_resources_iam_takes(resource):
    assert resource_is_valid(resource)


@pytest.mark.parametrize("resource", ["bucket", "arn:aws:s3", "s3:::bucket", "**", "arn:aws:s3:::"])
def test_resources_iam_refuses(resource):
    assert not resource_is_valid(resource)


def test_sid_must_be_alphanumeric_and_unique():
    def doc(*sids):
        return {"Statement": [{"Sid": s, "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"} for s in sids]}

    assert parse_policy_document(C, doc("ReadA", "ReadB"), field="p")
    with pytest.raises(IrsaConfigError, match="letters and digits"):
        parse_policy_document(C, doc("read-a"), field="p")
    with pytest.raises(IrsaConfigError, match="Sid of two statements"):
        parse_policy_document(C, doc("A", "A"), field="p")


def test_condition_operator_typo_names_the_operator_meant():
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqual": {}}}
    with pytest.raises(IrsaConfigError) as err:
        parse_policy_document(C, {"Statement": [statement]}, field="p")
    assert err.value.fix == "use 'StringEquals'"


def test_description_limits():
    assert validate_description(C, "Reads reports; caf\u00e9\n") == "Reads reports; caf\u00e9\n"
    assert validate_description(C, "x" * 1000)
    for bad in ["x" * 1001, "snow \u2603", "\u00a0", 5]:
        with pytest.raises(IrsaConfigError):
            validate_description(C, bad)


def test_tag_characters_are_iams():
    assert validate_tags(C, {"team name": "pay-ments_1 @x:y/z=+.", "\u00e9quipe": "caf\u00e9"})
    for tags in [{"team#": "a"}, {"team": "a|b"}, {"team": "a\nb"}, {"": "a"}, {"AWS:x": "a"}]:
        with pytest.raises(IrsaConfigError):
            validate_tags(C, tags)


def test_reserved_tags_count_against_fifty():
    tags = {f"k{i}": "v" for i in range(50)}
    assert validate_tags(C, tags)
    with pytest.raises(IrsaConfigError, match="49"):
        validate_tags(C, tags, reserved=1)


def test_quota_maxima():
    assert validate_policy_attachment_quota(C, 20) == 20
    assert validate_trust_policy_quota(C, 8192) == 8192
    for bad in [21, 0, "20", True]:
        with pytest.raises(IrsaConfigError):
            validate_policy_attachment_quota(C, bad)
    for bad in [8193, 2047, "4096"]:
        with pytest.raises(IrsaConfigError):
            validate_trust_policy_quota(C, bad)


def test_audiences_and_client_ids():
    assert validate_audience(C, "sts.amazonaws.com")
    assert validate_client_ids(C, ["sts.amazonaws.com", "my-app"]) == ["sts.amazonaws.com", "my-app"]
    for bad in ["${aws:username}", "st\u0161", "a b", "c" * 256, "", "*"]:
        with pytest.raises(IrsaConfigError):
            validate_audience(C, bad)
    with pytest.raises(IrsaConfigError, match="100"):
        validate_client_ids(C, [f"c{i}" for i in range(101)])
    with pytest.raises(IrsaConfigError, match="twice"):
        validate_client_ids(C, ["a", "a"])


def test_labels_and_annotations():
    assert validate_labels(C, {"app.kubernetes.io/name": "api", "team": "", "v": "a" * 63})
    assert validate_annotations(C, {"example.com/x": "any text at all: /?*"})
    for labels in [{"team": "a" * 64}, {"team": "-a"}, {"team": "a b"}, {"/team": "a"}, {"Ex.com/t": "a"}]:
        with pytest.raises(IrsaConfigError):
            validate_labels(C, labels)
    for notes in [{f"{'p' * 254}/n": "x"}, {f"example.com/{'n' * 64}": "x"}, {"a/b/c": "x"}, {"k": 1}]:
        with pytest.raises(IrsaConfigError):
            validate_annotations(C, notes)


def test_partitions_of_one_component_must_agree():
    partitions = SamePartition(C)
    partitions.check("oidc_provider_arn", "arn:aws-iso-b:iam::123456789012:oidc-provider/x")
    partitions.check("policy_arns", "arn:aws-iso-b:iam::aws:policy/ReadOnlyAccess")
    with pytest.raises(IrsaConfigError) as err:
        partitions.check("permissions_boundary", "arn:aws:iam::123456789012:policy/b")
    assert err.value.field == "permissions_boundary"
    assert "oidc_provider_arn" in err.value.problem


@pytest.mark.parametrize("partition", ["aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"])
def test_every_partition_has_valid_arns(partition):
    assert validate_role_arn(C, f"arn:{partition}:iam::123456789012:role/app")
    assert validate_policy_arn(C, f"arn:{partition}:iam::aws:policy/ReadOnlyAccess")
    assert validate_oidc_provider_arn(C, f"arn:{partition}:iam::123456789012:oidc-provider/oidc.example/id/A")


def test_wildcards_in_role_paths_and_arns_are_refused():
    for bad in ["/team*/", "/a/?/"]:
        with pytest.raises(IrsaConfigError, match=r"'\*' or '\?'"):
            validate_path(C, bad)
    with pytest.raises(IrsaConfigError):
        validate_role_arn(C, "arn:aws:iam::123456789012:role/team*/app")


def test_unique_child_names_keep_the_first_claimant_and_the_kept_names():
    names = unique_child_names([("a", "1"), ("a", "2"), ("b", "3")], keep=["b"])
    assert names[0] == "a"
    assert len(set(names)) == 3
    assert "b" not in names[1:]
    assert unique_child_names([("x", "1"), ("y", "2")]) == ["x", "y"]


@pytest.mark.parametrize(
    "key,meant",
    [
        ("permission_boundary", "permissions_boundary"),
        ("oidcProviderArn", "oidc_provider_arn"),
        ("polcy_arns", "policy_arns"),
    ],
)
def test_closest_key(key, meant):
    assert closest_key(key, ["permissions_boundary", "oidc_provider_arn", "policy_arns", "path"]) == meant
