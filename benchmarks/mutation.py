"""Mutation testing of the core: would the test suite notice if the code were subtly wrong?

A small AST mutator of our own (benchmarks/README.md says why not mutmut or cosmic-ray). For every
mutant of the chosen modules it runs only the tests that execute the mutated line, in a fresh process
that loads the mutated module in place of the real one, and reports which mutants no test kills.

    python benchmarks/mutation.py                                # the core modules, everything
    python benchmarks/mutation.py --modules trust analysis --jobs 2
    python benchmarks/mutation.py --max-mutants 100 --seed 3 --budget-seconds 600
    python benchmarks/mutation.py --survivors-of benchmarks/mutation.json   # re-run last run's survivors

Steps: (1) run the whole suite once under ``coverage`` with one context per test, mapping each line of
the package to the test node ids that execute it (cached in ``.mutation-cache/`` until a source or test
file changes); (2) generate mutants from each module's AST; (3) per mutant, compile the mutated AST and
run ``pytest -x -q -p no:cacheprovider <covering ids>`` in a child process whose import system serves
the mutated code for that one module; (4) print per-module figures and the survivors and write
``benchmarks/mutation.json``.

Lines run only at import (module-level tables and constants) are executed by no test in particular:
their mutants run the tests that execute a line using the bound name (``MAX_TAGS``, ``_OPERATORS``...)
and the test functions that name it. A mutant no test reaches survives ("no covering test").

Known equivalent mutants are listed in ``EQUIVALENTS`` below, each with the reason, and reported as
equivalent, outside the score. Score = (killed + timeout) / (generated - equivalent).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import hashlib
import json
import marshal
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "irsa_components"
TESTS = ROOT / "tests"
CACHE = ROOT / ".mutation-cache"
RESULTS = ROOT / "benchmarks" / "mutation.json"

MODULES: dict[str, tuple[str, float | None]] = {
    # short name: (path from the repository root, target score in %; None: measured, no target)
    "trust": ("irsa_components/trust.py", 97.0),
    "validation": ("irsa_components/validation.py", 90.0),
    "analysis": ("irsa_components/review/analysis.py", 97.0),
    "findings": ("irsa_components/review/findings.py", 90.0),
    "_role": ("irsa_components/_role.py", 90.0),
    # the review's other judging modules (issues 9, 13): what the gate decides
    "exposure": ("irsa_components/review/exposure.py", 90.0),
    "permissions": ("irsa_components/review/permissions.py", 90.0),
    "condition_keys": ("irsa_components/review/condition_keys.py", 90.0),
    "gate": ("irsa_components/review/gate.py", 90.0),
    "policy_pack": ("irsa_components/review/policy_pack.py", 90.0),
    # what the mocks compute (issue 8): a wrong answer here is a wrong plan
    "policy_document": ("irsa_components/policy_document.py", 90.0),
    "mock_resources": ("irsa_components/mock_resources.py", 90.0),
    "mock_invokes": ("irsa_components/mock_invokes.py", 90.0),
    # input checks added by issues 10 and 12
    "_inputs": ("irsa_components/_inputs.py", 90.0),
    "custom_trust": ("irsa_components/custom_trust.py", 90.0),
    "report": ("irsa_components/review/report.py", None),
    "testing": ("irsa_components/testing.py", None),
}
CORE = ("trust", "validation", "analysis", "findings", "_role")
GROUPS: dict[str, tuple[str, ...]] = {
    "core": CORE,
    "review": ("exposure", "permissions", "condition_keys", "gate", "policy_pack"),
    "mocks": ("policy_document", "mock_resources", "mock_invokes"),
    "inputs": ("_inputs", "custom_trust"),
}
EXTRA_GLOBS = ("irsa_components/review/*.py", "irsa_components/mock*.py", "irsa_components/mocks/*.py")
"""Review and mock modules added later are picked up by ``--modules all``."""

# ---- the operators ----------------------------------------------------------------------------------

COMPARE_FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}

IAM_STRINGS = {
    # condition operators as written and as the evaluator lowercases them
    "StringEquals": "StringLike",
    "StringLike": "StringEquals",
    "StringNotEquals": "StringEquals",
    "StringNotLike": "StringLike",
    "StringEqualsIgnoreCase": "StringEquals",
    "ArnEquals": "ArnLike",
    "ArnLike": "ArnEquals",
    "stringequals": "stringlike",
    "stringnotequals": "stringequals",
    "stringequalsignorecase": "stringequals",
    "stringnotequalsignorecase": "stringnotequals",
    "stringlike": "stringequals",
    "stringnotlike": "stringlike",
    "arnequals": "arnlike",
    "arnnotequals": "arnequals",
    "arnlike": "arnequals",
    "arnnotlike": "arnlike",
    "forallvalues": "foranyvalue",
    "foranyvalue": "forallvalues",
    "ifexists": "exists",
    "null": "bool",
    "bool": "null",
    # policy grammar
    "Allow": "Deny",
    "Deny": "Allow",
    "*": "?",
    "?": "*",
    "Action": "NotAction",
    "NotAction": "Action",
    "Resource": "NotResource",
    "NotResource": "Resource",
    "Principal": "NotPrincipal",
    "NotPrincipal": "Principal",
    "Federated": "Service",
    "Service": "AWS",
    "AWS": "Service",
    "2012-10-17": "2008-10-17",
    # keys, claims, actions and principals of EKS trusts
    ":aud": ":sub",
    ":sub": ":aud",
    "aud": "sub",
    "sub": "aud",
    "sts:AssumeRole": "sts:TagSession",
    "sts:TagSession": "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity": "sts:AssumeRole",
    "sts.amazonaws.com": "sts.amazonaws.com.cn",
    "pods.eks.amazonaws.com": "eks.amazonaws.com",
    "system:serviceaccount:": "system:serviceaccounts:",
    ":oidc-provider/": ":saml-provider/",
    "aws:RequestTag/eks-cluster-name": "aws:RequestTag/eks-cluster-arn",
    "aws:RequestTag/eks-cluster-arn": "aws:RequestTag/eks-cluster-name",
    "aws:RequestTag/kubernetes-namespace": "aws:RequestTag/kubernetes-service-account",
    "aws:RequestTag/kubernetes-service-account": "aws:RequestTag/kubernetes-namespace",
    "aws:tagkeys": "aws:requesttag",
    "aws:PrincipalARN": "aws:SourceArn",
    "sts:ExternalId": "sts:SourceIdentity",
    "aws:": "aws",
    ":iam::aws:policy/": ":iam::aws:policy/service-role/",
}
"""IAM operator, key and value strings, each with the plausible mistake it is mutated into."""

BOOLEAN_CALLS = {"any", "all", "isinstance", "bool", "callable", "hasattr"}


@dataclass(frozen=True)
class Equivalent:
    """A mutant that cannot change behaviour, and why."""

    module: str
    scope: str
    """The enclosing function or class (dotted), ``<module>`` at top level."""
    source: str
    """The mutated line, stripped."""
    operator: str
    original: str
    mutant: str
    reason: str
    column: int = -1
    """Where on that line the mutated node starts (0-based, as ``ast`` counts)."""


EQUIVALENTS: tuple[Equivalent, ...] = (
    # Each one read and argued; a mutant goes here only when no input can tell it from the original.
    Equivalent(
        "trust",
        "provider_url_from_arn",
        'return provider_arn.split(":oidc-provider/", 1)[1]',
        "number",
        "1",
        "2",
        "a second ':oidc-provider/' would be needed to tell the splits apart; the URL part of a provider ARN "
        "(validate_oidc_provider_arn) holds no ':' except before a port number",
        column=49,
    ),
    Equivalent(
        "trust",
        "_one_or_many",
        "return values[0] if len(values) == 1 else list(values)",
        "number",
        "0",
        "-1",
        "values[0] and values[-1] are the same element of a one-element sequence",
        column=18,
    ),
    Equivalent(
        "trust",
        "pod_identity_triple_statements",
        "statement = pod_identity_statement(cluster_name, namespace, names[0])",
        "number",
        "0",
        "-1",
        "the service-account tag this sets is overwritten with every name on the next line",
        column=74,
    ),
    Equivalent(
        "validation",
        "parse_policy_document",
        'if document.get("Version", "2012-10-17") not in ("2012-10-17", "2008-10-17"):',
        "iam-string",
        "'2012-10-17'",
        "'2008-10-17'",
        "the default for a document without Version is only compared with the accepted versions; both are",
        column=31,
    ),
    Equivalent(
        "analysis",
        "_principal_matches",
        'raise _NotAnalysed("NotPrincipal")',
        "iam-string",
        "'NotPrincipal'",
        "'Principal'",
        "can_assume catches _NotAnalysed and drops its message; only the statement's effect counts",
        column=27,
    ),
    Equivalent(
        "validation",
        "validate_max_session_duration",
        "isinstance(value, bool)",
        "operand-dropped",
        "isinstance(value, bool) or not isinstance(value, int) or (not MIN_SESSION_DURATION <= v...",
        "not isinstance(value, int) or not MIN_SESSION_DURATION <= value <= MAX_SESSION_DURATION",
        "True and False are the ints 1 and 0, which the range check refuses anyway",
        column=8,
    ),
    Equivalent(
        "findings",
        "_permission_documents",
        'admin = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
        "iam-string",
        "'Resource'",
        "'NotResource'",
        'the stand-in for AdministratorAccess is reported for its Action "*" before its Resource is read',
        column=62,
    ),
    Equivalent(
        "findings",
        "_permission_documents",
        'admin = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
        "iam-string",
        "'*'",
        "'?'",
        'the stand-in for AdministratorAccess is reported for its Action "*" before its Resource is read',
        column=74,
    ),
    Equivalent(
        "analysis",
        "_condition_holds",
        "hit = any(matches_any(v) for v in values)",
        "any-all",
        "any((matches_any(v) for v in values))",
        "all((matches_any(v) for v in values))",
        "a key reaching this line holds one value: the requests built here have one per key, and the multivalued "
        "aws:TagKeys without ForAnyValue/ForAllValues is refused just above",
        column=10,
    ),
    Equivalent(
        "analysis",
        "arn_match",
        "return all(wildcard_match(p, v) for p, v in zip(pattern_parts, value_parts, strict=True))",
        "true-false",
        "True",
        "False",
        "both lists have six parts by then (checked just above), so strict zip never has a length to refuse",
        column=87,
    ),
    Equivalent(
        "findings",
        "_pod_identity_mode",
        'others = sorted({str(a.inputs.get("clusterName")) for a in associations[1:]} - {cluster})',
        "number",
        "1",
        "0",
        "the first association's cluster is subtracted right after, so including it changes nothing",
        column=76,
    ),
    Equivalent(
        "_role",
        "AddonPolicyArgs",
        "class AddonPolicyArgs(TypedDict, total=False):",
        "true-false",
        "False",
        "True",
        "a TypedDict's totality is read by type checkers only; at run time the options stay a plain dict",
        column=39,
    ),
    Equivalent(
        "_role",
        "RoleArgs",
        "class RoleArgs(TypedDict, total=False):",
        "true-false",
        "False",
        "True",
        "a TypedDict's totality is read by type checkers only; at run time the options stay a plain dict",
        column=32,
    ),
    Equivalent(
        "_role",
        "ServiceAccountArgs",
        "class ServiceAccountArgs(TypedDict, total=False):",
        "true-false",
        "False",
        "True",
        "a TypedDict's totality is read by type checkers only; at run time the options stay a plain dict",
        column=42,
    ),
    Equivalent(
        "analysis",
        "_principal_matches",
        "return False",
        "return-none",
        "return False",
        "return None",
        "both callers only test the result for truth ('not ...'): None and False read the same",
        column=8,
    ),
    Equivalent(
        "analysis",
        "parse_operator",
        'if_exists = base.endswith("ifexists")',
        "iam-string",
        "'ifexists'",
        "'exists'",
        "no IAM operator ends in 'exists' but the IfExists forms; a made-up '...Exists' loses 8 letters either way and stays unknown (NOT_ANALYSED)",
        column=30,
    ),
    Equivalent(
        "findings",
        "_irsa002_unadmitted_associations",
        "if document is not None and _trusts_pod_identity(document):",
        "operand-dropped",
        "document is not None and _trusts_pod_identity(document)",
        "_trusts_pod_identity(document)",
        "IRSA002 is raised only for Admission.NO, which needs a parsed trust document, so document is never None here",
        column=11,
    ),
    Equivalent(
        "findings",
        "_irsa007_trust_near_quota",
        "if size > TRUST_SIZE_WARNING_RATIO * quota:",
        "compare",
        "size > TRUST_SIZE_WARNING_RATIO * quota",
        "size >= TRUST_SIZE_WARNING_RATIO * quota",
        "80% of 2048 is 1638.4, which no whole number of characters equals",
        column=11,
    ),
    Equivalent(
        "findings",
        "_irsa010_leaf_thumbprints",
        'url = str(provider.inputs.get("url") or "")',
        "operand-dropped",
        "provider.inputs.get('url') or ''",
        "provider.inputs.get('url')",
        "a provider without url has no certificate chain under '' or under 'None' (issuer keys are host names)",
        column=18,
    ),
    Equivalent(
        "analysis",
        "<module>",
        '"arnequals": _Operator(False, True, False, arn=True),',
        "true-false",
        "True",
        "False",
        "an ARN operator is matched by arn_match, part by part, case-sensitively, wildcards allowed: its wildcards "
        "flag is never read (and grants() refuses ARN operators before building a Constraint)",
        column=34,
    ),
    Equivalent(
        "analysis",
        "<module>",
        '"arnequals": _Operator(False, True, False, arn=True),',
        "true-false",
        "False",
        "True",
        "an ARN operator is matched by arn_match, part by part, case-sensitively, wildcards allowed: its ignore_case "
        "flag is never read (and grants() refuses ARN operators before building a Constraint)",
        column=40,
    ),
    Equivalent(
        "analysis",
        "<module>",
        '"arnnotequals": _Operator(True, True, False, arn=True),',
        "true-false",
        "True",
        "False",
        "an ARN operator is matched by arn_match, part by part, case-sensitively, wildcards allowed: its wildcards "
        "flag is never read (and grants() refuses ARN operators before building a Constraint)",
        column=36,
    ),
    Equivalent(
        "analysis",
        "<module>",
        '"arnnotequals": _Operator(True, True, False, arn=True),',
        "true-false",
        "False",
        "True",
        "an ARN operator is matched by arn_match, part by part, case-sensitively, wildcards allowed: its ignore_case "
        "flag is never read (and grants() refuses ARN operators before building a Constraint)",
        column=42,
    ),
    Equivalent(
        "analysis",
        "<module>",
        '"arnlike": _Operator(False, True, False, arn=True),',
        "true-false",
        "True",
        "False",
        "an ARN operator is matched by arn_match, part by part, case-sensitively, wildcards allowed: its wildcards "
        "flag is never read (and grants() refuses ARN operators before building a Constraint)",
        column=32,
    ),
    Equivalent(
        "analysis",
        "<module>",
        '"arnlike": _Operator(False, True, False, arn=True),',
        "true-false",
        "False",
        "True",
        "an ARN operator is matched by arn_match, part by part, case-sensitively, wildcards allowed: its ignore_case "
        "flag is never read (and grants() refuses ARN operators before building a Constraint)",
        column=38,
    ),
    Equivalent(
        "analysis",
        "<module>",
        '"arnnotlike": _Operator(True, True, False, arn=True),',
        "true-false",
        "True",
        "False",
        "an ARN operator is matched by arn_match, part by part, case-sensitively, wildcards allowed: its wildcards "
        "flag is never read (and grants() refuses ARN operators before building a Constraint)",
        column=34,
    ),
    Equivalent(
        "analysis",
        "<module>",
        '"arnnotlike": _Operator(True, True, False, arn=True),',
        "true-false",
        "False",
        "True",
        "an ARN operator is matched by arn_match, part by part, case-sensitively, wildcards allowed: its ignore_case "
        "flag is never read (and grants() refuses ARN operators before building a Constraint)",
        column=40,
    ),
    Equivalent(
        "findings",
        "_is_read",
        'verb = action.split(":", 1)[-1]',
        "number",
        "1",
        "2",
        "an IAM action is service:Action with one ':', so the last piece is the same split once or twice",
        column=29,
    ),
    Equivalent(
        "findings",
        "_trusts_pod_identity",
        "return False",
        "return-none",
        "return False",
        "return None",
        "its callers only test the result for truth: None and False read the same",
        column=4,
    ),
    Equivalent(
        "analysis",
        "arn_match",
        "return False",
        "return-none",
        "return False",
        "return None",
        "every caller uses the result for truth (any(...), not ...); no Constraint is built for ARN operators",
        column=8,
    ),
    Equivalent(
        "analysis",
        "_statement_applies",
        "return False",
        "return-none",
        "return False",
        "return None",
        "the result is only combined with 'and' and tested for truth: None and False read the same",
        column=8,
    ),
    Equivalent(
        "analysis",
        "_statement_applies",
        "return False",
        "return-none",
        "return False",
        "return None",
        "the result is only combined with 'and' and tested for truth: None and False read the same",
        column=16,
    ),
    Equivalent(
        "validation",
        "exactly_one",
        "return present[0] if present else None",
        "number",
        "0",
        "-1",
        "after the check above present holds at most one field, so [0] and [-1] are the same",
        column=19,
    ),
    Equivalent(
        "findings",
        "_irsa010_leaf_thumbprints",
        "f\"OIDC provider {url.split('://', 1)[-1]}: thumbprint {thumbprint} is the leaf certificate's \"",
        "number",
        "1",
        "2",
        "a URL holds one '://', so the last piece is the same split once or twice",
        column=54,
    ),
    Equivalent(
        "validation",
        "closest",
        "return matches[0] if matches else None",
        "number",
        "0",
        "-1",
        "get_close_matches(..., n=1) returns at most one match: its first and its last are the same",
        column=19,
    ),
    Equivalent(
        "findings",
        "_irsa019_open_trust_with_power",
        "if f.id in BROAD_TRUST_IDS and f.resource_type == ROLE:",
        "operand-dropped",
        "f.id in BROAD_TRUST_IDS and f.resource_type == ROLE",
        "f.id in BROAD_TRUST_IDS",
        "every finding with an id of BROAD_TRUST_IDS is made on a role (_trust_finding and _irsa013 are given "
        "roles only), and find_issues, the one caller, passes only the findings of this module",
        column=11,
    ),
    Equivalent(
        "_inputs",
        "check_shape",
        "raise problems[0]",
        "raise-to-pass",
        "raise problems[0]",
        "pass",
        "falling through checks the value against plain[0] once more, which raises the very error problems[0] "
        "holds (same component, field, value, problem and fix)",
        column=8,
    ),
    Equivalent(
        "_inputs",
        "_plain_fix",
        'check = NUMBER_FIELDS.get(field.rsplit(".", 1)[-1])',
        "number",
        "1",
        "2",
        "the last piece of a right split is the same whether it splits once or twice",
        column=52,
    ),
    Equivalent(
        "_inputs",
        "_output_allowed",
        "return bool(deferred), [m for m in members if m not in deferred and m is not type(None)]",
        "operand-dropped",
        "m not in deferred and m is not type(None)",
        "m is not type(None)",
        "check_shape, the one caller, returns before reading the plain members when any member is deferred; when "
        "none is, 'm not in deferred' always holds",
        column=54,
    ),
    Equivalent(
        "_inputs",
        "check_shape",
        "if not is_known(value) and (isinstance(value, pulumi.Output) or isawaitable(value)):",
        "operand-dropped",
        "not is_known(value) and (isinstance(value, pulumi.Output) or isawaitable(value))",
        "isinstance(value, pulumi.Output) or isawaitable(value)",
        "an Output or an awaitable is never known (is_known), so the dropped operand holds whenever the rest does",
        column=7,
    ),
    Equivalent(
        "_inputs",
        "check_shape",
        "hint = plain[0]",
        "number",
        "0",
        "-1",
        "plain has exactly one member here: a union of several returned or raised in the loop above, and any "
        "other hint is [hint]",
        column=17,
    ),
    Equivalent(
        "custom_trust",
        "_sets_key",
        'return _is_token_claim(key) and lowered.rsplit(":", 1)[-1] in ("sub", "aud")',
        "number",
        "1",
        "2",
        "the last piece of a right split is the same whether it splits once or twice",
        column=60,
    ),
    Equivalent(
        "custom_trust",
        "_value_problem",
        "return False",
        "return-none",
        "return False",
        "return None",
        "the one caller (validate_trust_conditions) only tests the result for truth: None and False read the same",
        column=8,
    ),
    Equivalent(
        "validation",
        "<module>",
        'PARTITION_PATTERN = "|".join(re.escape(p) for p in sorted(PARTITIONS, key=len, reverse=True))',
        "true-false",
        "True",
        "False",
        "every pattern that uses it follows the alternation with ':', so the regex backtracks to the partition "
        "that ends there ('aws' before 'aws-cn' fails at '-') whatever the order of the alternatives",
        column=87,
    ),
    Equivalent(
        "analysis",
        "_not_principal_matches",
        "return False",
        "return-none",
        "return False",
        "return None",
        "the one caller (_statement_applies) only tests the result for truth: None and False read the same",
        column=8,
    ),
    Equivalent(
        "analysis",
        "provider_in_other_account",
        "return False",
        "return-none",
        "return False",
        "return None",
        "both callers (can_assume, may_assume) only test the result for truth: None and False read the same",
        column=8,
    ),
    Equivalent(
        "analysis",
        "wildcard_match",
        "p, v = star + 1, resume",
        "number",
        "1",
        "0",
        "p back on the '*' itself: the next pass takes the '*' branch, which sets star and resume to the values they "
        "already hold and steps past it, the state the original reaches directly",
        column=26,
    ),
    Equivalent(
        "analysis",
        "_demands_the_key",
        'return not _OPERATORS[parse_operator(operator).base].negated and "ifexists" not in operator.lower()',
        "iam-string",
        "'ifexists'",
        "'exists'",
        "the operator here is the string operator _conditions let through (ForAllValues:/ForAnyValue: already "
        "stripped), whose base is one of _OPERATORS: none contains 'exists', so it does exactly when 'ifexists' ends it",
        column=69,
    ),
    Equivalent(
        "policy_document",
        "_get",
        "return args.get(snake or camel)",
        "operand-dropped",
        "snake or camel",
        "snake",
        "reached only when args.get(camel) is None; with no snake name args.get(None) is None as well (argument keys are strings)",
        column=20,
    ),
    Equivalent(
        "policy_document",
        "_string_set",
        "return unique[0] if len(unique) == 1 else unique",
        "number",
        "0",
        "-1",
        "a one-element list: [0] and [-1] are the same element (len(unique) == 1)",
        column=18,
    ),
    Equivalent(
        "policy_document",
        "_replace_vars",
        "return replaced[0] if isinstance(value, str) else replaced",
        "number",
        "0",
        "-1",
        "a one-element list: [0] and [-1] are the same element (replaced was built from [value] when value is a string)",
        column=20,
    ),
    Equivalent(
        "policy_document",
        "_conditions",
        "test: {var: (vals[0] if len(vals) == 1 else vals) for var, vals in sorted(raw[test].items())}",
        "number",
        "0",
        "-1",
        "a one-element list: [0] and [-1] are the same element (len(vals) == 1)",
        column=26,
    ),
    Equivalent(
        "policy_document",
        "_statement",
        'statement: dict[str, Any] = {"Sid": args.get("sid") or "", "Effect": args.get("effect") or "Allow"}',
        "operand-dropped",
        "args.get('sid') or ''",
        "args.get('sid')",
        "a Sid of None and an empty Sid are alike everywhere: both falsy for the duplicate check and _merge, both omitted by _ordered",
        column=40,
    ),
    Equivalent(
        "policy_document",
        "_normalise_parsed",
        "values = values[0] if len(values) == 1 else values",
        "number",
        "0",
        "-1",
        "a one-element list: [0] and [-1] are the same element (len(values) == 1)",
        column=36,
    ),
    Equivalent(
        "policy_document",
        "_merge",
        'if new["Version"] > into["Version"]:',
        "compare",
        "new['Version'] > into['Version']",
        "new['Version'] >= into['Version']",
        "when the versions are equal the assignment writes the value already there",
        column=7,
    ),
    Equivalent(
        "policy_document",
        "_merge",
        'sid = statement.get("Sid") or ""',
        "operand-dropped",
        "statement.get('Sid') or ''",
        "statement.get('Sid')",
        "sid is only tested for truth on the next line, and None is as falsy as ''",
        column=14,
    ),
    Equivalent(
        "mock_resources",
        "fake_uuid",
        'variant = "89ab"[int(h[16], 16) % 4]',
        "number",
        "16",
        "17",
        "the base of int() on one hex digit: base 17 reads 0-9 and a-f as the same values",
        column=32,
    ),
    Equivalent(
        "mock_resources",
        "generic_arn_format",
        'resource = re.sub(r"(?<!^)(?=[A-Z])", "-", rest.split(":", 1)[0]).lower()',
        "number",
        "0",
        "1",
        "in a Pulumi type token the member after '/' is the type name in lowerCamelCase ('aws:ecs/taskDefinition:TaskDefinition'); kebab-cased and lowercased, either part gives the same resource name",
        column=66,
    ),
    Equivalent(
        "mock_resources",
        "_key",
        'return ""',
        "return-none",
        "return ''",
        "return None",
        "formats without a key style have no {key} in their ARN or ID, and no extra output reads their key",
        column=4,
    ),
    Equivalent(
        "mock_invokes",
        "_kms_key_id",
        'return reference.rsplit("/", 1)[1]',
        "number",
        "1",
        "2",
        "a key ARN holds one '/' (key IDs have none): maxsplit 1 or 2 splits it the same",
        column=37,
    ),
    Equivalent(
        "mock_invokes",
        "_secret",
        'name = args.get("name") or (str(arn).split(":secret:", 1)[-1].rsplit("-", 1)[0] if arn else "secret")',
        "number",
        "1",
        "2",
        "a secret ARN holds ':secret:' once (secret names allow no ':'): maxsplit 1 or 2 splits it the same",
        column=59,
    ),
    Equivalent(
        "mock_invokes",
        "_eks_cluster_auth",
        "return _echo(args, id=name, name=name, token=f\"k8s-aws-v1.{digest('token', name, length=64)}\")",
        "number",
        "64",
        "65",
        "a SHA-256 hex digest has 64 characters: its first 64 and first 65 are the same",
        column=92,
    ),
    Equivalent(
        "mock_resources",
        "generic_arn_format",
        'resource = re.sub(r"(?<!^)(?=[A-Z])", "-", rest.split(":", 1)[0]).lower()',
        "number",
        "1",
        "2",
        "only the first part of the split is used, and it is the same for any maxsplit of 1 or more",
        column=63,
    ),
    Equivalent(
        "mock_resources",
        "generic_arn_format",
        'resource = re.sub(r"(?<!^)(?=[A-Z])", "-", rest.split(":", 1)[0]).lower()',
        "number",
        "0",
        "-1",
        "in a Pulumi type token the member after '/' is the type name in lowerCamelCase ('aws:ecs/taskDefinition:TaskDefinition'); kebab-cased and lowercased, either part gives the same resource name",
        column=66,
    ),
    Equivalent(
        "mock_resources",
        "kubernetes_outputs",
        'kind = type_token.rsplit(":", 1)[-1]',
        "number",
        "1",
        "2",
        "only the last part of the split is used, and it is the same for any maxsplit of 1 or more",
        column=34,
    ),
    Equivalent(
        "mock_invokes",
        "_iam_policy",
        'name = args.get("name") or (str(arn).rsplit("/", 1)[-1] if arn else "policy")',
        "number",
        "1",
        "2",
        "only the last part of the split is used, and it is the same for any maxsplit of 1 or more",
        column=53,
    ),
    Equivalent(
        "mock_resources",
        "resource_outputs",
        'name_input = fmt.name_input if (fmt.name_input != "name" or has_name or type_token in ARN_FORMAT_BY_TYPE) else ""',
        "operand-dropped",
        "fmt.name_input != 'name' or has_name or type_token in ARN_FORMAT_BY_TYPE",
        "has_name or type_token in ARN_FORMAT_BY_TYPE",
        "the first operand never decides: a format whose name input is not 'name' is a row of ARN_FORMAT_BY_TYPE "
        "(the third operand), and generic_arn_format always names its input 'name'",
        column=36,
    ),
    # review modules (issue 14, exposure and policy_pack)
    Equivalent(
        "exposure",
        "_condition_items",
        'conditions = statement.get("Condition") or {}',
        "operand-dropped",
        "statement.get('Condition') or {}",
        "statement.get('Condition')",
        "a missing Condition (None) is not a Mapping: the function returns without yielding, as it yields nothing "
        "for {}",
        column=17,
    ),
    Equivalent(
        "exposure",
        "_instances",
        'if "*" not in pattern and "?" not in pattern:',
        "if-to-pass",
        "if '*' not in pattern and '?' not in pattern:",
        "pass",
        "without '*' or '?' both fills give the pattern itself, twice; every caller deduplicates (dict.fromkeys) or "
        "only asks any()",
        column=4,
    ),
    Equivalent(
        "exposure",
        "_public_detail",
        'kind == "Federated"',
        "operand-dropped",
        "kind == 'Federated' and principal_kind(kind, value) is PrincipalKind.WEB_IDENTITY and (...",
        "principal_kind(kind, value) is PrincipalKind.WEB_IDENTITY and ':saml-provider/' not in ...",
        "principal_kind returns WEB_IDENTITY only for a Federated principal",
        column=8,
    ),
    Equivalent(
        "exposure",
        "_never_reason",
        'if kind == "AWS" and (value == "*" or account_of(value) is None):',
        "operand-dropped",
        "value == '*' or account_of(value) is None",
        "account_of(value) is None",
        "'*' belongs to no account: account_of('*') is None, so the dropped test never decides",
        column=26,
    ),
    Equivalent(
        "exposure",
        "_public_detail",
        "issuer = f\"arn:aws:iam::{account_of(role_arn or '') or FOREIGN_ACCOUNT}:oidc-provider/{FRESH}.example.com\"",
        "operand-dropped",
        "account_of(role_arn or '') or FOREIGN_ACCOUNT",
        "account_of(role_arn or '')",
        "the probe is put to may_assume without role_arn, so the issuer's account is never compared with the "
        "role's (provider_in_other_account): any account gives the same answer",
        column=37,
    ),
    Equivalent(
        "exposure",
        "_public_detail",
        "if action_matches(statement, WEB_IDENTITY_ACTION) and may_assume(document, _web_request(value, claims)):",
        "operand-dropped",
        "action_matches(statement, WEB_IDENTITY_ACTION) and may_assume(document, _web_request(va...",
        "may_assume(document, _web_request(value, claims))",
        "the probe asks for sts:AssumeRoleWithWebIdentity, so may_assume already requires the statement to allow it",
        column=11,
    ),
    Equivalent(
        "exposure",
        "_never_reason",
        'if kind == "AWS" and (value == "*" or account_of(value) is None):',
        "iam-string",
        "'*'",
        "'?'",
        "'*' belongs to no account: account_of('*') is None decides for it whatever value == is compared with",
        column=35,
    ),
    Equivalent(
        "exposure",
        "_public_detail",
        "issuer = f\"arn:aws:iam::{account_of(role_arn or '') or FOREIGN_ACCOUNT}:oidc-provider/{FRESH}.example.com\"",
        "operand-dropped",
        "account_of(role_arn or '') or FOREIGN_ACCOUNT",
        "FOREIGN_ACCOUNT",
        "the probe is put to may_assume without role_arn, so the issuer's account is never compared with the role's",
        column=37,
    ),
    Equivalent(
        "exposure",
        "_public_detail",
        "issuer = f\"arn:aws:iam::{account_of(role_arn or '') or FOREIGN_ACCOUNT}:oidc-provider/{FRESH}.example.com\"",
        "operand-dropped",
        "role_arn or ''",
        "''",
        "the probe is put to may_assume without role_arn, so the issuer's account is never compared with the role's",
        column=48,
    ),
    Equivalent(
        "exposure",
        "_never_reason",
        "if not all(action_matches(statement, a) for a in actions):",
        "any-all",
        "all((action_matches(statement, a) for a in actions))",
        "any((action_matches(statement, a) for a in actions))",
        "actions always holds exactly one action here: all and any of one element agree",
        column=11,
    ),
    Equivalent(
        "permissions",
        "role_policies",
        'for inline in as_list(role.inputs.get("inlinePolicies") or []):',
        "operand-dropped",
        "role.inputs.get('inlinePolicies') or []",
        "role.inputs.get('inlinePolicies')",
        "as_list(None) is [None], and the loop skips every entry that is not a mapping: nothing is found either way",
        column=26,
    ),
    Equivalent(
        "permissions",
        "is_broad_resource",
        'service = resource.split(":", 3)[2]',
        "number",
        "3",
        "4",
        "the service is the third field whether the ARN is split at its first three colons or four",
        column=34,
    ),
    Equivalent(
        "permissions",
        "admin_equivalent",
        'return ADMIN_EQUIVALENT_NAMES.get(arn.rsplit("/", 1)[-1])',
        "number",
        "1",
        "2",
        "the last part after a '/' is the same however many splits are made from the right",
        column=54,
    ),
    Equivalent(
        "permissions",
        "iter_admin_attachments",
        "if row is not None and policy.arn is not None:",
        "operand-dropped",
        "row is not None and policy.arn is not None",
        "row is not None",
        "admin_equivalent gives a row only for a policy with an ARN: row is not None implies the ARN is there",
        column=15,
    ),
    Equivalent(
        "policy_pack",
        "_Watch.__call__",
        "if isinstance(value, dict) and not isinstance(value, _WatchedDict):",
        "operand-dropped",
        "isinstance(value, dict) and (not isinstance(value, _WatchedDict))",
        "isinstance(value, dict)",
        "the watched maps hold the raw property values, so a value read from one is never itself watched; "
        "wrapping one again would watch the same data with the same watch",
        column=11,
    ),
    Equivalent(
        "policy_pack",
        "StackResource.name",
        'return self.urn.rsplit("::", 1)[-1]',
        "number",
        "1",
        "2",
        "the last part after '::' is the same however many splits are made from the right",
        column=37,
    ),
    Equivalent(
        "policy_pack",
        "stack_resource",
        'name = urn.rsplit("::", 1)[-1]',
        "number",
        "1",
        "2",
        "the last part after '::' is the same however many splits are made from the right",
        column=28,
    ),
    Equivalent(
        "condition_keys",
        "_identity_provider_prefix",
        'if ":" not in key or _SERVICE_PREFIX.match(key.split(":", 1)[0]) or key.lower().startswith(("http:", "https:")):',
        "operand-dropped",
        "':' not in key or _SERVICE_PREFIX.match(key.split(':', 1)[0]) or key.lower().startswith...",
        "':' not in key or _SERVICE_PREFIX.match(key.split(':', 1)[0])",
        "a key starting with http: or https: (any case) already matches _SERVICE_PREFIX (letters before the first colon), so the scheme test never decides",
        column=7,
    ),
    Equivalent(
        "condition_keys",
        "_identity_provider_prefix",
        'if ":" not in key or _SERVICE_PREFIX.match(key.split(":", 1)[0]) or key.lower().startswith(("http:", "https:")):',
        "member-dropped",
        "('http:', 'https:')",
        "('https:',)",
        "a key starting with http: or https: (any case) already matches _SERVICE_PREFIX (letters before the first colon), so the scheme test never decides",
        column=95,
    ),
    Equivalent(
        "condition_keys",
        "_identity_provider_prefix",
        'if ":" not in key or _SERVICE_PREFIX.match(key.split(":", 1)[0]) or key.lower().startswith(("http:", "https:")):',
        "member-dropped",
        "('http:', 'https:')",
        "('http:',)",
        "a key starting with http: or https: (any case) already matches _SERVICE_PREFIX (letters before the first colon), so the scheme test never decides",
        column=95,
    ),
    Equivalent(
        "condition_keys",
        "provider_host",
        'return federated.split(":oidc-provider/", 1)[1] if ":oidc-provider/" in federated else federated',
        "number",
        "1",
        "2",
        "a provider ARN holds ':oidc-provider/' once: one split or two give the same second part",
        column=46,
    ),
    Equivalent(
        "condition_keys",
        "_identity_provider_prefix",
        'if ":" not in key or _SERVICE_PREFIX.match(key.split(":", 1)[0]) or key.lower().startswith(("http:", "https:")):',
        "number",
        "1",
        "2",
        "the part before the first colon is the same however many splits follow it",
        column=62,
    ),
    Equivalent(
        "policy_pack",
        "StackResource",
        "reads: UnknownReads = field(default_factory=UnknownReads, compare=False, repr=False)",
        "true-false",
        "False",
        "True",
        "repr only: nothing the pack reports or caches is built from a StackResource's repr",
        column=82,
    ),
    Equivalent(
        "policy_pack",
        "<module>",
        "if TYPE_CHECKING:",
        "if-to-pass",
        "if TYPE_CHECKING:",
        "pass",
        "TYPE_CHECKING is False at run time: the block, imports for type checkers only, never runs",
        column=0,
    ),
)


# ---- mutants ------------------------------------------------------------------------------------------


@dataclass
class Mutant:
    module: str
    """Short module name (``trust``)."""
    path: str
    line: int
    column: int
    stmt_line: int
    """First line of the innermost statement: the line coverage reports."""
    scope: str
    operator: str
    original: str
    mutant: str
    source: str
    """The mutated line as written (stripped): tells apart equal mutants in one function."""
    index: int
    """Position of the mutated node in the module's AST walk."""
    variant: int
    top_names: tuple[str, ...] = ()
    """Names bound by the top-level statement, when the mutant sits in import-time code."""
    in_function: bool = True
    status: str = "pending"
    detail: str = ""
    tests: int = 0
    seconds: float = 0.0

    @property
    def key(self) -> tuple[str, str, str, int, str, str, str]:
        """Identifies the mutant across runs and edits elsewhere in the file (line numbers move)."""
        return (self.module, self.scope, self.source, self.column, self.operator, self.original, self.mutant)

    def brief(self) -> str:
        return f"{self.path}:{self.line} [{self.operator}] {self.original}  ->  {self.mutant}"


def _short(node: ast.AST, limit: int = 90) -> str:
    text = ast.unparse(node).splitlines()[0]
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _bound_names(stmt: ast.stmt) -> tuple[str, ...]:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return (stmt.name,)
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    return tuple(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))


def _is_docstring(stmt: ast.AST) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _boolean_looking(node: ast.expr) -> bool:
    if isinstance(node, (ast.Compare, ast.BoolOp)) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BOOLEAN_CALLS


def _enum_members(paths: list[Path]) -> dict[str, list[str]]:
    """Enum classes of the package, by name, with their members in order."""
    enums: dict[str, list[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id in {"Enum", "StrEnum", "IntEnum"} for b in node.bases
            ):
                members = [
                    t.id
                    for s in node.body
                    if isinstance(s, ast.Assign)
                    for t in s.targets
                    if isinstance(t, ast.Name) and not t.id.startswith("_")
                ]
                if len(members) > 1:
                    enums[node.name] = members
    return enums


_SKIPPED_FIELDS = {"annotation", "returns", "type_comment", "decorator_list"}


def _walk(tree: ast.AST) -> Iterator[tuple[ast.AST, ast.AST | None, str, int | None, list[ast.AST]]]:
    """Every node in a fixed order, with its parent, field, index in that field and enclosing nodes.

    Annotations, decorators and docstrings are not descended into.
    """
    stack: list[tuple[ast.AST, ast.AST | None, str, int | None, list[ast.AST]]] = [(tree, None, "", None, [])]
    while stack:
        node, parent, name, index, ancestors = stack.pop()
        yield node, parent, name, index, ancestors
        children: list[tuple[ast.AST, ast.AST | None, str, int | None, list[ast.AST]]] = []
        for field_name, value in ast.iter_fields(node):
            if field_name in _SKIPPED_FIELDS:
                continue
            if isinstance(value, list):
                children += [
                    (child, node, field_name, i, [*ancestors, node])
                    for i, child in enumerate(value)
                    if isinstance(child, ast.AST) and not _is_docstring(child)
                ]
            elif isinstance(value, ast.AST):
                children.append((value, node, field_name, None, [*ancestors, node]))
        stack.extend(reversed(children))


def _variants(node: ast.AST, parent: ast.AST | None, enums: dict[str, list[str]]) -> list[tuple[str, ast.AST]]:
    """(operator, replacement node) for every mutation of ``node``."""
    out: list[tuple[str, ast.AST]] = []
    if isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            flip = COMPARE_FLIPS.get(type(op))
            if flip is not None:
                new = copy.deepcopy(node)
                new.ops[i] = flip()
                out.append(("compare", new))
    elif isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        out.append(("and-or", ast.BoolOp(op=other, values=copy.deepcopy(node.values))))
        for i in range(len(node.values)):
            rest = [copy.deepcopy(v) for j, v in enumerate(node.values) if j != i]
            out.append(("operand-dropped", rest[0] if len(rest) == 1 else ast.BoolOp(op=node.op, values=rest)))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"any", "all"}:
        call = copy.deepcopy(node)
        assert isinstance(call.func, ast.Name)
        call.func.id = "all" if node.func.id == "any" else "any"
        out.append(("any-all", call))
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        out.append(("not-dropped", copy.deepcopy(node.operand)))
    elif isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            out.append(("true-false", ast.Constant(not value)))
        elif isinstance(value, (int, float)):
            out += [("number", ast.Constant(value + 1)), ("number", ast.Constant(value - 1))]
        elif isinstance(value, str) and value in IAM_STRINGS:
            out.append(("iam-string", ast.Constant(IAM_STRINGS[value])))
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)) and isinstance(getattr(node, "ctx", ast.Load()), ast.Load):
        elts = node.elts
        simple = all(
            isinstance(e, ast.Constant)
            or (isinstance(e, ast.Tuple) and all(isinstance(x, ast.Constant) for x in e.elts))
            for e in elts
        )
        if len(elts) >= 2 and simple:
            for i in range(len(elts)):
                fewer = copy.deepcopy(node)
                del fewer.elts[i]
                out.append(("member-dropped", fewer))
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in enums:
        members = enums[node.value.id]
        if node.attr in members and isinstance(node.ctx, ast.Load):
            swapped = members[(members.index(node.attr) + 1) % len(members)]
            out.append(
                ("enum-swap", ast.Attribute(value=ast.Name(node.value.id, ast.Load()), attr=swapped, ctx=ast.Load()))
            )
    elif isinstance(node, ast.Raise):
        out.append(("raise-to-pass", ast.Pass()))
    elif isinstance(node, ast.If):
        out.append(("if-to-pass", ast.Pass()))
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        out.append(("call-to-pass", ast.Pass()))
    elif isinstance(node, ast.Return) and node.value is not None:
        if not (isinstance(node.value, ast.Constant) and node.value.value is None):
            out.append(("return-none", ast.Return(ast.Constant(None))))
        if _boolean_looking(node.value) and not isinstance(node.value, ast.Constant):
            out.append(("return-negated", ast.Return(ast.UnaryOp(ast.Not(), copy.deepcopy(node.value)))))
    return out


def _scope(ancestors: list[ast.AST]) -> str:
    names = [a.name for a in ancestors if isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    return ".".join(names) or "<module>"


_SNAPSHOTS: dict[str, str] = {}
"""Each mutated module's source as the run first read it: every mutant is made from that text, so a module
edited during a run neither shifts the mutants' positions nor mixes two versions (the end of the run warns)."""


def source_of(rel_path: str) -> str:
    if rel_path not in _SNAPSHOTS:
        _SNAPSHOTS[rel_path] = (ROOT / rel_path).read_text()
    return _SNAPSHOTS[rel_path]


def changed_since_snapshot() -> list[str]:
    return [rel for rel, text in _SNAPSHOTS.items() if (ROOT / rel).read_text() != text]


def generate(module: str, rel_path: str, enums: dict[str, list[str]]) -> list[Mutant]:
    text = source_of(rel_path)
    lines = text.splitlines()
    tree = ast.parse(text)
    # Defaults of parameters are evaluated when the module is imported, like module-level code.
    defaults = {
        id(sub): fn.name
        for fn in ast.walk(tree)
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
        for sub in ast.walk(fn.args)
    }
    mutants: list[Mutant] = []
    seen: set[tuple[int, int, str, str]] = set()
    for index, (node, parent, _name, _i, ancestors) in enumerate(_walk(tree)):
        if isinstance(parent, ast.JoinedStr) and not isinstance(node, ast.Constant):
            continue
        variants = _variants(node, parent, enums)
        if not variants:
            continue
        stmts = [a for a in [*ancestors, node] if isinstance(a, ast.stmt)]
        top = stmts[0] if stmts else None
        in_function = id(node) not in defaults and any(
            isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) for a in ancestors
        )
        names = (defaults[id(node)],) if id(node) in defaults else _bound_names(top) if top is not None else ()
        # Inside a lambda the code runs on the lambda's own line when it is called (coverage records that line
        # for the calling test), not on the line of the statement that defines it (often run at import only).
        innermost = next((a for a in reversed([*ancestors, node]) if isinstance(a, (ast.stmt, ast.Lambda))), None)
        stmt_line = stmts[-1].lineno if stmts else 0
        if stmts and isinstance(stmts[-1], (ast.If, ast.While)):
            # `if (` with its test on the next lines: Python 3.11 runs (and coverage records) the test's first
            # line, never the `if`/`elif` line itself.
            stmt_line = stmts[-1].test.lineno
        if isinstance(innermost, ast.Lambda):
            stmt_line = innermost.body.lineno
        for variant, (operator, replacement) in enumerate(variants):
            replaced = _short(replacement) if not isinstance(replacement, ast.Pass) else "pass"
            position = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
            duplicate = (*position, operator, ast.dump(replacement))
            if duplicate in seen:  # e.g. either '*' of ('*', '*') dropped: one mutant, not two
                continue
            seen.add(duplicate)
            mutants.append(
                Mutant(
                    module=module,
                    path=rel_path,
                    line=getattr(node, "lineno", 0),
                    column=getattr(node, "col_offset", 0),
                    stmt_line=stmt_line,
                    scope=_scope(ancestors),
                    operator=operator,
                    original=_short(node),
                    mutant=replaced,
                    source=lines[node.lineno - 1].strip() if hasattr(node, "lineno") else "",
                    index=index,
                    variant=variant,
                    top_names=() if in_function else names,
                    in_function=in_function,
                )
            )
    return mutants


def mutated_code(mutant: Mutant, enums: dict[str, list[str]]) -> Any:
    """The code object of the module with this one mutation applied."""
    tree = ast.parse(source_of(mutant.path))
    for index, (node, parent, name, i, _ancestors) in enumerate(_walk(tree)):
        if index != mutant.index:
            continue
        _operator, replacement = _variants(node, parent, enums)[mutant.variant]
        ast.copy_location(replacement, node)
        assert parent is not None
        if i is None:
            setattr(parent, name, replacement)
        else:
            getattr(parent, name)[i] = replacement
        break
    else:
        raise LookupError(f"node {mutant.index} not found in {mutant.path}")
    ast.fix_missing_locations(tree)
    return compile(tree, str(ROOT / mutant.path), "exec")


# ---- which tests run each line ------------------------------------------------------------------------


def _sources_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *TESTS.rglob("*.py"), ROOT / "pyproject.toml"]):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _quiet_hypothesis() -> None:
    """Same examples every run, no example database (a mutant's failures must not be replayed later), no
    deadline (a loaded machine is not a failure)."""
    from hypothesis import settings

    settings.register_profile("mutation", database=None, derandomize=True, deadline=None)
    settings.load_profile("mutation")


def collect_coverage_main(out: str) -> None:
    """(In a child process.) The whole suite under coverage, one context per test."""
    sys.path.insert(0, str(ROOT))
    import coverage
    import pytest

    cov = coverage.Coverage(data_file=None, source=[str(PACKAGE)], branch=False)
    durations: dict[str, float] = {}
    failed: list[str] = []

    class Contexts:
        @pytest.hookimpl(tryfirst=True)
        def pytest_runtest_setup(self, item: Any) -> None:
            cov.switch_context(item.nodeid)

        @pytest.hookimpl(trylast=True)
        def pytest_runtest_teardown(self, item: Any) -> None:
            cov.switch_context("")

        def pytest_runtest_logreport(self, report: Any) -> None:
            durations[report.nodeid] = durations.get(report.nodeid, 0.0) + report.duration
            if report.failed:
                failed.append(report.nodeid)

    _quiet_hypothesis()
    cov.start()
    code = pytest.main(["-q", "-p", "no:cacheprovider", str(TESTS)], plugins=[Contexts()])
    cov.stop()
    data = cov.get_data()
    lines: dict[str, dict[str, list[str]]] = {}
    for filename in data.measured_files():
        rel = str(Path(filename).resolve().relative_to(ROOT))
        by_line = data.contexts_by_lineno(filename)
        lines[rel] = {str(n): sorted(c for c in ctx if c) for n, ctx in by_line.items()}
    Path(out).write_text(json.dumps({"exit": int(code), "failed": failed, "durations": durations, "lines": lines}))


def coverage_map(refresh: bool) -> dict[str, Any]:
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    path = CACHE / f"coverage-{_sources_digest()}.json"
    if refresh or not path.exists():
        for old in CACHE.glob("coverage-*.json"):
            old.unlink()
        print("collecting per-test line coverage (the whole suite once)...", flush=True)
        started = time.monotonic()
        subprocess.run([sys.executable, __file__, "--collect-coverage", str(path)], cwd=ROOT, check=True)
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    data: dict[str, Any] = json.loads(path.read_text())
    if data["exit"] != 0:
        sys.exit(f"the suite does not pass without mutants (failed: {data['failed'][:5]}); fix that first")
    return data


class TestIndex:
    """Which test node ids to run for a mutant."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.lines: dict[str, dict[str, list[str]]] = data["lines"]
        self.durations: dict[str, float] = data["durations"]
        self.uses = self._name_uses()
        self.feeds = self._module_level_feeds()
        self.test_mentions = self._test_mentions()

    @staticmethod
    def _name_uses() -> dict[str, set[tuple[str, int]]]:
        """identifier -> (file, statement line) of every use inside a function of the package."""
        uses: dict[str, set[tuple[str, int]]] = {}
        for path in PACKAGE.rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            for node, _p, _n, _i, ancestors in _walk(ast.parse(path.read_text())):
                name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
                if name is None or not any(isinstance(a, (ast.FunctionDef, ast.AsyncFunctionDef)) for a in ancestors):
                    continue
                stmts = [a for a in ancestors if isinstance(a, ast.stmt)]
                if stmts:
                    uses.setdefault(name, set()).add((rel, stmts[-1].lineno))
        return uses

    @staticmethod
    def _module_level_feeds() -> dict[str, set[str]]:
        """identifier -> the names bound by module-level statements that use it (``_WEB`` -> ``ABSENT_KEYS``): a
        table built from another table is reached through the names its functions use."""
        feeds: dict[str, set[str]] = {}
        for path in PACKAGE.rglob("*.py"):
            for stmt in ast.parse(path.read_text()).body:
                bound = set(_bound_names(stmt))
                if not bound or isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue
                for node in ast.walk(stmt):
                    if isinstance(node, ast.Name) and node.id not in bound:
                        feeds.setdefault(node.id, set()).update(bound)
        return feeds

    def _test_mentions(self) -> dict[str, set[str]]:
        """identifier -> test functions (``file::name``) whose body names it."""
        mentions: dict[str, set[str]] = {}
        for path in TESTS.rglob("test_*.py"):
            rel = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                    for sub in ast.walk(node):
                        name = (
                            sub.id
                            if isinstance(sub, ast.Name)
                            else sub.attr
                            if isinstance(sub, ast.Attribute)
                            else None
                        )
                        if name:
                            mentions.setdefault(name, set()).add(f"{rel}::{node.name}")
        return mentions

    def for_mutant(self, mutant: Mutant) -> list[str]:
        ids = set(self.lines.get(mutant.path, {}).get(str(mutant.stmt_line), []))
        if not ids and not mutant.in_function:
            names, todo = set(mutant.top_names), list(mutant.top_names)
            while todo:
                for fed in self.feeds.get(todo.pop(), set()) - names:
                    names.add(fed)
                    todo.append(fed)
            for name in sorted(names):
                for rel, line in self.uses.get(name, ()):
                    ids.update(self.lines.get(rel, {}).get(str(line), []))
                functions = self.test_mentions.get(name, set())
                ids.update(t for t in self.durations if t.split("[", 1)[0] in functions)
        return sorted(ids, key=lambda t: (self.durations.get(t, 0.0), t))


# ---- running mutants ----------------------------------------------------------------------------------

PRELOAD = (
    "pytest",
    "hypothesis",
    "moto.iam.policy_validation",
    "pulumi",
    "pulumi.runtime",
    "pulumi_aws",
    "pulumi_aws.iam",
    "pulumi_aws.eks",
    "pulumi_kubernetes",
    "pulumi_kubernetes.core.v1",
    "pulumi_tls",
    "yaml",
    "rich",
)
"""Imported once per worker before it forks, so each mutant pays only for the package and its tests."""


def _serve_mutant(module_name: str, origin: str, code: Any) -> None:
    """Make ``import module_name`` execute ``code`` (reported as ``origin``) instead of the file."""
    import importlib.abc
    import importlib.util

    class Loader(importlib.abc.Loader):
        def create_module(self, spec: Any) -> None:
            return None

        def exec_module(self, module: Any) -> None:
            exec(code, module.__dict__)

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
            if name != module_name:
                return None
            spec = importlib.util.spec_from_loader(name, Loader(), origin=origin)
            assert spec is not None
            spec.has_location = True
            return spec

    sys.meta_path.insert(0, Finder())


def _run_stage(job: dict[str, Any], tests: list[str], deadline: float) -> int | str:
    """Runs ``tests`` against the mutant in a forked process; its exit status, or "timeout"."""
    pid = os.fork()
    if pid == 0:  # the mutant's process
        code = 3
        try:
            os.setpgid(0, 0)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            sys.dont_write_bytecode = True
            with open(job["code"], "rb") as f:
                _serve_mutant(job["module"], job["origin"], marshal.load(f))
            _quiet_hypothesis()
            import pytest

            code = int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests]))
        finally:
            os._exit(code)
    while True:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(raw)
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.01)


def worker_main() -> None:
    """(In a child process.) Reads mutant jobs as JSON lines; forks one process per mutant running pytest."""
    import importlib

    sys.path.insert(0, str(ROOT))
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    for line in sys.stdin:
        job = json.loads(line)
        started = time.monotonic()
        status: int | str = 0
        for tests in job["stages"]:
            status = _run_stage(job, tests, started + job["timeout"])
            if status != 0:
                break
        print(json.dumps({"status": status, "seconds": time.monotonic() - started}), flush=True)


class Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            start_new_session=True,  # Ctrl-C stops the run, not the mutant being measured
        )

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def _module_name(rel_path: str) -> str:
    return rel_path.removesuffix(".py").replace("/", ".")


FIRST_STAGE = 30
"""Tests tried first, quickest first: most mutants fail one of them, and collecting fewer test files is faster."""


def _stages(tests: list[str], durations: dict[str, float]) -> list[list[str]]:
    if len(tests) <= FIRST_STAGE:
        return [tests]
    first = tests[:FIRST_STAGE]
    files = {t.split("::", 1)[0] for t in first}
    # the first stage keeps to the files it already collects
    rest = tests[FIRST_STAGE:]
    first += [t for t in rest if t.split("::", 1)[0] in files]
    second = [t for t in rest if t.split("::", 1)[0] not in files]
    return [first, second] if second else [first]


def _outcome(status: int | str) -> str:
    if status == "timeout":
        return "timeout"
    if status == 0:
        return "survived"
    if status in (1, 2, 4):  # tests failed, or the mutated module broke collection (2, or 4 under -x)
        return "killed"
    return "error"


def run_mutants(mutants: list[Mutant], index: TestIndex, enums: dict[str, list[str]], args: argparse.Namespace) -> None:
    deadline = time.monotonic() + args.budget_seconds if args.budget_seconds else None
    tmp = Path(tempfile.mkdtemp(prefix="irsa-mutation-"))
    queue = list(mutants)
    lock = threading.Lock()
    done = [0]
    runnable = [m for m in mutants if m.status == "pending"]

    def next_mutant() -> Mutant | None:
        with lock:
            while queue:
                m = queue.pop(0)
                if m.status == "pending":
                    return m
            return None

    def loop() -> None:
        worker = Worker()
        try:
            while (m := next_mutant()) is not None:
                if stop.is_set() or (deadline is not None and time.monotonic() > deadline):
                    m.status = "not-run"
                    continue
                tests = index.for_mutant(m)
                m.tests = len(tests)
                if not tests:
                    m.status, m.detail = "survived", "no covering test"
                    continue
                code_path = tmp / f"{m.module}-{m.index}-{m.variant}.bin"
                code_path.write_bytes(marshal.dumps(mutated_code(m, enums)))
                budget = args.timeout_base + args.timeout_factor * sum(index.durations.get(t, 0.0) for t in tests)
                answer = worker.run(
                    {
                        "code": str(code_path),
                        "module": _module_name(m.path),
                        "origin": str(ROOT / m.path),
                        "stages": _stages(tests, index.durations),
                        "timeout": budget,
                    }
                )
                code_path.unlink()
                m.status, m.seconds = _outcome(answer["status"]), answer["seconds"]
                if m.status == "error":
                    m.detail = f"pytest exit {answer['status']}"
                with lock:
                    done[0] += 1
                    if args.verbose or m.status not in ("killed",):
                        print(f"  [{done[0]}/{len(runnable)}] {m.status:8} {m.brief()}", flush=True)
                    elif done[0] % 50 == 0:
                        print(f"  [{done[0]}/{len(runnable)}] ...", flush=True)
        finally:
            worker.close()

    stop = threading.Event()

    def interrupted(signum: int, frame: Any) -> None:
        print("  stopping: the mutants running now finish, the rest are reported as not run", flush=True)
        stop.set()

    previous = {sig: signal.signal(sig, interrupted) for sig in (signal.SIGINT, signal.SIGTERM)}
    threads = [threading.Thread(target=loop) for _ in range(args.jobs)]
    for t in threads:
        t.start()
    for t in threads:
        while t.is_alive():
            t.join(timeout=0.5)
    for sig, handler in previous.items():
        signal.signal(sig, handler)
    shutil.rmtree(tmp, ignore_errors=True)


# ---- the report ---------------------------------------------------------------------------------------


def _file_digest(rel_path: str) -> str:
    return hashlib.sha256(source_of(rel_path).encode("utf-8")).hexdigest()[:16]


def _score(summary: dict[str, Any]) -> None:
    scored = summary["killed"] + summary["survived"] + summary["timeout"]
    score = 100.0 * (summary["killed"] + summary["timeout"]) / scored if scored else None
    summary["score"] = None if score is None else round(score, 1)
    target = summary["target"]
    summary["met"] = None if target is None or score is None else score >= target


def merge_previous(previous: dict[str, Any], rerun: list[Mutant], modules: list[str]) -> dict[str, dict[str, Any]]:
    """The previous run's figures with its survivors and timeouts replaced by what they did now."""
    before = {_key(e): e["status"] for e in previous["survivors"] + previous["timeouts"]}
    summary = {m: dict(previous["modules"][m]) for m in modules}
    for mutant in rerun:
        counts = summary[mutant.module]
        status = _lookup(before, mutant.key)
        assert status is not None
        counts[status] -= 1
        counts[mutant.status] += 1
    for counts in summary.values():
        _score(counts)
    return summary


def _key(entry: dict[str, Any]) -> tuple[str, str, str, int, str, str, str]:
    return (
        entry["module"],
        entry["scope"],
        entry["source"],
        entry.get("column", -1),  # -1: a report from before columns were recorded matches any column
        entry["operator"],
        entry["original"],
        entry["mutant"],
    )


def _lookup(
    keys: dict[tuple[str, str, str, int, str, str, str], str], key: tuple[str, str, str, int, str, str, str]
) -> str | None:
    return keys.get(key, keys.get((*key[:3], -1, *key[4:])))


def summarise(mutants: list[Mutant], modules: list[str]) -> dict[str, dict[str, Any]]:
    summary = {}
    for module in modules:
        ms = [m for m in mutants if m.module == module]
        count = {
            s: sum(m.status == s for m in ms)
            for s in ("killed", "survived", "timeout", "equivalent", "error", "not-run")
        }
        target = MODULES[module][1] if module in MODULES else None
        path = ms[0].path if ms else MODULES.get(module, (module, None))[0]
        summary[module] = {
            "path": path,
            "sha256": _file_digest(path),
            "generated": len(ms),
            **count,
            "score": None,
            "target": target,
            "met": None,
        }
        _score(summary[module])
    return summary


def print_report(summary: dict[str, dict[str, Any]], mutants: list[Mutant]) -> None:
    print()
    header = f"{'module':<34} {'generated':>9} {'killed':>6} {'survived':>8} {'timeout':>7} {'equiv':>5} {'error':>5} {'not run':>7} {'score':>6}  target"
    print(header)
    print("-" * len(header))
    for s in summary.values():
        score = "-" if s["score"] is None else f"{s['score']:.1f}%"
        target = "" if s["target"] is None else f"{s['target']:.0f}% {'met' if s['met'] else 'NOT met'}"
        print(
            f"{s['path']:<34} {s['generated']:>9} {s['killed']:>6} {s['survived']:>8} {s['timeout']:>7} "
            f"{s['equivalent']:>5} {s['error']:>5} {s['not-run']:>7} {score:>6}  {target}"
        )
    for title, status in (("Survivors", "survived"), ("Timeouts", "timeout"), ("Errors", "error")):
        found = [m for m in mutants if m.status == status]
        if found:
            print(f"\n{title} ({len(found)}):")
            for m in sorted(found, key=lambda m: (m.path, m.line)):
                print(f"  {m.brief()}" + (f"  ({m.detail})" if m.detail else ""))
    equivalent = [m for m in mutants if m.status == "equivalent"]
    if equivalent:
        print(f"\nEquivalent ({len(equivalent)}, not scored):")
        for m in equivalent:
            print(f"  {m.brief()}  -- {m.detail}")


def _git(*argv: str) -> str:
    try:
        return subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def write_json(
    path: Path,
    summary: dict[str, Any],
    mutants: list[Mutant],
    args: argparse.Namespace,
    seconds: float,
    previous: dict[str, Any] | None = None,
) -> None:
    def entry(m: Mutant) -> dict[str, Any]:
        data = asdict(m)
        for key in ("top_names", "in_function", "stmt_line"):
            data.pop(key)
        return data

    report = {
        "command": "python benchmarks/mutation.py " + " ".join(sys.argv[1:]),
        "commit": _git("rev-parse", "HEAD"),
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "seed": args.seed,
        "max_mutants": args.max_mutants,
        "budget_seconds": args.budget_seconds,
        "jobs": args.jobs,
        "seconds": round(seconds),
        "score": "(killed + timeout) / (generated - equivalent - error - not run)",
        "modules": summary,
        "survivors": [entry(m) for m in mutants if m.status == "survived"],
        "timeouts": [entry(m) for m in mutants if m.status == "timeout"],
        "errors": [entry(m) for m in mutants if m.status == "error"],
        "equivalent": [entry(m) for m in mutants if m.status == "equivalent"],
    }
    if previous is not None:
        # Only the previous survivors and timeouts ran again: the rest of the figures are the previous run's.
        report["based_on"] = {k: previous[k] for k in ("command", "commit", "date", "seconds")}
        report["based_on"]["survivors_of"] = previous.get("based_on")
        rerun = {m.key: m.status for m in mutants}
        rerun.update({(*m.key[:3], -1, *m.key[4:]): m.status for m in mutants})
        for name in ("errors", "equivalent"):
            report[name] += [e for e in previous[name] if _lookup(rerun, _key(e)) is None]
    path.write_text(json.dumps(report, indent=1) + "\n")


# ---- command line -------------------------------------------------------------------------------------


def _module_paths(names: list[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for name in names:
        if name in GROUPS:
            chosen.update({n: MODULES[n][0] for n in GROUPS[name]})
        elif name == "all":
            chosen.update({n: p for n, (p, _t) in MODULES.items() if (ROOT / p).exists()})
            for pattern in EXTRA_GLOBS:
                for path in sorted(ROOT.glob(pattern)):
                    rel = str(path.relative_to(ROOT))
                    if path.name != "__init__.py" and rel not in chosen.values():
                        chosen[path.stem] = rel
        elif name in MODULES:
            chosen[name] = MODULES[name][0]
        elif (ROOT / name).is_file():
            chosen[Path(name).stem] = name
        else:
            sys.exit(f"unknown module {name!r}: one of {', '.join(MODULES)}, {', '.join(GROUPS)}, all, or a path")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--modules",
        nargs="+",
        default=["core"],
        help="short names, paths, a group (core (default), review, mocks, inputs) or 'all'",
    )
    parser.add_argument("--seed", type=int, default=14, help="seed of the sampling and of the run order (default 14)")
    parser.add_argument(
        "--max-mutants", type=int, default=0, help="sample at most this many mutants per module (0: all)"
    )
    parser.add_argument(
        "--budget-seconds", type=float, default=0, help="stop starting mutants after this long (0: none)"
    )
    parser.add_argument("--jobs", type=int, default=1, choices=(1, 2), help="mutants run at once (at most 2)")
    parser.add_argument(
        "--timeout-base", type=float, default=20.0, help="per-mutant timeout: base seconds (default 20)"
    )
    parser.add_argument("--timeout-factor", type=float, default=4.0, help="... plus this times the tests' own time")
    parser.add_argument("--survivors-of", type=Path, help="run only the survivors and timeouts listed in this JSON")
    parser.add_argument("--refresh-coverage", action="store_true", help="recollect per-test coverage even if cached")
    parser.add_argument("--list", action="store_true", help="list the mutants and their test counts; run nothing")
    parser.add_argument(
        "--output", type=Path, default=RESULTS, help="where to write the JSON (default benchmarks/mutation.json)"
    )
    parser.add_argument("--verbose", action="store_true", help="print every mutant, killed ones too")
    args = parser.parse_args()

    started = time.monotonic()
    modules = _module_paths(args.modules)
    enums = _enum_members(sorted(PACKAGE.rglob("*.py")))
    rng = random.Random(args.seed)
    mutants: list[Mutant] = []
    for module, rel in modules.items():
        generated = generate(module, rel, enums)
        if args.max_mutants and len(generated) > args.max_mutants:
            generated = sorted(rng.sample(generated, args.max_mutants), key=lambda m: (m.line, m.index, m.variant))
        mutants += generated
    previous = None
    if args.survivors_of:
        previous = json.loads(args.survivors_of.read_text())
        for module, rel in modules.items():
            if module not in previous["modules"]:
                sys.exit(f"{args.survivors_of} has no figures for {module}: run it in full")
            if previous["modules"][module]["sha256"] != _file_digest(rel):
                sys.exit(f"{rel} changed since {args.survivors_of} was written: run it in full")
        entries = previous["survivors"] + previous["timeouts"]
        if all("index" in e for e in entries):  # the sources are unchanged (checked above): positions are exact
            exact = {(e["module"], e["index"], e["variant"]) for e in entries}
            mutants = [m for m in mutants if (m.module, m.index, m.variant) in exact]
        else:
            wanted = {_key(e): e["status"] for e in entries}
            mutants = [m for m in mutants if _lookup(wanted, m.key) is not None]
    equivalents = {
        (e.module, e.scope, e.source, e.column, e.operator, e.original, e.mutant): e.reason for e in EQUIVALENTS
    }
    for m in mutants:
        if m.key in equivalents:
            m.status, m.detail = "equivalent", equivalents[m.key]
    if not args.max_mutants and not args.survivors_of:
        generated_keys = {m.key for m in mutants}
        for key in equivalents:
            if key[0] in modules and key not in generated_keys:
                print(f"warning: EQUIVALENTS entry matches no mutant any more (code changed?): {key}", flush=True)

    index = TestIndex(coverage_map(args.refresh_coverage))
    if args.list:
        for m in mutants:
            print(f"{m.brief()}  tests={len(index.for_mutant(m))}  {m.status if m.status != 'pending' else ''}")
        print(f"{len(mutants)} mutants")
        return
    order = list(mutants)
    rng.shuffle(order)  # a run cut short by the budget is still a fair sample of every module
    print(f"{sum(m.status == 'pending' for m in order)} mutants to run over {', '.join(modules.values())}", flush=True)
    run_mutants(order, index, enums, args)
    seconds = time.monotonic() - started
    if previous is None:
        summary = summarise(mutants, list(modules))
    else:
        summary = merge_previous(previous, mutants, list(modules))
        print(f"\nre-ran the survivors of {args.survivors_of}; every other mutant keeps its status from that run")
    print_report(summary, mutants)
    for rel in changed_since_snapshot():
        print(f"warning: {rel} changed during the run: these figures are for the version it had when the run began")
    write_json(args.output, summary, mutants, args, seconds, previous)
    print(
        f"\n{len(mutants)} mutants in {seconds:.0f} s; written to {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--collect-coverage":
        collect_coverage_main(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "--worker":
        worker_main()
    else:
        main()
