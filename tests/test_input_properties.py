"""Properties of the input checks: typos are always refused and known keys never, and no fix suggests a value
its own validator refuses."""

from __future__ import annotations

import ast
import re
import string
from typing import Any

import pytest
from conftest import PROVIDER_ARN
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from irsa_components import IrsaConfigError, ServiceAccountRole
from irsa_components._addon_policies import check_entry
from irsa_components._inputs import NUMBER_FIELDS, check_typed_dict, typed_dict_fields
from irsa_components.cluster_oidc_provider import ClusterOidcProviderArgs
from irsa_components.cross_account import CrossAccountTargetRoleArgs
from irsa_components.pod_identity_agent import PodIdentityAgentArgs
from irsa_components.pod_identity_association import PodIdentityAssociationArgs
from irsa_components.policies import PRESETS
from irsa_components.service_account_role import PodIdentityMigrationArgs, ServiceAccountRoleArgs
from irsa_components.testing import run_program
from irsa_components.validation import (
    condition_operator_known,
    parse_policy_document,
    validate_k8s_key,
    validate_label_value,
    validate_namespace,
    validate_path,
    validate_service_account_name,
    validate_tags,
)

C = "ServiceAccountRole 'app'"
SCHEMAS = [
    ServiceAccountRoleArgs,
    PodIdentityAssociationArgs,
    CrossAccountTargetRoleArgs,
    ClusterOidcProviderArgs,
    PodIdentityAgentArgs,
    PodIdentityMigrationArgs,
]
props = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)


@st.composite
def near_keys(draw: st.DrawFn) -> tuple[Any, str]:
    """A schema and a key near one of its fields: the field itself, or one edit / camelCase away."""
    schema = draw(st.sampled_from(SCHEMAS))
    key = draw(st.sampled_from(sorted(typed_dict_fields(schema))))
    edit = draw(st.sampled_from(["same", "delete", "insert", "replace", "swap", "camel", "upper", "hyphen"]))
    i = draw(st.integers(0, len(key) - 1))
    letter = draw(st.sampled_from(string.ascii_lowercase + "_"))
    if edit == "delete":
        key = key[:i] + key[i + 1 :]
    elif edit == "insert":
        key = key[:i] + letter + key[i:]
    elif edit == "replace":
        key = key[:i] + letter + key[i + 1 :]
    elif edit == "swap" and i + 1 < len(key):
        key = key[:i] + key[i + 1] + key[i] + key[i + 2 :]
    elif edit == "camel":
        key = camel(key)
    elif edit == "upper":
        key = key.upper()
    elif edit == "hyphen":
        key = key.replace("_", "-")
    return schema, key


@props
@given(near_keys())
@example((ServiceAccountRoleArgs, "permission_boundary"))
@example((ServiceAccountRoleArgs, "oidcProviderArn"))
def test_unknown_keys_are_always_refused_and_known_ones_never(case: tuple[Any, str]) -> None:
    schema, key = case
    known = typed_dict_fields(schema)
    if key in known:
        check_typed_dict(C, {key: None}, schema)
        return
    with pytest.raises(IrsaConfigError) as err:
        check_typed_dict(C, {key: None}, schema)
    assert err.value.field == key
    near = re.search(r"did you mean '([^']+)'", err.value.fix)
    if near is not None:
        assert near[1] in known


def test_a_field_added_to_an_args_typeddict_is_known_without_another_edit() -> None:
    class Extended(ServiceAccountRoleArgs, total=False):
        brand_new_option: int

    check_typed_dict(C, {"brand_new_option": 3, "namespace": "apps"}, Extended)
    with pytest.raises(IrsaConfigError):
        check_typed_dict(C, {"brand_new_option": "3"}, Extended)


# ---- suggested values pass the validator that suggested them ---------------------------------------------

_SUGGESTED = re.compile(r"use e\.g\. ('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")

any_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(string.printable),
        st.sampled_from("\u0430\u0435\u043e\u00e9\u00df\u2603\u00a0\u200b"),
    ),
    max_size=300,
)


def suggested(error: IrsaConfigError) -> Any | None:
    match = _SUGGESTED.search(error.fix)
    return None if match is None else ast.literal_eval(match[1])


def check_suggestion(validate: Any, value: Any) -> None:
    try:
        validate(value)
    except IrsaConfigError as error:
        fix = suggested(error)
        if fix is not None:
            validate(fix)


@props
@given(any_text)
@example("my api")
@example("${aws:username}")
@example("a..b")
@example("n" * 64)
@example("https://payments")
@example("-.-")
def test_suggested_namespace_is_valid(value: str) -> None:
    check_suggestion(lambda v: validate_namespace(C, v), value)


@props
@given(any_text)
@example("a..b")
@example(".a-.b")
def test_suggested_service_account_name_is_valid(value: str) -> None:
    check_suggestion(lambda v: validate_service_account_name(C, v), value)


@props
@given(any_text)
def test_suggested_label_value_is_valid(value: str) -> None:
    check_suggestion(lambda v: validate_label_value(C, "team", v, field="service_account_labels"), value)


@props
@given(any_text)
def test_suggested_tag_key_is_valid(value: str) -> None:
    check_suggestion(lambda v: validate_tags(C, {v: "a"}), value)


@props
@given(any_text)
def test_suggested_tag_value_is_valid(value: str) -> None:
    check_suggestion(lambda v: validate_tags(C, {"team": v}), value)


@props
@given(st.text(alphabet="/ab*?-", max_size=20))
def test_suggested_path_is_valid(value: str) -> None:
    check_suggestion(lambda v: validate_path(C, v), value)


@props
@given(any_text)
def test_suggested_annotation_key_is_valid(value: str) -> None:
    check_suggestion(lambda v: validate_k8s_key(C, v, field="service_account_annotations"), value)


@props
@given(st.text(alphabet=string.ascii_letters + string.digits + "-_ .", max_size=20))
def test_suggested_sid_is_valid(sid: str) -> None:
    def validate(value: str) -> None:
        statement = {"Sid": value, "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
        parse_policy_document(C, {"Statement": [statement]}, field="inline_policies['p']")

    try:
        validate(sid)
    except IrsaConfigError as error:
        match = re.search(r"use e\.g\. Sid ('[^']*')", error.fix)
        assert match is not None
        validate(ast.literal_eval(match[1]))


@props
@given(st.text(alphabet=string.ascii_letters + ":", max_size=30))
@example("StringEqual")
@example("ForAnyValues:StringLike")
def test_suggested_condition_operator_is_known(operator: str) -> None:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {operator: {"k": "v"}}}
    try:
        parse_policy_document(C, {"Statement": [statement]}, field="inline_policies['p']")
    except IrsaConfigError as error:
        match = re.fullmatch(r"use '([^']+)'", error.fix)
        if match is not None:
            assert condition_operator_known(match[1])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(near_keys().filter(lambda case: case[0] is ServiceAccountRoleArgs))
def test_components_refuse_near_keys_before_anything_else(case: tuple[Any, str]) -> None:
    _, key = case
    base = {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}
    args = {**base, key: None} if key not in base else base
    try:
        run_program(lambda: ServiceAccountRole("app", args))
    except IrsaConfigError as error:
        assert key not in typed_dict_fields(ServiceAccountRoleArgs)
        assert error.field == key
    else:
        assert key in typed_dict_fields(ServiceAccountRoleArgs)


@props
@given(
    st.sampled_from(sorted(NUMBER_FIELDS)),
    st.one_of(st.integers(0, 50000).map(str), st.integers(0, 50000).map(lambda n: f" {n} ")),
)
def test_number_given_as_string_is_suggested_back_only_when_valid(field: str, text: str) -> None:
    with pytest.raises(IrsaConfigError) as err:
        check_typed_dict(C, {field: text}, ServiceAccountRoleArgs)
    match = re.search(rf"{field}=(\d+) rather than", err.value.fix)
    if match is not None:
        NUMBER_FIELDS[field](C, int(match[1]))
    else:
        with pytest.raises(IrsaConfigError):
            NUMBER_FIELDS[field](C, int(text))


@props
@given(st.text(alphabet=string.ascii_lowercase + "-_", max_size=40))
def test_suggested_preset_slug_is_a_preset(slug: str) -> None:
    try:
        check_entry(C, 0, {"preset": slug})
    except IrsaConfigError as error:
        match = re.fullmatch(r"use '([^']+)'", error.fix)
        if match is not None:
            assert match[1] in PRESETS
