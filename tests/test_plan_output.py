"""`irsa-components plan` as a reviewer: access matrix, credentials per ServiceAccount, findings, formats, CI gate."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from test_examples import ROOT

from irsa_components.cli import FINDINGS_EXIT_CODE, main, run_folder, wants_color
from irsa_components.review.report import build_report, render_markdown, render_text

QUICKSTART = ROOT / "examples/quickstart"
QUICKSTART_ROLE = "arn:aws:iam::123456789012:role/s3-reader-role-fa40845"

RAW_PROGRAM = """
import json
import pulumi_aws as aws
import pulumi_kubernetes as k8s

host = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
trust = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::123456789012:oidc-provider/{host}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {f"{host}:sub": "system:serviceaccount:apps:api", f"{host}:aud": "sts.amazonaws.com"}},
    }],
}
role = aws.iam.Role("api-role", name="api", assume_role_policy=json.dumps(trust))
k8s.core.v1.ServiceAccount(
    "worker",
    metadata={"name": "worker", "namespace": "apps", "annotations": {"eks.amazonaws.com/role-arn": role.arn}},
)
k8s.core.v1.ServiceAccount(
    "api", metadata={"name": "api", "namespace": "apps", "annotations": {"eks.amazonaws.com/token-expiration": "60"}}
)
"""


@pytest.fixture
def raw_program(tmp_path: Path) -> Path:
    """A hand-written program (no components): a role for apps/api, annotated on apps/worker by mistake."""
    (tmp_path / "Pulumi.yaml").write_text("name: raw\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(textwrap.dedent(RAW_PROGRAM))
    return tmp_path


def plan_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["plan", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


# ---- JSON ---------------------------------------------------------------------------------------


def test_json_report_has_the_documented_top_level_fields(capsys):
    assert list(plan_json(capsys, str(QUICKSTART))) == [
        "schema_version",
        "project",
        "stack",
        "preview",
        "resource_count",
        "component_count",
        "tree",
        "oidc_providers",
        "roles",
        "pod_identity_associations",
        "associations_per_cluster",
        "addons",
        "service_accounts",
        "outputs",
        "access",
        "service_account_modes",
        "findings",
        "finding_counts",
        "unknowns",
        "suppressed_findings",
    ]


def test_json_access_matrix_lists_who_can_assume_the_quickstart_role(capsys):
    report = plan_json(capsys, str(QUICKSTART))
    provider = report["oidc_providers"][0]["arn"]
    assert report["access"] == [
        {
            "role": "s3-reader-role",
            "name": "s3-reader-role-fa40845",
            "arn": QUICKSTART_ROLE,
            "grants": [
                {
                    "via": "irsa",
                    "statement": 0,
                    "principal": provider,
                    "cluster": "demo",
                    "namespace": "apps",
                    "service_account": "s3-reader",
                    "detail": "aud sts.amazonaws.com",
                }
            ],
        }
    ]


def test_json_is_stable_across_runs(capsys):
    first = plan_json(capsys, str(QUICKSTART))
    assert plan_json(capsys, str(QUICKSTART)) == first


def test_json_findings_of_a_raw_program(capsys, raw_program):
    report = plan_json(capsys, str(raw_program))
    assert [(f["id"], f["severity"], f["resource"]) for f in report["findings"]] == [
        ("IRSA001", "high", "worker"),
        ("IRSA009", "low", "api"),
    ]
    assert report["finding_counts"] == {"high": 1, "medium": 0, "low": 1}
    assert set(report["findings"][0]) == {
        "id",
        "severity",
        "title",
        "resource_type",
        "resource",
        "message",
        "fix",
        "fingerprint",
    }


# ---- which credentials each ServiceAccount uses ------------------------------------------------------


def test_service_account_with_a_role_annotation_uses_irsa(capsys):
    assert plan_json(capsys, str(QUICKSTART))["service_account_modes"] == [
        {
            "resource": "s3-reader-sa",
            "namespace": "apps",
            "name": "s3-reader",
            "mode": "irsa",
            "role_arn": QUICKSTART_ROLE,
            "cluster": None,
            "admitted": "yes",
            "note": None,
        }
    ]


def test_service_account_named_by_an_association_uses_pod_identity(capsys):
    modes = plan_json(capsys, str(ROOT / "examples/pod-identity"))["service_account_modes"]
    assert [(m["namespace"], m["name"], m["mode"], m["cluster"], m["admitted"]) for m in modes] == [
        ("shop", "orders", "pod-identity", "demo", "yes"),
        ("analytics", "reporting", "pod-identity", "demo", "unknown"),
    ]


def test_service_account_without_annotation_or_association_uses_nothing(capsys, raw_program):
    modes = plan_json(capsys, str(raw_program))["service_account_modes"]
    assert [(m["name"], m["mode"], m["role_arn"], m["admitted"]) for m in modes] == [
        ("api", "none", None, None),
        ("worker", "irsa", "arn:aws:iam::123456789012:role/api", "no"),
    ]


# ---- --fail-on ------------------------------------------------------------------------------------


def test_fail_on_high_fails_a_program_with_a_high_finding(capsys, raw_program):
    assert main(["plan", str(raw_program), "--fail-on", "high"]) == FINDINGS_EXIT_CODE


def test_fail_on_passes_a_program_without_findings(capsys):
    assert main(["plan", str(QUICKSTART), "--fail-on", "low"]) == 0


def test_fail_on_counts_worse_findings_than_the_threshold(capsys, raw_program):
    assert main(["plan", str(raw_program), "--fail-on", "medium"]) == FINDINGS_EXIT_CODE


def test_without_fail_on_findings_do_not_change_the_exit_status(capsys, raw_program):
    assert main(["plan", str(raw_program)]) == 0


def test_fail_on_still_prints_the_report(capsys, raw_program):
    main(["plan", str(raw_program), "--fail-on", "high", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["finding_counts"]["high"] == 1


# ---- text and markdown ------------------------------------------------------------------------------


def report_of(folder: Path) -> dict:
    project, result = run_folder(folder)
    return build_report(result, project=project, stack="dev")


def test_text_shows_the_access_matrix_and_the_credentials_of_each_service_account(raw_program):
    text = render_text(report_of(raw_program))
    review = text[text.index("Who can assume each role\n") : text.index("Findings:")]
    assert review.splitlines() == [
        "Who can assume each role",
        "Role  Via   Cluster                                                               Namespace  Service account  Detail",
        "api   irsa  oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE  apps       api              aud sts.amazonaws.com",
        "",
        "Credentials each ServiceAccount will use",
        "ServiceAccount  Mode  Role  Cluster  Trust admits it  Note",
        "apps/api        none  -     -        -",
        "apps/worker     irsa  api   -        no",
        "",
    ]


def test_text_narrower_than_a_table_prints_one_record_per_line_instead_of_wrapping(raw_program):
    text = render_text(report_of(raw_program), width=60)
    review = text[text.index("Who can assume each role\n") : text.index("\nCredentials")]
    assert review.splitlines() == [
        "Who can assume each role",
        "- Role: api; Via: irsa; Cluster: oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE;"
        " Namespace: apps; Service account: api; Detail: aud sts.amazonaws.com",
    ]


def test_plan_honours_columns_in_a_pipe(capsys, raw_program, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["plan", str(raw_program)]) == 0
    assert "\n- Role: api; Via: irsa; " in capsys.readouterr().out


def test_plan_in_a_pipe_without_columns_never_wraps_a_cell(capsys, raw_program, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert main(["plan", str(raw_program)]) == 0
    out = capsys.readouterr().out
    assert "  oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE  apps  " in out


def test_text_keeps_the_plan_before_the_review(raw_program):
    text = render_text(report_of(raw_program))
    assert text.index("\nServiceAccounts\n") < text.index("\nWho can assume each role\n") < text.index("\nFindings:")


def test_text_lists_each_finding_with_its_fix(raw_program):
    text = render_text(report_of(raw_program))
    findings = text[text.index("Findings: 1 high, 0 medium, 1 low\n") :].splitlines()
    assert findings[1] == "HIGH  IRSA001  kubernetes:core/v1:ServiceAccount  worker"
    assert findings[-1] == '  fix: set it to a whole number of seconds from 600 to 86400 (default 86400), e.g. "3600"'


def test_text_without_colour_has_no_escape_codes():
    assert "\x1b[" not in render_text(report_of(QUICKSTART))


def test_text_with_colour_styles_the_headings():
    assert "\x1b[1m" in render_text(report_of(QUICKSTART), color=True)


@pytest.mark.parametrize(
    ("terminal", "environ", "expected"),
    [(True, {}, True), (True, {"NO_COLOR": "1"}, False), (True, {"NO_COLOR": ""}, True), (False, {}, False)],
    ids=["terminal", "NO_COLOR", "NO_COLOR empty", "pipe"],
)
def test_colour_only_on_a_terminal_without_no_color(terminal, environ, expected):
    assert wants_color(terminal=terminal, environ=environ) is expected


def test_markdown_is_a_pull_request_comment_with_a_findings_table(capsys, raw_program):
    assert main(["plan", str(raw_program), "--format", "markdown"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "### `irsa-components plan`: `raw` (stack `dev`)"
    assert lines[2] == "3 cloud resources to create. Findings: 1 high, 0 medium, 1 low."
    table = lines[lines.index("#### Findings") + 2 :][:4]
    assert table[0] == "| Severity | Id | Resource | Problem | Fix |"
    assert table[2].startswith("| **high** | IRSA001 | `worker` | ServiceAccount apps/worker is annotated with role")
    assert table[3].startswith("| **low** | IRSA009 | `api` |")


def test_markdown_escapes_pipes_in_cells():
    markdown = render_markdown(
        {
            **report_of(QUICKSTART),
            "findings": [
                {
                    "id": "IRSA005",
                    "severity": "medium",
                    "resource": "r",
                    "resource_type": "aws:iam/role:Role",
                    "title": "t",
                    "message": "a | b",
                    "fix": "f",
                }
            ],
        }
    )
    assert "| **medium** | IRSA005 | `r` | a \\| b | f |" in markdown.splitlines()
