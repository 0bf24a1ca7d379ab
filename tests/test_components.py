"""The components under Pulumi's mocks: the exact inputs of every child resource, and errors before any resource."""

from __future__ import annotations

import json

import pulumi
import pytest
from conftest import ISSUER_HOST, PROVIDER_ARN, assert_all_policies_valid, cloud_resources

from irsa_components import (
    ClusterOidcProvider,
    IrsaConfigError,
    PodIdentityAgent,
    PodIdentityAssociation,
    ServiceAccountRole,
)
from irsa_components.testing import ROOT_CA_THUMBPRINT, IrsaMocks, run_program

S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
ROLE = "aws:iam/role:Role"
SA = "kubernetes:core/v1:ServiceAccount"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
INLINE = "aws:iam/rolePolicy:RolePolicy"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"


def irsa(name: str = "app", **args):
    base = {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api"}
    return lambda: ServiceAccountRole(name, {**base, **args})


def pod_identity(name: str = "orders", **args):
    base = {"cluster_name": "prod", "namespace": "shop", "service_account": "orders"}
    return lambda: PodIdentityAssociation(name, {**base, **args})


def refused(program) -> tuple[IrsaConfigError, list]:
    """Runs a program expected to fail validation; returns the error and the cloud resources registered."""
    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    return err.value, [r for r in mocks.resources if r.type.startswith(("aws:", "kubernetes:"))]


# ---- ClusterOidcProvider -------------------------------------------------------------------------


def test_oidc_provider_from_cluster_name_pins_the_root_ca_not_the_leaf():
    mocks = IrsaMocks()
    result = run_program(lambda: ClusterOidcProvider("prod", {"cluster_name": "prod"}), mocks=mocks)
    provider = result.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.name == "prod-provider"
    assert provider.inputs == {
        "url": mocks.issuer_for("prod"),
        "clientIdLists": ["sts.amazonaws.com"],
        "thumbprintLists": [ROOT_CA_THUMBPRINT],
    }
    assert [i.token for i in result.invokes] == [
        "aws:eks/getCluster:getCluster",
        "tls:index/getCertificate:getCertificate",
    ]
    assert result.invokes[1].args["url"] == mocks.issuer_for("prod")


def test_oidc_provider_outputs_url_without_scheme():
    def program():
        p = ClusterOidcProvider("c", {"issuer_url": f"https://{ISSUER_HOST}"})
        pulumi.export("url", p.url)
        pulumi.export("issuer", p.issuer_url)
        pulumi.export("arn", p.arn)
        pulumi.export("thumbprints", p.thumbprints)

    outputs = run_program(program).outputs
    assert outputs == {
        "url": ISSUER_HOST,
        "issuer": f"https://{ISSUER_HOST}",
        "arn": PROVIDER_ARN,
        "thumbprints": [ROOT_CA_THUMBPRINT],
    }


def test_explicit_thumbprints_and_client_ids_skip_the_tls_lookup():
    result = run_program(
        lambda: ClusterOidcProvider(
            "c", {"issuer_url": ISSUER_HOST, "thumbprints": ["A" * 40], "client_ids": ["sts.amazonaws.com", "vault"]}
        )
    )
    provider = result.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.inputs["thumbprintLists"] == ["a" * 40]
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com", "vault"]
    assert provider.inputs["url"] == f"https://{ISSUER_HOST}"
    assert result.invokes == []


def test_chain_without_ca_refuses_to_pin_a_leaf():
    mocks = IrsaMocks()
    leaf_only = mocks.certificate_chain(f"https://{ISSUER_HOST}")[2:]
    mocks.extra_calls["tls:index/getCertificate:getCertificate"] = lambda args: {
        "id": args["url"],
        "url": args["url"],
        "certificates": leaf_only,
    }
    with pytest.raises(IrsaConfigError, match="holds no CA certificate"):
        run_program(lambda: ClusterOidcProvider("c", {"issuer_url": ISSUER_HOST}), mocks=mocks)


@pytest.mark.parametrize(
    "args,field",
    [
        ({}, "issuer_url / cluster_name"),
        ({"issuer_url": ISSUER_HOST, "cluster_name": "prod"}, "issuer_url / cluster_name"),
        ({"issuer_url": "http://insecure.example.com"}, "issuer_url"),
        ({"cluster_name": "prod", "thumbprints": ["a" * 40] * 6}, "thumbprints"),
        ({"cluster_name": "bad name"}, "cluster_name"),
    ],
)
def test_oidc_provider_bad_input_creates_nothing(args, field):
    error, created = refused(lambda: ClusterOidcProvider("c", args))
    assert error.field == field
    assert created == []


# ---- ServiceAccountRole --------------------------------------------------------------------------


def test_irsa_role_trust_annotation_and_attachment_are_exact():
    result = run_program(irsa(policy_arns=[S3_READ]))
    role = result.one(ROLE)
    assert role.name == "app-role"
    assert json.loads(role.inputs["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": PROVIDER_ARN},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {
                        f"{ISSUER_HOST}:sub": "system:serviceaccount:apps:api",
                        f"{ISSUER_HOST}:aud": "sts.amazonaws.com",
                    }
                },
            }
        ],
    }
    attachment = result.one(ATTACHMENT)
    assert attachment.name == "app-AmazonS3ReadOnlyAccess"
    assert attachment.inputs == {"role": role.outputs["name"], "policyArn": S3_READ}
    sa = result.one(SA)
    assert sa.name == "app-sa"
    assert sa.inputs["metadata"] == {
        "name": "api",
        "namespace": "apps",
        "annotations": {"eks.amazonaws.com/role-arn": role.outputs["arn"]},
    }
    assert_all_policies_valid(result)


def test_irsa_children_are_parented_to_the_component():
    result = run_program(irsa(policy_arns=[S3_READ]))
    component = result.one("irsa-components:index:ServiceAccountRole")
    assert sorted((r.type, r.name) for r in result.children_of(component)) == [
        (ROLE, "app-role"),
        (ATTACHMENT, "app-AmazonS3ReadOnlyAccess"),
        (SA, "app-sa"),
    ]


def test_irsa_role_options_reach_the_role():
    result = run_program(
        irsa(
            role_name="apps-api",
            path="/eks/",
            description="api pods",
            permissions_boundary="arn:aws:iam::123456789012:policy/boundary",
            max_session_duration=7200,
            tags={"team": "core"},
        )
    )
    role = result.one(ROLE)
    assert {k: v for k, v in role.inputs.items() if k != "assumeRolePolicy"} == {
        "name": "apps-api",
        "path": "/eks/",
        "description": "api pods",
        "permissionsBoundary": "arn:aws:iam::123456789012:policy/boundary",
        "maxSessionDuration": 7200,
        "tags": {"team": "core"},
    }


def test_inline_policies_from_dict_and_json_text():
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}],
    }
    result = run_program(irsa(inline_policies={"read": doc, "read-json": json.dumps(doc)}))
    role = result.one(ROLE)
    policies = {p.name: p.inputs for p in result.of_type(INLINE)}
    assert set(policies) == {"app-read", "app-read-json"}
    for key, inputs in policies.items():
        assert inputs["role"] == role.id
        assert inputs["name"] == key.removeprefix("app-")
        assert json.loads(inputs["policy"]) == doc
    assert_all_policies_valid(result)


def test_inline_policy_holding_outputs_is_resolved():
    def program():
        bucket = pulumi.Output.from_input("arn:aws:s3:::logs")
        ServiceAccountRole(
            "app",
            {
                "oidc_provider_arn": PROVIDER_ARN,
                "namespace": "apps",
                "service_account": "api",
                "inline_policies": {
                    "logs": {
                        "Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": bucket}],
                    }
                },
            },
        )

    policy = run_program(program).one(INLINE)
    assert json.loads(policy.inputs["policy"])["Statement"][0]["Resource"] == "arn:aws:s3:::logs"


def test_several_service_accounts_share_one_role_and_get_one_sa_each():
    result = run_program(
        lambda: ServiceAccountRole(
            "shared", {"oidc_provider_arn": PROVIDER_ARN, "service_accounts": ["apps:web", "jobs:batch"]}
        )
    )
    trust = json.loads(result.one(ROLE).inputs["assumeRolePolicy"])
    assert trust["Statement"][0]["Condition"]["StringEquals"][f"{ISSUER_HOST}:sub"] == [
        "system:serviceaccount:apps:web",
        "system:serviceaccount:jobs:batch",
    ]
    assert sorted(
        (s.name, s.inputs["metadata"]["namespace"], s.inputs["metadata"]["name"]) for s in result.of_type(SA)
    ) == [
        ("shared-apps-web", "apps", "web"),
        ("shared-jobs-batch", "jobs", "batch"),
    ]


def test_role_trusted_by_several_clusters_has_a_statement_per_provider():
    other = PROVIDER_ARN.replace("eu-west-1", "us-east-1")
    result = run_program(irsa(oidc_provider_arns=[PROVIDER_ARN, other], oidc_provider_arn=None))
    trust = json.loads(result.one(ROLE).inputs["assumeRolePolicy"])
    assert [s["Principal"]["Federated"] for s in trust["Statement"]] == [PROVIDER_ARN, other]


def test_provider_arn_as_output_builds_trust_at_deploy_time():
    def program():
        provider = ClusterOidcProvider("prod", {"cluster_name": "prod"})
        ServiceAccountRole("app", {"oidc_provider_arn": provider.arn, "namespace": "apps", "service_account": "api"})

    mocks = IrsaMocks()
    result = run_program(program, mocks=mocks)
    host = mocks.issuer_for("prod").removeprefix("https://")
    condition = json.loads(result.one(ROLE).inputs["assumeRolePolicy"])["Statement"][0]["Condition"]
    assert condition == {
        "StringEquals": {f"{host}:sub": "system:serviceaccount:apps:api", f"{host}:aud": "sts.amazonaws.com"}
    }


def test_wildcard_subject_needs_allow_wildcard_and_no_created_service_account():
    error, created = refused(irsa(service_account="*"))
    assert (error.field, created) == ("service_account", [])
    error, created = refused(irsa(service_account="*", allow_wildcard=True))
    assert (error.field, created) == ("create_service_account", [])
    result = run_program(irsa(service_account="*", allow_wildcard=True, create_service_account=False))
    condition = json.loads(result.one(ROLE).inputs["assumeRolePolicy"])["Statement"][0]["Condition"]
    assert condition == {
        "StringEquals": {f"{ISSUER_HOST}:aud": "sts.amazonaws.com"},
        "StringLike": {f"{ISSUER_HOST}:sub": "system:serviceaccount:apps:*"},
    }
    assert result.of_type(SA) == []


def test_extra_annotations_and_labels_on_the_service_account_and_in_outputs():
    def program():
        role = irsa(
            service_account_annotations={"eks.amazonaws.com/token-expiration": "3600"},
            service_account_labels={"app": "api"},
        )()
        pulumi.export("annotations", role.service_account_annotations)
        pulumi.export("sa", role.service_account_name)
        pulumi.export("ns", role.namespace)

    result = run_program(program)
    arn = result.one(ROLE).outputs["arn"]
    expected = {"eks.amazonaws.com/role-arn": arn, "eks.amazonaws.com/token-expiration": "3600"}
    assert result.one(SA).inputs["metadata"]["annotations"] == expected
    assert result.one(SA).inputs["metadata"]["labels"] == {"app": "api"}
    assert result.outputs == {"annotations": expected, "sa": "api", "ns": "apps"}


def test_no_service_account_when_not_asked_for():
    result = run_program(irsa(create_service_account=False))
    assert result.of_type(SA) == []
    assert len(result.of_type(ROLE)) == 1


@pytest.mark.parametrize(
    "args,field",
    [
        ({"namespace": "Apps"}, "namespace"),
        ({"service_account": "API"}, "service_account"),
        ({"oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/https://x.example.com"}, "oidc_provider_arn"),
        ({"oidc_provider_arns": [PROVIDER_ARN]}, "oidc_provider_arn / oidc_provider_arns"),
        ({"service_accounts": ["a:b"]}, "namespace / service_accounts"),
        ({"role_name": "x" * 65}, "role_name"),
        ({"path": "eks"}, "path"),
        ({"max_session_duration": 60}, "max_session_duration"),
        ({"policy_arns": ["AmazonS3ReadOnlyAccess"]}, "policy_arns"),
        ({"policy_arns": [S3_READ, S3_READ]}, "policy_arns"),
        ({"policy_arns": [f"arn:aws:iam::aws:policy/P{i}" for i in range(11)]}, "policy_arns"),
        ({"inline_policies": {"bad name": {"Statement": []}}}, "inline_policies"),
        ({"inline_policies": {"p": "{not json"}}, "inline_policies['p']"),
        ({"audience": ""}, "audience"),
        ({"service_account_annotations": {"eks.amazonaws.com/role-arn": "x"}}, "service_account_annotations"),
    ],
)
def test_irsa_bad_input_creates_nothing(args, field):
    error, created = refused(irsa(**args))
    assert error.field == field
    assert created == []


def test_duplicate_service_accounts_are_refused():
    error, created = refused(
        lambda: ServiceAccountRole("x", {"oidc_provider_arn": PROVIDER_ARN, "service_accounts": ["a:b", "a:b"]})
    )
    assert (error.problem, created) == ("is listed twice", [])


def test_trust_policy_over_quota_is_refused_and_raised_quota_accepted():
    many = [f"namespace-{i:02d}:service-account-{i:02d}" for i in range(40)]

    def program(quota=None):
        args = {"oidc_provider_arn": PROVIDER_ARN, "service_accounts": many, "create_service_account": False}
        if quota:
            args["max_trust_policy_size"] = quota
        return lambda: ServiceAccountRole("big", args)

    error, created = refused(program())
    assert (error.field, created) == ("trust policy", [])
    assert len(run_program(program(8192)).of_type(ROLE)) == 1


def test_auto_named_role_that_would_exceed_64_characters_is_refused():
    error, _ = refused(irsa(name="x" * 60))
    assert error.field == "role_name"


def test_deploy_time_values_are_validated_with_the_same_message():
    def program():
        bad = pulumi.Output.from_input("arn:aws:iam::123456789012:role/not-a-provider")
        ServiceAccountRole("app", {"oidc_provider_arn": bad, "namespace": "apps", "service_account": "api"})

    with pytest.raises(IrsaConfigError) as err:
        run_program(program)
    with pytest.raises(IrsaConfigError) as plain:
        run_program(irsa(oidc_provider_arn="arn:aws:iam::123456789012:role/not-a-provider"))
    assert str(err.value) == str(plain.value)


def test_namespace_as_output_is_validated_at_deploy_time():
    def program():
        ns = pulumi.Output.from_input("Not_Valid")
        ServiceAccountRole("app", {"oidc_provider_arn": PROVIDER_ARN, "namespace": ns, "service_account": "api"})

    with pytest.raises(IrsaConfigError, match="namespace='Not_Valid'"):
        run_program(program)


# ---- PodIdentityAssociation ----------------------------------------------------------------------


def test_pod_identity_creates_narrowed_role_association_and_plain_service_account():
    result = run_program(pod_identity(policy_arns=[S3_READ], tags={"team": "shop"}))
    role = result.one(ROLE)
    assert json.loads(role.inputs["assumeRolePolicy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowEksAuthToAssumeRoleForPodIdentity",
                "Effect": "Allow",
                "Principal": {"Service": "pods.eks.amazonaws.com"},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {
                        "aws:RequestTag/eks-cluster-name": "prod",
                        "aws:RequestTag/kubernetes-namespace": "shop",
                        "aws:RequestTag/kubernetes-service-account": "orders",
                    }
                },
            }
        ],
    }
    association = result.one(ASSOCIATION)
    assert association.name == "orders-association"
    assert association.inputs == {
        "clusterName": "prod",
        "namespace": "shop",
        "serviceAccount": "orders",
        "roleArn": role.outputs["arn"],
        "tags": {"team": "shop"},
    }
    assert result.one(ATTACHMENT).inputs == {"role": role.outputs["name"], "policyArn": S3_READ}
    sa = result.one(SA)
    assert sa.inputs["metadata"] == {"name": "orders", "namespace": "shop"}
    assert_all_policies_valid(result)


def test_pod_identity_outputs():
    def program():
        a = pod_identity()()
        for key in ("role_arn", "association_arn", "association_id", "service_account_name", "namespace"):
            pulumi.export(key, getattr(a, key))

    result = run_program(program)
    association = result.one(ASSOCIATION)
    assert result.outputs == {
        "role_arn": result.one(ROLE).outputs["arn"],
        "association_arn": association.outputs["associationArn"],
        "association_id": association.outputs["associationId"],
        "service_account_name": "orders",
        "namespace": "shop",
    }


def test_existing_role_creates_no_role():
    existing = "arn:aws:iam::123456789012:role/shared"
    result = run_program(pod_identity(role_arn=existing))
    assert result.of_type(ROLE) == []
    assert result.one(ASSOCIATION).inputs["roleArn"] == existing


def test_existing_role_with_role_options_is_refused_not_ignored():
    error, created = refused(pod_identity(role_arn="arn:aws:iam::123456789012:role/shared", policy_arns=[S3_READ]))
    assert (error.field, created) == ("policy_arns", [])
    assert "has no effect" in error.problem


def test_disabled_session_tags_drop_tag_narrowing_and_pass_through():
    result = run_program(pod_identity(disable_session_tags=True))
    statement = json.loads(result.one(ROLE).inputs["assumeRolePolicy"])["Statement"][0]
    assert "Condition" not in statement
    assert result.one(ASSOCIATION).inputs["disableSessionTags"] is True


def test_target_role_is_passed_through_and_the_role_may_assume_it():
    target = "arn:aws:iam::210987654321:role/data-reader"
    result = run_program(pod_identity(target_role_arn=target))
    assert result.one(ASSOCIATION).inputs["targetRoleArn"] == target
    policy = result.one(INLINE)
    assert policy.inputs["name"] == "assume-target-role"
    assert json.loads(policy.inputs["policy"]) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssumeTargetRole",
                "Effect": "Allow",
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Resource": target,
            }
        ],
    }
    assert_all_policies_valid(result)


def test_session_policy_requires_disabled_session_tags():
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    error, created = refused(pod_identity(session_policy=doc))
    assert (error.field, created) == ("session_policy", [])
    result = run_program(pod_identity(session_policy=doc, disable_session_tags=True))
    assert json.loads(result.one(ASSOCIATION).inputs["policy"]) == doc


@pytest.mark.parametrize(
    "args,field",
    [
        ({"cluster_name": None}, "cluster_name"),
        ({"namespace": "Shop"}, "namespace"),
        ({"service_account": "Orders"}, "service_account"),
        ({"role_arn": "arn:aws:iam::123456789012:user/x"}, "role_arn"),
        ({"target_role_arn": "not-an-arn"}, "target_role_arn"),
        ({"service_account_annotations": {"eks.amazonaws.com/role-arn": "x"}}, "service_account_annotations"),
        ({"disable_session_tags": "yes"}, "disable_session_tags"),
    ],
)
def test_pod_identity_bad_input_creates_nothing(args, field):
    error, created = refused(pod_identity(**args))
    assert error.field == field
    assert created == []


# ---- PodIdentityAgent ----------------------------------------------------------------------------


def test_agent_is_the_eks_addon():
    result = run_program(
        lambda: PodIdentityAgent("agent", {"cluster_name": "prod", "addon_version": "v1.3.4-eksbuild.1"})
    )
    addon = result.one("aws:eks/addon:Addon")
    assert addon.name == "agent-addon"
    assert addon.inputs == {
        "clusterName": "prod",
        "addonName": "eks-pod-identity-agent",
        "addonVersion": "v1.3.4-eksbuild.1",
    }


def test_agent_bad_input_creates_nothing():
    error, created = refused(lambda: PodIdentityAgent("agent", {"cluster_name": "prod", "addon_version": "latest"}))
    assert (error.field, created) == ("addon_version", [])


def test_every_component_uses_its_type_token():
    def program():
        ClusterOidcProvider("c", {"issuer_url": ISSUER_HOST, "thumbprints": ["a" * 40]})
        irsa()()
        pod_identity()()
        PodIdentityAgent("agent", {"cluster_name": "prod"})

    types = {r.type for r in run_program(program).resources if not r.custom}
    assert types == {
        "irsa-components:index:ClusterOidcProvider",
        "irsa-components:index:ServiceAccountRole",
        "irsa-components:index:PodIdentityAssociation",
        "irsa-components:index:PodIdentityAgent",
    }


def test_cloud_resources_helper_sees_only_aws_and_kubernetes():
    assert {r.type for r in cloud_resources(run_program(irsa()))} == {ROLE, SA}


def test_a_second_agent_for_the_same_cluster_is_refused():
    def program():
        PodIdentityAgent("agent", {"cluster_name": "prod"})
        PodIdentityAgent("agent-again", {"cluster_name": "prod"})

    mocks = IrsaMocks()
    with pytest.raises(IrsaConfigError) as err:
        run_program(program, mocks=mocks)
    assert (err.value.field, err.value.value) == ("cluster_name", "prod")
    assert "PodIdentityAgent 'agent'" in err.value.problem
    assert [r.name for r in mocks.resources if r.type == "aws:eks/addon:Addon"] == ["agent-addon"]


def test_agents_for_two_clusters_or_two_accounts_are_fine():
    import pulumi_aws as aws

    def program():
        PodIdentityAgent("blue", {"cluster_name": "blue"})
        PodIdentityAgent("green", {"cluster_name": "green"})
        other = aws.Provider("other-account", region="us-east-1")
        PodIdentityAgent("blue-other", {"cluster_name": "blue"}, opts=pulumi.ResourceOptions(provider=other))

    assert len(run_program(program).of_type("aws:eks/addon:Addon")) == 3


def test_each_program_run_starts_with_no_agent_installed():
    run_program(lambda: PodIdentityAgent("agent", {"cluster_name": "prod"}))
    assert (
        len(run_program(lambda: PodIdentityAgent("agent", {"cluster_name": "prod"})).of_type("aws:eks/addon:Addon"))
        == 1
    )


def test_an_invoke_the_mocks_do_not_know_names_its_token_line_and_both_ways_to_answer_it():
    import pulumi_aws as aws

    def program():
        pulumi.export("ami", aws.ec2.get_ami_output(owners=["amazon"], most_recent=True).id)

    line = program.__code__.co_firstlineno + 1
    with pytest.raises(Exception) as err:
        run_program(program)
    message = str(err.value)
    assert "no answer for the data source 'aws:ec2/getAmi:getAmi'" in message
    assert f"(made at {__file__}:{line})" in message
    assert "irsa-components plan PATH --mocks FILE.py" in message
    assert "IrsaMocks(calls={'aws:ec2/getAmi:getAmi': lambda args: {...}})" in message
    mocks = IrsaMocks(calls={"aws:ec2/getAmi:getAmi": lambda args: {"id": "ami-0123456789abcdef0"}})
    assert run_program(program, mocks=mocks).outputs == {"ami": "ami-0123456789abcdef0"}


def test_a_calls_hook_replaces_a_built_in_answer():
    import pulumi_aws as aws

    def program():
        pulumi.export("zone", aws.route53.get_zone_output(name="example.com").zone_id)

    mocks = IrsaMocks(
        calls={"aws:route53/getZone:getZone": lambda args: {"id": "Z1", "zoneId": "Z1", "name": args["name"]}}
    )
    assert run_program(program, mocks=mocks).outputs == {"zone": "Z1"}


def test_an_oidc_provider_of_another_account_is_refused_at_deploy_time():
    foreign = "arn:aws:iam::444455556666:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
    with pytest.raises(IrsaConfigError) as err:
        run_program(irsa(oidc_provider_arn=foreign))
    assert (err.value.field, err.value.value) == ("oidc_provider_arn", foreign)
    assert "create the provider in account 123456789012" in str(err.value)
