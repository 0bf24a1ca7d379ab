"""What a role may do, as ``review.permissions`` reads it, pinned where the mutation run of ``permissions.py`` found
it unspecified: each row of the two sourced tables by its effect (every admin-equivalent managed policy, every
escalation action, listed here independently of the tables), the actions that are not escalations, which resources
are broad, ``NotAction``/``NotResource``, how a grant is described, and every way Pulumi attaches a policy to a role
(by the role's name, ARN or id) with the policies of other roles left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from irsa_components.review.findings import find_issues
from irsa_components.review.permissions import (
    admin_equivalent,
    dangerous_permissions,
    escalation_grants,
    is_broad_resource,
    iter_admin_attachments,
    parse_json,
    role_policies,
    service_wide_grants,
)

ACCOUNT = "111122223333"
ROLE_TYPE = "aws:iam/role:Role"


@dataclass
class Recorded:
    type: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    parent: str | None = None


def allow(**fields: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **fields}]}


def role(name: str = "app", **inputs: Any) -> Recorded:
    outputs = {"name": f"{name}-iam", "arn": f"arn:aws:iam::{ACCOUNT}:role/{name}-iam", "id": f"{name}-id"}
    return Recorded(ROLE_TYPE, name, {"name": f"{name}-iam", **inputs}, outputs)


# ---- the admin-equivalent managed policies (IRSA017) --------------------------------------------------------------

ADMIN_EQUIVALENT = [
    "AdministratorAccess",
    "IAMFullAccess",
    "PowerUserAccess",
    "AdministratorAccess-Amplify",
    "AdministratorAccess-AWSElasticBeanstalk",
    "AWSOrganizationsFullAccess",
]


@pytest.mark.parametrize("name", ADMIN_EQUIVALENT)
def test_attaching_an_admin_equivalent_managed_policy_is_a_high_finding(name):
    arn = f"arn:aws:iam::aws:policy/{name}"
    attachment = Recorded(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", {"role": "app-iam", "policyArn": arn}
    )
    found = [(f.id, f.severity.value, f.resource) for f in find_issues([role(), attachment]) if f.id == "IRSA017"]
    assert found == [("IRSA017", "high", "attach")]
    row = admin_equivalent(arn)
    assert row is not None and row.name == name
    assert row.source == f"https://docs.aws.amazon.com/aws-managed-policy/latest/reference/{name}.html"


@pytest.mark.parametrize(
    "name", ["ReadOnlyAccess", "AmazonS3FullAccess", "AmazonEKSClusterPolicy", "AdministratorAccess-Other"]
)
def test_other_aws_managed_policies_are_not_admin_equivalent(name):
    assert admin_equivalent(f"arn:aws:iam::aws:policy/{name}") is None


def test_an_aws_managed_policy_under_a_path_is_known_by_its_name():
    row = admin_equivalent("arn:aws:iam::aws:policy/job-function/AdministratorAccess")
    assert row is not None and row.name == "AdministratorAccess"


# ---- the escalation actions (IRSA017) -----------------------------------------------------------------------------

ESCALATION = [
    "iam:PassRole",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AddUserToGroup",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "lambda:UpdateFunctionCode",
    "glue:UpdateDevEndpoint",
    "sts:AssumeRole",
]


@pytest.mark.parametrize("action", ESCALATION)
def test_an_escalation_action_on_every_resource_is_a_high_finding_naming_it(action):
    policy = Recorded(
        "aws:iam/policy:Policy", "p", {"name": "p", "policy": json.dumps(allow(Action=action, Resource="*"))}
    )
    (finding,) = [f for f in find_issues([policy]) if f.id == "IRSA017"]
    assert (finding.severity.value, finding.resource) == ("high", "p")
    assert f"statement 0 allows {action} on every resource (" in finding.message


@pytest.mark.parametrize(
    "action",
    ["iam:GetRole", "iam:ListRoles", "iam:CreateServiceLinkedRole", "lambda:InvokeFunction", "sts:TagSession"],
)
def test_actions_that_do_not_raise_privileges_are_not_escalations(action):
    assert escalation_grants(allow(Action=action, Resource="*")) == []


def test_a_lower_case_action_is_the_same_action():
    (grant,) = escalation_grants(allow(Action="IAM:passrole", Resource="*"))
    assert grant.startswith("statement 0 allows iam:PassRole on every resource")


def test_a_grant_is_described_by_its_sid_first_actions_and_count():
    (grant,) = escalation_grants(allow(Sid="Admin", Action="iam:*", Resource="*"))
    assert grant == (
        "statement Admin allows iam:PassRole, iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion, "
        "iam:AttachRolePolicy and 12 more on every resource (hands any role to a service that runs code "
        "(EC2, Lambda, ECS...))"
    )


def test_four_actions_are_listed_without_a_count():
    actions = ["iam:PassRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "sts:AssumeRole"]
    (grant,) = escalation_grants(allow(Action=actions, Resource="*"))
    assert grant.startswith(
        "statement 0 allows iam:PassRole, iam:AttachRolePolicy, iam:PutRolePolicy, sts:AssumeRole on every resource"
    )


def test_not_resource_counts_as_every_resource():
    (grant,) = escalation_grants(allow(Action="iam:PassRole", NotResource=f"arn:aws:iam::{ACCOUNT}:role/admin"))
    assert grant.startswith("statement 0 allows iam:PassRole on every resource")


def test_not_action_excluding_every_escalation_grants_none():
    excluded = ["iam:*", "lambda:*", "glue:*", "sts:*"]
    assert escalation_grants(allow(NotAction=excluded, Resource="*")) == []


def test_only_allow_statements_grant_and_each_is_described():
    document = {
        "Statement": [
            {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        ]
    }
    (grant,) = escalation_grants(document)
    assert grant.startswith("statement 1 allows iam:PassRole")


def test_a_document_that_is_not_a_map_grants_nothing():
    assert escalation_grants("not json") == []
    assert service_wide_grants(["x"]) == []


# ---- broad resources -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "broad"),
    [
        ("*", True),
        ("arn:*", True),
        ("arn:aws:*", True),
        ("arn:aws:s3:::*", True),
        ("arn:aws:iam::*:role/*", True),
        ("arn:aws:iam::*:user/*", True),
        ("arn:aws:iam::*:*", True),
        ("arn:aws:iam::*:role/team/*", False),
        ("arn:aws:iam::*:role/*/admin", False),
        ("arn:aws:iam::*:role/a*/*", False),
        ("arn:aws:iam::*", True),
        ("arn:aws:s3:::bucket/*", False),
        ("arn:aws:s3:::bucket", False),
        ("arn:aws:s3", False),
        ("bucket", False),
        ("arn:aws:ec2:*:*:instance/*", False),
    ],
)
def test_which_resources_are_broad(resource, broad):
    assert is_broad_resource(resource) is broad


# ---- service-wide grants (IRSA018) -----------------------------------------------------------------------------


def test_a_whole_service_on_every_resource_is_service_wide():
    assert service_wide_grants(allow(Sid="S3", Action=["s3:GetObject", "s3:*"], Resource=["arn:aws:s3:::b", "*"])) == [
        "statement S3 allows s3:* on *"
    ]


@pytest.mark.parametrize("action", ["s3:?*", "s3:*?", "s?:*", "S3:**"])
def test_a_pattern_matching_every_action_name_is_a_whole_service(action):
    # Every action name has at least two characters, so '?*' leaves none out; 's?' is s3 and every other 's?'.
    assert service_wide_grants(allow(Action=action, Resource="*")) == [f"statement 0 allows {action} on *"]


@pytest.mark.parametrize("action", ["s3:??", "s3:?", "s3:"])
def test_question_marks_alone_are_names_of_that_length_not_a_whole_service(action):
    assert service_wide_grants(allow(Action=action, Resource="*")) == []


@pytest.mark.parametrize("action", ["s3:Get*", "s3:?et*", "s3:GetObject", "*"])
def test_a_pattern_leaving_actions_out_is_not_a_whole_service(action):
    # ("*" alone is IRSA008/017's: every service.)
    assert service_wide_grants(allow(Action=action, Resource="*")) == []


def test_not_resource_is_service_wide_whatever_the_actions():
    assert service_wide_grants(allow(Action="s3:GetObject", NotResource="arn:aws:s3:::secret/*")) == [
        "statement 0 uses NotResource: it allows every resource except those listed"
    ]


def test_a_denied_service_is_not_granted():
    assert service_wide_grants({"Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}) == []


# ---- how policies reach a role -----------------------------------------------------------------------------------


def test_a_policy_given_as_a_map_is_used_as_is():
    document = allow(Action="s3:GetObject", Resource="*")
    assert parse_json(document) is document
    assert parse_json(json.dumps(document)) == document
    assert parse_json("{not json") == "{not json"


POWER = "arn:aws:iam::aws:policy/AdministratorAccess"


@pytest.mark.parametrize("reference", ["app-iam", f"arn:aws:iam::{ACCOUNT}:role/app-iam", "app-id", "app"])
def test_an_attachment_names_its_role_by_name_arn_id_or_logical_name(reference):
    attachment = Recorded(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", {"role": reference, "policyArn": POWER}
    )
    resources = [role(), attachment]
    assert [p.arn for p in role_policies(resources, resources[0])] == [POWER]


def test_every_way_of_attaching_a_policy_is_found_in_program_order():
    me = role(
        managedPolicyArns=["arn:aws:iam::aws:policy/IAMFullAccess"],
        inlinePolicies=[
            {"name": "inline", "policy": json.dumps(allow(Action="s3:*", Resource="*"))},
            {"name": "empty", "policy": ""},
            "not a map",
        ],
    )
    customer = f"arn:aws:iam::{ACCOUNT}:policy/custom"
    resources = [
        me,
        Recorded(
            "aws:iam/policy:Policy",
            "custom",
            {"name": "custom", "policy": json.dumps(allow(Action="iam:PassRole", Resource="*"))},
            {"arn": customer},
        ),
        Recorded(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "one", {"role": "app-iam", "policyArn": customer}
        ),
        Recorded(
            "aws:iam/policyAttachment:PolicyAttachment",
            "many",
            {"roles": ["other-iam", "app-iam"], "policyArn": "arn:aws:iam::aws:policy/PowerUserAccess"},
        ),
        Recorded(
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
            "exclusive",
            {"roleName": "app-iam", "policyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]},
        ),
        Recorded(
            "aws:iam/rolePolicy:RolePolicy",
            "named",
            {"name": "named", "role": "other-iam", "policy": json.dumps(allow(Action="sts:AssumeRole", Resource="*"))},
        ),
        Recorded(
            "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
            "inline-exclusive",
            {"roleName": "app-iam", "policyNames": ["named"]},
        ),
        Recorded(
            "aws:iam/rolePolicy:RolePolicy",
            "own",
            {"role": "app-iam", "policy": json.dumps(allow(Action="s3:GetObject", Resource="*"))},
        ),
        Recorded(
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "not-mine",
            {"role": "other-iam", "policyArn": "arn:aws:iam::aws:policy/AWSOrganizationsFullAccess"},
        ),
    ]
    found = role_policies(resources, me)
    assert [(p.label, p.via.name) for p in found] == [
        (customer, "one"),
        ("arn:aws:iam::aws:policy/PowerUserAccess", "many"),
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", "exclusive"),
        ("arn:aws:iam::aws:policy/IAMFullAccess", "app"),
        ("inline policy inline", "app"),
        ("policy named", "named"),
        ("policy own", "own"),
    ]
    assert found[0].document == allow(Action="iam:PassRole", Resource="*")
    assert found[1].document is None
    assert dangerous_permissions(resources, me) == [
        f"{customer}: statement 0 allows iam:PassRole on every resource (hands any role to a service that "
        "runs code (EC2, Lambda, ECS...))",
        "PowerUserAccess (every action of every service except IAM and Organizations management)",
        "IAMFullAccess (iam:* : can attach AdministratorAccess to itself)",
        "policy named: statement 0 allows sts:AssumeRole on every resource (assumes any role that trusts the account)",
    ]
    assert [(via.name, arn, row.name) for via, arn, row in iter_admin_attachments(resources)] == [
        ("many", "arn:aws:iam::aws:policy/PowerUserAccess", "PowerUserAccess"),
        ("app", "arn:aws:iam::aws:policy/IAMFullAccess", "IAMFullAccess"),
    ]


@pytest.mark.parametrize(
    "resource",
    ["arn:aws:iam::*", "arn:aws:iam::*:*/*", f"arn:aws:iam::{ACCOUNT}:*/*", "arn:aws:iam::*:rol*/*"],
    ids=["service-prefix", "every-type", "every-type-of-one-account", "type-pattern"],
)
def test_every_iam_resource_of_every_type_is_broad(resource):
    # Fixed with issue 14's review run: "*/*" (every resource of every IAM type) was not broad, so iam:PassRole
    # on it gave no IRSA017.
    assert is_broad_resource(resource)
    assert escalation_grants(allow(Action="iam:PassRole", Resource=resource))


def test_five_escalation_actions_are_four_named_and_one_more():
    actions = ["iam:PassRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "sts:AssumeRole", "iam:CreateAccessKey"]
    (grant,) = escalation_grants(allow(Action=actions, Resource="*"))
    assert grant.startswith(
        "statement 0 allows iam:PassRole, iam:AttachRolePolicy, iam:PutRolePolicy, iam:CreateAccessKey and 1 more on"
    )


def test_a_role_policy_is_labelled_by_its_iam_name_not_its_logical_name():
    me = role()
    inline = Recorded(
        "aws:iam/rolePolicy:RolePolicy",
        "logical",
        {"name": "iam-name", "role": "app-iam", "policy": json.dumps(allow(Action="s3:GetObject", Resource="*"))},
    )
    assert [p.label for p in role_policies([me, inline], me)] == ["policy iam-name"]


def test_exclusive_attachments_without_their_lists_attach_nothing():
    me = role()
    resources = [
        me,
        Recorded(
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "arns", {"roleName": "app-iam"}
        ),
        Recorded("aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "names", {"roleName": "app-iam"}),
        Recorded(
            "aws:iam/rolePolicy:RolePolicy",
            "None",
            {"role": "other-iam", "policy": json.dumps(allow(Action="iam:PassRole", Resource="*"))},
        ),
    ]
    assert role_policies(resources, me) == []


@pytest.mark.parametrize("resource", ["my-bucket/*", "s3:*", "role/*"])
def test_a_pattern_that_is_not_an_arn_is_not_broad(resource):
    assert not is_broad_resource(resource)


def test_one_broad_resource_among_narrow_ones_makes_the_grant_broad():
    resources = [f"arn:aws:iam::{ACCOUNT}:role/node", "*"]
    assert escalation_grants(allow(Action="iam:PassRole", Resource=resources))


def test_an_exclusive_inline_list_names_role_policies_without_a_name_by_their_logical_name():
    me = role()
    resources = [
        me,
        Recorded(
            "aws:iam/rolePolicy:RolePolicy",
            "shared",
            {"role": "other-iam", "policy": json.dumps(allow(Action="s3:GetObject", Resource="*"))},
        ),
        Recorded(
            "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
            "names",
            {"roleName": "app-iam", "policyNames": ["shared"]},
        ),
    ]
    assert [p.label for p in role_policies(resources, me)] == ["policy shared"]


def test_an_exclusive_inline_list_names_a_role_policy_by_its_iam_name():
    me = role()
    resources = [
        me,
        Recorded(
            "aws:iam/rolePolicy:RolePolicy",
            "logical",
            {"name": "iam-name", "role": "other-iam", "policy": json.dumps(allow(Action="s3:GetObject", Resource="*"))},
        ),
        Recorded(
            "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
            "names",
            {"roleName": "app-iam", "policyNames": ["iam-name"]},
        ),
    ]
    assert [p.label for p in role_policies(resources, me)] == ["policy iam-name"]
