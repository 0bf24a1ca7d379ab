"""How `irsa-components plan` scales with the number of roles: time per role and peak memory at N roles.

Run from the repository root with the project's environment::

    python benchmarks/plan_scale.py                 # N = 500 and 5000
    python benchmarks/plan_scale.py 500 1000 5000   # other sizes

Each N runs in a fresh process: a generated program of N ``ServiceAccountRole``s (each with an inline policy on
its own DynamoDB table and a ServiceAccount, one shared OIDC provider), run under the mocks, reported and
rendered as text exactly as ``plan`` does. It prints, per N, the seconds spent running the program, building the
report and rendering it, the time per role, the peak RSS of the process and (in a second process) the peak
traced Python heap. The target: time per role at N = 5000 within 1.3x of N = 500, memory linear in N.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.3

PROGRAM = """
import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

import irsa_components as irsa

N = int(pulumi.Config().require("roles"))
oidc = irsa.ClusterOidcProvider("oidc", {"cluster_name": "prod"})
for i in range(N):
    table = aws.dynamodb.Table(f"table-{i}", hash_key="pk", attributes=[{"name": "pk", "type": "S"}])
    irsa.ServiceAccountRole(f"app-{i}", {
        "oidc_provider_arn": oidc.arn,
        "namespace": f"team-{i % 50}",
        "service_account": f"app-{i}",
        "inline_policies": {"table": table.arn.apply(lambda arn: {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": arn}],
        })},
    })
"""


def _write_program(folder: Path) -> None:
    (folder / "Pulumi.yaml").write_text("name: scale\nruntime: python\nconfig:\n  roles: 10\n")
    (folder / "__main__.py").write_text(PROGRAM)


def measure(n: int, *, trace: bool) -> dict[str, float]:
    """One plan of N roles in this process: phase times, peak RSS, and (``trace``) the peak traced heap."""
    from irsa_components.review.report import build_report, render_text
    from irsa_components.testing import run_project

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_program(folder)
        if trace:
            tracemalloc.start()
        cpu_start = time.process_time()
        start = time.perf_counter()
        result = run_project(folder, config={"roles": str(n)}, timeout=3600)
        ran = time.perf_counter()
        report = build_report(result)
        reported = time.perf_counter()
        text = render_text(report)
        rendered = time.perf_counter()
        cpu = time.process_time() - cpu_start
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
        tracemalloc.stop()
    assert len(report["roles"]) == n and text
    return {
        "run_s": ran - start,
        "report_s": reported - ran,
        "render_s": rendered - reported,
        "total_s": rendered - start,
        "cpu_s": cpu,
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "heap_mib": peak,
    }


def _child(n: int, trace: bool) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(n), "--trace" if trace else "--no-trace"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(measure(int(argv[1]), trace=argv[2] == "--trace")))
        return
    sizes = [int(a) for a in argv] or [500, 5000]
    rows = {}
    print(
        f"{'N':>6} {'run s':>8} {'report s':>9} {'render s':>9} {'ms/role':>8} {'CPU ms/role':>12}"
        f" {'RSS MiB':>8} {'heap MiB':>9} {'KiB/role':>9}"
    )
    for n in sizes:
        timed = _child(n, trace=False)
        traced = _child(n, trace=True)
        row = {
            **timed,
            "heap_mib": traced["heap_mib"],
            "ms_per_role": 1000 * timed["total_s"] / n,
            "cpu_ms_per_role": 1000 * timed["cpu_s"] / n,
        }
        rows[n] = row
        print(
            f"{n:>6} {row['run_s']:>8.2f} {row['report_s']:>9.2f} {row['render_s']:>9.2f} {row['ms_per_role']:>8.2f}"
            f" {row['cpu_ms_per_role']:>12.2f}"
            f" {row['rss_mib']:>8.0f} {row['heap_mib']:>9.1f} {1024 * row['heap_mib'] / n:>9.1f}"
        )
    if len(sizes) >= 2:
        small, large = min(sizes), max(sizes)
        ratio = rows[large]["ms_per_role"] / rows[small]["ms_per_role"]
        report_ratio = (rows[large]["report_s"] / large) / (rows[small]["report_s"] / small)
        heap_ratio = (rows[large]["heap_mib"] / large) / (rows[small]["heap_mib"] / small)
        cpu_ratio = rows[large]["cpu_ms_per_role"] / rows[small]["cpu_ms_per_role"]
        verdict = "met" if max(ratio, cpu_ratio) <= TARGET_RATIO else "not met"
        print(
            f"time per role, N={large} / N={small}: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (target <= {TARGET_RATIO}x): {verdict}"
        )
        print(f"report + findings time per role, N={large} / N={small}: {report_ratio:.2f}x")
        print(f"heap per role, N={large} / N={small}: {heap_ratio:.2f}x (1.0x = linear)")


if __name__ == "__main__":
    main(sys.argv[1:])
