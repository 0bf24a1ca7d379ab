"""Benchmarks of irsa-components against the same resources written by hand, on one machine, in one run.

Run from the repository root with the project's own environment::

    python benchmarks/run.py            # prints the figures and writes benchmarks/results.json

Everything runs offline under ``irsa_components.testing.run_program`` with ``IrsaMocks``. What is
measured, and the targets, are described in benchmarks/README.md.
"""

from __future__ import annotations

import cProfile
import datetime
import functools
import gc
import json
import os
import platform
import pstats
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pulumi  # noqa: E402
import pulumi_aws.eks as eks  # noqa: E402
import pulumi_aws.iam as iam  # noqa: E402
import pulumi_kubernetes.core.v1 as k8s_core  # noqa: E402
import pulumi_tls as tls  # noqa: E402

import irsa_components as irsa  # noqa: E402
from irsa_components.testing import ProgramResult, RegisteredResource, run_program  # noqa: E402

RESULTS_FILE = Path(__file__).resolve().parent / "results.json"
SIZES = (10, 100, 1000)
REPEATS = 3
IMPORT_REPEATS = 7
PLAN_REPEATS = 3
GENERATED_SERVICE_ACCOUNTS = 1000
CLUSTER = "prod"
POLICY_ARN = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
SDK_MODULES = ("pulumi", "pulumi_aws.iam", "pulumi_aws.eks", "pulumi_kubernetes.core.v1", "pulumi_tls")

TARGET_RATIO_PER_RESOURCE = 1.05
TARGET_LINEARITY = 1.20
TARGET_IMPORT_RATIO = 1.20

Program = Callable[[], None]


# ---- the two programs --------------------------------------------------------------------------


def component_program(roles: int) -> Program:
    """One ClusterOidcProvider and ``roles`` ServiceAccountRoles, each with one managed policy and one ServiceAccount."""

    def program() -> None:
        oidc = irsa.ClusterOidcProvider("oidc", {"cluster_name": CLUSTER})
        for i in range(roles):
            irsa.ServiceAccountRole(
                f"app-{i}",
                {
                    "oidc_provider_arn": oidc.arn,
                    "namespace": "apps",
                    "service_account": f"app-{i}",
                    "policy_arns": [POLICY_ARN],
                },
            )

    return program


def _hand_written_trust(provider_arn: str, namespace: str, service_account: str) -> str:
    issuer = provider_arn.split(":oidc-provider/", 1)[1]
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": provider_arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {
                            f"{issuer}:sub": f"system:serviceaccount:{namespace}:{service_account}",
                            f"{issuer}:aud": "sts.amazonaws.com",
                        }
                    },
                }
            ],
        }
    )


def hand_written_program(roles: int, wrapper: str = "none") -> Program:
    """The same cloud resources as ``component_program``, written directly with pulumi_aws / pulumi_kubernetes.

    ``wrapper`` puts each role's resources under a plain ComponentResource (``"bare-component"``), or one
    that also registers the seven outputs ServiceAccountRole registers (``"component-with-outputs"``): the
    share of the component's cost that any Pulumi component would pay.
    """

    def program() -> None:
        cluster = eks.get_cluster_output(name=CLUSTER)
        issuer = cluster.identities.apply(lambda ids: ids[0].oidcs[0].issuer)
        certificate = tls.get_certificate_output(url=issuer)
        provider = iam.OpenIdConnectProvider(
            "oidc-provider",
            url=issuer,
            client_id_lists=["sts.amazonaws.com"],
            thumbprint_lists=certificate.certificates.apply(
                lambda certs: [next(c.sha1_fingerprint for c in certs if c.is_ca)]
            ),
        )
        for i in range(roles):
            sa_name = f"app-{i}"
            parent = pulumi.ComponentResource("bench:index:Role", f"app-{i}") if wrapper != "none" else None
            opts = pulumi.ResourceOptions(parent=parent)
            trust = provider.arn.apply(lambda arn, sa=sa_name: _hand_written_trust(arn, "apps", sa))
            role = iam.Role(f"app-{i}-role", assume_role_policy=trust, opts=opts)
            iam.RolePolicyAttachment(
                f"app-{i}-AmazonS3ReadOnlyAccess", role=role.name, policy_arn=POLICY_ARN, opts=opts
            )
            annotations = {"eks.amazonaws.com/role-arn": role.arn}
            k8s_core.ServiceAccount(
                f"app-{i}-sa", metadata={"name": sa_name, "namespace": "apps", "annotations": annotations}, opts=opts
            )
            if parent is not None:
                parent.register_outputs({} if wrapper == "bare-component" else _role_outputs(role, trust, sa_name))

    return program


def _role_outputs(role: iam.Role, trust: pulumi.Output[str], sa_name: str) -> dict[str, Any]:
    """Outputs shaped like those ServiceAccountRole registers."""
    return {
        "role_arn": role.arn,
        "role_name": role.name,
        "trust_policy": trust,
        "service_account_name": pulumi.Output.from_input(sa_name),
        "namespace": pulumi.Output.from_input("apps"),
        "service_accounts": pulumi.Output.all(pulumi.Output.concat("apps", ":", sa_name)),
        "service_account_annotations": pulumi.Output.from_input({"eks.amazonaws.com/role-arn": role.arn}),
    }


PROGRAMS: dict[str, Callable[[int], Program]] = {"component": component_program, "hand-written": hand_written_program}


# ---- program evaluation ------------------------------------------------------------------------


@dataclass
class Evaluation:
    """Timing and memory of one program at one size."""

    variant: str
    roles: int
    registered_resources: int
    """Resources the program registered (custom and component; the stack itself not counted)."""
    seconds: list[float]
    """Wall time of each repeat (without tracemalloc)."""
    best_seconds: float
    ms_per_role: float
    us_per_resource: float
    peak_memory_mib: float
    """Peak traced Python allocation of one run, measured in a separate run with tracemalloc."""


def _timed_run(program: Program) -> tuple[float, ProgramResult]:
    gc.collect()
    start = time.perf_counter()
    result = run_program(program)
    return time.perf_counter() - start, result


def _peak_memory(program: Program) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        run_program(program)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def evaluate(variant: str, roles: int) -> Evaluation:
    factory = PROGRAMS[variant]
    seconds: list[float] = []
    resources = 0
    for _ in range(REPEATS):
        elapsed, result = _timed_run(factory(roles))
        seconds.append(elapsed)
        resources = len(result.resources)
    best = min(seconds)
    return Evaluation(
        variant=variant,
        roles=roles,
        registered_resources=resources,
        seconds=[round(s, 4) for s in seconds],
        best_seconds=round(best, 4),
        ms_per_role=round(best / roles * 1e3, 3),
        us_per_resource=round(best / resources * 1e6, 1),
        peak_memory_mib=round(_peak_memory(factory(roles)), 2),
    )


# ---- dependency graph --------------------------------------------------------------------------


def longest_chain(resources: Sequence[RegisteredResource]) -> list[RegisteredResource]:
    """The longest path through the recorded dependencies (edges: dependency -> dependent)."""
    by_urn = {r.urn: r for r in resources}
    memo: dict[str, list[RegisteredResource]] = {}

    def chain_ending_at(resource: RegisteredResource) -> list[RegisteredResource]:
        if resource.urn not in memo:
            before = [chain_ending_at(by_urn[d]) for d in resource.dependencies if d in by_urn]
            memo[resource.urn] = [*max(before, key=len, default=[]), resource]
        return memo[resource.urn]

    return max((chain_ending_at(r) for r in resources), key=len, default=[])


def graph_report(variant: str, roles: int) -> dict[str, Any]:
    """Shape of the dependency graph: longest chain, invokes by token, dependencies that carry no data."""
    result = run_program(PROGRAMS[variant](roles))
    urns = {r.urn for r in result.resources}
    components = {r.urn for r in result.resources if not r.custom}
    chain = longest_chain(result.resources)
    extra_dependencies = 0
    on_components = 0
    for resource in result.resources:
        data = {urn for urns_of_key in resource.property_dependencies.values() for urn in urns_of_key}
        extra_dependencies += len(set(resource.dependencies) - data)
        on_components += len(set(resource.dependencies) & components)
    unknown = sum(1 for r in result.resources for d in r.dependencies if d not in urns)
    invokes = Counter(i.token for i in result.invokes)
    return {
        "variant": variant,
        "roles": roles,
        "longest_chain": [f"{r.type}::{r.name}" for r in chain],
        "longest_chain_length": len(chain),
        "invokes_by_token": dict(sorted(invokes.items())),
        "tls_lookups": invokes.get("tls:index/getCertificate:getCertificate", 0),
        "dependencies_without_data": extra_dependencies,
        "dependencies_on_components": on_components,
        "dependencies_on_unregistered_urns": unknown,
        "max_dependents_of_one_resource": max(Counter(d for r in result.resources for d in r.dependencies).values()),
    }


# ---- import time -------------------------------------------------------------------------------


def _import_seconds(modules: Sequence[str]) -> float:
    code = (
        "import importlib, time\n"
        "start = time.perf_counter()\n"
        f"for m in {list(modules)!r}: importlib.import_module(m)\n"
        "print(time.perf_counter() - start)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_env(), capture_output=True, text=True, check=True
    ).stdout
    return float(out.strip())


def import_report() -> dict[str, Any]:
    """Best-of import time, each in a fresh interpreter, alternating the two so drift hits both alike."""
    ours: list[float] = []
    sdk: list[float] = []
    for _ in range(IMPORT_REPEATS):
        sdk.append(_import_seconds(SDK_MODULES))
        ours.append(_import_seconds(["irsa_components"]))
    best_ours, best_sdk = min(ours), min(sdk)
    return {
        "irsa_components_ms": round(best_ours * 1e3, 1),
        "sdk_modules_ms": round(best_sdk * 1e3, 1),
        "sdk_modules": list(SDK_MODULES),
        "ratio": round(best_ours / best_sdk, 3),
        "repeats": IMPORT_REPEATS,
    }


# ---- plan --------------------------------------------------------------------------------------


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _plan_seconds(folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "irsa_components.cli", "plan", str(folder)],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def examples() -> list[Path]:
    """Folders under examples/ holding a Python Pulumi program."""
    found: list[Path] = []
    for project_file in sorted((ROOT / "examples").glob("*/Pulumi.yaml")):
        text = project_file.read_text()
        if "runtime: python" in text or "name: python" in text:
            found.append(project_file.parent)
    return found


def _write_generated_program(folder: Path, service_accounts: int) -> None:
    (folder / "Pulumi.yaml").write_text(f"name: bench-{service_accounts}\nruntime: python\n")
    (folder / "__main__.py").write_text(
        "import irsa_components as irsa\n\n"
        f"oidc = irsa.ClusterOidcProvider('oidc', {{'cluster_name': {CLUSTER!r}}})\n"
        f"for i in range({service_accounts}):\n"
        "    irsa.ServiceAccountRole(\n"
        "        f'app-{i}',\n"
        "        {'oidc_provider_arn': oidc.arn, 'namespace': 'apps', 'service_account': f'app-{i}',\n"
        f"         'policy_arns': [{POLICY_ARN!r}]}},\n"
        "    )\n"
    )


def plan_report() -> list[dict[str, Any]]:
    """Wall time of `python -m irsa_components.cli plan FOLDER` (a fresh process: start-up and imports included)."""
    rows: list[dict[str, Any]] = []
    for folder in examples():
        runs = [_plan_seconds(folder) for _ in range(PLAN_REPEATS)]
        rows.append({"program": str(folder.relative_to(ROOT)), "best_seconds": round(min(runs), 3)})
    with tempfile.TemporaryDirectory(prefix="irsa-bench-") as tmp:
        _write_generated_program(Path(tmp), GENERATED_SERVICE_ACCOUNTS)
        runs = [_plan_seconds(Path(tmp)) for _ in range(PLAN_REPEATS)]
    rows.append(
        {
            "program": f"generated: {GENERATED_SERVICE_ACCOUNTS} ServiceAccountRoles (+ attachment, ServiceAccount)",
            "best_seconds": round(min(runs), 3),
        }
    )
    return rows


# ---- where the component's time goes ------------------------------------------------------------


def _best_seconds(program_factory: Callable[[], Program], repeats: int, *, collect_garbage: bool = True) -> float:
    best = float("inf")
    for _ in range(repeats):
        program = program_factory()
        gc.collect()
        if not collect_garbage:
            gc.disable()
        try:
            start = time.perf_counter()
            run_program(program)
            best = min(best, time.perf_counter() - start)
        finally:
            gc.enable()
    return best


def garbage_collector_report(repeats: int = 2) -> dict[str, Any]:
    """Time per role with Python's cyclic garbage collector disabled during the run, to isolate its share."""
    rows: dict[str, Any] = {}
    for variant, factory in PROGRAMS.items():
        per_role = {
            n: _best_seconds(functools.partial(factory, n), repeats, collect_garbage=False) / n for n in (100, 1000)
        }
        rows[variant] = {
            "ms_per_role_100": round(per_role[100] * 1e3, 3),
            "ms_per_role_1000": round(per_role[1000] * 1e3, 3),
            "linearity_1000_over_100": round(per_role[1000] / per_role[100], 3),
        }
    rows["component_over_hand_written_per_role_1000"] = round(
        rows["component"]["ms_per_role_1000"] / rows["hand-written"]["ms_per_role_1000"], 3
    )
    return rows


def breakdown_report(
    by: dict[tuple[str, int], Evaluation], roles: int = 1000, repeats: int = 2
) -> list[dict[str, Any]]:
    """The hand-written program wrapped in the component scaffolding step by step, against the component."""
    rows = [("hand-written", by["hand-written", roles].best_seconds, by["hand-written", roles].registered_resources)]
    for wrapper in ("bare-component", "component-with-outputs"):
        seconds = _best_seconds(functools.partial(hand_written_program, roles, wrapper), repeats)
        rows.append((f"hand-written + {wrapper}", seconds, 4 * roles + 1))
    rows.append(("component", by["component", roles].best_seconds, by["component", roles].registered_resources))
    base = rows[0][1] / rows[0][2]
    return [
        {
            "program": name,
            "roles": roles,
            "best_seconds": round(seconds, 3),
            "us_per_resource": round(seconds / resources * 1e6, 1),
            "per_resource_over_hand_written": round(seconds / resources / base, 3),
        }
        for name, seconds, resources in rows
    ]


def profile_report(roles: int, top: int = 10) -> dict[str, Any]:
    """cProfile of the component program (collector off): the share of time in irsa_components' own code, and the top functions."""
    program = component_program(roles)
    profiler = cProfile.Profile()
    gc.collect()
    # Collector pauses would be charged to whichever function runs when they strike: their share is
    # measured apart (garbage_collector_report), so the profile shows the work itself.
    gc.disable()
    try:
        profiler.enable()
        run_program(program)
        profiler.disable()
    finally:
        gc.enable()
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    package = str(ROOT / "irsa_components")
    own: dict[str, float] = {}
    for (filename, _, _), entry in raw.items():
        if filename.startswith(package):
            own[Path(filename).name] = own.get(Path(filename).name, 0.0) + entry[2]
    ranked = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return {
        "roles": roles,
        "profiled_seconds": round(total, 3),
        "irsa_components_own_seconds": round(sum(own.values()), 3),
        "irsa_components_share": round(sum(own.values()) / total, 4),
        "irsa_components_own_seconds_by_file": {
            name: round(s, 4) for name, s in sorted(own.items(), key=lambda kv: -kv[1])[:6]
        },
        "top_functions_by_own_time": [
            {
                "function": f"{_short(filename)}:{line}({name})",
                "own_seconds": round(entry[2], 4),
                "cumulative_seconds": round(entry[3], 4),
                "calls": entry[1],
            }
            for (filename, line, name), entry in ranked
        ],
    }


def _short(filename: str) -> str:
    """A profile entry's file relative to site-packages, the standard library or the repository."""
    prefixes = sorted((f"{p}/" for p in {str(ROOT), *sys.path} if p), key=len, reverse=True)
    return next((filename.removeprefix(p) for p in prefixes if filename.startswith(p)), filename)


# ---- machine -----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "pulumi": version("pulumi"),
        "pulumi-aws": version("pulumi-aws"),
        "pulumi-kubernetes": version("pulumi-kubernetes"),
        "pulumi-tls": version("pulumi-tls"),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# ---- report ------------------------------------------------------------------------------------


def _print_evaluation_header() -> None:
    print(
        f"\n{'program':<13} {'roles':>5} {'resources':>9} {'best s':>8} {'ms/role':>8} {'us/resource':>11} {'peak MiB':>8}"
    )


def _print_evaluation(e: Evaluation) -> None:
    print(
        f"{e.variant:<13} {e.roles:>5} {e.registered_resources:>9} {e.best_seconds:>8.3f} "
        f"{e.ms_per_role:>8.2f} {e.us_per_resource:>11.0f} {e.peak_memory_mib:>8.1f}"
    )


def _print_graph(g: dict[str, Any]) -> None:
    print(f"\n{g['variant']} (N={g['roles']}): longest dependency chain, {g['longest_chain_length']} resources:")
    print("  " + " -> ".join(g["longest_chain"]))
    print(f"  invokes: {json.dumps(g['invokes_by_token'])}")
    print(
        f"  dependencies carrying no data: {g['dependencies_without_data']}, on components: "
        f"{g['dependencies_on_components']}; most dependents of one resource: {g['max_dependents_of_one_resource']}"
    )


def targets_report(
    ratios: dict[str, dict[str, float]],
    linearity: dict[str, float],
    graphs: dict[str, dict[str, Any]],
    imports: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """Each target of the issue, its figure, and whether this run met it."""
    component, hand = graphs["component"], graphs["hand-written"]
    per_role_invokes = {t: n for t, n in component["invokes_by_token"].items() if n >= component["roles"]}
    return {
        "time per registered resource at most 1.05x hand-written": {
            "met": all(r["per_resource"] <= TARGET_RATIO_PER_RESOURCE for r in ratios.values()),
            "figure": {n: r["per_resource"] for n, r in ratios.items()},
        },
        "time per role at N=1000 within 20% of N=100": {
            "met": linearity["component"] <= TARGET_LINEARITY,
            "figure": linearity["component"],
        },
        "critical path is the data-dependency minimum": {
            "met": component["longest_chain_length"] == hand["longest_chain_length"]
            and component["dependencies_without_data"] == 0
            and component["dependencies_on_components"] == 0,
            "figure": component["longest_chain_length"],
        },
        "exactly one TLS lookup per cluster": {
            "met": component["tls_lookups"] == 1,
            "figure": component["tls_lookups"],
        },
        "no invoke per role": {"met": not per_role_invokes, "figure": component["invokes_by_token"]},
        "import within 1.2x of the SDK modules": {
            "met": imports["ratio"] <= TARGET_IMPORT_RATIO,
            "figure": imports["ratio"],
        },
    }


def main() -> int:
    started = time.perf_counter()
    report: dict[str, Any] = {"machine": machine()}
    print("machine:", json.dumps(report["machine"]))

    # Imports, the SDK's lazy caches and the mocks warmed up once, outside the measurements.
    for factory in PROGRAMS.values():
        run_program(factory(5))

    _print_evaluation_header()
    evaluations: list[Evaluation] = []
    for roles in SIZES:
        for variant in PROGRAMS:
            evaluations.append(evaluate(variant, roles))
            _print_evaluation(evaluations[-1])
    report["evaluation"] = [asdict(e) for e in evaluations]
    by = {(e.variant, e.roles): e for e in evaluations}
    ratios = {
        str(n): {
            "per_resource": round(by["component", n].us_per_resource / by["hand-written", n].us_per_resource, 3),
            "per_role": round(by["component", n].best_seconds / by["hand-written", n].best_seconds, 3),
            "peak_memory": round(by["component", n].peak_memory_mib / by["hand-written", n].peak_memory_mib, 3),
        }
        for n in SIZES
    }
    linearity = {v: round(by[v, 1000].ms_per_role / by[v, 100].ms_per_role, 3) for v in PROGRAMS}
    report["component_over_hand_written"] = ratios
    report["ms_per_role_1000_over_100"] = linearity
    print("\ncomponent / hand-written:", json.dumps(ratios))
    print("time per role, N=1000 / N=100:", json.dumps(linearity))

    graphs = {variant: graph_report(variant, 100) for variant in PROGRAMS}
    report["dependency_graph"] = list(graphs.values())
    for graph in graphs.values():
        _print_graph(graph)

    imports = import_report()
    report["import"] = imports
    print(
        f"\nimport irsa_components: {imports['irsa_components_ms']} ms; {', '.join(SDK_MODULES)}: "
        f"{imports['sdk_modules_ms']} ms; ratio {imports['ratio']}"
    )

    report["plan"] = plan_report()
    print()
    for row in report["plan"]:
        print(f"plan {row['program']}: {row['best_seconds']:.2f} s")

    targets = targets_report(ratios, linearity, graphs, imports)
    report["targets"] = targets
    print()
    for name, target in targets.items():
        print(f"target: {name}: {'met' if target['met'] else 'NOT MET'} ({json.dumps(target['figure'])})")

    if not all(t["met"] for t in targets.values()):
        report["garbage_collector"] = gc_rows = garbage_collector_report()
        print("\nwith the garbage collector disabled during each run:", json.dumps(gc_rows))
        report["breakdown"] = breakdown_report(by)
        print("\nbreakdown at N=1000 (time per registered resource, relative to hand-written):")
        for row in report["breakdown"]:
            print(
                f"  {row['program']:<45} {row['us_per_resource']:>7.0f} us  {row['per_resource_over_hand_written']:.3f}x"
            )
        report["profile"] = profile = profile_report(1000)
        print(
            f"\ncProfile of the component program, N=1000: {profile['profiled_seconds']} s, of which "
            f"irsa_components' own code {profile['irsa_components_own_seconds']} s "
            f"({profile['irsa_components_share']:.1%}): {json.dumps(profile['irsa_components_own_seconds_by_file'])}"
        )
        for row in profile["top_functions_by_own_time"]:
            print(
                f"  {row['own_seconds']:>6.3f} s own {row['cumulative_seconds']:>7.3f} s cum {row['calls']:>8}  {row['function']}"
            )

    report["benchmark_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\ntotal {report['benchmark_seconds']} s; wrote {RESULTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
