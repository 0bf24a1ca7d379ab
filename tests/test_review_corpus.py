"""The labelled corpus (tests/review_corpus): every dangerous setup is reported, no safe one is.

Recall on the dangerous cases must be 100% and false positives on the safe cases 0; the run prints both.
"""

from __future__ import annotations

import pytest
from review_corpus import CASES, DANGEROUS, SAFE, Case

from irsa_components.review.findings import Finding, find_issues
from irsa_components.review.report import certificate_chains
from irsa_components.testing import run_program


def review(case: Case) -> list[Finding]:
    result = run_program(case.program)
    return find_issues(result.resources, certificate_chains=certificate_chains(result))


def verdict(case: Case, findings: list[Finding]) -> str | None:
    """None when the review says what the case expects, else what is wrong."""
    found = [f"{f.id}/{f.severity.value}" for f in findings]
    if case.dangerous:
        assert case.min_severity is not None
        missing = [i for i in case.must_report if i not in {f.id for f in findings}]
        if missing or not any(f.severity.at_least(case.min_severity) for f in findings):
            return f"missed: expected {list(case.must_report)} (>= {case.min_severity.value}), got {found}"
        return None
    assert case.forbid is not None
    too_severe = [f"{f.id}: {f.message}" for f in findings if f.severity.at_least(case.forbid)]
    return f"false positive: {too_severe}" if too_severe else None


def test_the_corpus_is_big_enough_and_names_are_unique():
    assert len(DANGEROUS) >= 80
    assert len(SAFE) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


def test_recall_is_total_and_no_safe_case_is_reported():
    misses = {}
    for case in CASES:
        try:
            problem = verdict(case, review(case))
        except Exception as exc:  # a case that does not run is a miss, reported with the others
            problem = f"error: {type(exc).__name__}: {exc}"
        if problem is not None:
            misses[case.name] = problem
    missed = [n for n in misses if any(c.name == n and c.dangerous for c in CASES)]
    false_positives = [n for n in misses if n not in missed]
    recall = (len(DANGEROUS) - len(missed)) / len(DANGEROUS)
    print(
        f"\nreview corpus: {len(DANGEROUS)} dangerous, recall {recall:.0%} ({len(missed)} missed); "
        f"{len(SAFE)} safe, {len(false_positives)} false positives"
    )
    for name, problem in misses.items():
        print(f"  {name}: {problem}")
    assert misses == {}


@pytest.mark.parametrize("case", [c for c in CASES if c.name.startswith("safe trust")][:1], ids=lambda c: c.name)
def test_a_case_can_fail(case):
    """The verdict is not vacuous: a safe case judged as if it had to be reported is a miss."""
    as_dangerous = Case(case.name, case.program, ("IRSA011",), min_severity=case.forbid)
    assert verdict(as_dangerous, review(as_dangerous)) is not None
