"""Edges of the review that no other test reached: ARNs with colons in their resource, subjects that are not
service accounts, trusts of principals other than EKS, and resources recorded without outputs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pulumi_aws as aws
import pulumi_kubernetes as k8s
import pytest
from conftest import ISSUER_HOST, PROVIDER_ARN

from irsa_components.review.analysis import (
    Decision,
    IrsaGrant,
    PodIdentityGrant,
    Request,
    arn_match,
    can_assume,
    constraints_admit,
    grants,
    split_subject,
)
from irsa_components.review.findings import Admission, Severity, find_issues, service_account_modes
from irsa_components.testing import run_program
from irsa_components.trust import build_irsa_trust_policy

SUB = f"{ISSUER_HOST}:sub"
AUD = f"{ISSUER_HOST}:aud"
SA_TAG = "aws:RequestTag/kubernetes-service-account"


def document(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def pods_statement(condition: dict[str, Any] | None = None, effect: str = "Allow") -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": effect,
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": ["sts:AssumeRole", "sts:TagSession"],
    }
    if condition:
        statement["Condition"] = condition
    return statement


def findings_of(*resources: Any) -> list[Any]:
    return find_issues(list(resources))


def role_findings(trust: dict[str, Any]) -> list[Any]:
    result = run_program(lambda: aws.iam.Role("r", name="app", assume_role_policy=json.dumps(trust)))
    return find_issues(result.resources)


# ---- the evaluator's parsing -------------------------------------------------------------------------


def test_an_arn_whose_resource_holds_colons_is_matched_as_six_parts():
    stream = "arn:aws:logs:eu-west-1:123456789012:log-group:app:log-stream:web-1"
    assert arn_match("arn:aws:logs:*:123456789012:log-group:app:*", stream)
    assert not arn_match("arn:aws:logs:*:123456789012:log-group:other:*", stream)


def test_a_service_account_group_is_not_a_service_account():
    assert split_subject("system:serviceaccounts:apps") is None
    assert split_subject("system:node:ip-10-0-0-1") is None


def test_a_subject_with_more_parts_than_namespace_and_name_is_not_a_service_account():
    assert split_subject("system:serviceaccount:apps:api:*") is None
    assert split_subject("system:serviceaccount:apps:api:extra") is None


@pytest.mark.parametrize(
    "tag,value",
    [
        ("aws:RequestTag/eks-cluster-name", "prod"),
        ("aws:RequestTag/eks-cluster-arn", "arn:aws:eks:eu-west-1:123456789012:cluster/prod"),
        ("aws:RequestTag/kubernetes-namespace", "shop"),
        (SA_TAG, "orders"),
    ],
)
def test_a_pod_identity_trust_narrowed_by_any_one_session_tag_is_narrowed(tag, value):
    (grant,) = grants(document(pods_statement({"StringEquals": {tag: value}})))
    assert isinstance(grant, PodIdentityGrant)
    assert grant.narrowed


def test_only_a_federated_principal_is_an_oidc_provider():
    statement = {
        "Effect": "Allow",
        "Principal": {"AWS": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {SUB: "system:serviceaccount:apps:api", AUD: "sts.amazonaws.com"}},
    }
    assert not any(isinstance(grant, IrsaGrant) for grant in grants(document(statement)))


# ---- findings ----------------------------------------------------------------------------------------


def test_a_wildcard_under_string_equals_ignore_case_matches_nothing_either():
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEqualsIgnoreCase": {SUB: "system:serviceaccount:apps:*"},
            "StringEquals": {AUD: "sts.amazonaws.com"},
        },
    }
    assert "IRSA003" in [f.id for f in role_findings(document(statement))]


def test_a_literal_star_under_string_equals_is_not_reported_as_admitting_every_service_account():
    # Under StringEquals '*' is a character: the trust admits nothing (IRSA003), not everything (IRSA005).
    trust = document(pods_statement({"StringEquals": {"aws:RequestTag/kubernetes-namespace": "shop", SA_TAG: "*"}}))
    found = [f.id for f in role_findings(trust)]
    assert "IRSA003" in found
    assert "IRSA005" not in found


def test_a_service_account_pattern_narrower_than_star_is_not_every_service_account_but_beyond_a_list():
    # Like "system:serviceaccount:shop:orders-*" for IRSA: any association for a name the pattern matches gets in.
    condition = {
        "StringEquals": {"aws:RequestTag/eks-cluster-name": "prod", "aws:RequestTag/kubernetes-namespace": "shop"},
        "StringLike": {SA_TAG: "orders-*"},
    }
    (finding,) = [f for f in role_findings(document(pods_statement(condition))) if f.id == "IRSA005"]
    assert "every service account" not in finding.message
    assert "service accounts the policy does not list in namespace 'shop' of cluster 'prod'" in finding.message


def test_a_trust_of_another_account_is_reviewed_without_subject_findings():
    trust = document(
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "sts:AssumeRole"}
    )
    found = [f.id for f in role_findings(trust)]
    assert not {"IRSA005", "IRSA006"} & set(found)


def test_an_association_whose_role_only_denies_pod_identity_is_told_to_trust_it():
    trust = document(pods_statement(effect="Deny"))

    def program() -> None:
        aws.iam.Role("r", name="app", assume_role_policy=json.dumps(trust))
        aws.eks.PodIdentityAssociation(
            "orders",
            cluster_name="prod",
            namespace="shop",
            service_account="orders",
            role_arn="arn:aws:iam::123456789012:role/app",
        )

    (finding,) = [f for f in find_issues(run_program(program).resources) if f.id == "IRSA002"]
    assert "does not trust pods.eks.amazonaws.com" in finding.message


@dataclass
class Recorded:
    """A resource as another recorder might hand it over: no outputs known."""

    type: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    parent: str | None = None


def test_a_role_recorded_without_outputs_is_named_by_its_logical_name():
    subjects = [(f"team-{i:02d}", "worker") for i in range(38)]
    trust = build_irsa_trust_policy([PROVIDER_ARN], subjects)
    role = Recorded("aws:iam/role:Role", "payments", {"assumeRolePolicy": json.dumps(trust)})
    (finding,) = [f for f in findings_of(role) if f.id == "IRSA007"]
    assert finding.message.startswith("role payments: trust policy is")


def test_a_service_account_uses_the_association_of_its_own_component_first():
    service_account = Recorded(
        "kubernetes:core/v1:ServiceAccount",
        "orders",
        {"metadata": {"name": "orders", "namespace": "shop"}},
        parent="urn:pulumi:dev::p::irsa:index:PodIdentityAssociation::orders",
    )

    def association(cluster: str, parent: str | None) -> Recorded:
        inputs = {"clusterName": cluster, "namespace": "shop", "serviceAccount": "orders", "roleArn": "arn:r"}
        return Recorded("aws:eks/podIdentityAssociation:PodIdentityAssociation", cluster, inputs, parent=parent)

    resources = [association("staging", None), association("prod", service_account.parent), service_account]
    (mode,) = service_account_modes(resources)
    assert mode.cluster == "prod"
    assert mode.note == "associations in other clusters too: staging"


def test_a_broad_statement_without_a_sid_is_named_by_its_position():
    document = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    policy = Recorded("aws:iam/policy:Policy", "admin", {"name": "admin", "policy": json.dumps(document)})
    (finding,) = [f for f in findings_of(policy) if f.id == "IRSA008"]
    assert finding.message == 'policy admin: statement 0 allows Action "*"'


@pytest.mark.parametrize(
    "operator", ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"]
)
def test_every_literal_operator_with_a_wildcard_is_reported(operator):
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {operator: {SUB: "system:serviceaccount:apps:*"}, "StringLike": {AUD: "sts.amazonaws.com"}},
    }
    assert "IRSA003" in [f.id for f in role_findings(document(statement))]


def test_the_broad_pod_identity_finding_names_the_namespace_condition():
    condition = {
        "StringEquals": {"aws:RequestTag/eks-cluster-name": "prod", "aws:RequestTag/kubernetes-namespace": "shop"},
        "StringLike": {SA_TAG: "*"},
    }
    (finding,) = [f for f in role_findings(document(pods_statement(condition))) if f.id == "IRSA005"]
    assert "every service account" in finding.message
    assert "shop" in finding.message


def test_the_broad_pod_identity_finding_names_the_cluster_condition():
    condition = {"StringEquals": {"aws:RequestTag/eks-cluster-name": "prod"}, "StringLike": {SA_TAG: "*"}}
    (finding,) = [f for f in role_findings(document(pods_statement(condition))) if f.id == "IRSA005"]
    assert "every service account" in finding.message
    assert "prod" in finding.message


def test_an_association_whose_role_trusts_pod_identity_for_other_sessions_is_told_to_narrow_it():
    trust = document(pods_statement({"StringEquals": {"aws:RequestTag/kubernetes-namespace": "billing"}}))

    def program() -> None:
        aws.iam.Role("r", name="app", assume_role_policy=json.dumps(trust))
        aws.eks.PodIdentityAssociation(
            "orders",
            cluster_name="prod",
            namespace="shop",
            service_account="orders",
            role_arn="arn:aws:iam::123456789012:role/app",
        )

    (finding,) = [f for f in find_issues(run_program(program).resources) if f.id == "IRSA002"]
    assert "trusts pods.eks.amazonaws.com but not the sessions of prod/shop/orders (with session tags)" in (
        finding.message
    )


@pytest.mark.parametrize(
    "action",
    [
        "s3:GetObject",
        "s3:ListBucket",
        "ec2:DescribeInstances",
        "dynamodb:BatchGetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        "geo:SearchPlaceIndexForText",
        "cloudtrail:LookupEvents",
        "budgets:ViewBudget",
        "s3:SelectObjectContent",
    ],
)
def test_reads_on_every_resource_are_not_broad(action):
    document_ = {"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}
    policy = Recorded("aws:iam/policy:Policy", "reads", {"name": "reads", "policy": json.dumps(document_)})
    assert findings_of(policy) == []


def test_administrator_access_is_reported_as_every_action():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api")])

    def program() -> None:
        aws.iam.Role("r", name="app", assume_role_policy=json.dumps(trust))
        aws.iam.RolePolicyAttachment("admin", role="app", policy_arn="arn:aws:iam::aws:policy/AdministratorAccess")

    (finding,) = [f for f in find_issues(run_program(program).resources) if f.id == "IRSA008"]
    assert finding.message == 'arn:aws:iam::aws:policy/AdministratorAccess: statement 0 allows Action "*"'


def test_a_key_the_request_carries_is_evaluated_even_if_not_listed_as_modelled():
    request = Request(
        "Federated",
        PROVIDER_ARN,
        ("sts:AssumeRoleWithWebIdentity",),
        {"aws:securetransport": ("true",)},
        frozenset(),
    )
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"Bool": {"aws:SecureTransport": "true"}},
    }
    assert can_assume(document(statement), request) is Decision.ALLOW


def test_a_pod_identity_trust_open_in_namespace_is_reported_for_its_cluster():
    condition = {
        "StringEquals": {"aws:RequestTag/eks-cluster-name": "prod"},
        "StringLike": {"aws:RequestTag/kubernetes-namespace": "*", SA_TAG: "*"},
    }
    (finding,) = [f for f in role_findings(document(pods_statement(condition))) if f.id == "IRSA005"]
    assert "prod" in finding.message


def test_an_irsa_trust_open_in_one_namespace_is_reported_naming_it():
    trust = document(
        {
            "Effect": "Allow",
            "Principal": {"Federated": PROVIDER_ARN},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {AUD: "sts.amazonaws.com"},
                "StringLike": {SUB: "system:serviceaccount:apps:*"},
            },
        }
    )
    (finding,) = [f for f in role_findings(trust) if f.id == "IRSA005"]
    assert "apps" in finding.message


def test_a_condition_on_another_issuers_subject_does_not_narrow_this_provider():
    other_host = "oidc.eks.us-east-1.amazonaws.com/id/0THERCLUSTER000000000000000000AB"
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {f"{other_host}:sub": "system:serviceaccount:apps:api", AUD: "sts.amazonaws.com"}
        },
    }
    assert not any(isinstance(grant, IrsaGrant) and grant.subject for grant in grants(document(statement)))


def test_a_bare_string_principal_other_than_star_admits_nobody():
    statement = {"Effect": "Allow", "Principal": "arn:aws:iam::123456789012:root", "Action": "sts:AssumeRole"}
    request = Request("AWS", "arn:aws:iam::123456789012:root", ("sts:AssumeRole",), {}, frozenset())
    assert can_assume(document(statement), request) is not Decision.ALLOW


def test_inline_policies_written_into_the_role_are_reviewed():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api")])
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

    def program() -> None:
        aws.iam.Role(
            "r",
            name="app",
            assume_role_policy=json.dumps(trust),
            inline_policies=[{"name": "everything", "policy": json.dumps(admin)}],
        )

    (finding,) = [f for f in find_issues(run_program(program).resources) if f.id == "IRSA008"]
    assert finding.message.startswith("inline policy everything:")


def test_an_oidc_provider_without_thumbprints_is_reviewed():
    def program() -> None:
        aws.iam.OpenIdConnectProvider(
            "p", url="https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE", client_id_lists=["sts.amazonaws.com"]
        )

    result = run_program(program)
    chains = {"https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE": [{"sha1Fingerprint": "ab" * 20, "isCa": False}]}
    assert [f.id for f in find_issues(result.resources, certificate_chains=chains)] == []


def test_an_arn_with_fewer_parts_than_the_pattern_does_not_match():
    assert not arn_match("arn:aws:eks:*:*:*", "arn:aws:eks")


@pytest.mark.parametrize("operator", ["ForAnyValue:StringEquals", "NumericEquals"])
def test_conditions_a_grant_cannot_hold_are_not_dropped_from_it(operator):
    trust = document(pods_statement({operator: {"aws:RequestTag/eks-cluster-arn": "arn:aws:eks:*:*:cluster/prod"}}))
    found = grants(trust)
    assert found != []
    assert all(grant.narrowed for grant in found if isinstance(grant, PodIdentityGrant))


def test_an_arn_condition_in_a_grant_keeps_arn_semantics():
    trust = document(pods_statement({"ArnLike": {"aws:RequestTag/eks-cluster-arn": "arn:aws:eks:*:*:cluster/prod"}}))
    for grant in grants(trust):
        if isinstance(grant, PodIdentityGrant):
            assert constraints_admit(grant.cluster_arn, "arn:aws:eks:eu-west-1:123456789012:cluster/prod")
            # '*' stays within one of the six parts: it cannot swallow "b:c"
            assert not constraints_admit(grant.cluster_arn, "arn:aws:eks:a:b:c:cluster/prod")


def test_a_star_beside_a_narrow_service_account_condition_is_not_every_service_account():
    condition = {
        "StringEquals": {"aws:RequestTag/kubernetes-namespace": "shop", SA_TAG: "orders"},
        "StringLike": {SA_TAG: "*"},
    }
    assert "IRSA005" not in [f.id for f in role_findings(document(pods_statement(condition)))]


def test_a_deny_without_an_audience_condition_is_not_reported_as_missing_one():
    allow = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {SUB: "system:serviceaccount:apps:api", AUD: "sts.amazonaws.com"}},
    }
    deny = {
        "Effect": "Deny",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {SUB: "system:serviceaccount:apps:web"}},
    }
    assert "IRSA004" not in [f.id for f in role_findings(document(allow, deny))]


def test_a_policy_is_named_by_its_iam_name_when_it_has_one():
    document_ = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    policy = Recorded("aws:iam/policy:Policy", "admin", {"name": "admin-policy", "policy": json.dumps(document_)})
    (finding,) = [f for f in findings_of(policy) if f.id == "IRSA008"]
    assert finding.message.startswith("policy admin-policy:")


def test_a_customer_policy_named_administrator_access_is_not_the_aws_managed_one():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "api")])

    def program(policy_arn: str):
        def run() -> None:
            aws.iam.Role("r", name="app", assume_role_policy=json.dumps(trust))
            aws.iam.RolePolicyAttachment("admin", role="app", policy_arn=policy_arn)

        return [f.id for f in find_issues(run_program(run).resources)]

    assert "IRSA008" not in program("arn:aws:iam::123456789012:policy/AdministratorAccess")
    assert "IRSA008" in program("arn:aws:iam::aws:policy/AdministratorAccess")


def test_a_malformed_condition_block_is_reviewed_without_failing():
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": "system:serviceaccount:apps:*"},
    }
    role = Recorded("aws:iam/role:Role", "r", {"assumeRolePolicy": json.dumps(document(statement))})
    assert "IRSA003" not in [f.id for f in findings_of(role)]


@pytest.mark.parametrize("pattern", ["system:node:*", "system:serviceaccounts:apps*"])
def test_subject_patterns_narrower_than_a_namespace_or_not_service_accounts_are_not_broad(pattern):
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": PROVIDER_ARN},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: pattern}},
    }
    assert "IRSA005" not in [f.id for f in role_findings(document(statement))]


def test_a_pod_identity_service_account_the_role_refuses_is_not_an_irsa_finding():
    def program() -> None:
        trust = document(pods_statement({"StringEquals": {"aws:RequestTag/kubernetes-namespace": "billing"}}))
        aws.iam.Role("r", name="app", assume_role_policy=json.dumps(trust))
        k8s.core.v1.ServiceAccount("orders", metadata={"name": "orders", "namespace": "shop"})
        aws.eks.PodIdentityAssociation(
            "orders",
            cluster_name="prod",
            namespace="shop",
            service_account="orders",
            role_arn="arn:aws:iam::123456789012:role/app",
        )

    found = [f.id for f in find_issues(run_program(program).resources)]
    assert "IRSA002" in found
    assert "IRSA001" not in found


def test_severity_gates_compare_from_the_most_severe():
    assert Severity.HIGH.at_least(Severity.MEDIUM)
    assert Severity.MEDIUM.at_least(Severity.MEDIUM)
    assert not Severity.LOW.at_least(Severity.MEDIUM)


def test_a_trust_open_to_anyone_is_listed_as_any_principal():
    trust = document({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"})
    open_grants = [g for g in grants(trust) if getattr(g, "principal", None) == "*"]
    assert open_grants != []
    assert all(getattr(g, "principal_type", "*") == "*" for g in open_grants)


def test_a_web_identity_trust_of_a_provider_that_is_not_an_iam_oidc_provider_is_another_principal():
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": "accounts.google.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"accounts.google.com:aud": "1234.apps.googleusercontent.com"}},
    }
    found = grants(document(statement))
    assert not any(isinstance(grant, IrsaGrant) for grant in found)
    assert "accounts.google.com" in [getattr(grant, "principal", None) for grant in found]


def test_a_service_account_annotated_with_a_role_outside_the_program_is_unknown():
    def program() -> None:
        k8s.core.v1.ServiceAccount(
            "api",
            metadata={
                "name": "api",
                "namespace": "apps",
                "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/elsewhere"},
            },
        )

    (mode,) = service_account_modes(run_program(program).resources)
    assert mode.admitted is Admission.UNKNOWN


def test_an_unadmitted_service_account_finding_names_its_audience():
    trust = build_irsa_trust_policy([PROVIDER_ARN], [("apps", "web")])

    def program() -> None:
        aws.iam.Role("r", name="app", assume_role_policy=json.dumps(trust))
        k8s.core.v1.ServiceAccount(
            "api",
            metadata={
                "name": "api",
                "namespace": "apps",
                "annotations": {
                    "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/app",
                    "eks.amazonaws.com/audience": "my-audience",
                },
            },
        )

    (finding,) = [f for f in find_issues(run_program(program).resources) if f.id == "IRSA001"]
    assert "my-audience" in finding.message


def test_an_oidc_provider_trusted_for_another_action_is_not_an_irsa_grant():
    statement = {"Effect": "Allow", "Principal": {"Federated": PROVIDER_ARN}, "Action": "sts:AssumeRole"}
    found = grants(document(statement))
    assert not any(isinstance(grant, IrsaGrant) for grant in found)
    assert PROVIDER_ARN in [getattr(grant, "principal", None) for grant in found]


def test_a_for_all_values_condition_is_vacuously_true_for_a_missing_tag():
    trust = document(pods_statement({"ForAllValues:StringEquals": {"aws:RequestTag/kubernetes-namespace": "shop"}}))
    for grant in grants(trust):
        if isinstance(grant, PodIdentityGrant):
            assert constraints_admit(grant.namespace, None)


def test_a_bare_string_principal_is_listed_without_failing():
    statement = {"Effect": "Allow", "Principal": "arn:aws:iam::123456789012:root", "Action": "sts:AssumeRole"}
    assert not any(isinstance(grant, (IrsaGrant, PodIdentityGrant)) for grant in grants(document(statement)))
