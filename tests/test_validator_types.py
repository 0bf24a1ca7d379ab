"""Every validator refuses a value of the wrong type with an IrsaConfigError naming the field, never a TypeError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from irsa_components import IrsaConfigError
from irsa_components import validation as v

C = "ServiceAccountRole 'app'"

VALIDATORS: list[tuple[str, Callable[..., Any]]] = [
    ("namespace", lambda value: v.validate_namespace(C, value)),
    ("service_account", lambda value: v.validate_service_account_name(C, value)),
    ("oidc_provider_arn", lambda value: v.validate_oidc_provider_arn(C, value)),
    ("role_arn", lambda value: v.validate_role_arn(C, value)),
    ("policy_arns", lambda value: v.validate_policy_arn(C, value)),
    ("role_name", lambda value: v.validate_role_name(C, value)),
    ("path", lambda value: v.validate_path(C, value)),
    ("max_session_duration", lambda value: v.validate_max_session_duration(C, value)),
    ("issuer_url", lambda value: v.validate_issuer_url(C, value)),
    ("cluster_name", lambda value: v.validate_cluster_name(C, value)),
    ("audience", lambda value: v.validate_audience(C, value)),
    ("inline_policies", lambda value: v.validate_policy_name(C, value, field="inline_policies")),
    ("p", lambda value: v.parse_policy_document(C, value, field="p")),
    ("tags", lambda value: v.validate_tags(C, value)),
]


@pytest.mark.parametrize("value", [None, 123, 1.5, ["x"], {"a": "b"}, b"bytes"])
@pytest.mark.parametrize("field,validator", VALIDATORS, ids=[f for f, _ in VALIDATORS])
def test_a_value_of_the_wrong_type_is_refused_naming_the_field(field, validator, value):
    if field == "tags" and isinstance(value, dict):
        pytest.skip("a mapping is the right type for tags")
    with pytest.raises(IrsaConfigError) as err:
        validator(value)
    assert err.value.field == field


@pytest.mark.parametrize("value", [None, 123, ["x" * 40], [None]])
def test_thumbprints_of_the_wrong_type_are_refused(value):
    with pytest.raises(IrsaConfigError) as err:
        v.validate_thumbprints(C, value)
    assert err.value.field == "thumbprints"
