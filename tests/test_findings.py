"""The IAM review: each finding has a program that triggers it and a clean twin that does not.

Most programs are hand-written pulumi_aws / pulumi_kubernetes resources (no components): the review
reads what was registered, whoever registered it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pulumi_tls as tls
import pytest
from test_examples import EXAMPLES

import irsa_components as irsa
from irsa_components.cli import run_folder
from irsa_components.review.findings import KINDS, Finding, Severity, find_issues
from irsa_components.review.report import certificate_chains
from irsa_components.testing import LEAF_THUMBPRINT, run_program

ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
HOST = ISSUER.removeprefix("https://")
PROVIDER = f"arn:aws:iam::123456789012:oidc-provider/{HOST}"
ROLE_ARN = "eks.amazonaws.com/role-arn"


def review(program: Callable[[], Any]) -> list[Finding]:
    result = run_program(program)
    return find_issues(result.resources, certificate_chains=certificate_chains(result))


def ids(program: Callable[[], Any]) -> list[str]:
    return [f.id for f in review(program)]


def irsa_trust(
    sub: str | list[str] = "system:serviceaccount:apps:api", *, operator: str = "StringEquals", aud=True
) -> str:
    condition: dict[str, Any] = {operator: {f"{HOST}:sub": sub}}
    if aud:
        condition.setdefault("StringEquals", {})[f"{HOST}:aud"] = "sts.amazonaws.com"
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def pod_identity_trust(**tags: str) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    }
    if tags:
        statement["Condition"] = {"StringEquals": {f"aws:RequestTag/{k.replace('_', '-')}": v for k, v in tags.items()}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


NARROW = {"eks_cluster_name": "prod", "kubernetes_namespace": "shop", "kubernetes_service_account": "orders"}


def service_account(name: str, namespace: str = "apps", **annotations: Any) -> k8s.core.v1.ServiceAccount:
    return k8s.core.v1.ServiceAccount(
        f"{namespace}-{name}", metadata={"name": name, "namespace": namespace, "annotations": annotations}
    )


# ---- IRSA001: ServiceAccount annotated with a role whose trust does not admit it ----------------------


def annotated_raw_program(sa_name: str) -> Callable[[], None]:
    def program() -> None:
        role = aws.iam.Role("api-role", assume_role_policy=irsa_trust())
        service_account(sa_name, **{ROLE_ARN: role.arn})

    return program


def test_irsa001_raw_service_account_annotated_with_a_role_that_does_not_trust_it():
    assert ids(annotated_raw_program("worker")) == ["IRSA001"]


def test_irsa001_clean_when_the_role_trusts_the_annotated_service_account():
    assert ids(annotated_raw_program("api")) == []


def test_irsa001_message_names_the_service_account_role_and_subject():
    (finding,) = review(annotated_raw_program("worker"))
    assert finding == Finding(
        "IRSA001",
        Severity.HIGH,
        "kubernetes:core/v1:ServiceAccount",
        "apps-worker",
        "ServiceAccount apps/worker is annotated with role arn:aws:iam::123456789012:role/api-role-3afbb5a, whose "
        "trust does not admit system:serviceaccount:apps:worker (audience sts.amazonaws.com) through any OIDC "
        "provider: its pods will fail to get credentials",
        "add this namespace and service account to the role's trust (ServiceAccountRole namespace/service_account "
        "or service_accounts), or annotate the ServiceAccount with the role made for it",
    )


def test_irsa001_component_role_annotated_on_a_service_account_in_another_namespace():
    def program() -> None:
        role = irsa.ServiceAccountRole(
            "api",
            {
                "oidc_provider_arn": PROVIDER,
                "namespace": "apps",
                "service_account": "api",
                "create_service_account": False,
            },
        )
        service_account("api", "staging", **{ROLE_ARN: role.role_arn})

    assert ids(program) == ["IRSA001"]


def test_irsa001_audience_annotation_must_match_the_trusted_audience():
    def program() -> None:
        role = aws.iam.Role("api-role", assume_role_policy=irsa_trust())
        service_account("api", **{ROLE_ARN: role.arn, "eks.amazonaws.com/audience": "vault"})

    assert ids(program) == ["IRSA001"]


def test_irsa001_role_outside_the_program_is_not_judged():
    assert ids(lambda: service_account("api", **{ROLE_ARN: "arn:aws:iam::123456789012:role/elsewhere"})) == []


# ---- IRSA002: Pod Identity association whose role does not admit its sessions --------------------------


def association_program(trust: str, namespace: str = "shop", *, disable_tags: bool = False) -> Callable[[], None]:
    def program() -> None:
        role = aws.iam.Role("orders-role", assume_role_policy=trust)
        aws.eks.PodIdentityAssociation(
            "orders",
            cluster_name="prod",
            namespace=namespace,
            service_account="orders",
            role_arn=role.arn,
            disable_session_tags=disable_tags,
        )

    return program


def test_irsa002_association_with_a_role_that_does_not_trust_pod_identity():
    assert ids(association_program(irsa_trust())) == ["IRSA002"]


def test_irsa002_association_outside_the_namespace_the_trust_is_narrowed_to():
    assert ids(association_program(pod_identity_trust(**NARROW), namespace="analytics")) == ["IRSA002"]


def test_irsa002_association_without_session_tags_on_a_trust_narrowed_by_them():
    assert ids(association_program(pod_identity_trust(**NARROW), disable_tags=True)) == ["IRSA002"]


def test_irsa002_clean_when_the_trust_admits_the_association():
    assert ids(association_program(pod_identity_trust(**NARROW))) == []


def test_irsa002_message_says_the_role_does_not_trust_pod_identity():
    (finding,) = review(association_program(irsa_trust()))
    assert finding.message == (
        "Pod Identity association prod/shop/orders uses role arn:aws:iam::123456789012:role/orders-role-8405425, "
        "which does not trust pods.eks.amazonaws.com: its pods will fail to get credentials"
    )


# ---- IRSA003: wildcard under StringEquals -------------------------------------------------------------


def test_irsa003_wildcard_under_string_equals():
    assert ids(lambda: aws.iam.Role("r", assume_role_policy=irsa_trust("system:serviceaccount:apps:api-?"))) == [
        "IRSA003"
    ]


def test_irsa003_not_raised_when_the_wildcard_is_under_string_like():
    trust = irsa_trust("system:serviceaccount:apps:api-?", operator="StringLike")
    assert "IRSA003" not in ids(lambda: aws.iam.Role("r", assume_role_policy=trust))


# ---- IRSA004: IRSA trust without :aud -----------------------------------------------------------------


def test_irsa004_irsa_trust_without_audience():
    assert ids(lambda: aws.iam.Role("r", assume_role_policy=irsa_trust(aud=False))) == ["IRSA004"]


def test_irsa004_clean_with_audience():
    assert ids(lambda: aws.iam.Role("r", assume_role_policy=irsa_trust())) == []


# ---- IRSA005: every service account of a namespace or cluster --------------------------------------------


def test_irsa005_trust_admitting_a_whole_namespace():
    trust = irsa_trust("system:serviceaccount:apps:*", operator="StringLike")
    assert ids(lambda: aws.iam.Role("r", assume_role_policy=trust)) == ["IRSA005"]


def test_irsa012_irsa_trust_without_a_sub_condition_admits_the_whole_cluster():
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": PROVIDER},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {"StringEquals": {f"{HOST}:aud": "sts.amazonaws.com"}},
                }
            ],
        }
    )
    (finding,) = review(lambda: aws.iam.Role("r", assume_role_policy=trust))
    assert (finding.id, finding.message) == (
        "IRSA012",
        f"role r-454349e: statement 0 admits tokens of service accounts in any namespace of {HOST}, e.g. sub "
        "'system:serviceaccount:<any>:<any>': any pod in any namespace that runs under such a service "
        "account gets this role",
    )


def test_irsa005_pod_identity_trust_narrowed_to_a_namespace_only():
    trust = pod_identity_trust(eks_cluster_name="prod", kubernetes_namespace="shop")
    assert ids(lambda: aws.iam.Role("r", assume_role_policy=trust)) == ["IRSA005"]


def test_irsa005_a_name_pattern_within_one_namespace_is_beyond_a_list():
    trust = irsa_trust("system:serviceaccount:apps:api-*", operator="StringLike")
    assert ids(lambda: aws.iam.Role("r", assume_role_policy=trust)) == ["IRSA005"]


def test_irsa005_component_with_allow_wildcard_is_reported():
    def program() -> None:
        irsa.ServiceAccountRole(
            "any-in-apps",
            {
                "oidc_provider_arn": PROVIDER,
                "namespace": "apps",
                "service_account": "*",
                "allow_wildcard": True,
                "create_service_account": False,
            },
        )

    assert ids(program) == ["IRSA005"]


# ---- IRSA006: Pod Identity trust not narrowed -------------------------------------------------------------


def test_irsa006_pod_identity_trust_without_session_tag_conditions():
    assert ids(lambda: aws.iam.Role("r", assume_role_policy=pod_identity_trust())) == ["IRSA006"]


def test_irsa006_clean_when_narrowed_by_session_tags():
    assert ids(lambda: aws.iam.Role("r", assume_role_policy=pod_identity_trust(**NARROW))) == []


# ---- IRSA007: trust policy near its size quota -------------------------------------------------------------


def many_subjects_trust(count: int) -> str:
    return irsa_trust([f"system:serviceaccount:team-{i:02d}:worker" for i in range(count)])


def test_irsa007_trust_above_80_percent_of_the_quota():
    (finding,) = review(lambda: aws.iam.Role("r", assume_role_policy=many_subjects_trust(38)))
    assert (finding.id, finding.severity) == ("IRSA007", Severity.LOW)
    assert finding.message.startswith("role r-454349e: trust policy is 1920 characters, 93% of IAM's default quota")


def test_irsa007_clean_below_80_percent():
    assert ids(lambda: aws.iam.Role("r", assume_role_policy=many_subjects_trust(20))) == []


# ---- IRSA008: broad permission policies ---------------------------------------------------------------------


def role_policy_program(*statements: dict[str, Any]) -> Callable[[], None]:
    def program() -> None:
        role = aws.iam.Role("r", assume_role_policy=irsa_trust())
        aws.iam.RolePolicy(
            "p", role=role.name, policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
        )

    return program


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ({"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::bucket/*"}, ["IRSA008"]),
        ({"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}, ["IRSA008"]),
        ({"Effect": "Allow", "Action": "s3:*", "Resource": ["*"]}, ["IRSA008", "IRSA018"]),
        ({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, ["IRSA017", "IRSA008"]),
    ],
    ids=["every action", "a write on every resource", "a service wildcard on every resource", "NotAction"],
)
def test_irsa008_broad_inline_policy(statement, expected):
    assert ids(role_policy_program(statement)) == expected


@pytest.mark.parametrize(
    "statement",
    [
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "ec2:Describe*"], "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bucket/*"},
        {
            "Effect": "Allow",
            "Action": "ec2:CreateTags",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/owner": "me"}},
        },
        {"Effect": "Deny", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": ["shield:CreateProtection", "elasticloadbalancing:SetWebAcl"], "Resource": "*"},
    ],
    ids=["reads on every resource", "writes on named resources", "conditioned writes", "a Deny", "unscopable writes"],
)
def test_irsa008_clean_policy(statement):
    assert ids(role_policy_program(statement)) == []


def test_irsa008_message_lists_the_write_actions():
    (finding,) = review(
        role_policy_program(
            {"Sid": "Uploads", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}
        )
    )
    assert finding.message == 'policy p: statement Uploads allows s3:PutObject on Resource "*"'


def test_irsa008_administrator_access_attachment():
    def program() -> None:
        role = aws.iam.Role("r", assume_role_policy=irsa_trust())
        aws.iam.RolePolicyAttachment("admin", role=role.name, policy_arn="arn:aws:iam::aws:policy/AdministratorAccess")

    assert ids(program) == ["IRSA017", "IRSA008"]


def test_irsa008_managed_policy_resource():
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    assert ids(lambda: aws.iam.Policy("admin", policy=json.dumps(document))) == ["IRSA017", "IRSA008"]


# ---- IRSA009: token-expiration annotation out of range --------------------------------------------------------


@pytest.mark.parametrize("value", ["300", "90000", "1h"])
def test_irsa009_token_expiration_outside_600_to_86400(value):
    assert ids(lambda: service_account("api", **{"eks.amazonaws.com/token-expiration": value})) == ["IRSA009"]


@pytest.mark.parametrize("value", ["600", "3600", "86400"])
def test_irsa009_clean_token_expiration(value):
    assert ids(lambda: service_account("api", **{"eks.amazonaws.com/token-expiration": value})) == []


# ---- IRSA010: leaf certificate thumbprint ---------------------------------------------------------------------


def provider_program(pick: Callable[[list[Any]], Any]) -> Callable[[], None]:
    def program() -> None:
        chain = tls.get_certificate_output(url=ISSUER)
        aws.iam.OpenIdConnectProvider(
            "oidc",
            url=ISSUER,
            client_id_lists=["sts.amazonaws.com"],
            thumbprint_lists=[chain.certificates.apply(lambda certs: pick(certs).sha1_fingerprint)],
        )

    return program


def test_irsa010_thumbprint_of_the_leaf_certificate():
    (finding,) = review(provider_program(lambda certs: certs[-1]))
    assert (finding.id, finding.message) == (
        "IRSA010",
        f"OIDC provider {HOST}: thumbprint {LEAF_THUMBPRINT} is the leaf certificate's (CN={HOST.split('/')[0]}): it "
        "changes whenever the issuer's certificate is renewed",
    )


def test_irsa010_clean_with_the_root_ca_thumbprint():
    assert ids(provider_program(lambda certs: certs[0])) == []


def test_irsa010_cluster_oidc_provider_component_is_clean():
    assert ids(lambda: irsa.ClusterOidcProvider("oidc", {"issuer_url": ISSUER})) == []


# ---- across the program ---------------------------------------------------------------------------------------


def test_every_finding_id_is_documented_with_its_severity():
    assert {k: v.severity.value for k, v in KINDS.items()} == {
        "IRSA001": "high",
        "IRSA002": "high",
        "IRSA003": "high",
        "IRSA004": "medium",
        "IRSA005": "medium",
        "IRSA006": "medium",
        "IRSA007": "low",
        "IRSA008": "medium",
        "IRSA009": "low",
        "IRSA010": "medium",
        "IRSA011": "high",
        "IRSA012": "high",
        "IRSA013": "high",
        "IRSA014": "high",
        "IRSA015": "high",
        "IRSA016": "medium",
        "IRSA017": "high",
        "IRSA018": "medium",
        "IRSA019": "high",
        "IRSA020": "low",
    }


def test_findings_come_most_severe_first():
    def program() -> None:
        service_account("api", **{"eks.amazonaws.com/token-expiration": "60"})
        aws.iam.Role("unnarrowed", assume_role_policy=pod_identity_trust())
        annotated_raw_program("worker")()

    assert ids(program) == ["IRSA001", "IRSA006", "IRSA009"]


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_examples_have_no_finding_at_all(folder):
    _, result = run_folder(folder)
    findings = find_issues(result.resources, certificate_chains=certificate_chains(result))
    assert [(f.id, f.resource) for f in findings] == []


def test_a_program_using_pulumi_config_is_reviewed_like_any_other():
    def program() -> None:
        name = pulumi.Config().get("sa") or "worker"
        annotated_raw_program(name)()

    assert ids(program) == ["IRSA001"]
