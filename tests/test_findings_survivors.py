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
import pytest
from test_findings import HOST, PROVIDER, review

from irsa_components.review.findings import (
    Admission,
    Finding,
    Mode,
    Severity,
    find_issues,
    parse_json,
    service_account_modes,
)
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


def test_a_trust_with_an_unpinned_audience_and_admin_power_is_irsa019():
    trust = web_trust({"StringEquals": {f"{HOST}:sub": "system:serviceaccount:apps:api"}})
    findings = {f.id: f for f in review(admin_role(trust))}
    assert set(findings) == {"IRSA004", "IRSA008", "IRSA017", "IRSA019"}
    assert "(IRSA004: " in findings["IRSA019"].message


def test_irsa019_names_at_most_three_of_the_roles_powers():
    names = ["AdministratorAccess", "IAMFullAccess", "PowerUserAccess", "AWSOrganizationsFullAccess"]
    trust = web_trust({"StringEquals": {f"{HOST}:aud": "sts.amazonaws.com"}})

    def program() -> None:
        role = aws.iam.Role("r", assume_role_policy=json.dumps(trust))
        for name in names:
            aws.iam.RolePolicyAttachment(name, role=role.name, policy_arn=f"arn:aws:iam::aws:policy/{name}")

    (irsa019,) = [f for f in review(program) if f.id == "IRSA019"]
    assert len([n for n in names if f"{n} (" in irsa019.message]) == 3


# ---- fingerprints stay what stored baselines hold ----------------------------------------------------------------


def test_a_findings_fingerprint_is_the_16_hex_digits_stored_baselines_hold():
    keyed = Finding("IRSA005", Severity.HIGH, "aws:iam/role:Role", "app-role", "msg", "fix", "statement 0 x")
    assert keyed.fingerprint == "b9350142bffea13a"
    # With a key, rewording the message keeps the fingerprint; without one, the message is the key.
    assert dataclasses.replace(keyed, message="reworded").fingerprint == "b9350142bffea13a"
    unkeyed = Finding("IRSA009", Severity.MEDIUM, "kubernetes:core/v1:ServiceAccount", "api", "msg", "fix")
    assert unkeyed.fingerprint == "44f14170248fe37d"
    assert dataclasses.replace(unkeyed, message="reworded").fingerprint != "44f14170248fe37d"


POD_IDENTITY_OPEN = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
        }
    ],
}
PUBLIC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}
AUD = {f"{HOST}:aud": "sts.amazonaws.com"}
IN_APPS = {f"{HOST}:sub": "system:serviceaccount:apps:*"}


@pytest.mark.parametrize(
    ("trust", "cited"),
    [
        (web_trust({"StringEquals": {f"{HOST}:sub": "system:serviceaccount:apps:api"}}), "IRSA004"),
        (web_trust({"StringLike": IN_APPS, "StringEquals": AUD}), "IRSA005"),
        (POD_IDENTITY_OPEN, "IRSA006"),
        (PUBLIC, "IRSA011"),
        (web_trust({"StringEquals": AUD}), "IRSA012"),
        (web_trust({"StringLike": IN_APPS}), "IRSA013"),
        (web_trust({**EXACT, "StringFancy": {"aws:SourceIp": "10.0.0.1"}}), "IRSA016"),
    ],
)
def test_irsa019_cites_the_most_severe_broad_trust_finding_of_the_role(trust, cited):
    findings = review(admin_role(trust))
    (irsa019,) = [f for f in findings if f.id == "IRSA019"]
    assert f"({cited}: " in irsa019.message
