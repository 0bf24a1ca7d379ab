"""Role options: the error a user sees names the option they got wrong, in the order the options are documented."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import PROVIDER_ARN

from irsa_components import IrsaConfigError, PodIdentityAssociation, ServiceAccountRole
from irsa_components.testing import IrsaMocks, run_program

EXISTING_ROLE = "arn:aws:iam::123456789012:role/existing"


def refused(program) -> IrsaConfigError:
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=IrsaMocks())
    return err.value


def association(**args: Any):
    base = {"cluster_name": "prod", "namespace": "shop", "service_account": "orders", "role_arn": EXISTING_ROLE}
    return lambda: PodIdentityAssociation("orders", {**base, **args})


def test_role_options_beside_an_existing_role_are_refused_naming_the_first_documented_one():
    error = refused(association(path="/eks/", policy_arns=["arn:aws:iam::aws:policy/ReadOnlyAccess"]))
    assert (error.field, error.value) == ("policy_arns", ["arn:aws:iam::aws:policy/ReadOnlyAccess"])
    assert "has no effect because role_arn names an existing role" in error.problem


def test_an_invalid_policy_arn_is_reported_as_invalid_even_when_listed_twice():
    def program() -> None:
        ServiceAccountRole(
            "app",
            {
                "oidc_provider_arn": PROVIDER_ARN,
                "namespace": "apps",
                "service_account": "api",
                "policy_arns": ["ReadOnlyAccess", "ReadOnlyAccess"],
            },
        )

    error = refused(program)
    assert (error.field, error.value) == ("policy_arns", "ReadOnlyAccess")
    assert "is not an IAM policy ARN" in error.problem


def test_a_single_policy_arn_string_is_refused_as_not_a_list():
    error = refused(irsa(policy_arns="arn:aws:iam::aws:policy/ReadOnlyAccess"))
    assert error.field == "policy_arns"
    assert "list" in error.problem


def irsa(**args: Any):
    base = {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}
    return lambda: ServiceAccountRole("app", {**base, **args})


@pytest.mark.parametrize(
    "field,value",
    [
        ("policy_arns", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        ("create_service_account", "yes"),
        ("create_service_account", 1),
        ("service_account_labels", ["team=a"]),
        ("service_account_annotations", "team=a"),
        ("service_account_labels", {"team": 1}),
    ],
)
def test_options_of_the_wrong_shape_are_refused_naming_the_option(field, value):
    error = refused(irsa(**{field: value}))
    assert error.field.startswith(field)
