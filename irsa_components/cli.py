"""`irsa-components plan PATH`: run a Pulumi program offline, print what `pulumi up` would create, and review its IAM."""

from __future__ import annotations

import argparse
import os
import runpy
import shutil
import sys
import traceback
from collections.abc import Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from irsa_components.errors import IrsaConfigError
from irsa_components.review.findings import Severity
from irsa_components.testing import (
    ACCOUNT_CONFIG_KEY,
    IrsaMocks,
    ProgramFailure,
    ProgramResult,
    ProjectError,
    load_project,
    parse_stack_outputs,
    program_location,
    run_project,
)

ProgramError = ProjectError
"""Former name of ``ProjectError``."""

FINDINGS_EXIT_CODE = 3
"""Exit status when ``--fail-on`` is given and a finding of that severity or worse exists."""
PROGRAM_FAILED = 1
INVALID_INPUT = 2
DEFAULT_TIMEOUT = 300.0


def load_config(folder: Path, project: str, stack: str, overrides: Sequence[str]) -> dict[str, str]:
    """Config as `pulumi up` would see it: Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then --config."""
    return load_project(folder, stack=stack, config=overrides, require_stack_file=False).config


def run_folder(
    folder: Path,
    *,
    stack: str = "dev",
    overrides: Sequence[str] = (),
    mocks: IrsaMocks | None = None,
    preview: bool = False,
) -> tuple[str, ProgramResult]:
    """``run_project`` returning the project name too (kept for existing callers)."""
    result = run_project(folder, stack=stack, config=overrides, mocks=mocks, preview=preview, require_stack_file=False)
    return result.project, result


def load_mocks_file(path: Path) -> IrsaMocks:
    """``IrsaMocks`` with the ``calls`` and ``resources`` hooks and the ``stack_outputs`` a Python file defines
    (``--mocks``)."""
    try:
        namespace = runpy.run_path(str(path))
    except FileNotFoundError:
        raise ProjectError(f"--mocks {path}: no such file") from None
    except Exception as exc:
        raise ProjectError(f"--mocks {path}: {type(exc).__name__}: {exc}") from None
    calls, resources = namespace.get("calls") or {}, namespace.get("resources") or {}
    stacks = namespace.get("stack_outputs") or {}
    if not all(isinstance(d, Mapping) for d in (calls, resources, stacks)) or not (calls or resources or stacks):
        raise ProjectError(
            f"--mocks {path} must define `calls`, `resources` and/or `stack_outputs`: dicts of token -> function "
            "(calls: args -> result; resources: (name, inputs) -> outputs), of stack name -> outputs"
        )
    return IrsaMocks(
        calls=dict(calls),
        resources=dict(resources),
        stack_outputs=parse_stack_outputs(stacks, f"--mocks {path}: stack_outputs"),
    )


def _version() -> str:
    try:
        return version("irsa-components")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="irsa-components", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="run a Pulumi program offline, show what it would create and review it")
    plan.add_argument("path", type=Path, help="folder with Pulumi.yaml and __main__.py")
    plan.add_argument(
        "--stack", help="stack name; its Pulumi.<stack>.yaml must exist unless --config-only (default: dev, optional)"
    )
    plan.add_argument("--config", "-c", action="append", default=[], metavar="KEY=VALUE", help="set a config value")
    plan.add_argument(
        "--config-only",
        action="store_true",
        help="run --stack without a stack file: Pulumi.yaml defaults and --config values only",
    )
    plan.add_argument(
        "--account", help=f"AWS account ID of the mocks (config {ACCOUNT_CONFIG_KEY}; default 123456789012)"
    )
    plan.add_argument("--mocks", type=Path, metavar="FILE.py", help="a Python file defining `calls`/`resources` hooks")
    plan.add_argument("--preview", action="store_true", help="as `pulumi preview`: computed outputs are unknown")
    plan.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="text for a terminal, json for tools, markdown for a pull-request comment (default: text)",
    )
    plan.add_argument(
        "--summary", action="store_true", help="resource tree, roles with one-line policies, access, findings"
    )
    plan.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        help=f"exit with status {FINDINGS_EXIT_CODE} if a finding of this severity or worse exists",
    )
    plan.add_argument("--baseline", type=Path, metavar="FILE", help="--fail-on counts only findings not in FILE")
    plan.add_argument("--write-baseline", type=Path, metavar="FILE", help="write the findings to FILE as a baseline")
    plan.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop a program that runs longer (default {DEFAULT_TIMEOUT:g})",
    )
    plan.add_argument("--debug", action="store_true", help="print the full traceback when the program fails")
    return parser


def wants_color(*, terminal: bool, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to a non-empty value (https://no-color.org)."""
    return terminal and not environ.get("NO_COLOR")


def text_width(*, terminal: bool, environ: Mapping[str, str]) -> int | None:
    """``COLUMNS`` when set, the terminal's width on a terminal, else None: pipes and files get tables as wide as
    they need, never wrapped."""
    columns = environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size().columns if terminal else None


def _text(report: dict[str, Any], summary: bool) -> str:
    from irsa_components.review.report import render_text

    terminal = sys.stdout.isatty()
    return render_text(
        report,
        color=wants_color(terminal=terminal, environ=os.environ),
        width=text_width(terminal=terminal, environ=os.environ),
        summary=summary,
    )


def _error(message: str) -> None:
    from irsa_components.review.escape import visible

    print(f"error: {visible(message)}", file=sys.stderr)


def _program_failed(exc: BaseException, folder: Path, debug: bool) -> int:
    where = program_location(exc, folder)
    at = f" at {where}" if where else ""
    if isinstance(exc, ProgramFailure):
        _error(f"the program failed{at}: {exc}")
    else:
        _error(f"the program failed{at}: {type(exc).__name__}: {exc}")
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    else:
        print("(run with --debug for the full traceback)", file=sys.stderr)
    return PROGRAM_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    from irsa_components.review import gate
    from irsa_components.review.report import build_report, render_json, render_markdown

    config = list(args.config)
    if args.account:
        config.append(f"{ACCOUNT_CONFIG_KEY}={args.account}")
    try:
        mocks = load_mocks_file(args.mocks) if args.mocks else None
        result = run_project(
            args.path,
            stack=args.stack or "dev",
            config=config,
            preview=args.preview,
            mocks=mocks,
            timeout=args.timeout,
            require_stack_file=args.stack is not None and not args.config_only,
        )
        suppressions = gate.suppressions_from_config(result.config)
        baseline = gate.read_baseline(args.baseline) if args.baseline else None
    except (IrsaConfigError, ProjectError, gate.GateConfigError) as exc:
        _error(str(exc))
        if args.debug:
            traceback.print_exception(exc, file=sys.stderr)
        return INVALID_INPUT
    except Exception as exc:
        return _program_failed(exc, args.path, args.debug)
    report = gate.apply_gate(build_report(result), suppressions, baseline)
    if args.format == "json":
        sys.stdout.write(render_json(report))
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(report, summary=args.summary))
    else:
        sys.stdout.write(_text(report, args.summary))
    if args.write_baseline:
        gate.write_baseline(report, args.write_baseline)
        return 0
    if args.fail_on and gate.fails(report, Severity(args.fail_on)):
        return FINDINGS_EXIT_CODE
    return 0


if __name__ == "__main__":
    sys.exit(main())
