"""A labelled corpus of trust and permission setups: what the IAM review must report, and what it must not.

Each ``Case`` has a ``program`` (a callable registering resources, run under
``irsa_components.testing.run_program``) and what the review must say about it:
dangerous cases name the finding ids that must appear and a severity at least one finding must reach;
safe cases name the severity no finding may reach. Programs are hand-written ``pulumi_aws`` resources
or this library's components. Anything that reviews recorded resources (``plan``, a policy pack) can
run every case and compare: ``from review_corpus import CASES``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi_aws as aws
import pulumi_kubernetes as k8s

import irsa_components as irsa
from irsa_components.review.findings import Severity

ACCOUNT = "123456789012"
"""The account ``IrsaMocks`` answers with by default: every role of the corpus lives in it."""
OTHER_ACCOUNT = "444455556666"
HOST = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
OTHER_HOST = "oidc.eks.us-east-1.amazonaws.com/id/0THERCLUSTER000000000000000000000"
PROVIDER = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{HOST}"
OTHER_PROVIDER = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{OTHER_HOST}"
SUB = f"{HOST}:sub"
AUD = f"{HOST}:aud"
API = "system:serviceaccount:apps:api"
WEB = "sts:AssumeRoleWithWebIdentity"
POD_ACTIONS = ["sts:AssumeRole", "sts:TagSession"]
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


@dataclass(frozen=True)
class Case:
    """One setup and what the review must say about it."""

    name: str
    program: Callable[[], Any]
    must_report: tuple[str, ...] = ()
    """Finding ids that must all appear (dangerous cases)."""
    min_severity: Severity | None = None
    """Dangerous cases: some finding must be this severe or worse."""
    forbid: Severity | None = None
    """Safe cases: no finding may be this severe or worse."""
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def dangerous(self) -> bool:
        """Whether the case must be reported (otherwise it must stay clean)."""
        return self.min_severity is not None

    @property
    def expected(self) -> dict[str, Any]:
        """What the review must say, as data."""
        if self.dangerous:
            return {"must_report": list(self.must_report), "min_severity": self.min_severity.value}  # type: ignore[union-attr]
        return {"forbid": self.forbid.value if self.forbid else None}


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def web(condition: dict[str, Any] | None = None, provider: str = PROVIDER, **extra: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"Federated": provider}, "Action": WEB, **extra}
    if condition is not None:
        statement["Condition"] = condition
    return statement


def exact(sub: str | list[str] = API, aud: str = "sts.amazonaws.com", host: str = HOST) -> dict[str, Any]:
    return {"StringEquals": {f"{host}:sub": sub, f"{host}:aud": aud}}


def pods(condition: dict[str, Any] | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": "pods.eks.amazonaws.com"},
        "Action": POD_ACTIONS,
    }
    if condition is not None:
        statement["Condition"] = condition
    return statement


def aws_principal(principal: Any, condition: dict[str, Any] | None = None, action: Any = "sts:AssumeRole") -> dict:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition is not None:
        statement["Condition"] = condition
    return statement


TAGS = {
    "aws:RequestTag/eks-cluster-name": "prod",
    "aws:RequestTag/kubernetes-namespace": "shop",
    "aws:RequestTag/kubernetes-service-account": "orders",
}


def role(trust: str, *, name: str = "r", **kwargs: Any) -> Callable[[], None]:
    def program() -> None:
        aws.iam.Role(name, assume_role_policy=trust, **kwargs)

    return program


SAFE_TRUST = doc(web(exact()))


def with_policy(document: dict[str, Any] | list[dict[str, Any]], trust: str = SAFE_TRUST) -> Callable[[], None]:
    statements = document if isinstance(document, list) else [document]

    def program() -> None:
        r = aws.iam.Role("r", assume_role_policy=trust)
        aws.iam.RolePolicy("p", role=r.name, policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))

    return program


def with_managed(arn: str, how: str = "attachment", trust: str = SAFE_TRUST) -> Callable[[], None]:
    def program() -> None:
        if how == "managed_policy_arns":
            aws.iam.Role("r", assume_role_policy=trust, managed_policy_arns=[arn])
            return
        r = aws.iam.Role("r", assume_role_policy=trust)
        if how == "attachment":
            aws.iam.RolePolicyAttachment("a", role=r.name, policy_arn=arn)
        elif how == "policy_attachment":
            aws.iam.PolicyAttachment("a", roles=[r.name], policy_arn=arn)
        elif how == "exclusive":
            aws.iam.RolePolicyAttachmentsExclusive("a", role_name=r.name, policy_arns=[arn])
        else:
            raise ValueError(how)

    return program


def admin_inline(how: str, trust: str = SAFE_TRUST) -> Callable[[], None]:
    admin = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})

    def program() -> None:
        if how == "inline_policies":
            aws.iam.Role("r", assume_role_policy=trust, inline_policies=[{"name": "admin", "policy": admin}])
        elif how == "roles_exclusive":
            r = aws.iam.Role("r", assume_role_policy=trust)
            aws.iam.RolePolicy("p", name="admin", role=r.name, policy=admin)
            aws.iam.RolePoliciesExclusive("x", role_name=r.name, policy_names=["admin"])
        else:
            r = aws.iam.Role("r", assume_role_policy=trust)
            p = aws.iam.Policy("admin", policy=admin)
            aws.iam.RolePolicyAttachment("a", role=r.name, policy_arn=p.arn)

    return program


def danger(name: str, program: Callable[[], Any], ids: Sequence[str], severity: Severity = Severity.HIGH) -> Case:
    return Case(name, program, tuple(ids), min_severity=severity)


def safe(name: str, program: Callable[[], Any], forbid: Severity = Severity.MEDIUM) -> Case:
    return Case(name, program, forbid=forbid)


H, M = Severity.HIGH, Severity.MEDIUM

# ---- dangerous: public or foreign principals (IRSA011) ---------------------------------------------------

_PUBLIC = [
    ("Principal * AssumeRole", aws_principal("*")),
    ("AWS * AssumeRole", aws_principal({"AWS": "*"})),
    ("AWS [*] sts:*", aws_principal({"AWS": ["*"]}, action="sts:*")),
    (
        "AWS * with a PrincipalAccount pattern",
        aws_principal({"AWS": "*"}, {"StringLike": {"aws:PrincipalAccount": "*"}}),
    ),
    ("AWS * with only an ExternalId", aws_principal({"AWS": "*"}, {"StringEquals": {"sts:ExternalId": "secret"}})),
    (
        "AWS * excluding one account",
        aws_principal({"AWS": "*"}, {"StringNotEquals": {"aws:PrincipalAccount": ACCOUNT}}),
    ),
    ("AWS * with Null PrincipalOrgID false", aws_principal({"AWS": "*"}, {"Null": {"aws:PrincipalOrgID": "false"}})),
    (
        "AWS * with an ArnLike on any role",
        aws_principal({"AWS": "*"}, {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"}}),
    ),
    (
        "AWS * with a SourceIp only",
        aws_principal({"AWS": "*"}, {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}),
    ),
    (
        "AWS * with PrincipalOrgID IfExists",
        aws_principal({"AWS": "*"}, {"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}}),
    ),
    ("Principal * with web identity", aws_principal("*", action=WEB)),
    ("Google without a condition", web(provider="accounts.google.com")),
    ("Cognito without a condition", web(provider="cognito-identity.amazonaws.com")),
    ("Facebook without a condition", web(provider="graph.facebook.com")),
    ("Login with Amazon without a condition", web(provider="www.amazon.com")),
    (
        "GitHub Actions OIDC without a condition",
        web(provider=f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"),
    ),
    (
        "Google with an aud pattern",
        web({"StringLike": {"accounts.google.com:aud": "*"}}, provider="accounts.google.com"),
    ),
    (
        "Cognito with a negated aud",
        web(
            {"StringNotEquals": {"cognito-identity.amazonaws.com:aud": "x"}}, provider="cognito-identity.amazonaws.com"
        ),
    ),
    (
        "Cognito with only an amr condition",
        web(
            {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}},
            provider="cognito-identity.amazonaws.com",
        ),
    ),
    (
        "GitHub Actions with only the aud every repository has",
        web(
            {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}},
            provider=f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com",
        ),
    ),
    (
        "AWS * with an organization pattern",
        aws_principal({"AWS": "*"}, {"StringLike": {"aws:PrincipalOrgID": "o-*"}}),
    ),
    ("AWS * beside an exact IRSA statement", aws_principal({"AWS": "*"})),
]

PUBLIC_CASES = [
    danger(
        f"public: {name}", role(doc(statement) if "beside" not in name else doc(web(exact()), statement)), ["IRSA011"]
    )
    for name, statement in _PUBLIC
]

# ---- dangerous: IRSA subjects and audiences ------------------------------------------------------------


def _sub(operator: str, value: Any, aud: bool = True) -> str:
    condition: dict[str, Any] = {operator: {SUB: value}}
    if aud:
        condition.setdefault("StringEquals", {})[AUD] = "sts.amazonaws.com"
    return doc(web(condition))


_ACROSS = [
    ("StringLike system:*", "StringLike", "system:*"),
    ("StringLike *:*", "StringLike", "*:*"),
    ("StringLike *", "StringLike", "*"),
    ("StringLike system:serviceaccount*", "StringLike", "system:serviceaccount*"),
    ("StringLike system:serviceaccount:*", "StringLike", "system:serviceaccount:*"),
    ("StringLike any namespace's default", "StringLike", "system:serviceaccount:*:default"),
    ("StringLike every service account", "StringLike", "system:serviceaccount:*:*"),
    ("StringLike a namespace prefix", "StringLike", "system:serviceaccount:app*:api"),
    ("StringLike ?* namespace", "StringLike", "system:serviceaccount:?*:api"),
    ("ForAnyValue:StringLike every service account", "ForAnyValue:StringLike", "system:serviceaccount:*:*"),
    ("StringLikeIfExists every service account", "StringLikeIfExists", "system:serviceaccount:*:*"),
    ("StringNotEquals one subject", "StringNotEquals", "system:serviceaccount:kube-system:x"),
    ("StringNotLike kube-system", "StringNotLike", "system:serviceaccount:kube-system:*"),
    ("Null sub false", "Null", "false"),
    ("a list with one pattern among exact names", "StringLike", [API, "system:serviceaccount:*:worker"]),
    ("ForAllValues:StringNotEquals one subject", "ForAllValues:StringNotEquals", API),
    ("a bare * among exact names", "StringLike", ["system:serviceaccount:apps:api", "*"]),
]

SUBJECT_CASES = [danger(f"irsa: {name}", role(_sub(op, value)), ["IRSA012"]) for name, op, value in _ACROSS]
SUBJECT_CASES += [
    danger("irsa: no sub condition", role(doc(web({"StringEquals": {AUD: "sts.amazonaws.com"}}))), ["IRSA012"]),
    danger("irsa: no condition at all", role(doc(web()), name="open"), ["IRSA012", "IRSA004", "IRSA013"]),
    danger("irsa: sub policy variable", role(_sub("StringEquals", "${aws:username}")), ["IRSA012", "IRSA016"]),
    danger(
        "irsa: the second provider has no sub",
        role(doc(web(exact()), web({"StringEquals": {f"{OTHER_HOST}:aud": "sts.amazonaws.com"}}, OTHER_PROVIDER))),
        ["IRSA012"],
    ),
    danger(
        "irsa: an unconditioned web-identity statement beside an exact one",
        role(doc(web(exact()), web())),
        ["IRSA012", "IRSA013"],
    ),
]

_IN_NAMESPACE = [
    ("kube-system ?*", "system:serviceaccount:kube-system:?*"),
    ("apps *", "system:serviceaccount:apps:*"),
    ("apps api-*", "system:serviceaccount:apps:api-*"),
    ("apps api-?", "system:serviceaccount:apps:api-?"),
]
SUBJECT_CASES += [
    danger(f"irsa: in one namespace {n}", role(_sub("StringLike", v)), ["IRSA005"], M) for n, v in _IN_NAMESPACE
]

_AUDIENCE = [
    ("StringLike *", {"StringEquals": {SUB: API}, "StringLike": {AUD: "*"}}),
    ("StringNotEquals nope", {"StringEquals": {SUB: API}, "StringNotEquals": {AUD: "nope"}}),
    ("Null false", {"StringEquals": {SUB: API}, "Null": {AUD: "false"}}),
    ("policy variable", {"StringEquals": {SUB: API, AUD: "${aws:userid}"}}),
    ("absent", {"StringEquals": {SUB: API}}),
    ("ForAllValues on a key every token has", {"StringEquals": {SUB: API}, "ForAllValues:StringLike": {AUD: "*"}}),
    ("an audience pattern", {"StringEquals": {SUB: API}, "StringLike": {AUD: "sts.*"}}),
]
AUDIENCE_CASES = [danger(f"irsa: aud {n}", role(doc(web(c))), ["IRSA004"], M) for n, c in _AUDIENCE]
AUDIENCE_CASES += [
    danger(
        "irsa: broad sub and aud pattern",
        role(doc(web({"StringLike": {SUB: "system:serviceaccount:*:*", AUD: "*"}}))),
        ["IRSA012", "IRSA004", "IRSA013"],
    ),
    danger(
        "irsa: namespace pattern and no aud",
        role(doc(web({"StringLike": {SUB: "system:serviceaccount:apps:*"}}))),
        ["IRSA005", "IRSA004", "IRSA013"],
    ),
]

# ---- dangerous: Pod Identity ----------------------------------------------------------------------------

POD_CASES = [
    danger("pod identity: no condition", role(doc(pods())), ["IRSA006"], M),
    danger("pod identity: StringEqualsIfExists tags", role(doc(pods({"StringEqualsIfExists": TAGS}))), ["IRSA006"], M),
    danger(
        "pod identity: ForAllValues:StringEquals tags",
        role(doc(pods({"ForAllValues:StringEquals": TAGS}))),
        ["IRSA006"],
        M,
    ),
    danger(
        "pod identity: negated namespace",
        role(doc(pods({"StringNotEquals": {"aws:RequestTag/kubernetes-namespace": "kube-system"}}))),
        ["IRSA006"],
        M,
    ),
    danger(
        "pod identity: namespace only",
        role(doc(pods({"StringEquals": {"aws:RequestTag/kubernetes-namespace": "shop"}}))),
        ["IRSA005"],
        M,
    ),
    danger(
        "pod identity: service account pattern",
        role(
            doc(
                pods(
                    {
                        "StringEquals": dict(list(TAGS.items())[:2]),
                        "StringLike": {"aws:RequestTag/kubernetes-service-account": "*"},
                    }
                )
            )
        ),
        ["IRSA005"],
        M,
    ),
    danger(
        "pod identity: service account name in any namespace",
        role(doc(pods({"StringEquals": {"aws:RequestTag/kubernetes-service-account": "orders"}}))),
        ["IRSA005"],
        M,
    ),
    danger(
        "pod identity: sts:AssumeRole alone, for associations without session tags",
        role(doc({**pods(), "Action": "sts:AssumeRole"})),
        ["IRSA006"],
        M,
    ),
    danger(
        "pod identity: Null tag false",
        role(doc(pods({"Null": {"aws:RequestTag/kubernetes-namespace": "false"}}))),
        ["IRSA006"],
        M,
    ),
]

# ---- dangerous: never assumable, foreign provider, not analysable -------------------------------------------


def _annotated(role: aws.iam.Role) -> None:
    k8s.core.v1.ServiceAccount(
        "api", metadata={"name": "api", "namespace": "apps", "annotations": {"eks.amazonaws.com/role-arn": role.arn}}
    )


BROKEN_CASES = [
    danger(
        "never: IRSA statement keyed on another provider",
        role(doc(web(exact(host=OTHER_HOST)))),
        ["IRSA014"],
    ),
    danger(
        "never: keys with https://",
        role(doc(web({"StringEquals": {f"https://{HOST}:sub": API, f"https://{HOST}:aud": "sts.amazonaws.com"}}))),
        ["IRSA014"],
    ),
    danger(
        "never: IRSA statement narrowed by Pod Identity tags",
        role(doc(web({"StringEquals": {**exact()["StringEquals"], "aws:RequestTag/kubernetes-namespace": "apps"}}))),
        ["IRSA014"],
    ),
    danger(
        "never: Pod Identity statement narrowed by an OIDC sub",
        role(doc(pods({"StringEquals": {SUB: API}}))),
        ["IRSA014"],
    ),
    danger(
        "never: Pod Identity statement on a tag EKS never sets",
        role(doc(pods({"StringEquals": {"aws:RequestTag/team": "payments"}}))),
        ["IRSA014"],
    ),
    danger(
        "never: IRSA statement on aws:PrincipalArn",
        role(
            doc(
                web(
                    {
                        "StringEquals": {**exact()["StringEquals"]},
                        "ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::123456789012:role/x"},
                    }
                )
            )
        ),
        ["IRSA014"],
    ),
    danger(
        "never: a Google key on an EKS statement",
        role(doc(web({"StringEquals": {"accounts.google.com:aud": "client"}}))),
        ["IRSA014"],
    ),
    danger(
        "foreign provider: another account's OIDC provider",
        role(doc(web(exact(), provider=f"arn:aws:iam::{OTHER_ACCOUNT}:oidc-provider/{HOST}"))),
        ["IRSA015"],
    ),
    danger(
        "foreign provider: a ServiceAccount annotated with that role gets no credentials",
        lambda: _annotated(
            aws.iam.Role(
                "r", assume_role_policy=doc(web(exact(), provider=f"arn:aws:iam::{OTHER_ACCOUNT}:oidc-provider/{HOST}"))
            )
        ),
        ["IRSA015", "IRSA001"],
    ),
    danger(
        "not analysable: NotPrincipal Allow",
        role(
            doc(
                {"Effect": "Allow", "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}
            )
        ),
        ["IRSA016", "IRSA011"],
    ),
]

# ---- dangerous: permissions ----------------------------------------------------------------------------------

_ESCALATION = [
    ("iam:* on every role", {"Effect": "Allow", "Action": "iam:*", "Resource": "arn:aws:iam::*:role/*"}),
    ("iam:PassRole on *", {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}),
    ("iam:CreatePolicyVersion", {"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}),
    ("iam:SetDefaultPolicyVersion", {"Effect": "Allow", "Action": "iam:SetDefaultPolicyVersion", "Resource": "*"}),
    (
        "iam:AttachRolePolicy on the account's roles",
        {"Effect": "Allow", "Action": "iam:AttachRolePolicy", "Resource": f"arn:aws:iam::{ACCOUNT}:role/*"},
    ),
    ("iam:Attach*Policy", {"Effect": "Allow", "Action": "iam:Attach*Policy", "Resource": "*"}),
    ("iam:Put*Policy", {"Effect": "Allow", "Action": "iam:Put*Policy", "Resource": "*"}),
    ("iam:PutUserPolicy", {"Effect": "Allow", "Action": "iam:PutUserPolicy", "Resource": "arn:aws:iam::*:user/*"}),
    ("iam:UpdateAssumeRolePolicy", {"Effect": "Allow", "Action": "iam:UpdateAssumeRolePolicy", "Resource": "*"}),
    ("iam:CreateAccessKey", {"Effect": "Allow", "Action": "iam:CreateAccessKey", "Resource": "*"}),
    ("iam:AddUserToGroup", {"Effect": "Allow", "Action": "iam:AddUserToGroup", "Resource": "*"}),
    ("sts:AssumeRole on *", {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}),
    ("lambda:UpdateFunctionCode on *", {"Effect": "Allow", "Action": "lambda:UpdateFunctionCode", "Resource": "*"}),
    (
        "Action * with a condition",
        {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    ),
    ("NotAction s3 on *", {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}),
    (
        "iam:PassRole conditioned to EC2",
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "*",
            "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
        },
    ),
]
PERMISSION_CASES = [danger(f"escalation: {n}", with_policy(s), ["IRSA017"]) for n, s in _ESCALATION]

_SERVICE_WIDE = [
    ("s3:* on every bucket", {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*"}),
    ("ec2:* on arn:*", {"Effect": "Allow", "Action": "ec2:*", "Resource": "arn:*"}),
    (
        "s3:* on * with a condition",
        {
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:ResourceAccount": ACCOUNT}},
        },
    ),
    ("Allow with NotResource", {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}),
    ("dynamodb:* on every table", {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:*:*:*"}),
]
PERMISSION_CASES += [danger(f"service-wide: {n}", with_policy(s), ["IRSA018"], M) for n, s in _SERVICE_WIDE]

_MANAGED = [
    ("AdministratorAccess", "attachment"),
    ("AdministratorAccess", "policy_attachment"),
    ("AdministratorAccess", "exclusive"),
    ("AdministratorAccess", "managed_policy_arns"),
    ("IAMFullAccess", "attachment"),
    ("PowerUserAccess", "attachment"),
    ("PowerUserAccess", "policy_attachment"),
    ("IAMFullAccess", "exclusive"),
    ("AdministratorAccess-Amplify", "managed_policy_arns"),
]
PERMISSION_CASES += [
    danger(f"admin-equivalent: {n} via {how}", with_managed(f"arn:aws:iam::aws:policy/{n}", how), ["IRSA017"])
    for n, how in _MANAGED
]
PERMISSION_CASES += [
    danger(f"admin-equivalent: a document via {how}", admin_inline(how), ["IRSA017"])
    for how in ("inline_policies", "roles_exclusive", "customer_managed")
]

# ---- dangerous: open trust plus power (IRSA019) ---------------------------------------------------------------

OPEN_WEB = doc(web())
COMBINED_CASES = [
    danger(
        "combined: unconditioned web identity + AdministratorAccess", with_managed(ADMIN, trust=OPEN_WEB), ["IRSA019"]
    ),
    danger(
        "combined: namespace pattern + iam:PassRole on *",
        with_policy(_ESCALATION[1][1], trust=_sub("StringLike", "system:serviceaccount:apps:*")),
        ["IRSA019"],
    ),
    danger(
        "combined: unnarrowed Pod Identity + IAMFullAccess",
        with_managed("arn:aws:iam::aws:policy/IAMFullAccess", "exclusive", trust=doc(pods())),
        ["IRSA019"],
    ),
    danger(
        "combined: public AWS * + admin inline",
        admin_inline("inline_policies", trust=doc(aws_principal({"AWS": "*"}))),
        ["IRSA019"],
    ),
    danger(
        "combined: another account's root + AdministratorAccess",
        with_managed(ADMIN, trust=doc(aws_principal({"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}))),
        ["IRSA020", "IRSA019"],
    ),
    danger(
        "combined: another account by id + iam:PassRole on *",
        with_policy(_ESCALATION[1][1], trust=doc(aws_principal({"AWS": OTHER_ACCOUNT}))),
        ["IRSA020", "IRSA019"],
    ),
]

# ---- dangerous: what components build when asked to ------------------------------------------------------------


def _component_any_namespace() -> None:
    irsa.ServiceAccountRole(
        "any",
        {
            "oidc_provider_arn": PROVIDER,
            "namespace": "*",
            "service_account": "default",
            "allow_wildcard": True,
            "create_service_account": False,
        },
    )


def _component_admin() -> None:
    irsa.ServiceAccountRole(
        "admin",
        {"oidc_provider_arn": PROVIDER, "namespace": "apps", "service_account": "api", "policy_arns": [ADMIN]},
    )


def _component_wildcard_and_admin() -> None:
    irsa.ServiceAccountRole(
        "admin-any",
        {
            "oidc_provider_arn": PROVIDER,
            "namespace": "apps",
            "service_account": "*",
            "allow_wildcard": True,
            "create_service_account": False,
            "policy_arns": [ADMIN],
        },
    )


def _component_escalation_inline() -> None:
    irsa.ServiceAccountRole(
        "escalate",
        {
            "oidc_provider_arn": PROVIDER,
            "namespace": "apps",
            "service_account": "api",
            "inline_policies": {
                "pass": {"Version": "2012-10-17", "Statement": [_ESCALATION[1][1]]},
            },
        },
    )


COMPONENT_CASES = [
    danger("component: ServiceAccountRole in any namespace", _component_any_namespace, ["IRSA012"]),
    danger("component: ServiceAccountRole with AdministratorAccess", _component_admin, ["IRSA017"]),
    danger("component: wildcard service account with AdministratorAccess", _component_wildcard_and_admin, ["IRSA019"]),
    danger("component: inline iam:PassRole on *", _component_escalation_inline, ["IRSA017"]),
]

DANGEROUS = [
    *PUBLIC_CASES,
    *SUBJECT_CASES,
    *AUDIENCE_CASES,
    *POD_CASES,
    *BROKEN_CASES,
    *PERMISSION_CASES,
    *COMBINED_CASES,
    *COMPONENT_CASES,
]

# ---- safe ----------------------------------------------------------------------------------------------------

_SAFE_TRUSTS = [
    ("exact IRSA subject", doc(web(exact()))),
    ("exact IRSA subjects, a list", doc(web(exact([API, "system:serviceaccount:jobs:worker"])))),
    (
        "exact IRSA subject under StringLike",
        doc(web({"StringLike": {SUB: API}, "StringEquals": {AUD: "sts.amazonaws.com"}})),
    ),
    (
        "exact IRSA subject, sub IfExists",
        doc(web({"StringEqualsIfExists": {SUB: API}, "StringEquals": {AUD: "sts.amazonaws.com"}})),
    ),
    (
        "exact IRSA, aud IfExists (every token has an aud)",
        doc(web({"StringEquals": {SUB: API}, "StringEqualsIfExists": {AUD: "sts.amazonaws.com"}})),
    ),
    (
        "exact IRSA subject, ForAnyValue",
        doc(web({"ForAnyValue:StringEquals": {SUB: API}, "StringEquals": {AUD: "sts.amazonaws.com"}})),
    ),
    ("two clusters, exact", doc(web(exact()), web(exact(host=OTHER_HOST), OTHER_PROVIDER))),
    (
        "a broad Allow narrowed by a Deny",
        doc(
            web({"StringLike": {SUB: "system:serviceaccount:apps:*"}, "StringEquals": {AUD: "sts.amazonaws.com"}}),
            {
                "Effect": "Deny",
                "Principal": {"Federated": PROVIDER},
                "Action": WEB,
                "Condition": {"StringNotEquals": {SUB: API}},
            },
        ),
    ),
    (
        "exact IRSA with an extra SourceIp narrowing",
        doc(web({**exact(), "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})),
    ),
    ("exact Pod Identity", doc(pods({"StringEquals": TAGS}))),
    ("Pod Identity by namespace and service account", doc(pods({"StringEquals": dict(list(TAGS.items())[1:])}))),
    (
        "Pod Identity, one statement per namespace",
        doc(
            pods({"StringEquals": TAGS}),
            pods({"StringEquals": {**TAGS, "aws:RequestTag/kubernetes-namespace": "billing"}}),
        ),
    ),
    ("Pod Identity and IRSA while migrating", doc(web(exact()), pods({"StringEquals": TAGS}))),
    ("another account, by id", doc(aws_principal({"AWS": OTHER_ACCOUNT}))),
    ("another account, by root ARN", doc(aws_principal({"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}))),
    (
        "another account's role with an ExternalId",
        doc(
            aws_principal(
                {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:role/deployer"}, {"StringEquals": {"sts:ExternalId": "x"}}
            )
        ),
    ),
    (
        "AWS * pinned to the organization",
        doc(aws_principal({"AWS": "*"}, {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}})),
    ),
    (
        "AWS * pinned to an account",
        doc(aws_principal({"AWS": "*"}, {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}})),
    ),
    (
        "AWS * pinned to a role ARN",
        doc(aws_principal({"AWS": "*"}, {"ArnEquals": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/ci"}})),
    ),
    ("EC2 service", doc(aws_principal({"Service": "ec2.amazonaws.com"}))),
    ("Lambda service", doc(aws_principal({"Service": ["lambda.amazonaws.com"]}))),
    (
        "Google with a pinned aud",
        doc(
            web(
                {"StringEquals": {"accounts.google.com:aud": "1234.apps.googleusercontent.com"}},
                provider="accounts.google.com",
            )
        ),
    ),
    (
        "Cognito with a pinned pool and amr",
        doc(
            web(
                {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": "eu-west-1:1234-abcd"},
                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                },
                provider="cognito-identity.amazonaws.com",
            )
        ),
    ),
    (
        "GitHub Actions pinned to a repository branch",
        doc(
            web(
                {
                    "StringEquals": {
                        "token.actions.githubusercontent.com:sub": "repo:org/infra:ref:refs/heads/main",
                        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                    }
                },
                provider=f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com",
            )
        ),
    ),
    (
        "a Deny of everyone beside an exact Allow",
        doc(web(exact()), {"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}),
    ),
]
SAFE_CASES = [safe(f"safe trust: {n}", role(t)) for n, t in _SAFE_TRUSTS]

_SAFE_POLICIES = [
    (
        "S3 reads on one bucket",
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        },
    ),
    ("S3 writes in one bucket", {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}),
    ("every S3 action on one bucket", {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}),
    ("EC2 describes", {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"}),
    (
        "iam:PassRole on one role",
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:aws:iam::{ACCOUNT}:role/node"},
    ),
    (
        "sts:AssumeRole on one role",
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{OTHER_ACCOUNT}:role/target"},
    ),
    (
        "KMS decrypt with one key",
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": f"arn:aws:kms:eu-west-1:{ACCOUNT}:key/1"},
    ),
    ("iam reads", {"Effect": "Allow", "Action": ["iam:GetRole", "iam:ListRoles"], "Resource": "*"}),
    ("a Deny of iam:*", {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}),
]
SAFE_CASES += [safe(f"safe policy: {n}", with_policy(s)) for n, s in _SAFE_POLICIES]
SAFE_CASES += [
    safe(
        "safe policy: AmazonS3ReadOnlyAccess attached", with_managed("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
    ),
    safe(
        "safe policy: read-only managed policy via PolicyAttachment",
        with_managed("arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess", "policy_attachment"),
    ),
    safe(
        "safe: exact trust + AdministratorAccess elsewhere in another role's name",
        with_managed("arn:aws:iam::123456789012:policy/AdministratorAccess-notes-readonly"),
    ),
]


def _sar(**extra: Any) -> Callable[[], None]:
    def program() -> None:
        irsa.ServiceAccountRole(
            "c", {"oidc_provider_arn": PROVIDER, "namespace": "apps", "service_account": "api", **extra}
        )

    return program


def _pod_identity_component(**extra: Any) -> Callable[[], None]:
    def program() -> None:
        irsa.PodIdentityAssociation(
            "c", {"cluster_name": "prod", "namespace": "apps", "service_account": "api", **extra}
        )

    return program


SAFE_CASES += [
    safe("component: ServiceAccountRole", _sar()),
    safe(
        "component: ServiceAccountRole, two clusters",
        lambda: irsa.ServiceAccountRole(
            "c", {"oidc_provider_arns": [PROVIDER, OTHER_PROVIDER], "namespace": "apps", "service_account": "api"}
        ),
    ),
    safe(
        "component: ServiceAccountRole, several service accounts",
        lambda: irsa.ServiceAccountRole(
            "c", {"oidc_provider_arn": PROVIDER, "service_accounts": ["apps:api", "jobs:worker"]}
        ),
    ),
    safe(
        "component: ServiceAccountRole with S3 read",
        _sar(policy_arns=["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]),
    ),
    safe("component: ServiceAccountRole migrating (both)", _sar(mode="both", pod_identity={"cluster_name": "prod"})),
    safe("component: PodIdentityAssociation", _pod_identity_component()),
    safe(
        "component: ServiceAccountRole with the LB controller preset",
        _sar(addon_policies=[{"preset": "aws-load-balancer-controller", "cluster_name": "prod"}]),
        forbid=H,
    ),
    safe(
        "component: Pod Identity with the Karpenter preset",
        _pod_identity_component(
            addon_policies=[
                {
                    "preset": "karpenter",
                    "cluster_name": "prod",
                    "node_role_arns": [f"arn:aws:iam::{ACCOUNT}:role/KarpenterNodeRole-prod"],
                    "interruption_queue_arn": f"arn:aws:sqs:eu-west-1:{ACCOUNT}:q",
                    "region": "eu-west-1",
                    "account_id": ACCOUNT,
                }
            ]
        ),
        forbid=H,
    ),
    safe(
        "component: ServiceAccountRole with the EBS CSI preset",
        _sar(addon_policies=[{"preset": "ebs-csi-driver"}]),
        forbid=H,
    ),
    safe(
        "component: ServiceAccountRole with the external-dns preset",
        _sar(addon_policies=[{"preset": "external-dns", "hosted_zone_arns": ["arn:aws:route53:::hostedzone/Z1"]}]),
        forbid=H,
    ),
    safe(
        "component: ServiceAccountRole with the cluster-autoscaler preset",
        _sar(addon_policies=[{"preset": "cluster-autoscaler", "cluster_names": ["prod"]}]),
        forbid=H,
    ),
]

SAFE_CASES += [
    safe(
        "component: CrossAccountTargetRole narrowed by session tags",
        lambda: irsa.CrossAccountTargetRole(
            "t",
            {
                "pod_identity_role_arn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/orders",
                "cluster_name": "prod",
                "namespace": "shop",
                "service_account": "orders",
                "role_name": "reader",
            },
        ),
    ),
    safe(
        "component: CrossAccountTargetRole with an external id",
        lambda: irsa.CrossAccountTargetRole(
            "t",
            {
                "pod_identity_role_arn": f"arn:aws:iam::{OTHER_ACCOUNT}:role/orders",
                "external_id": f"eu-west-1/{OTHER_ACCOUNT}/prod/shop/orders",
                "role_name": "reader",
            },
        ),
    ),
    safe(
        "component: PodIdentityAssociation chaining into a target role",
        _pod_identity_component(target_role_arn=f"arn:aws:iam::{OTHER_ACCOUNT}:role/reader"),
    ),
    safe(
        "component: PodIdentityAssociation without session tags (medium at most)",
        _pod_identity_component(disable_session_tags=True),
        forbid=H,
    ),
]

SAFE = SAFE_CASES

CASES: list[Case] = [*DANGEROUS, *SAFE]
"""Every case, dangerous first. Names are unique."""
