"""The upstream records and the drift tool (``python -m irsa_components.policies.upstream check``), offline.

Each record source keeps an excerpt of the upstream file as read at the recorded commit (only the parts the
extraction reads: headings, policy code blocks, permission lists); the extraction must find exactly the
recorded list in it, so a change to the extractor that would misread upstream fails here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from irsa_components.policies import PRESETS
from irsa_components.policies.upstream import (
    FORMATS,
    MAX_RECORD_AGE_DAYS,
    RECORDS_DIR,
    blob_url,
    check,
    extract,
    load_records,
    main,
    raw_url,
    recorded_items,
    stale_sources,
)

RECORDS = load_records()
SOURCES = [(slug, n) for slug, record in sorted(RECORDS.items()) for n in range(1, len(record["sources"]) + 1)]
ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*-]+$")


def source_of(slug: str, n: int) -> dict[str, Any]:
    source: dict[str, Any] = RECORDS[slug]["sources"][n - 1]
    return source


# --- the records --------------------------------------------------------------------------------------------


def test_the_tool_reads_the_records_the_tests_use():
    assert Path(__file__).resolve().parent / "data" / "upstream" == RECORDS_DIR


def test_every_preset_has_a_record_and_every_record_a_preset():
    assert set(RECORDS) == set(PRESETS)


@pytest.mark.parametrize("slug,n", SOURCES)
def test_a_source_names_repository_path_branch_commit_and_dates(slug, n):
    source = source_of(slug, n)
    assert RECORDS[slug]["slug"] == slug
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", source["repository"])
    assert source["path"] and source["branch"]
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source["retrieved"])
    assert source["format"] in FORMATS
    items = recorded_items(source)
    assert items and items == sorted(set(items))
    if source["format"] == "managed-policies":
        assert all(arn.startswith("arn:aws:iam::aws:policy/") for arn in items)
    else:
        assert all(ACTION.match(action) for action in items)


@pytest.mark.parametrize("slug,n", SOURCES)
def test_extraction_of_the_recorded_excerpt_gives_the_recorded_list(slug, n):
    source = source_of(slug, n)
    text = (RECORDS_DIR / source["excerpt"]).read_text()
    assert extract(text, source["format"], source.get("select")) == recorded_items(source)


def test_excerpts_stay_small():
    sizes = {path.name: path.stat().st_size for path in (RECORDS_DIR / "sources").iterdir()}
    assert max(sizes.values()) <= 20_000
    referenced = {Path(s["excerpt"]).name for record in RECORDS.values() for s in record["sources"]}
    assert set(sizes) == referenced


def test_no_record_is_older_than_the_documented_age():
    """Stale records show in CI: re-run ``upstream check --update`` (with internet) and review the presets."""
    assert stale_sources(RECORDS, dt.date.today()) == []


def test_a_record_older_than_the_documented_age_is_reported():
    record = {"sources": [{"repository": "o/r", "path": "p.json", "retrieved": "2026-06-04"}]}
    today = dt.date(2026, 12, 2)
    assert MAX_RECORD_AGE_DAYS == 180
    assert stale_sources({"x": record}, today) == ["x: o/r/p.json (2026-06-04)"]
    assert stale_sources({"x": record}, today, max_age_days=181) == []


def test_urls_point_at_the_default_branch_for_checks_and_the_commit_for_links():
    source = source_of("efs-csi-driver", 1)
    assert raw_url(source) == (
        "https://raw.githubusercontent.com/kubernetes-sigs/aws-efs-csi-driver/master/docs/iam-policy-example.json"
    )
    assert blob_url(source) == (
        f"https://github.com/kubernetes-sigs/aws-efs-csi-driver/blob/{source['commit']}/docs/iam-policy-example.json"
    )


# --- extraction, one format at a time -------------------------------------------------------------------------

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
        {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"},
    ],
}


def test_json_takes_allow_statements_of_identity_policies_only():
    assert extract(json.dumps(POLICY), "json") == ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]


MARKDOWN = """# Tool

## Permissions

```sh
cat > policy.json <<EOF
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "*"}]}
EOF
```

Reading also needs "logs:GetLogEvents" and `logs:FilterLogEvents`, condition "aws:RequestTag/x" aside.

### Bash comments are not headings

```bash
# Other
echo '{"Statement": [{"Effect": "Allow", "Action": "logs:CreateLogGroup", "Resource": "*"}]}'
```

## Other

```json
{"Statement": [{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]}
```

* CreateLogStream
* `DescribeLogStreams` (with a note)
"""


def test_markdown_finds_policies_in_any_code_block():
    assert extract(MARKDOWN, "markdown") == ["ec2:RunInstances", "logs:CreateLogGroup", "logs:PutLogEvents"]


def test_markdown_heading_selects_its_section_and_subsections_only():
    assert extract(MARKDOWN, "markdown", {"heading": "Permissions"}) == ["logs:CreateLogGroup", "logs:PutLogEvents"]


def test_markdown_prose_adds_quoted_action_names_but_not_condition_keys():
    assert extract(MARKDOWN, "markdown", {"heading": "Permissions", "prose": True}) == [
        "logs:CreateLogGroup",
        "logs:FilterLogEvents",
        "logs:GetLogEvents",
        "logs:PutLogEvents",
    ]


def test_markdown_list_prefixes_bare_names_with_the_service():
    assert extract(MARKDOWN, "markdown-list", {"heading": "Other", "service": "logs"}) == [
        "logs:CreateLogStream",
        "logs:DescribeLogStreams",
    ]


def test_a_missing_heading_is_an_error_not_an_empty_list():
    with pytest.raises(ValueError, match="Renamed"):
        extract(MARKDOWN, "markdown", {"heading": "Renamed"})


CLOUDFORMATION = """
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: !Sub "ec2.${AWS::URLSuffix}"}
            Action: sts:AssumeRole
  Policy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !Sub |
        {"Statement": [{"Effect": "Allow", "Action": ["ec2:CreateFleet"], "Resource": "arn:${AWS::Partition}:ec2:*"}]}
  Other:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [iam:PassRole]
            Resource: !GetAtt Role.Arn
"""


def test_yaml_reads_cloudformation_documents_inline_and_as_json_strings():
    assert extract(CLOUDFORMATION, "yaml") == ["ec2:CreateFleet", "iam:PassRole"]
    assert extract(CLOUDFORMATION, "yaml", {"resources": ["Other"]}) == ["iam:PassRole"]


TERRAFORM = """
data "aws_iam_policy_document" "first" {
  statement {
    actions   = ["sqs:ReceiveMessage"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "second" {
  statement {
    actions = [
      "sqs:DeleteMessage",
      "sqs:GetQueueUrl",
    ]
    resources = var.queue_arns
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/x"
      values   = ["y"]
    }
  }
}
"""


def test_hcl_reads_the_named_policy_document_only():
    assert extract(TERRAFORM, "hcl", {"document": "second"}) == ["sqs:DeleteMessage", "sqs:GetQueueUrl"]


def test_managed_policies_are_read_from_arns_including_asciidoc_attributes():
    text = "--attach-policy-arn {arn-aws}iam::aws:policy/AWSXrayWriteOnlyAccess \\\n"
    text += "see arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy.\n"
    assert extract(text, "managed-policies") == [
        "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
        "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
    ]


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown upstream format"):
        extract("{}", "html")


# --- the check -------------------------------------------------------------------------------------------------


def _record(actions: list[str]) -> dict[str, Any]:
    return {
        "slug": "demo",
        "sources": [
            {
                "repository": "owner/demo",
                "path": "policy.json",
                "branch": "main",
                "commit": "0" * 40,
                "commit_date": "2026-01-01",
                "retrieved": "2026-11-01",
                "format": "json",
                "excerpt": "sources/demo.1.json",
                "actions": actions,
            }
        ],
    }


UPSTREAM_NOW = json.dumps({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"]}]})


def test_check_prints_what_upstream_added_and_removed_and_reports_drift():
    lines: list[str] = []
    fetched: list[str] = []

    def fetch(url: str) -> str:
        fetched.append(url)
        return UPSTREAM_NOW

    clean = check({"demo": _record(["s3:GetObject", "s3:ListBucket"])}, fetch=fetch, out=lines.append)
    assert clean is False
    assert fetched == ["https://raw.githubusercontent.com/owner/demo/main/policy.json"]
    assert lines == ["demo: owner/demo/policy.json changed since 000000000000", "  + s3:PutObject\n  - s3:ListBucket\n"]


def test_check_in_step_is_clean():
    lines: list[str] = []
    record = _record(["s3:GetObject", "s3:PutObject"])
    assert check({"demo": record}, fetch=lambda _: UPSTREAM_NOW, out=lines.append) is True
    assert lines == ["demo: owner/demo/policy.json: in step"]


def test_check_reports_an_unreadable_source_as_drift():
    lines: list[str] = []

    def gone(url: str) -> str:
        raise OSError("HTTP Error 404: Not Found")

    assert check({"demo": _record(["s3:GetObject"])}, fetch=gone, out=lines.append) is False
    assert lines == ["demo: owner/demo/policy.json: cannot extract (HTTP Error 404: Not Found)"]


def test_update_rewrites_list_commit_and_dates():
    record = _record(["s3:GetObject"])
    check(
        {"demo": record},
        fetch=lambda _: UPSTREAM_NOW,
        update=True,
        today=dt.date(2026, 12, 2),
        out=lambda _: None,
        commit_of=lambda _: {"commit": "f" * 40, "commit_date": "2026-11-30"},
    )
    source = record["sources"][0]
    assert source["actions"] == ["s3:GetObject", "s3:PutObject"]
    assert (source["commit"], source["commit_date"], source["retrieved"]) == ("f" * 40, "2026-11-30", "2026-12-02")


def test_main_exits_1_on_drift_and_update_writes_the_records(tmp_path, monkeypatch, capsys):
    (tmp_path / "demo.json").write_text(json.dumps(_record(["s3:GetObject"])))
    monkeypatch.setattr("irsa_components.policies.upstream.download", lambda url, timeout=30.0: UPSTREAM_NOW)
    monkeypatch.setattr(
        "irsa_components.policies.upstream.head_commit", lambda source, timeout=30.0: {"commit": "a" * 40}
    )
    assert main(["check", "--records", str(tmp_path)]) == 1
    assert "+ s3:PutObject" in capsys.readouterr().out
    assert main(["check", "--records", str(tmp_path), "--update"]) == 1
    assert json.loads((tmp_path / "demo.json").read_text())["sources"][0]["commit"] == "a" * 40
    assert main(["check", "--records", str(tmp_path)]) == 0


# --- the README's presets table -----------------------------------------------------------------------------------


def test_readme_table_has_a_row_per_preset_linking_the_recorded_commits():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    rows = {m[1]: m[0] for m in re.finditer(r"^\| `([a-z0-9-]+)` \|.*$", readme, re.M)}
    assert set(PRESETS) <= set(rows)
    for slug, record in RECORDS.items():
        for source in record["sources"]:
            assert blob_url(source) in rows[slug], (slug, source["path"])
