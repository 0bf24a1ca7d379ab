"""The CI gate: `--fail-on` over an open trust, fingerprints, baselines and `irsa:ignore` suppressions."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from irsa_components.cli import FINDINGS_EXIT_CODE, main
from irsa_components.review.gate import GateConfigError, suppressions_from_config

OPEN_ADMIN_PROGRAM = """
import json
import pulumi_aws as aws

host = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
trust = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow",
    "Principal": {"Federated": f"arn:aws:iam::123456789012:oidc-provider/{host}"},
    "Action": "sts:AssumeRoleWithWebIdentity",
}]}
role = aws.iam.Role("ci-role", assume_role_policy=json.dumps(trust))
aws.iam.RolePolicyAttachment("ci-admin", role=role.name, policy_arn="arn:aws:iam::aws:policy/AdministratorAccess")
"""

IGNORE_EVERY_HIGH = """
config:
  irsa:ignore:
    value:
      - {id: IRSA012, resource: ci-role, reason: "sandbox account, torn down nightly"}
      - {id: IRSA013, resource: ci-role, reason: "sandbox account, torn down nightly"}
      - {id: IRSA019, resource: ci-role, reason: "sandbox account, torn down nightly"}
      - {id: IRSA017, resource: ci-*, reason: "sandbox account, torn down nightly"}
"""


def program(tmp_path: Path, source: str = OPEN_ADMIN_PROGRAM, project_extra: str = "") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "Pulumi.yaml").write_text("name: gate\nruntime: python\n" + textwrap.dedent(project_extra))
    (tmp_path / "__main__.py").write_text(textwrap.dedent(source))
    return tmp_path


def plan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["plan", *args])
    return status, capsys.readouterr().out


def test_the_readme_ci_example_fails_on_an_open_trust_with_admin_permissions(tmp_path, capsys):
    status, out = plan(capsys, str(program(tmp_path)), "--format", "markdown", "--fail-on", "high")
    assert status == FINDINGS_EXIT_CODE
    assert "IRSA019" in out


def test_every_finding_has_a_fingerprint_stable_across_runs(tmp_path, capsys):
    folder = str(program(tmp_path))
    first = json.loads(plan(capsys, folder, "--format", "json")[1])["findings"]
    second = json.loads(plan(capsys, folder, "--format", "json")[1])["findings"]
    assert [f["fingerprint"] for f in first] == [f["fingerprint"] for f in second]
    assert len({f["fingerprint"] for f in first}) == len(first)


def test_a_baseline_accepts_known_findings_and_fails_on_new_ones(tmp_path, capsys):
    folder = program(tmp_path / "app")
    baseline = tmp_path / "baseline.json"
    assert plan(capsys, str(folder), "--write-baseline", str(baseline))[0] == 0
    assert plan(capsys, str(folder), "--baseline", str(baseline), "--fail-on", "high")[0] == 0

    worse = (
        OPEN_ADMIN_PROGRAM + 'aws.iam.Role("public", assume_role_policy=json.dumps({"Version": "2012-10-17", '
        '"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}))\n'
    )
    program(folder, worse)
    status, out = plan(capsys, str(folder), "--baseline", str(baseline), "--fail-on", "high", "--format", "json")
    assert status == FINDINGS_EXIT_CODE
    new = [(f["id"], f["resource"]) for f in json.loads(out)["findings"] if not f["in_baseline"]]
    assert new == [("IRSA011", "public")]


def test_an_unreadable_baseline_is_invalid_input(tmp_path, capsys):
    (tmp_path / "baseline.json").write_text("[]")
    assert plan(capsys, str(program(tmp_path / "app")), "--baseline", str(tmp_path / "baseline.json"))[0] == 2


def test_suppressions_with_reasons_pass_the_gate_and_show_in_the_report(tmp_path, capsys):
    folder = str(program(tmp_path, project_extra=IGNORE_EVERY_HIGH))
    status, out = plan(capsys, folder, "--fail-on", "high", "--format", "json")
    report = json.loads(out)
    assert status == 0
    assert {(f["id"], f["reason"]) for f in report["suppressed_findings"]} == {
        (i, "sandbox account, torn down nightly") for i in ("IRSA012", "IRSA013", "IRSA017", "IRSA019")
    }
    assert all(f["severity"] != "high" for f in report["findings"])
    assert "sandbox account, torn down nightly" in plan(capsys, folder, "--format", "markdown")[1]
    assert "suppressed  IRSA019  ci-role: sandbox account" in plan(capsys, folder)[1]


def test_a_suppression_without_a_reason_is_invalid_input(tmp_path, capsys):
    extra = "config:\n  irsa:ignore:\n    value:\n      - {id: IRSA019, resource: ci-role}\n"
    status = main(["plan", str(program(tmp_path, project_extra=extra))])
    assert status == 2
    assert "reason is required" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('{"id": "IRSA019"}', "must be a list"),
        ('[{"id": "IRSA999", "resource": "r", "reason": "x"}]', "is not a finding id"),
        ('[{"id": "IRSA019", "reason": "x"}]', "resource is required"),
        ('[{"id": "IRSA019", "resource": "r", "reason": " "}]', "reason is required"),
    ],
)
def test_suppressions_are_checked(value, problem):
    with pytest.raises(GateConfigError, match=problem):
        suppressions_from_config({"irsa:ignore": value})


def test_every_way_of_attaching_a_policy_shows_in_the_role_report(tmp_path, capsys):
    source = """
    import json
    import pulumi_aws as aws

    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    read = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    role = aws.iam.Role("r", name="r", assume_role_policy=trust, managed_policy_arns=[read + "-1"],
                        inline_policies=[{"name": "inline", "policy": trust}])
    aws.iam.RolePolicyAttachment("one", role=role.name, policy_arn=read + "-2")
    aws.iam.PolicyAttachment("many", roles=[role.name], policy_arn=read + "-3")
    aws.iam.RolePolicyAttachmentsExclusive("exclusive", role_name=role.name, policy_arns=[read + "-4"])
    aws.iam.RolePolicy("own", name="own", role=role.name, policy=trust)
    """
    out = plan(capsys, str(program(tmp_path, source)), "--format", "json")[1]
    (role,) = json.loads(out)["roles"]
    assert sorted(p["arn"][-1] for p in role["managed_policies"]) == ["1", "2", "3", "4"]
    assert sorted(p["name"] for p in role["inline_policies"]) == ["inline", "own"]
