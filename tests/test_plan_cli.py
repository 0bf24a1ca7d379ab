"""`irsa-components plan` on ordinary programs, and as a tool: failures, timeouts, stacks, versions, safety."""

from __future__ import annotations

import gc
import json
import re
import sys
import textwrap
from pathlib import Path

import pytest
from test_examples import ROOT

from irsa_components.cli import main
from irsa_components.review.report import build_report, render_json, render_markdown, render_text
from irsa_components.testing import ProgramFailure, run_project

PROGRAMS = ROOT / "tests/programs"
MIXED = PROGRAMS / "mixed"
ACCOUNT = "123456789012"


def plan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["plan", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def program(tmp_path: Path, source: str, project: str = "name: t\nruntime: python\n") -> Path:
    (tmp_path / "Pulumi.yaml").write_text(project)
    (tmp_path / "__main__.py").write_text(textwrap.dedent(source))
    return tmp_path


# ---- an ordinary program: DynamoDB, S3, KMS, SQS, get_policy_document, route53.get_zone, config defaults ----


def test_an_ordinary_program_plans_with_real_looking_arns_in_its_policies(capsys):
    status, out, _ = plan(capsys, MIXED, "--format", "json")
    assert status == 0
    report = json.loads(out)
    (role,) = report["roles"]
    access = next(p for p in role["inline_policies"] if p["name"] == "orders-api-access")["document"]
    resources = {s["Sid"]: s["Resource"] for s in access["Statement"]}
    region = "us-east-2"  # aws:region from Pulumi.yaml's config defaults
    assert resources["ReadTables"] == [
        f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/orders-customers",
        f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/orders-1c168ad/index/*",
        f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/orders-1c168ad",
    ]
    assert (
        resources["Stream"]
        == f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/orders-1c168ad/stream/2026-01-01T00:00:00.000"
    )
    assert resources["Objects"] == ["arn:aws:s3:::reports-7f26104/*", "arn:aws:s3:::orders-legacy/*"]
    assert re.fullmatch(
        rf"arn:aws:kms:{region}:{ACCOUNT}:key/[0-9a-f]{{8}}(-[0-9a-f]{{4}}){{3}}-[0-9a-f]{{12}}",
        resources["Decrypt"][0],
    )
    assert resources["Queue"] == [
        f"arn:aws:sqs:{region}:{ACCOUNT}:ordered-7fdbf2f.fifo",
        f"arn:aws:sqs:{region}:{ACCOUNT}:events-862417b",
    ]
    assert re.fullmatch(r"arn:aws:route53:::hostedzone/Z[0-9A-Z]{20}", resources["Records"])
    extras = next(p for p in role["inline_policies"] if p["name"] == "orders-api-extras")["document"]
    assert extras["Statement"][0]["Resource"] == ["arn:aws:s3:::orders-audit", "arn:aws:s3:::orders-exports"]
    assert report["outputs"]["tableName"] == "orders-1c168ad"
    assert report["outputs"]["queueUrl"] == f"https://sqs.{region}.amazonaws.com/{ACCOUNT}/events-862417b"
    assert report["outputs"]["keyId"] == report["outputs"]["keyId"].upper()


def test_an_ordinary_program_previews_with_unknown_arns(capsys):
    status, out, _ = plan(capsys, MIXED, "--format", "json", "--preview")
    assert status == 0
    report = json.loads(out)
    assert report["preview"] is True
    assert report["outputs"]["tableArn"] is None and "outputs.tableArn" in report["unknowns"]
    assert report["outputs"]["tableName"] == "orders-1c168ad"  # auto-names are known before creation


def test_account_flag_sets_the_mocks_account(capsys):
    status, out, _ = plan(capsys, MIXED, "--format", "json", "--account", "210987654321")
    assert status == 0
    assert json.loads(out)["outputs"]["tableArn"] == "arn:aws:dynamodb:us-east-2:210987654321:table/orders-1c168ad"


def test_run_project_runs_a_folder_as_plan_does():
    result = run_project(MIXED, config={"appName": "billing"})
    assert (result.project, result.stack) == ("mixed-app", "dev")
    assert result.one("aws:dynamodb/table:Table", "customers").inputs["name"] == "billing-customers"


def test_an_unanswered_data_source_names_both_ways_to_answer_it_and_a_mocks_file_answers_it(capsys):
    status, _, err = plan(capsys, PROGRAMS / "mocks-file")
    assert status == 1
    assert f"failed at {PROGRAMS / 'mocks-file' / '__main__.py'}:6: UnmockedInvokeError" in err
    assert "--mocks FILE.py" in err and "IrsaMocks(calls=" in err
    status, out, _ = plan(
        capsys, PROGRAMS / "mocks-file", "--mocks", PROGRAMS / "mocks-file/mocks.py", "--format", "json"
    )
    assert status == 0
    assert json.loads(out)["outputs"] == {
        "ami": "ami-0abcdef1234567890",
        "endpoint": "search-logs-abc123.eu-west-1.es.amazonaws.com",
    }


def test_a_mocks_file_without_hooks_is_invalid_input(capsys, tmp_path):
    (tmp_path / "m.py").write_text("x = 1\n")
    status, _, err = plan(capsys, MIXED, "--mocks", tmp_path / "m.py")
    assert status == 2 and "must define `calls`, `resources` and/or `stack_outputs`" in err


# ---- program failures -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("import sys\nsys.exit(0)\n", "the program called sys.exit(0)"),
        ("raise SystemExit(3)\n", "the program called sys.exit(3)"),
        ("raise KeyboardInterrupt\n", "the program was interrupted (KeyboardInterrupt)"),
    ],
    ids=["sys.exit(0)", "SystemExit", "KeyboardInterrupt"],
)
def test_exits_inside_the_program_are_failures_never_an_empty_report(capsys, tmp_path, body, message):
    folder = program(tmp_path, "import pulumi_aws as aws\naws.sqs.Queue('q')\n" + body)
    status, out, err = plan(capsys, folder)
    assert (status, out) == (1, "")
    assert err.splitlines()[
        0
    ] == f"error: the program failed at {folder / '__main__.py'}:{2 + body.count(chr(10))}: {message}" or (
        message in err and str(folder / "__main__.py") in err
    )


def test_a_program_that_never_finishes_is_stopped_by_the_timeout(capsys, tmp_path):
    folder = program(tmp_path, "import time\nwhile True:\n    time.sleep(0.01)\n")
    status, out, err = plan(capsys, folder, "--timeout", "1")
    assert (status, out) == (1, "")
    assert f"failed at {folder / '__main__.py'}:3: the program did not finish within 1 seconds" in err


def test_a_program_waiting_on_an_output_that_never_resolves_is_stopped_too(tmp_path):
    folder = program(
        tmp_path,
        "import asyncio, pulumi\npulumi.export('x', pulumi.Output.from_input(asyncio.get_event_loop().create_future()))\n",
    )
    with pytest.raises(ProgramFailure, match="did not finish within 1 seconds"):
        run_project(folder, timeout=1)


def test_a_stopped_program_leaves_nothing_that_fails_later(tmp_path, monkeypatch):
    # What the timeout abandoned is unwound on the program's own loop: collected later, the SDK's coroutine used to
    # raise from its finalizer ("no running event loop"), at any point of whatever ran next.
    folder = program(
        tmp_path,
        "import asyncio, pulumi\npulumi.export('x', pulumi.Output.from_input(asyncio.get_event_loop().create_future()))\n",
    )
    raised_later: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: raised_later.append(f"{u.object!r}: {u.exc_value!r}"))
    with pytest.raises(ProgramFailure, match="did not finish within 1 seconds"):
        run_project(folder, timeout=1)
    run_project(ROOT / "examples/quickstart")  # the next run drops what the failed one left behind
    gc.collect()
    assert raised_later == []


def test_an_error_names_the_program_file_and_line_and_debug_adds_the_traceback(capsys, tmp_path):
    folder = program(tmp_path, "import pulumi_aws as aws\nb = aws.s3.Bucket('b')\nb.arn.apply(lambda a: 1 / 0)\n")
    status, _, err = plan(capsys, folder)
    assert status == 1
    assert err.splitlines() == [
        f"error: the program failed at {folder / '__main__.py'}:3: ZeroDivisionError: division by zero",
        "(run with --debug for the full traceback)",
    ]
    status, _, err = plan(capsys, folder, "--debug")
    assert status == 1 and "Traceback (most recent call last)" in err


# ---- projects and stacks --------------------------------------------------------------------------------


def test_a_named_stack_without_its_file_is_an_error_unless_config_only(capsys):
    status, _, err = plan(capsys, ROOT / "examples/quickstart", "--stack", "prod")
    assert status == 2
    assert "stack 'prod' has no Pulumi.prod.yaml" in err and "--config-only" in err
    status, out, _ = plan(capsys, ROOT / "examples/quickstart", "--stack", "prod", "--config-only")
    assert status == 0 and out.startswith("Plan for irsa-quickstart (stack prod)")


@pytest.mark.parametrize("file", ["Pulumi.yaml", "Pulumi.dev.yaml"])
def test_malformed_project_or_stack_file_names_the_file_and_line(capsys, tmp_path, file):
    folder = program(tmp_path, "")
    (folder / file).write_text("name: t\nruntime: python\nconfig:\n  a: [1, 2\n")
    status, _, err = plan(capsys, folder)
    assert status == 2
    assert err.startswith(f"error: {folder / file}:4: not valid YAML")


def test_yaml_programs_are_explained_not_failed(capsys):
    status, _, err = plan(capsys, ROOT / "examples/yaml")
    assert status == 2
    assert "is a Pulumi YAML program: `plan` runs Python programs only" in err


def test_version_comes_from_the_package_metadata(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"irsa-components {version('irsa-components')}\n"


def test_the_license_is_apache_2_and_packaged():
    assert (ROOT / "LICENSE").read_text().split()[:4] == ["Apache", "License", "Version", "2.0,"]
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = "Apache-2.0"' in pyproject and 'license-files = ["LICENSE"]' in pyproject


# ---- what the plan shows --------------------------------------------------------------------------------

ROLE_SETTINGS = """
import gc
import json
import pulumi_aws as aws
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
aws.iam.Role("ops", name="ops", path="/team/", max_session_duration=7200,
             permissions_boundary="arn:aws:iam::123456789012:policy/boundary", tags={"team": "platform"},
             assume_role_policy=json.dumps(trust))
"""


def test_every_role_shows_boundary_path_session_duration_and_tags(tmp_path):
    report = build_report(run_project(program(tmp_path, ROLE_SETTINGS)))
    (role,) = report["roles"]
    assert {k: role[k] for k in ("name", "arn", "path", "permissions_boundary", "max_session_duration", "tags")} == {
        "name": "ops",
        "arn": "arn:aws:iam::123456789012:role/team/ops",
        "path": "/team/",
        "permissions_boundary": "arn:aws:iam::123456789012:policy/boundary",
        "max_session_duration": 7200,
        "tags": {"team": "platform"},
    }
    text = render_text(report)
    assert "  path: /team/; max session duration: 7200 s\n" in text
    assert "  permissions boundary: arn:aws:iam::123456789012:policy/boundary\n" in text
    assert "  tags: team=platform\n" in text


def test_the_header_counts_components_separately(capsys):
    status, out, _ = plan(capsys, ROOT / "examples/quickstart")
    assert status == 0
    assert out.splitlines()[0] == "Plan for irsa-quickstart (stack dev): 4 cloud resources, 2 components to create"


def test_a_program_without_roles_prints_no_empty_table(tmp_path):
    text = render_text(build_report(run_project(program(tmp_path, "import pulumi_aws as aws\naws.sqs.Queue('q')\n"))))
    assert "Who can assume each role\nNo roles in this program.\n" in text
    assert "Role  Via" not in text
    markdown = render_markdown(build_report(run_project(tmp_path)))
    assert "| Role |" not in markdown and "No roles in this program." in markdown


def test_summary_folds_each_policy_document_to_one_line(capsys):
    _, full, _ = plan(capsys, ROOT / "examples/addons")
    _, summary, _ = plan(capsys, ROOT / "examples/addons", "--summary")
    assert len(summary.splitlines()) < len(full.splitlines()) / 3
    documents = [line for line in summary.splitlines() if line.lstrip().startswith('{"Version"')]
    assert documents and all(json.loads(line) for line in documents)
    assert "Who can assume each role" in summary and "Findings:" in summary and "ServiceAccounts\n" not in summary


def test_text_and_markdown_show_the_same_role_and_cluster_columns(capsys):
    _, text, _ = plan(capsys, ROOT / "examples/pod-identity")
    _, markdown, _ = plan(capsys, ROOT / "examples/pod-identity", "--format", "markdown")
    text_row = next(line for line in text.splitlines() if line.startswith("shop/orders"))
    md_row = next(line for line in markdown.splitlines() if line.startswith("| `shop/orders`"))
    role, cluster = text_row.split()[2:4]
    assert f"| `{role}` | `{cluster}` |" in md_row


# ---- hostile names through every format -------------------------------------------------------------------

HOSTILE = {
    "esc": "evil\x1b[2J\x1b]8;;https://evil.example\x07link\x1b]8;;\x07",
    "cr": "ok\rFAKE LINE",
    "md": "# Heading <img src=x onerror=alert(1)> ![x](https://evil.example/x.png) @octocat | cell ```",
}

HOSTILE_PROGRAM = """
import gc
import json
import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

names = json.loads({names!r})
trust = {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": names["md"]}}, "Action": "sts:AssumeRole"}}]}}
role = aws.iam.Role(names["md"], name=names["esc"], tags={{"t": names["cr"]}}, assume_role_policy=json.dumps(trust))
aws.iam.RolePolicy(names["cr"], role=role.name, policy=json.dumps({{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*"}}]}}))
k8s.core.v1.ServiceAccount("sa", metadata={{"name": names["esc"], "namespace": "apps", "annotations": {{"eks.amazonaws.com/token-expiration": names["md"]}}}})
pulumi.export(names["md"], names["esc"])
"""


@pytest.fixture
def hostile_report(tmp_path: Path) -> dict:
    folder = program(tmp_path, HOSTILE_PROGRAM.format(names=json.dumps(HOSTILE)), "name: hostile\nruntime: python\n")
    return build_report(run_project(folder))


def test_text_escapes_every_control_character_from_the_program(hostile_report):
    for color in (False, True):
        text = render_text(hostile_report, color=color)
        program_text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # our own styling only
        assert "\x1b" not in program_text and "\r" not in program_text and "\x07" not in program_text
        assert "evil\\x1b[2J\\x1b]8;;https://evil.example\\x07link" in program_text
        assert "ok\\rFAKE LINE" in program_text


def _outside_code_spans(markdown: str) -> str:
    """The markdown with every code span (a backtick run up to the next run of the same length) removed."""
    out, i = [], 0
    while i < len(markdown):
        run = re.match(r"`+", markdown[i:])
        if run is None:
            out.append(markdown[i])
            i += 1
            continue
        close = markdown.find(run.group(), i + len(run.group()))
        i = close + len(run.group()) if close != -1 else i + len(run.group())
    return "".join(out)


def test_markdown_values_cannot_inject_formatting(hostile_report):
    markdown = render_markdown(hostile_report)
    review, plan_block = markdown.split("<details><summary>Full plan</summary>", 1)
    assert "\x1b" not in markdown and "\r" not in markdown
    prose = _outside_code_spans(review)
    assert not re.search(r"(?<!\\)[<>]", prose.replace("<details>", "")), "unescaped HTML"
    assert not re.search(r"(?<!\\)!(?<!\\)\[", prose) and "@octocat" not in prose
    assert [line for line in review.splitlines() if line.startswith("#")] == [
        "### `irsa-components plan`: `hostile` (stack `dev`)",
        "#### Findings",
        "#### Who can assume each role",
        "#### Credentials each ServiceAccount will use",
    ]
    for line in review.splitlines():
        if line.startswith("|"):
            assert len(re.findall(r"(?<!\\)\|", _outside_code_spans(line))) in (6, 7), line
    fence = re.search(r"\n(`{3,})\n", plan_block).group(1)
    assert len(fence) == 4  # longer than the ``` inside a program value
    assert plan_block.count(f"\n{fence}\n") == 2


def test_json_escapes_control_characters(hostile_report):
    text = render_json(hostile_report)
    assert "\x1b" not in text and "\r" not in text
    assert json.loads(text)["roles"][0]["name"] == HOSTILE["esc"]
