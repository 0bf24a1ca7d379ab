"""Every AWS and Kubernetes limit the validators enforce, at its boundary: the largest value accepted, the next refused.

Limits are IAM's and Kubernetes' documented quotas (IAM "IAM and AWS STS quotas", Kubernetes object names);
a limit off by one either refuses a valid input or lets AWS refuse it at deploy time.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pytest
from conftest import PROVIDER_ARN

from irsa_components import IrsaConfigError, PodIdentityAssociation, ServiceAccountRole
from irsa_components.testing import IrsaMocks, run_program
from irsa_components.trust import build_irsa_trust_policy
from irsa_components.validation import (
    check_trust_policy_size,
    parse_policy_document,
    policy_size,
    validate_autonamed_role,
    validate_cluster_name,
    validate_namespace,
    validate_path,
    validate_policy_name,
    validate_service_account_name,
    validate_subjects,
    validate_tags,
    validate_thumbprints,
)

C = "ServiceAccountRole 'app'"
ROLE = "aws:iam/role:Role"
S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def irsa(name: str = "app", **args: Any):
    base = {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}
    return lambda: ServiceAccountRole(name, {**base, **args})


def refused(program) -> IrsaConfigError:
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=IrsaMocks())
    return err.value


def accepted(program) -> Any:
    return run_program(program, mocks=IrsaMocks())


# ---- tags: at most 50 per resource, keys 1-128 and values up to 256 characters ----------------------


def tags(count: int) -> dict[str, str]:
    return {f"key-{i:02d}": "v" for i in range(count)}


def test_fifty_tags_are_accepted_and_fifty_one_refused():
    assert validate_tags(C, tags(50)) == tags(50)
    with pytest.raises(IrsaConfigError, match="exceeds AWS's 50 tags per resource"):
        validate_tags(C, tags(51))


def test_a_role_with_fifty_one_tags_is_refused_before_any_resource():
    accepted(irsa(tags=tags(50)))
    assert refused(irsa(tags=tags(51))).field == "tags"


def test_tag_key_of_128_characters_is_accepted_and_129_refused():
    assert validate_tags(C, {"k" * 128: "v"}) == {"k" * 128: "v"}
    with pytest.raises(IrsaConfigError, match="not a valid tag key") as err:
        validate_tags(C, {"k" * 129: "v"})
    assert err.value.value == "k" * 129


def test_tag_key_of_one_character_is_accepted():
    assert validate_tags(C, {"k": "v"}) == {"k": "v"}


def test_empty_tag_key_and_reserved_aws_prefix_are_refused():
    for key in ("", "aws:team", "AWS:team"):
        with pytest.raises(IrsaConfigError, match="not a valid tag key"):
            validate_tags(C, {key: "v"})
    assert validate_tags(C, {"awsome": "v"}) == {"awsome": "v"}


def test_tag_value_of_256_characters_is_accepted_and_257_refused():
    assert validate_tags(C, {"team": "v" * 256}) == {"team": "v" * 256}
    assert validate_tags(C, {"team": ""}) == {"team": ""}
    with pytest.raises(IrsaConfigError, match="at most 256 characters"):
        validate_tags(C, {"team": "v" * 257})
    with pytest.raises(IrsaConfigError, match="at most 256 characters"):
        validate_tags(C, {"team": 1})


def test_tag_keys_must_be_strings():
    with pytest.raises(IrsaConfigError, match="not a valid tag key"):
        validate_tags(C, {1: "v"})


def test_tags_must_be_a_mapping():
    with pytest.raises(IrsaConfigError, match="must be a mapping"):
        validate_tags(C, [("team", "a")])


# ---- the trust policy quota: 2048 characters by default, whitespace not counted ------------------


def test_a_trust_policy_exactly_at_the_quota_is_accepted_and_one_character_over_refused():
    doc = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api")])
    size = policy_size(doc)
    check_trust_policy_size(C, doc, size)
    with pytest.raises(IrsaConfigError, match=f"exceeds the IAM trust policy quota of {size - 1}"):
        check_trust_policy_size(C, doc, size - 1)


def subjects_of_size(target: int) -> list[tuple[str, str]]:
    """Subjects whose IRSA trust (through PROVIDER_ARN) is exactly ``target`` characters."""
    subjects = [(f"namespace-{i:02d}", f"service-account-{i:02d}") for i in range(100)]
    while policy_size(build_irsa_trust_policy([PROVIDER_ARN], subjects)) > target:
        subjects.pop()
    missing = target - policy_size(build_irsa_trust_policy([PROVIDER_ARN], subjects))
    namespace, name = subjects[-1]
    subjects[-1] = (namespace, name + "x" * missing)
    assert policy_size(build_irsa_trust_policy([PROVIDER_ARN], subjects)) == target
    return subjects


def refs(subjects: list[tuple[str, str]]) -> list[str]:
    return [f"{ns}:{sa}" for ns, sa in subjects]


def test_the_default_trust_quota_is_2048_characters():
    at_quota = refs(subjects_of_size(2048))
    over_quota = refs(subjects_of_size(2049))
    accepted(irsa(namespace=None, service_account=None, service_accounts=at_quota))
    error = refused(irsa(namespace=None, service_account=None, service_accounts=over_quota))
    assert error.field == "trust policy"
    assert "quota of 2048" in error.problem


def test_a_raised_trust_quota_is_honoured_up_to_its_value():
    subjects = refs(subjects_of_size(4096))
    accepted(irsa(namespace=None, service_account=None, service_accounts=subjects, max_trust_policy_size=4096))
    error = refused(irsa(namespace=None, service_account=None, service_accounts=subjects, max_trust_policy_size=4095))
    assert "quota of 4095" in error.problem


@pytest.mark.parametrize("quota", [2047, 0, True, 4096.0, "4096", None])
def test_max_trust_policy_size_must_be_a_whole_number_of_at_least_2048(quota):
    args = {"max_trust_policy_size": quota} if quota is not None else {}
    if quota is None:
        accepted(irsa(**args))
        return
    error = refused(irsa(**args))
    assert (error.field, error.value) == ("max_trust_policy_size", quota)


def test_max_trust_policy_size_of_exactly_2048_is_accepted():
    accepted(irsa(max_trust_policy_size=2048))


# ---- managed policies: at most 10 attached per role unless the quota is raised -------------------


def policy_arns(count: int) -> list[str]:
    return [f"arn:aws:iam::123456789012:policy/policy-{i:02d}" for i in range(count)]


def test_ten_managed_policies_are_accepted_and_eleven_refused():
    result = accepted(irsa(policy_arns=policy_arns(10)))
    assert len(result.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) == 10
    error = refused(irsa(policy_arns=policy_arns(11)))
    assert error.field == "policy_arns"
    assert "exceeds the 10 managed policies" in error.problem


def test_a_raised_attachment_quota_is_honoured_up_to_its_value():
    accepted(irsa(policy_arns=policy_arns(20), max_policy_attachments=20))
    assert (
        "exceeds the 19 managed policies"
        in refused(irsa(policy_arns=policy_arns(20), max_policy_attachments=19)).problem
    )


def test_preset_policies_count_towards_the_attachment_quota():
    preset = [{"preset": "vpc-cni"}]
    attached = accepted(irsa(addon_policies=preset)).of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    room = 10 - len(attached)
    accepted(irsa(policy_arns=policy_arns(room), addon_policies=preset))
    assert refused(irsa(policy_arns=policy_arns(room + 1), addon_policies=preset)).field == "policy_arns"


# ---- inline policies: 10240 characters in all per role ---------------------------------------------


def inline_policy(size: int) -> dict[str, Any]:
    """A permission policy of exactly ``size`` characters as IAM counts them."""
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ""}]}
    base = policy_size(doc) + len("arn:aws:s3:::b/")
    doc["Statement"][0]["Resource"] = "arn:aws:s3:::b/" + "k" * (size - base)
    assert policy_size(doc) == size
    return doc


def test_inline_policies_of_10240_characters_in_all_are_accepted_and_10241_refused():
    accepted(irsa(inline_policies={"a": inline_policy(5120), "b": inline_policy(5120)}))
    error = refused(irsa(inline_policies={"a": inline_policy(5120), "b": inline_policy(5121)}))
    assert (error.field, error.value) == ("inline_policies", "10241 characters")


def test_inline_policy_name_of_128_characters_is_accepted_and_129_refused():
    assert validate_policy_name(C, "p" * 128, field="inline_policies") == "p" * 128
    with pytest.raises(IrsaConfigError, match="not a valid IAM policy name"):
        validate_policy_name(C, "p" * 129, field="inline_policies")
    with pytest.raises(IrsaConfigError, match="not a valid IAM policy name"):
        validate_policy_name(C, "", field="inline_policies")


# ---- a Deny is as valid as an Allow in a permission policy ------------------------------------------


def test_a_deny_statement_in_a_permission_policy_is_accepted():
    deny = {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
    allow = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    document = {"Version": "2012-10-17", "Statement": [allow, deny]}
    assert parse_policy_document(C, document, field="inline_policies['s3']") == document
    result = accepted(irsa(inline_policies={"s3": document}))
    assert json.loads(result.one("aws:iam/rolePolicy:RolePolicy").inputs["policy"]) == document


@pytest.mark.parametrize("effect", ["allow", "Denied", "", None])
def test_effects_other_than_allow_and_deny_are_refused(effect):
    statement = {"Effect": effect, "Action": "s3:GetObject", "Resource": "*"}
    with pytest.raises(IrsaConfigError, match="not 'Allow' or 'Deny'"):
        parse_policy_document(C, {"Statement": [statement]}, field="p")


# ---- IAM names and paths ---------------------------------------------------------------------------


def test_role_path_of_512_characters_is_accepted_and_513_refused():
    path_512 = "/" + "p" * 510 + "/"
    assert validate_path(C, path_512) == path_512
    with pytest.raises(IrsaConfigError, match="not an IAM path"):
        validate_path(C, "/" + "p" * 511 + "/")


def test_auto_named_role_fits_iam_64_characters_with_pulumi_suffix():
    validate_autonamed_role(C, "r" * 56)  # 56 + '-' + 7 random characters = 64
    with pytest.raises(IrsaConfigError) as err:
        validate_autonamed_role(C, "r" * 57)
    assert err.value.field == "role_name"


def test_auto_named_role_must_be_made_of_iam_name_characters():
    with pytest.raises(IrsaConfigError) as err:
        validate_autonamed_role(C, "app role")
    assert err.value.field == "role_name"


def test_namespace_of_63_characters_is_accepted_and_64_refused():
    assert validate_namespace(C, "n" * 63) == "n" * 63
    with pytest.raises(IrsaConfigError, match="at most 63"):
        validate_namespace(C, "n" * 64)


def test_an_empty_name_is_refused_as_empty():
    with pytest.raises(IrsaConfigError, match="non-empty"):
        validate_namespace(C, "")
    with pytest.raises(IrsaConfigError, match="non-empty"):
        validate_service_account_name(C, "")


def test_a_bad_name_in_a_subject_list_is_reported_under_the_list_field():
    with pytest.raises(IrsaConfigError) as err:
        validate_subjects(C, [("apps", "api"), ("apps", "Bad_Name")], field="service_accounts", allow_wildcard=False)
    assert (err.value.field, err.value.value) == ("service_accounts", "Bad_Name")
    with pytest.raises(IrsaConfigError) as err:
        validate_subjects(
            C, [("apps", "Bad_Name")], field="namespace", allow_wildcard=False, name_field="service_account"
        )
    assert err.value.field == "service_account"


def test_service_account_name_of_253_characters_is_accepted_and_254_refused():
    assert validate_service_account_name(C, "s" * 253) == "s" * 253
    with pytest.raises(IrsaConfigError, match="at most 253"):
        validate_service_account_name(C, "s" * 254)


def test_cluster_name_of_100_characters_is_accepted_and_101_refused():
    assert validate_cluster_name(C, "c" * 100) == "c" * 100
    with pytest.raises(IrsaConfigError):
        validate_cluster_name(C, "c" * 101)


def test_five_thumbprints_are_accepted_and_six_refused():
    five = [f"{i:040x}" for i in range(5)]
    assert validate_thumbprints(C, five) == five
    with pytest.raises(IrsaConfigError, match="at most 5"):
        validate_thumbprints(C, [*five, "f" * 40])
    with pytest.raises(IrsaConfigError, match="must be a list"):
        validate_thumbprints(C, "f" * 40)


@pytest.mark.parametrize(
    "key,ok",
    [
        ("n" * 63, True),
        ("n" * 64, False),
        ("example.com/" + "n" * 63, True),
        ("example.com/" + "n" * 64, False),
        ("a", True),
        ("-a", False),
    ],
)
def test_service_account_annotation_key_name_part_is_at_most_63_characters(key, ok):
    program = irsa(service_account_annotations={key: "v"})
    if ok:
        sa = accepted(program).one("kubernetes:core/v1:ServiceAccount")
        assert sa.inputs["metadata"]["annotations"][key] == "v"
    else:
        error = refused(program)
        assert (error.field, error.value) == ("service_account_annotations", key)


# ---- values only known at deploy time are checked like plain ones ----------------------------------


def test_deploy_time_namespace_is_validated_even_without_a_created_service_account():
    def program() -> None:
        namespace = pulumi.Output.from_input("Not_Valid")
        ServiceAccountRole(
            "app",
            {
                "oidc_provider_arn": PROVIDER_ARN,
                "namespace": namespace,
                "service_account": "api",
                "create_service_account": False,
            },
        )

    error = refused(program)
    assert (error.field, error.value) == ("namespace", "Not_Valid")


def test_deploy_time_service_account_name_is_validated_even_without_a_created_service_account():
    def program() -> None:
        name = pulumi.Output.from_input("Not_Valid")
        ServiceAccountRole(
            "app",
            {
                "oidc_provider_arn": PROVIDER_ARN,
                "namespace": "apps",
                "service_account": name,
                "create_service_account": False,
            },
        )

    error = refused(program)
    assert (error.field, error.value) == ("service_account", "Not_Valid")


def test_valid_deploy_time_namespace_reaches_the_trust():
    def program() -> None:
        namespace = pulumi.Output.from_input("apps")
        ServiceAccountRole(
            "app",
            {
                "oidc_provider_arn": PROVIDER_ARN,
                "namespace": namespace,
                "service_account": "api",
                "create_service_account": False,
            },
        )

    trust = json.loads(accepted(program).one(ROLE).inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Condition"]["StringEquals"][f"{PROVIDER_ARN.split('oidc-provider/')[1]}:sub"] == (
        "system:serviceaccount:apps:api"
    )


def test_deploy_time_namespace_of_a_pod_identity_association_is_validated():
    def program() -> None:
        PodIdentityAssociation(
            "orders",
            {"cluster_name": "prod", "namespace": pulumi.Output.from_input("Shop"), "service_account": "orders"},
        )

    error = refused(program)
    assert (error.field, error.value) == ("namespace", "Shop")


@pytest.mark.parametrize("value", ["__", "Apps_", "-a-", "a" * 70])
def test_a_suggested_name_in_the_fix_is_itself_valid(value):
    with pytest.raises(IrsaConfigError) as err:
        validate_namespace(C, value)
    suggestion = re.search(r"use e\.g\. '([^']*)'", err.value.fix)
    if suggestion is not None:
        assert validate_namespace(C, suggestion.group(1)) == suggestion.group(1)
