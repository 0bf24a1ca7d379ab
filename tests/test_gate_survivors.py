"""The CI gate (``review.gate``) over a report's data, pinned where the mutation run of ``gate.py`` found it
unspecified: what a suppression matches (id, exact or shell-pattern resource, case), every invalid ``irsa:ignore``
entry with the message naming it, baselines (unreadable, not a baseline, entries without a fingerprint, what a
written one holds), and which findings fail a run (severity threshold, suppressed, in the baseline or new).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from irsa_components.review.findings import Severity
from irsa_components.review.gate import (
    GateConfigError,
    Suppression,
    apply_gate,
    baseline_document,
    fails,
    read_baseline,
    suppressions_from_config,
    write_baseline,
)


def finding(id_: str, severity: str, resource: str, fingerprint: str) -> dict[str, Any]:
    return {
        "id": id_,
        "severity": severity,
        "title": "t",
        "resource_type": "aws:iam/role:Role",
        "resource": resource,
        "message": f"{id_} on {resource}",
        "fix": "f",
        "fingerprint": fingerprint,
    }


REPORT = {
    "project": "p",
    "findings": [
        finding("IRSA012", "high", "ci-role", "fp-12"),
        finding("IRSA005", "medium", "batch-role", "fp-5"),
        finding("IRSA007", "low", "ci-role", "fp-7"),
    ],
    "finding_counts": {"high": 1, "medium": 1, "low": 1},
}


# ---- suppressions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suppression", "matches"),
    [
        (Suppression("IRSA012", "ci-role", "r"), True),
        (Suppression("IRSA012", "ci-*", "r"), True),
        (Suppression("IRSA012", "ci-rol?", "r"), True),
        (Suppression("IRSA012", "CI-ROLE", "r"), False),
        (Suppression("IRSA012", "ci", "r"), False),
        (Suppression("IRSA013", "ci-role", "r"), False),
    ],
    ids=["exact", "star", "question-mark", "other-case", "prefix", "other-id"],
)
def test_a_suppression_matches_its_id_on_resources_its_pattern_names(suppression, matches):
    assert suppression.matches(finding("IRSA012", "high", "ci-role", "fp")) is matches


def test_without_irsa_ignore_there_are_no_suppressions():
    assert suppressions_from_config({"other:key": "[]"}) == []


def test_suppressions_are_read_in_order_with_their_reason_trimmed():
    value = json.dumps(
        [
            {"id": "IRSA005", "resource": "batch-*", "reason": "  jobs share it  "},
            {"id": "IRSA019", "resource": "ci-role", "reason": "sandbox"},
        ]
    )
    assert suppressions_from_config({"irsa:ignore": value}) == [
        Suppression("IRSA005", "batch-*", "jobs share it"),
        Suppression("IRSA019", "ci-role", "sandbox"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not json", "irsa:ignore must be a list of {id, resource, reason}, e.g. irsa:ignore: [{id: IRSA005"),
        ('{"id": "IRSA005"}', "irsa:ignore must be a list of {id, resource, reason}"),
        ('["IRSA005"]', "irsa:ignore[0] must be a mapping with id, resource and reason"),
        (
            '[{"id": "IRSA005", "resource": "r", "reason": "x"}, {"id": "IRSA5", "resource": "r", "reason": "x"}]',
            "irsa:ignore[1]: id='IRSA5' is not a finding id; use one of IRSA001..IRSA020",
        ),
        ('[{"id": "IRSA005", "resource": "", "reason": "x"}]', "irsa:ignore[0]: resource is required"),
        ('[{"id": "IRSA005", "resource": 7, "reason": "x"}]', "irsa:ignore[0]: resource is required"),
        (
            '[{"id": "IRSA005", "resource": "r", "reason": 1}]',
            "irsa:ignore[0]: reason is required: say why IRSA005 on r is accepted",
        ),
        ('[{"id": "IRSA005", "resource": "r"}]', "irsa:ignore[0]: reason is required"),
    ],
    ids=[
        "not-json",
        "not-a-list",
        "entry-not-a-map",
        "unknown-id",
        "empty-resource",
        "resource-not-text",
        "reason-not-text",
        "no-reason",
    ],
)
def test_an_invalid_suppression_is_refused_naming_the_entry(value, message):
    with pytest.raises(GateConfigError) as raised:
        suppressions_from_config({"irsa:ignore": value})
    assert str(raised.value).startswith(message)


# ---- baselines ---------------------------------------------------------------------------------------------


def test_a_written_baseline_holds_every_finding_and_reads_back(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(REPORT, path)
    data = json.loads(path.read_text())
    assert data["version"] == 1
    assert data["findings"][0] == {
        "fingerprint": "fp-12",
        "id": "IRSA012",
        "severity": "high",
        "resource": "ci-role",
        "message": "IRSA012 on ci-role",
    }
    assert read_baseline(path) == {"fp-12", "fp-5", "fp-7"}
    assert baseline_document(REPORT) == data


def test_baseline_entries_without_a_fingerprint_are_skipped(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"findings": [{"fingerprint": "a"}, {"id": "IRSA005"}, "b", {"fingerprint": 3}]}))
    assert read_baseline(path) == {"a", "3"}


@pytest.mark.parametrize("content", [None, "{not json"], ids=["missing", "not-json"])
def test_an_unreadable_baseline_is_refused(tmp_path, content):
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(GateConfigError, match=r"cannot read it .*write one with --write-baseline"):
        read_baseline(path)


@pytest.mark.parametrize("content", ['["fp"]', '{"findings": "fp"}', "{}"])
def test_a_file_without_a_findings_list_is_not_a_baseline(tmp_path, content):
    path = tmp_path / "baseline.json"
    path.write_text(content)
    with pytest.raises(GateConfigError, match="not a baseline file"):
        read_baseline(path)


# ---- the gate ----------------------------------------------------------------------------------------------


def test_a_suppressed_finding_moves_out_with_its_reason_and_leaves_the_counts():
    gated = apply_gate(REPORT, [Suppression("IRSA012", "ci-*", "sandbox"), Suppression("IRSA012", "*", "other")])
    assert [f["id"] for f in gated["findings"]] == ["IRSA005", "IRSA007"]
    assert [(f["id"], f["reason"]) for f in gated["suppressed_findings"]] == [("IRSA012", "sandbox")]
    assert gated["finding_counts"] == {"high": 0, "medium": 1, "low": 1}
    assert gated["project"] == "p"
    assert "in_baseline" not in gated["findings"][0]
    assert not fails(gated, Severity.HIGH)
    assert fails(gated, Severity.MEDIUM)


def test_a_baseline_marks_each_finding_and_only_new_ones_fail():
    gated = apply_gate(REPORT, [], baseline={"fp-12", "fp-7"})
    assert [(f["id"], f["in_baseline"]) for f in gated["findings"]] == [
        ("IRSA012", True),
        ("IRSA005", False),
        ("IRSA007", True),
    ]
    assert gated["finding_counts"] == {"high": 1, "medium": 1, "low": 1}
    assert not fails(gated, Severity.HIGH)
    assert fails(gated, Severity.MEDIUM)
    assert fails(gated, Severity.LOW)


def test_an_empty_baseline_accepts_nothing():
    gated = apply_gate(REPORT, [], baseline=set())
    assert [f["in_baseline"] for f in gated["findings"]] == [False, False, False]
    assert fails(gated, Severity.HIGH)


@pytest.mark.parametrize(
    ("severity", "threshold", "fail"),
    [
        ("high", Severity.HIGH, True),
        ("medium", Severity.HIGH, False),
        ("medium", Severity.MEDIUM, True),
        ("low", Severity.MEDIUM, False),
        ("low", Severity.LOW, True),
        ("high", Severity.LOW, True),
    ],
)
def test_a_run_fails_on_a_finding_of_the_threshold_or_worse(severity, threshold, fail):
    assert fails({"findings": [finding("IRSA005", severity, "r", "fp")]}, threshold) is fail


def test_a_run_without_findings_passes():
    assert not fails({"findings": []}, Severity.LOW)


def test_a_written_baseline_is_indented_by_two_spaces_for_review_in_a_diff(tmp_path):
    path = tmp_path / "baseline.json"
    write_baseline(REPORT, path)
    text = path.read_text()
    assert text.startswith('{\n  "version": 1,\n  "findings": [\n    {\n      "fingerprint": "fp-12",')
    assert text.endswith("}\n")


def test_a_baseline_entry_that_is_only_the_word_fingerprint_is_skipped(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"findings": ["fingerprint", {"fingerprint": "a"}]}))
    assert read_baseline(path) == {"a"}
