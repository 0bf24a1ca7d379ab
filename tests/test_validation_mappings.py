"""Kubernetes label and annotation maps checked on their own (the components' type checks stop a non-mapping
before these validators, so the mutation run of ``validation.py`` found their own refusal unreached)."""

from __future__ import annotations

import pytest

from irsa_components import IrsaConfigError
from irsa_components.validation import validate_annotations, validate_labels

C = "ServiceAccountRole 'app'"


@pytest.mark.parametrize("validate", [validate_labels, validate_annotations])
@pytest.mark.parametrize("value", [["team"], "team=a", None])
def test_labels_or_annotations_that_are_not_a_mapping_are_refused_naming_the_field(validate, value):
    with pytest.raises(IrsaConfigError) as err:
        validate(C, value, field="metadata")
    assert (err.value.component, err.value.field, err.value.value) == (C, "metadata", value)
    assert err.value.problem == "must be a mapping of plain strings"


@pytest.mark.parametrize("validate", [validate_labels, validate_annotations])
def test_a_mapping_of_plain_strings_is_kept(validate):
    assert validate(C, {"team": "a"}) == {"team": "a"}
