"""Differential test: ``analysis.can_assume`` against an independent IAM evaluator, ``@cloud-copilot/iam-simulate``.

Seeded random trust policies (IRSA, Pod Identity and AWS principals; Allow and Deny; every string and ARN
operator with ``IfExists``, ``ForAnyValue:``/``ForAllValues:``, ``Null``; patterns; several values per key)
meet random requests. Every pair where ``can_assume`` answers must get the simulator's answer, and
``may_assume`` (the reviewer's sound mode) must never refuse what the simulator allows.

The simulator is AGPL-licensed: a test-only tool in ``tests/oracle`` (never a dependency of the package,
never vendored). Enable the test with ``npm ci --prefix tests/oracle`` (Node 18+); ``.ci/run`` does.

Documented simulator limitations, and how this test works around them:
- Its validated entry point (``runSimulation``) drops condition keys it does not know for the action, the EKS
  OIDC ``<issuer>:sub``/``:aud`` among them; ``tests/oracle/simulate.cjs`` calls the unvalidated engine the way
  ``runUnsafeSimulation`` does (which itself fails on a resource policy without a name).
- It requires an identity-policy Allow for calls from an AWS principal matched at account level or from another
  account, as IAM does; ``can_assume`` judges the trust policy alone, so AWS-principal requests are simulated with
  an allow-all identity policy.
- It does not know that STS consults only the role's own account's identity providers; requests here use
  providers of the role's account and ``can_assume`` is called without ``role_arn``.
- It matches an account principal (``"AWS": "<account>"``) against any caller ARN of that account, the
  account's OIDC provider included, so such a Deny statement denies web identity requests there; in IAM an
  account principal names the account's IAM principals only. Pairs where a statement names the account of a
  web identity request's provider as an AWS principal are counted, not compared (``_account_principal_meets_federated``).
- Pairs ``can_assume`` answers ``NOT_ANALYSED`` are counted, not compared (the generator keeps them rare), and
  its ``DENY`` ("denied; whether explicitly is not analysed") agrees with either of the simulator's denies.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from irsa_components.review.analysis import (
    Decision,
    Request,
    can_assume,
    may_assume,
    pod_identity_request,
)

ORACLE = Path(__file__).parent / "oracle"
SEED = 20260912
PAIRS = 10000
ACCOUNT, OTHER = "123456789012", "444455556666"
HOSTS = [
    "oidc.eks.eu-west-1.amazonaws.com/id/AAAA1111",
    "oidc.eks.us-east-1.amazonaws.com/id/BBBB2222",
]
PROVIDERS = [f"arn:aws:iam::{ACCOUNT}:oidc-provider/{h}" for h in HOSTS]
NAMESPACES = ["apps", "kube-system", "shop", "default"]
NAMES = ["api", "default", "worker", "orders"]
AUDIENCES = ["sts.amazonaws.com", "vault", "other"]
CLUSTERS = ["prod", "dev"]
AWS_PRINCIPALS = [
    f"arn:aws:iam::{ACCOUNT}:role/ci",
    f"arn:aws:iam::{ACCOUNT}:role/deploy",
    f"arn:aws:iam::{OTHER}:role/ci",
    f"arn:aws:iam::{OTHER}:user/alice",
]
STRING_OPERATORS = [
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
]
TAGS = {
    "aws:RequestTag/eks-cluster-name": CLUSTERS,
    "aws:RequestTag/kubernetes-namespace": NAMESPACES,
    "aws:RequestTag/kubernetes-service-account": NAMES,
}


def _node_ready() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed: install Node 18+ and run `npm ci --prefix tests/oracle`"
    if not (ORACLE / "node_modules" / "@cloud-copilot" / "iam-simulate").is_dir():
        return "the IAM simulator is not installed: run `npm ci --prefix tests/oracle` to enable this test"
    return None


def _pattern(rng: random.Random, value: str) -> str:
    """The value, sometimes turned into a pattern or changed in case."""
    roll = rng.random()
    if roll < 0.15:
        cut = rng.randrange(len(value) + 1)
        return value[:cut] + "*"
    if roll < 0.22:
        i = rng.randrange(len(value))
        return value[:i] + "?" + value[i + 1 :]
    if roll < 0.27:
        return "*"
    if roll < 0.32:
        return value.upper()
    return value


def _sub(rng: random.Random) -> str:
    return f"system:serviceaccount:{rng.choice(NAMESPACES)}:{rng.choice(NAMES)}"


def _values(rng: random.Random, make: Any) -> str | list[str]:
    values = [make() for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    return values[0] if len(values) == 1 else values


def _string_condition(rng: random.Random, key: str, make: Any) -> tuple[str, str, Any]:
    operator = rng.choice(STRING_OPERATORS)
    if rng.random() < 0.2:
        operator += "IfExists"
    if rng.random() < 0.2:
        operator = rng.choice(["ForAnyValue:", "ForAllValues:"]) + operator
    return operator, key, _values(rng, lambda: _pattern(rng, make()))


def _condition(rng: random.Random, kind: str, host: str) -> tuple[str, str, Any]:
    roll = rng.random()
    if roll < 0.08:
        key = rng.choice([f"{host}:sub", f"{host}:aud", "aws:RequestTag/kubernetes-namespace", "aws:PrincipalArn"])
        return "Null", key, rng.choice(["true", "false"])
    if kind == "web":
        if roll < 0.12:  # a key of another provider
            other = rng.choice(HOSTS)
            return _string_condition(rng, f"{other}:sub", lambda: _sub(rng))
        if rng.random() < 0.6:
            return _string_condition(rng, f"{host}:sub", lambda: _sub(rng))
        return _string_condition(rng, f"{host}:aud", lambda: rng.choice(AUDIENCES))
    if kind == "pods":
        key = rng.choice(list(TAGS))
        return _string_condition(rng, key, lambda: rng.choice(TAGS[key]))
    operator = rng.choice(["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"])
    if rng.random() < 0.2:
        operator += "IfExists"
    return operator, "aws:PrincipalArn", _values(rng, lambda: _pattern(rng, rng.choice(AWS_PRINCIPALS)))


def _statement(rng: random.Random) -> dict[str, Any]:
    kind = rng.choice(["web", "web", "pods", "pods", "aws"])
    host = rng.choice(HOSTS)
    if kind == "web":
        principal: Any = {"Federated": f"arn:aws:iam::{ACCOUNT}:oidc-provider/{host}"}
        action: Any = rng.choice(["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWith*", "sts:*"])
    elif kind == "pods":
        principal = {"Service": "pods.eks.amazonaws.com"}
        action = rng.choice([["sts:AssumeRole", "sts:TagSession"], "sts:*", ["sts:AssumeRole"]])
    else:
        principal = {"AWS": rng.choice([ACCOUNT, f"arn:aws:iam::{OTHER}:root", *AWS_PRINCIPALS])}
        action = "sts:AssumeRole"
    if rng.random() < 0.05:
        principal = rng.choice(["*", {"AWS": "*"}])
    statement: dict[str, Any] = {"Effect": "Deny" if rng.random() < 0.2 else "Allow", "Principal": principal}
    if rng.random() < 0.05:
        statement["NotAction"] = "sts:TagSession"
    else:
        statement["Action"] = action
    conditions: dict[str, dict[str, Any]] = {}
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        operator, key, values = _condition(rng, kind, host)
        conditions.setdefault(operator, {})[key] = values
    if conditions:
        statement["Condition"] = conditions
    return statement


def _request(rng: random.Random) -> tuple[Request, bool]:
    """A request and whether it comes from an AWS principal (simulated with an allow-all identity policy)."""
    roll = rng.random()
    if roll < 0.45:
        provider = rng.choice(PROVIDERS)
        host = provider.split(":oidc-provider/", 1)[1].lower()
        context = {f"{host}:sub": (_sub(rng),), f"{host}:aud": (rng.choice(AUDIENCES),)}
        return Request("Federated", provider, ("sts:AssumeRoleWithWebIdentity",), context, frozenset(context)), False
    if roll < 0.85:
        return pod_identity_request(
            rng.choice(CLUSTERS),
            rng.choice(NAMESPACES),
            rng.choice(NAMES),
            session_tags=rng.random() < 0.8,
        ), False
    principal = rng.choice(AWS_PRINCIPALS)
    account = principal.split(":")[4]
    context = {"aws:principalarn": (principal,), "aws:principalaccount": (account,)}
    return Request("AWS", principal, ("sts:AssumeRole",), context, frozenset(context)), True


def _pairs() -> list[tuple[dict[str, Any], Request, bool]]:
    rng = random.Random(SEED)
    pairs = []
    for _ in range(PAIRS):
        policy = {"Version": "2012-10-17", "Statement": [_statement(rng) for _ in range(rng.choice([1, 1, 2, 3]))]}
        request, identity = _request(rng)
        pairs.append((policy, request, identity))
    return pairs


def _oracle_input(policy: dict[str, Any], request: Request, identity: bool) -> str:
    context = {k: (list(v) if k == "aws:tagkeys" else v[0]) for k, v in request.context.items()}
    return json.dumps(
        {
            "policy": policy,
            "principal": request.principal,
            "actions": list(request.actions),
            "context": context,
            "identityAllow": identity,
        }
    )


def _account_principal_meets_federated(policy: dict[str, Any], request: Request) -> bool:
    if request.principal_type != "Federated":
        return False
    account = request.principal.split(":")[4]
    for statement in policy["Statement"]:
        principal = statement.get("Principal")
        written = principal.get("AWS", []) if isinstance(principal, dict) else []
        written = written if isinstance(written, list) else [written]
        if account in written or f"arn:aws:iam::{account}:root" in written:
            return True
    return False


def _agrees(ours: Decision, oracle: Decision) -> bool:
    if ours is Decision.DENY:
        return oracle in (Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY)
    return ours is oracle


ORACLE_DECISIONS = {
    "Allowed": Decision.ALLOW,
    "ExplicitlyDenied": Decision.EXPLICIT_DENY,
    "ImplicitlyDenied": Decision.IMPLICIT_DENY,
}


def test_can_assume_agrees_with_iam_simulate():
    reason = _node_ready()
    if reason is not None:
        pytest.skip(reason)
    pairs = _pairs()
    lines = "\n".join(_oracle_input(*pair) for pair in pairs) + "\n"
    completed = subprocess.run(
        ["node", str(ORACLE / "simulate.cjs")], input=lines, capture_output=True, text=True, check=True, timeout=300
    )
    answers = [json.loads(line)["decision"] for line in completed.stdout.splitlines()]
    assert len(answers) == len(pairs), completed.stderr

    compared = not_analysed = limitation = 0
    disagreements, unsound = [], []
    for (policy, request, _), answer in zip(pairs, answers, strict=True):
        oracle = ORACLE_DECISIONS.get(answer)
        assert oracle is not None, f"simulator answered {answer} for {policy}"
        ours = can_assume(policy, request)
        if oracle is Decision.ALLOW and not may_assume(policy, request):
            unsound.append((policy, request, answer))
        if ours is Decision.NOT_ANALYSED:
            not_analysed += 1
            continue
        if _account_principal_meets_federated(policy, request):
            limitation += 1
            continue
        compared += 1
        if not _agrees(ours, oracle):
            disagreements.append((policy, request.principal, dict(request.context), ours.value, answer))
    allowed = sum(1 for a in answers if a == "Allowed")
    print(
        f"\ndifferential vs iam-simulate: {len(pairs)} pairs (seed {SEED}), {compared} compared, "
        f"{not_analysed} not analysed, {limitation} skipped (simulator limitation), {allowed} allowed by the simulator, {len(disagreements)} disagreements, "
        f"{len(unsound)} refused by may_assume but allowed by the simulator"
    )
    assert disagreements[:3] == []
    assert unsound[:3] == []
    assert compared >= PAIRS * 0.8
