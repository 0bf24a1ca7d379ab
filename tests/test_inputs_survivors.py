"""Behaviours the last mutation run of ``_inputs.py`` found unspecified (no args TypedDict of ours uses these
shapes yet, so they are pinned on the checker itself): a value checked against a union of plain types, how a
type without a friendly name reads in a refusal, and the fields of a TypedDict whose annotations can't be
evaluated."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from typing import Any, TypedDict, Union

import pulumi
import pytest

from irsa_components import IrsaConfigError
from irsa_components._inputs import check_args, check_shape, check_typed_dict, is_known, typed_dict_fields
from irsa_components.testing import IrsaMocks, run_program

C = "ServiceAccountRole 'app'"
STR_OR_LIST = str | list[str]


# ---- a union of plain types: any member will do; otherwise the first member's refusal ------------------------


@pytest.mark.parametrize("value", ["api", ["api", "web"], []])
def test_a_value_of_any_member_of_a_plain_union_is_accepted(value):
    check_shape(C, "service_account", value, STR_OR_LIST)


@pytest.mark.parametrize("value", [3, {"api": True}, ["api", 3]])
def test_a_value_of_no_member_of_a_plain_union_gets_the_first_members_refusal(value):
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "service_account", value, STR_OR_LIST)
    assert (err.value.component, err.value.field, err.value.value) == (C, "service_account", value)
    assert err.value.problem == f"must be a string, not {type(value).__name__}"
    assert err.value.fix == "pass a string"


def test_the_first_member_of_the_union_speaks_whichever_it_is():
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "service_account", 3, list[str] | str)
    assert err.value.problem == "must be a list, not int"


# ---- a type with no friendly name reads as its own name -------------------------------------------------------


def test_a_deploy_time_value_for_a_plain_field_of_another_type_names_that_type():
    async def later() -> float:
        return 1.5

    pending = later()
    try:
        with pytest.raises(IrsaConfigError) as err:
            check_shape(C, "ratio", pending, float)
    finally:
        pending.close()
    assert (err.value.field, err.value.value) == ("ratio", "<deploy-time Output>")
    assert err.value.problem.startswith("must be a plain float, not an Output")
    assert err.value.fix == "pass a plain float (a literal, or read from pulumi.Config)"


# ---- a TypedDict whose annotations can't be evaluated still has its keys --------------------------------------


class _Unresolvable(TypedDict, total=False):
    name: str
    shape: NotDefinedAnywhere  # type: ignore[name-defined]  # noqa: F821


def test_the_fields_of_a_typeddict_with_an_unresolvable_annotation_are_its_keys_of_any_type():
    assert typed_dict_fields(_Unresolvable) == {"name": Any, "shape": Any}


def test_such_a_typeddict_still_refuses_unknown_keys_and_takes_its_own():
    check_typed_dict(C, {"name": 3, "shape": object()}, _Unresolvable)
    with pytest.raises(IrsaConfigError) as err:
        check_typed_dict(C, {"nmae": "x"}, _Unresolvable)
    assert (err.value.field, err.value.value) == ("nmae", "x")


# ---- a deploy-time value where a plain one is needed, and where any value will do ----------------------------


def _pending():
    async def later() -> str:
        return "x"

    return later()


def test_an_output_for_a_plain_field_is_refused_as_an_output():
    def program() -> None:
        with pytest.raises(IrsaConfigError) as err:
            check_shape(C, "service_account_mode", pulumi.Output.from_input("create"), str)
        assert err.value.value == "<deploy-time Output>"
        assert err.value.problem.startswith("must be a plain string, not an Output")

    run_program(program, mocks=IrsaMocks())


@pytest.mark.parametrize("hint", [Any, str | Awaitable, Union[str, pulumi.Output]])  # noqa: UP007
def test_a_deploy_time_value_is_left_to_fields_that_take_any_value_or_an_output(hint):
    pending = _pending()
    try:
        check_shape(C, "description", pending, hint)
    finally:
        pending.close()


@pytest.mark.parametrize(("hint", "kind"), [(Mapping, "dict"), (dict, "dict"), (Sequence, "list"), (list, "list")])
def test_a_deploy_time_value_for_a_bare_collection_type_names_it_plainly(hint, kind):
    pending = _pending()
    try:
        with pytest.raises(IrsaConfigError) as err:
            check_shape(C, "labels", pending, hint)
    finally:
        pending.close()
    assert err.value.problem.startswith(f"must be a plain {kind}, not an Output")


def test_a_mapping_holding_a_deploy_time_key_is_not_known():
    pending = _pending()
    try:
        assert is_known({"team": "a"}) is True
        assert is_known({pending: "a"}) is False
    finally:
        pending.close()


# ---- optional fields: None is unset, anything else must be of the type ---------------------------------------


def test_an_optional_field_takes_none_and_refuses_another_type():
    check_shape(C, "role_name", None, str | None)
    check_shape(C, "role_name", "app", str | None)
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "role_name", 3, str | None)
    assert err.value.problem == "must be a string, not int"


# ---- the values of a mapping are checked against its value type, named by their key ---------------------------


@pytest.mark.parametrize("hint", [dict[str, str], Mapping[str, str]])
def test_each_value_of_a_mapping_field_is_checked(hint):
    check_shape(C, "tags", {"team": "a"}, hint)
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "tags", {"team": "a", "cost": 3}, hint)
    assert (err.value.field, err.value.value, err.value.problem) == ("tags['cost']", 3, "must be a string, not int")


@pytest.mark.parametrize("hint", [dict[str, str], Mapping[str, str]])
def test_a_mapping_field_given_another_type_asks_for_a_dict(hint):
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "tags", "team=a", hint)
    assert (err.value.problem, err.value.fix) == ("must be a dict, not str", "pass a dict")


@pytest.mark.parametrize("hint", [list[str], Sequence[str]])
def test_a_list_field_given_a_string_is_told_to_wrap_it(hint):
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "policy_arns", "arn:aws:iam::aws:policy/ReadOnlyAccess", hint)
    assert (err.value.problem, err.value.fix) == (
        "must be a list, not str",
        "wrap the value in a list: policy_arns=[...]",
    )


def test_a_list_field_given_a_number_is_asked_for_a_list():
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "policy_arns", 3, list[str])
    assert err.value.fix == "pass a list"


# ---- fixes that convert the value -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"), [("true", "True"), ("True", "True"), ("false", "False"), ("False", "False")]
)
def test_a_bool_written_as_a_string_is_given_back_as_a_bool(text, written):
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "create_service_account", text, bool)
    assert err.value.fix == f"pass create_service_account={written} (a bool, not a string)"


def test_a_nested_number_field_written_as_a_string_is_checked_against_its_range():
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "role.max_session_duration", "99999", int)
    assert err.value.fix.startswith("write a number without quotes; 99999 itself would be refused: ")
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "role.max_session_duration", "7200", int)
    assert err.value.fix == "write the number without quotes (role.max_session_duration=7200 rather than '7200')"


class _Scope(TypedDict):
    name: str


def test_a_deploy_time_value_for_a_nested_args_field_asks_for_a_plain_dict():
    pending = _pending()
    try:
        with pytest.raises(IrsaConfigError) as err:
            check_shape(C, "scope", pending, _Scope)
    finally:
        pending.close()
    assert err.value.problem.startswith("must be a plain dict, not an Output")


def test_a_whole_number_field_given_a_fraction_asks_for_a_whole_number():
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "max_session_duration", 1.5, int)
    assert (err.value.problem, err.value.fix) == ("must be a whole number, not float", "pass a whole number")


# ---- args that are not a dict: the fix shows the required fields ----------------------------------------------


class _Required(TypedDict):
    cluster_name: str
    namespace: str


class _NothingRequired(TypedDict, total=False):
    namespace: str


def test_args_that_are_not_a_dict_are_refused_with_the_required_fields_as_the_example():
    with pytest.raises(IrsaConfigError) as err:
        check_args(C, ["prod"], _Required)
    assert (err.value.field, err.value.problem) == ("args", "must be a dict of _Required fields")
    assert err.value.fix == "pass a dict, e.g. {'cluster_name': ..., 'namespace': ...}"
    with pytest.raises(IrsaConfigError) as err:
        check_args(C, "prod", _NothingRequired)
    assert err.value.fix == "pass a dict, e.g. {...}"


def test_a_deploy_time_value_for_a_plain_union_asks_for_its_first_member():
    pending = _pending()
    try:
        with pytest.raises(IrsaConfigError) as err:
            check_shape(C, "service_account", pending, STR_OR_LIST)
    finally:
        pending.close()
    assert err.value.problem.startswith("must be a plain string, not an Output")
    assert err.value.fix == "pass a plain string (a literal, or read from pulumi.Config)"


@pytest.mark.parametrize("value", ["one hour", "true"])
def test_a_whole_number_field_given_words_asks_for_a_whole_number(value):
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "max_session_duration", value, int)
    assert (err.value.problem, err.value.fix) == ("must be a whole number, not str", "pass a whole number")


def test_a_bool_field_given_a_number_asks_for_a_bool():
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "create_service_account", 1, bool)
    assert (err.value.problem, err.value.fix) == (
        "must be a bool (True or False), not int",
        "pass a bool (True or False)",
    )


def test_args_of_the_right_shape_are_handed_back():
    args = {"cluster_name": "prod", "namespace": "shop"}
    assert check_args(C, args, _Required) is args


def test_the_elements_of_a_deferred_list_field_are_left_to_its_own_validator():
    check_shape(C, "addon_policies", [3, {"preset": 4}], list[str], deferred_fields=("addon_policies",))
    with pytest.raises(IrsaConfigError) as err:
        check_shape(C, "policy_arns", [3], list[str], deferred_fields=("addon_policies",))
    assert (err.value.field, err.value.problem) == ("policy_arns[0]", "must be a string, not int")
