"""`irsa-components plan PATH`: run a Pulumi program offline, print what `pulumi up` would create, and review its IAM."""

from __future__ import annotations

import argparse
import json
import os
import runpy
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from irsa_components.errors import IrsaConfigError
from irsa_components.review.findings import Severity
from irsa_components.testing import IrsaMocks, ProgramResult, run_program


class ProgramError(Exception):
    """The folder is not a runnable Pulumi Python program."""


def load_config(folder: Path, project: str, stack: str, overrides: Sequence[str]) -> dict[str, str]:
    """Config as `pulumi up` would see it: Pulumi.yaml defaults, then Pulumi.<stack>.yaml, then --config."""
    config: dict[str, str] = {}

    def put(key: str, value: Any) -> None:
        full = key if ":" in key else f"{project}:{key}"
        config[full] = value if isinstance(value, str) else json.dumps(value)

    project_file = yaml.safe_load((folder / "Pulumi.yaml").read_text()) or {}
    for key, spec in (project_file.get("config") or {}).items():
        if isinstance(spec, dict):
            if "default" in spec:
                put(key, spec["default"])
            elif "value" in spec:
                put(key, spec["value"])
        else:
            put(key, spec)
    stack_file = folder / f"Pulumi.{stack}.yaml"
    if stack_file.exists():
        for key, value in ((yaml.safe_load(stack_file.read_text()) or {}).get("config") or {}).items():
            put(key, value)
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep:
            raise ProgramError(f"--config {item!r} is not KEY=VALUE")
        put(key, value)
    return config


def run_folder(
    folder: Path, *, stack: str = "dev", overrides: Sequence[str] = (), mocks: IrsaMocks | None = None
) -> tuple[str, ProgramResult]:
    """Runs the program in ``folder`` under the mocks (fresh ``IrsaMocks`` unless given); returns its project
    name and what it registered."""
    project_file = folder / "Pulumi.yaml"
    if not project_file.is_file():
        raise ProgramError(f"{folder} has no Pulumi.yaml: pass the folder of a Pulumi program")
    project = yaml.safe_load(project_file.read_text()) or {}
    name = project.get("name")
    runtime = project.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if not name or runtime_name != "python":
        raise ProgramError(f"{project_file} must name the project and use runtime: python")
    main_dir = folder / project.get("main", ".")
    main = main_dir if main_dir.suffix == ".py" else main_dir / "__main__.py"
    if not main.is_file():
        raise ProgramError(f"{main} not found: a Pulumi Python program needs __main__.py")
    config = load_config(folder, name, stack, overrides)
    sys.path.insert(0, str(main.parent))
    try:
        result = run_program(
            lambda: runpy.run_path(str(main), run_name="__main__"),
            mocks=mocks,
            project=name,
            stack=stack,
            config=config,
        )
    finally:
        sys.path.remove(str(main.parent))
    return name, result


FINDINGS_EXIT_CODE = 3
"""Exit status when ``--fail-on`` is given and a finding of that severity or worse exists."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="irsa-components", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="run a Pulumi program offline, show what it would create and review it")
    plan.add_argument("path", type=Path, help="folder with Pulumi.yaml and __main__.py")
    plan.add_argument("--stack", default="dev", help="stack name; reads Pulumi.<stack>.yaml if present (default: dev)")
    plan.add_argument("--config", "-c", action="append", default=[], metavar="KEY=VALUE", help="set a config value")
    plan.add_argument(
        "--format",
        choices=["text", "json", "markdown"],
        default="text",
        help="text for a terminal, json for tools, markdown for a pull-request comment (default: text)",
    )
    plan.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        help=f"exit with status {FINDINGS_EXIT_CODE} if a finding of this severity or worse exists",
    )
    plan.add_argument("--baseline", type=Path, metavar="FILE", help="--fail-on counts only findings not in FILE")
    plan.add_argument("--write-baseline", type=Path, metavar="FILE", help="write the findings to FILE as a baseline")
    return parser


def wants_color(*, terminal: bool, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set to a non-empty value (https://no-color.org)."""
    return terminal and not environ.get("NO_COLOR")


def _text(report: dict[str, Any]) -> str:
    """Terminal width on a terminal; a fixed 120 columns in pipes and files, so logs are stable."""
    from irsa_components.review.report import render_text

    terminal = sys.stdout.isatty()
    width = shutil.get_terminal_size().columns if terminal else 120
    return render_text(report, color=wants_color(terminal=terminal, environ=os.environ), width=width)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    from irsa_components.review import gate
    from irsa_components.review.report import build_report, render_json, render_markdown

    try:
        project, result = run_folder(args.path, stack=args.stack, overrides=args.config)
        suppressions = gate.suppressions_from_config(load_config(args.path, project, args.stack, args.config))
        baseline = gate.read_baseline(args.baseline) if args.baseline else None
    except (IrsaConfigError, ProgramError, gate.GateConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"error: the program failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    report = gate.apply_gate(build_report(result, project=project, stack=args.stack), suppressions, baseline)
    renderers = {"json": render_json, "markdown": render_markdown, "text": _text}
    sys.stdout.write(renderers[args.format](report))
    if args.write_baseline:
        gate.write_baseline(report, args.write_baseline)
        return 0
    if args.fail_on and gate.fails(report, Severity(args.fail_on)):
        return FINDINGS_EXIT_CODE
    return 0


if __name__ == "__main__":
    sys.exit(main())
