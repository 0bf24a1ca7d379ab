"""Keeping presets in step with the add-ons' own policies: the recorded upstream sources, and drift checks.

Each preset has a record, ``tests/data/upstream/<slug>.json``, naming the upstream files its permissions
follow (repository, path, branch, the commit read and its date) and the actions (or AWS-managed policies)
extracted from each. ``python -m irsa_components.policies.upstream check`` downloads every recorded file
from its repository's default branch, extracts again and prints what upstream added or removed; exit 1 on
drift. ``--update`` rewrites the records (new list, the branch's newest commit from the GitHub API, today's
date) so a maintainer can review the diff and then the presets. Records older than ``MAX_RECORD_AGE_DAYS``
fail the test suite, which also runs the extraction offline on each source's recorded excerpt.

Upstream publishes its policies in several shapes, so the extraction is chosen per source by ``format``:

- ``json``: the file is one IAM policy document.
- ``markdown`` (also MDX and AsciiDoc): IAM policy documents in code blocks (also inside heredocs or shell
  quotes; a lone statement counts, trailing commas are forgiven); with ``select.heading`` only the section
  under that heading, with ``select.prose`` also ``service:Action`` names quoted in the section's text.
- ``markdown-list``: a bulleted list of bare action names under ``select.heading``, in ``select.service``.
- ``yaml``: every ``PolicyDocument`` of a CloudFormation template (``select.resources``: only those
  logical IDs).
- ``hcl``: the ``data "aws_iam_policy_document"`` named ``select.document`` of a Terraform file.
- ``managed-policies``: the AWS-managed policy ARNs a document names (``select.heading`` narrows it).

Statements with a ``Principal`` (trust, key and resource policies shown next to the identity policy) and
``Deny`` statements are not permissions the add-on needs, so they are skipped.

Pure functions over text; only ``download``, ``head_commit`` and ``main`` touch the network and the files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

MAX_RECORD_AGE_DAYS = 180
"""A record not re-checked against upstream for longer than this is stale (the test suite fails)."""
RECORDS_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "upstream"
"""Where a checkout of this repository keeps the records."""
FORMATS = ("json", "markdown", "markdown-list", "yaml", "hcl", "managed-policies")

_FENCE = re.compile(r"^\s*(```|~~~|----\s*$)")
_HEADING = re.compile(r"^(#{1,6}|={1,6})\s+(.+?)\s*#*\s*$")
_QUOTED_ACTION = re.compile(r"[`\"']([a-z0-9-]+:[A-Z][A-Za-z0-9]*\*?)[`\"']")
_MANAGED_ARN = re.compile(r"(?:arn:aws[a-z-]*:|\{arn-aws\})iam::aws:policy/([A-Za-z0-9_+=,.@/-]*[A-Za-z0-9_])")
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")
_BULLET = re.compile(r"^\s*[*-]\s+`?([A-Za-z][A-Za-z0-9:*]*)")


# --- extraction: text -> sorted list of actions (or managed policy ARNs) ---------------------------------


def extract(text: str, fmt: str, select: Mapping[str, Any] | None = None) -> list[str]:
    """The sorted, de-duplicated actions (or, for ``managed-policies``, ARNs) a recorded source names."""
    select = select or {}
    extractors: dict[str, Callable[[str, Mapping[str, Any]], set[str]]] = {
        "json": lambda t, _: _document_actions(json.loads(t)),
        "markdown": _markdown_actions,
        "markdown-list": _markdown_list_actions,
        "yaml": _yaml_actions,
        "hcl": _hcl_actions,
        "managed-policies": _managed_policy_arns,
    }
    if fmt not in extractors:
        raise ValueError(f"unknown upstream format {fmt!r}; use one of {', '.join(FORMATS)}")
    return sorted(extractors[fmt](text, select))


def _document_actions(document: Any) -> set[str]:
    """Allow actions of an identity policy document (a dict with ``Statement``)."""
    statements = document.get("Statement", []) if isinstance(document, Mapping) else []
    if isinstance(statements, Mapping):
        statements = [statements]
    actions: set[str] = set()
    for stmt in statements:
        if not isinstance(stmt, Mapping) or "Principal" in stmt or "NotPrincipal" in stmt:
            continue
        if stmt.get("Effect", "Allow") != "Allow":
            continue
        value = stmt.get("Action", [])
        actions.update([value] if isinstance(value, str) else [a for a in value if isinstance(a, str)])
    return actions


def _documents_in(text: str) -> Iterator[dict[str, Any]]:
    """Policy documents found anywhere in ``text`` (heredocs, shell quotes...), as dicts with ``Statement``.

    Docs are written for people: a lone statement (``{"Effect": ..., "Action": ...}``) counts as a document
    of one statement, and trailing commas, which JSON forbids but docs carry, are ignored.
    """
    text = _TRAILING_COMMA.sub(r"\1", text)
    decoder = json.JSONDecoder()
    position = text.find("{")
    while position != -1:
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            position = text.find("{", position + 1)
            continue
        if isinstance(value, dict) and "Statement" in value:
            yield value
        elif isinstance(value, dict) and "Effect" in value and "Action" in value:
            yield {"Statement": [value]}
        else:
            position = text.find("{", position + 1)
            continue
        position = text.find("{", end)


def _section(text: str, heading: str | None) -> list[tuple[bool, str]]:
    """Lines of the section under ``heading`` (all lines without one), each flagged True inside a code block.

    Headings are Markdown (``#``) or AsciiDoc (``=``) lines outside code blocks; the section ends at the
    next heading of the same or a higher level. The heading matches case-insensitively, ignoring backticks.
    """
    lines: list[tuple[bool, str]] = []
    in_code = False
    level: int | None = None if heading else 0
    wanted = heading.strip().lower() if heading else ""
    for line in text.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
            if level is not None:
                lines.append((True, line))
            continue
        match = None if in_code else _HEADING.match(line)
        if match:
            depth, title = len(match[1]), match[2].replace("`", "").strip().lower()
            if level is not None and level and depth <= level:
                break
            if level is None and title == wanted:
                level = depth
        if level is not None:
            lines.append((in_code, line))
    if heading and level is None:
        raise ValueError(f"heading {heading!r} not found")
    return lines


def _markdown_actions(text: str, select: Mapping[str, Any]) -> set[str]:
    lines = _section(text, select.get("heading"))
    code = "\n".join(line for in_code, line in lines if in_code)
    actions: set[str] = set()
    for document in _documents_in(code):
        actions |= _document_actions(document)
    if select.get("prose"):
        prose = "\n".join(line for in_code, line in lines if not in_code)
        actions.update(_QUOTED_ACTION.findall(prose))
    return actions


def _markdown_list_actions(text: str, select: Mapping[str, Any]) -> set[str]:
    service = select["service"]
    actions: set[str] = set()
    for in_code, line in _section(text, select.get("heading")):
        match = None if in_code else _BULLET.match(line)
        if match:
            name = match[1]
            actions.add(name if ":" in name else f"{service}:{name}")
    return actions


class _CloudFormationLoader(yaml.SafeLoader):
    """SafeLoader that reads CloudFormation's short tags (``!Sub``, ``!GetAtt``...) as their plain value."""


def _untagged(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_CloudFormationLoader.add_multi_constructor("!", _untagged)


def _yaml_actions(text: str, select: Mapping[str, Any]) -> set[str]:
    template = yaml.load(text, Loader=_CloudFormationLoader)
    wanted = select.get("resources")
    roots: list[Any] = [template]
    if wanted:
        resources = template.get("Resources", {})
        roots = [resources[name] for name in wanted]
    actions: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            if "Statement" in node:
                actions.update(_document_actions(node))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and "Statement" in node:
            # CloudFormation templates often hold the document as a JSON string (inside !Sub).
            for document in _documents_in(node):
                actions.update(_document_actions(document))

    for root in roots:
        walk(root)
    return actions


def _hcl_actions(text: str, select: Mapping[str, Any]) -> set[str]:
    name = select["document"]
    start = re.search(rf'data\s+"aws_iam_policy_document"\s+"{re.escape(name)}"\s*{{', text)
    if start is None:
        raise ValueError(f"aws_iam_policy_document {name!r} not found")
    depth, end = 1, start.end()
    while depth and end < len(text):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        end += 1
    body = text[start.end() : end]
    actions: set[str] = set()
    for block in re.findall(r"(?<![a-z_])actions\s*=\s*\[(.*?)\]", body, re.S):
        actions.update(re.findall(r'"([a-z0-9-]+:[A-Za-z0-9*]+)"', block))
    return actions


def _managed_policy_arns(text: str, select: Mapping[str, Any]) -> set[str]:
    section = "\n".join(line for _, line in _section(text, select.get("heading")))
    return {f"arn:aws:iam::aws:policy/{name}" for name in _MANAGED_ARN.findall(section)}


# --- records ------------------------------------------------------------------------------------------------


def load_records(directory: Path = RECORDS_DIR) -> dict[str, dict[str, Any]]:
    """Every record in ``directory``, by preset slug."""
    return {path.stem: json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))}


def record_actions(record: Mapping[str, Any]) -> list[str]:
    """Every action a preset's recorded sources name, sorted: what the preset must cover."""
    return sorted({action for source in record["sources"] for action in source.get("actions", [])})


def recorded_items(source: Mapping[str, Any]) -> list[str]:
    """What a source was recorded to name: managed policy ARNs or actions, by its format."""
    key = "managed_policy_arns" if source["format"] == "managed-policies" else "actions"
    return list(source.get(key, []))


def raw_url(source: Mapping[str, Any], ref: str | None = None) -> str:
    """The raw download URL of a source on ``ref`` (default: its default branch)."""
    return f"https://raw.githubusercontent.com/{source['repository']}/{ref or source['branch']}/{source['path']}"


def blob_url(source: Mapping[str, Any]) -> str:
    """The GitHub page of the source at the recorded commit (what README links point at)."""
    return f"https://github.com/{source['repository']}/blob/{source['commit']}/{source['path']}"


def stale_sources(
    records: Mapping[str, Mapping[str, Any]], today: dt.date, max_age_days: int = MAX_RECORD_AGE_DAYS
) -> list[str]:
    """``slug: repository/path (retrieved date)`` for every source not checked within ``max_age_days``."""
    stale = []
    for slug, record in records.items():
        for source in record["sources"]:
            retrieved = dt.date.fromisoformat(source["retrieved"])
            if (today - retrieved).days > max_age_days:
                stale.append(f"{slug}: {source['repository']}/{source['path']} ({source['retrieved']})")
    return stale


def diff(recorded: Sequence[str], current: Sequence[str]) -> tuple[list[str], list[str]]:
    """(added upstream, removed upstream) between the recorded and the current list."""
    return sorted(set(current) - set(recorded)), sorted(set(recorded) - set(current))


# --- the network side ---------------------------------------------------------------------------------------


def download(url: str, timeout: float = 30.0) -> str:
    """GETs ``url`` (raw.githubusercontent.com) and returns its text."""
    request = urllib.request.Request(url, headers={"User-Agent": "irsa-components upstream check"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read()
    return body.decode("utf-8")


def head_commit(source: Mapping[str, Any], timeout: float = 30.0) -> dict[str, Any]:
    """The default branch's newest commit (``commit``, ``commit_date``) and the newest one touching the source
    (``file_last_changed``), from the GitHub API."""
    api = f"https://api.github.com/repos/{source['repository']}/commits"
    head = json.loads(download(f"{api}/{source['branch']}", timeout))
    touched = json.loads(download(f"{api}?sha={source['branch']}&path={source['path']}&per_page=1", timeout))
    info: dict[str, Any] = {"commit": head["sha"], "commit_date": head["commit"]["committer"]["date"][:10]}
    if touched:
        info["file_last_changed"] = {
            "commit": touched[0]["sha"],
            "date": touched[0]["commit"]["committer"]["date"][:10],
        }
    return info


def check(
    records: Mapping[str, dict[str, Any]],
    fetch: Callable[[str], str] = download,
    update: bool = False,
    today: dt.date | None = None,
    out: Callable[[str], None] = print,
    commit_of: Callable[[Mapping[str, Any]], dict[str, Any]] = head_commit,
) -> bool:
    """Compares every recorded source with its default branch; prints the drift; True when none.

    With ``update``, records are rewritten in place (list, commit, dates) for the caller to save.
    """
    clean = True
    for slug, record in sorted(records.items()):
        for source in record["sources"]:
            where = f"{source['repository']}/{source['path']}"
            try:
                current = extract(fetch(raw_url(source)), source["format"], source.get("select"))
            except Exception as err:  # a moved file or a changed layout is drift too
                out(f"{slug}: {where}: cannot extract ({err})")
                clean = False
                continue
            added, removed = diff(recorded_items(source), current)
            if added or removed:
                clean = False
                out(f"{slug}: {where} changed since {source['commit'][:12]}")
                out("".join(f"  + {item}\n" for item in added) + "".join(f"  - {item}\n" for item in removed))
            else:
                out(f"{slug}: {where}: in step")
            if update:
                key = "managed_policy_arns" if source["format"] == "managed-policies" else "actions"
                source[key] = current
                source["retrieved"] = (today or dt.date.today()).isoformat()
                try:
                    source.update(commit_of(source))
                except Exception as err:  # the list is still right; say the commit is not
                    out(f"{slug}: {where}: commit not refreshed ({err}); set it by hand")
    return clean


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m irsa_components.policies.upstream",
        description="Compare each preset's recorded upstream policy with the upstream default branch.",
    )
    parser.add_argument("command", choices=["check"])
    parser.add_argument("--update", action="store_true", help="rewrite the records with what upstream has now")
    parser.add_argument("--records", type=Path, default=RECORDS_DIR, help=f"record directory (default {RECORDS_DIR})")
    parser.add_argument("--preset", action="append", help="check only this preset (repeatable)")
    args = parser.parse_args(argv)
    records = load_records(args.records)
    if args.preset:
        unknown = sorted(set(args.preset) - set(records))
        if unknown:
            parser.error(f"no record for {', '.join(unknown)}; records: {', '.join(records)}")
        records = {slug: records[slug] for slug in args.preset}
    clean = check(records, fetch=download, update=args.update, commit_of=head_commit)
    if args.update:
        for slug, record in records.items():
            (args.records / f"{slug}.json").write_text(json.dumps(record, indent=2) + "\n")
    print("no drift" if clean else "drift (or an unreadable source): review the presets against the lines above")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
