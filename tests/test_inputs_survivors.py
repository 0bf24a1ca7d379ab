"""Behaviours the last mutation run of ``_inputs.py`` found unspecified (no args TypedDict of ours uses these
shapes yet, so they are pinned on the checker itself): a value checked against a union of plain types, how a
type without a friendly name reads in a refusal, and the fields of a TypedDict whose annotations can't be
evaluated."""

from __future__ import annotations

from typing import Any, TypedDict

import pytest

from irsa_components import IrsaConfigError
from irsa_components._inputs import check_shape, check_typed_dict, typed_dict_fields

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
