"""Behaviours the last mutation run of ``review/findings.py`` found unspecified: a policy handed over as data
(not as JSON text) is reviewed like its JSON, a ServiceAccount without a namespace lives in ``default``, and an
open trust of every kind IRSA019 pairs with power (a cluster-wide subject, a trust the review cannot read)
makes IRSA019."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pulumi_aws as aws
import pulumi_kubernetes as k8s
from test_findings import HOST, PROVIDER, review

from irsa_components.review.findings import Admission, Mode, find_issues, parse_json, service_account_modes
from irsa_components.testing import run_program

ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
EXACT = {"StringEquals": {f"{HOST}:sub": "system:serviceaccount:apps:api", f"{HOST}:aud": "sts.amazonaws.com"}}


def web_trust(condition: dict[str, Any]) -> dict[str, Any]:
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    return {"Version": "2012-10-17", "Statement": [statement]}


def admin_role(trust: dict[str, Any]):
    def program() -> None:
        role = aws.iam.Role("r", assume_role_policy=json.dumps(trust))
        aws.iam.RolePolicyAttachment("a", role=role.name, policy_arn=ADMIN)

    return program


# ---- policies as data ------------------------------------------------------------------------------------


def test_parse_json_reads_json_text_and_hands_data_back_as_given():
    document = {"Version": "2012-10-17", "Statement": []}
    assert parse_json(json.dumps(document)) == document
    assert parse_json(document) is document
    assert parse_json("not json") == "not json"


def test_a_trust_given_as_a_dict_is_reviewed_like_the_same_trust_as_json():
    open_trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}],
    }
    result = run_program(lambda: aws.iam.Role("r", assume_role_policy=json.dumps(open_trust)))
    (role,) = result.resources
    as_data = dataclasses.replace(role, inputs={**role.inputs, "assumeRolePolicy": open_trust})
    from_json = [(f.id, f.message) for f in find_issues([role])]
    assert from_json and from_json[0][0] == "IRSA011"
    assert [(f.id, f.message) for f in find_issues([as_data])] == from_json


# ---- a ServiceAccount without a namespace is in "default" ----------------------------------------------------


def test_a_service_account_without_a_namespace_is_judged_as_in_default():
    trust = web_trust(
        {"StringEquals": {f"{HOST}:sub": "system:serviceaccount:default:api", f"{HOST}:aud": "sts.amazonaws.com"}}
    )

    def program() -> None:
        role = aws.iam.Role("r", assume_role_policy=json.dumps(trust))
        k8s.core.v1.ServiceAccount(
            "api", metadata={"name": "api", "annotations": {"eks.amazonaws.com/role-arn": role.arn}}
        )

    result = run_program(program)
    (mode,) = service_account_modes(result.resources)
    assert (mode.namespace, mode.name, mode.mode, mode.admitted) == ("default", "api", Mode.IRSA, Admission.YES)
    assert [f.id for f in find_issues(result.resources)] == []


# ---- IRSA019: every broad trust counts, the cluster-wide subject and the unreadable trust included ----------


def test_a_trust_admitting_every_namespace_with_admin_power_is_irsa019():
    trust = web_trust({"StringEquals": {f"{HOST}:aud": "sts.amazonaws.com"}})
    findings = {f.id: f for f in review(admin_role(trust))}
    assert set(findings) == {"IRSA008", "IRSA012", "IRSA017", "IRSA019"}
    assert "(IRSA012: " in findings["IRSA019"].message


def test_a_trust_the_review_cannot_read_with_admin_power_is_irsa019():
    trust = web_trust({**EXACT, "StringFancy": {"aws:SourceIp": "10.0.0.1"}})
    findings = {f.id: f for f in review(admin_role(trust))}
    assert set(findings) == {"IRSA008", "IRSA016", "IRSA017", "IRSA019"}
    assert "(IRSA016: " in findings["IRSA019"].message


def test_an_exact_trust_with_admin_power_is_not_irsa019():
    assert [f.id for f in review(admin_role(web_trust(EXACT)))] == ["IRSA017", "IRSA008"]
