"""Benchmarks of irsa-components against the same resources written by hand, on one machine, in one run.

Run from the repository root with the project's own environment::

    python benchmarks/run.py            # prints the figures and writes benchmarks/results.json

Everything runs offline under ``irsa_components.testing.run_program`` with ``IrsaMocks``. What is
measured, and the targets, are described in benchmarks/README.md.
"""

from __future__ import annotations

import cProfile
import datetime
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


def hand_written_program(roles: int) -> Program:
    """The same cloud resources as ``component_program``, written directly with pulumi_aws / pulumi_kubernetes."""

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
            role = iam.Role(
                f"app-{i}-role",
                assume_role_policy=provider.arn.apply(lambda arn, sa=sa_name: _hand_written_trust(arn, "apps", sa)),
            )
            iam.RolePolicyAttachment(f"app-{i}-AmazonS3ReadOnlyAccess", role=role.name, policy_arn=POLICY_ARN)
            k8s_core.ServiceAccount(
                f"app-{i}-sa",
                metadata={"name": sa_name, "namespace": "apps", "annotations": {"eks.amazonaws.com/role-arn": role.arn}},
            )

    return program


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


# ---- profile -----------------------------------------------------------------------------------


def profile_report(roles: int, top: int = 12) -> dict[str, Any]:
    """Where the component program's time goes: the share spent in irsa_components' own code, and the top functions."""
    profiler = cProfile.Profile()
    program = component_program(roles)
    gc.collect()
    profiler.enable()
    run_program(program)
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    package = str(ROOT / "irsa_components")
    own = {key: entry for key, entry in raw.items() if key[0].startswith(package)}
    by_file: Counter[str] = Counter()
    for (filename, _, _), entry in own.items():
        by_file[Path(filename).name] += entry[2]
    ranked = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return {
        "roles": roles,
        "profiled_seconds": round(total, 3),
        "irsa_components_own_seconds": round(sum(e[2] for e in own.values()), 3),
        "irsa_components_share": round(sum(e[2] for e in own.values()) / total, 4),
        "irsa_components_own_seconds_by_file": {k: round(v, 4) for k, v in by_file.most_common(8)},
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
    for marker in ("site-packages/", "irsa_components/", "lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1] if marker != "irsa_components/" else "irsa_components/" + filename.split(marker, 1)[1]
    return filename


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


def main() -> int:
    started = time.perf_counter()
    report: dict[str, Any] = {"machine": machine()}
    print("machine:", json.dumps(report["machine"]))

    # Warm up imports, the SDK's caches and the mocks once, outside the measurements.
    run_program(component_program(5))
    run_program(hand_written_program(5))

    evaluations: list[Evaluation] = []
    print(
        f"\n{'variant':<13} {'roles':>5} {'resources':>9} {'best s':>8} {'ms/role':>8} {'us/resource':>11} {'peak MiB':>8}"
    )
    for roles in SIZES:
        for variant in PROGRAMS:
            e = evaluate(variant, roles)
            evaluations.append(e)
            print(
                f"{e.variant:<13} {e.roles:>5} {e.registered_resources:>9} {e.best_seconds:>8.3f} "
                f"{e.ms_per_role:>8.2f} {e.us_per_resource:>11.0f} {e.peak_memory_mib:>8.1f}"
            )
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
    linearity = {
        variant: round(by[variant, 1000].ms_per_role / by[variant, 100].ms_per_role, 3) for variant in PROGRAMS
    }
    report["ratios_component_over_hand_written"] = ratios
    report["linearity_ms_per_role_1000_over_100"] = linearity
    print("\ncomponent / hand-written:", json.dumps(ratios))
    print("time per role, N=1000 over N=100:", json.dumps(linearity))

    graphs = [graph_report(variant, 100) for variant in PROGRAMS]
    report["dependency_graph"] = graphs
    for g in graphs:
        print(f"\n{g['variant']} (N={g['roles']}): longest dependency chain ({g['longest_chain_length']} resources):")
        print("  " + " -> ".join(g["longest_chain"]))
        print(f"  invokes: {json.dumps(g['invokes_by_token'])}")
        print(
            f"  dependencies without data: {g['dependencies_without_data']}, on components: "
            f"{g['dependencies_on_components']}, most dependents of one resource: {g['max_dependents_of_one_resource']}"
        )

    imports = import_report()
    report["import"] = imports
    print(
        f"\nimport irsa_components: {imports['irsa_components_ms']} ms; SDK modules: {imports['sdk_modules_ms']} ms; "
        f"ratio {imports['ratio']}"
    )

    plans = plan_report()
    report["plan"] = plans
    print()
    for row in plans:
        print(f"plan {row['program']}: {row['best_seconds']:.2f} s")

    component_graph = graphs[0]
    worst_ratio = max(r["per_resource"] for n, r in ratios.items() if n != "10")
    targets = {
        "per_resource_ratio_at_most_1.05": {
            "met": all(r["per_resource"] <= TARGET_RATIO_PER_RESOURCE for r in ratios.values()),
            "figure": {n: r["per_resource"] for n, r in ratios.items()},
        },
        "component_linear_within_20pct": {
            "met": linearity["component"] <= TARGET_LINEARITY,
            "figure": linearity["component"],
        },
        "critical_path_is_data_minimum": {
            "met": component_graph["longest_chain_length"] == graphs[1]["longest_chain_length"] == 3
            and component_graph["dependencies_without_data"] == 0,
            "figure": component_graph["longest_chain"],
        },
        "one_tls_lookup_per_cluster": {"met": component_graph["tls_lookups"] == 1, "figure": component_graph["tls_lookups"]},
        "no_invoke_per_role": {
            "met": sum(component_graph["invokes_by_token"].values()) == 2,
            "figure": component_graph["invokes_by_token"],
        },
        "import_within_1.2x": {"met": imports["ratio"] <= TARGET_IMPORT_RATIO, "figure": imports["ratio"]},
    }
    report["targets"] = targets
    print()
    for name, target in targets.items():
        print(f"target {name}: {'met' if target['met'] else 'NOT met'} ({json.dumps(target['figure'])})")

    if worst_ratio > TARGET_RATIO_PER_RESOURCE or linearity["component"] > TARGET_LINEARITY:
        profiles = {variant: profile_report(1000) if variant == "component" else None for variant in PROGRAMS}
        report["profile_component_1000"] = profiles["component"]
        p = profiles["component"]
        assert p is not None
        print(
            f"\nprofile, component N=1000: {p['profiled_seconds']} s profiled, of which irsa_components' own code "
            f"{p['irsa_components_own_seconds']} s ({p['irsa_components_share']:.1%})"
        )
        for row in p["top_functions_by_own_time"]:
            print(f"  {row['own_seconds']:>7.3f} s own {row['cumulative_seconds']:>7.3f} s cum {row['calls']:>8}  {row['function']}")

    report["total_benchmark_seconds"] = round(time.perf_counter() - started, 1)
    RESULTS_FILE.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\ntotal {report['total_benchmark_seconds']} s; wrote {RESULTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
