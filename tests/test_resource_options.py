"""Which resource options given to a component reach the resources it creates (see docs/versioning.md).

The SDK passes ``protect`` and providers from a parent to its children; ``child_options`` adds
``depends_on``. ``retain_on_delete`` and ``ignore_changes`` stay on the component, where they have no
effect (a component has no cloud state). ``transforms`` travel with the component's registration: the
engine applies them to the component and every descendant, which the mocks cannot show.
"""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s
from conftest import PROVIDER_ARN

from irsa_components import (
    ClusterOidcProvider,
    PodIdentityAgent,
    PodIdentityAssociation,
    ServiceAccountRole,
)
from irsa_components.testing import ProgramResult, RegisteredResource, run_program


def build_all(opts: Callable[[], pulumi.ResourceOptions]) -> None:
    """One of each component, every one given the options ``opts()`` makes."""
    ClusterOidcProvider("oidc", {"cluster_name": "prod"}, opts=opts())
    ServiceAccountRole(
        "irsa",
        {"oidc_provider_arn": PROVIDER_ARN, "namespace": "apps", "service_account": "api", "policy_arns": [S3_READ]},
        opts=opts(),
    )
    PodIdentityAssociation(
        "pod",
        {"cluster_name": "prod", "namespace": "shop", "service_account": "orders", "inline_policies": {"p": DOC}},
        opts=opts(),
    )
    PodIdentityAgent("agent", {"cluster_name": "prod"}, opts=opts())


S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}


def components(result: ProgramResult) -> list[RegisteredResource]:
    return [r for r in result.resources if r.type.startswith("irsa-components:")]


def children(result: ProgramResult) -> list[RegisteredResource]:
    """Every aws: and kubernetes: resource the components created."""
    return [r for r in result.resources if r.type.startswith(("aws:", "kubernetes:"))]


def test_every_component_creates_children_here():
    result = run_program(lambda: build_all(pulumi.ResourceOptions))
    assert {r.parent for r in children(result)} == {c.urn for c in components(result)}


def test_protect_on_a_component_protects_everything_it_creates():
    result = run_program(lambda: build_all(lambda: pulumi.ResourceOptions(protect=True)))
    assert all(r.protect for r in children(result))


def test_providers_on_a_component_are_used_by_every_child_of_their_package():
    def program() -> None:
        eu = aws.Provider("eu", region="eu-west-1")
        prod = k8s.Provider("prod", context="prod")
        build_all(lambda: pulumi.ResourceOptions(providers=[eu, prod]))

    result = run_program(program)
    aws_provider = result.one("pulumi:providers:aws", "eu").urn
    k8s_provider = result.one("pulumi:providers:kubernetes", "prod").urn
    for child in children(result):
        expected = aws_provider if child.type.startswith("aws:") else k8s_provider
        assert (child.provider or "").startswith(f"{expected}::"), child.name


def test_a_single_provider_on_a_component_reaches_the_children_of_its_package_only():
    def program() -> None:
        us = aws.Provider("us", region="us-east-1")
        build_all(lambda: pulumi.ResourceOptions(provider=us))

    result = run_program(program)
    us = result.one("pulumi:providers:aws", "us").urn
    for child in children(result):
        uses_us = (child.provider or "").startswith(f"{us}::")
        assert uses_us is child.type.startswith("aws:"), child.name


def test_depends_on_a_component_is_handed_to_every_child():
    def program() -> None:
        agent = PodIdentityAgent("agent", {"cluster_name": "prod"})
        PodIdentityAssociation(
            "pod",
            {"cluster_name": "prod", "namespace": "shop", "service_account": "orders"},
            opts=pulumi.ResourceOptions(depends_on=[agent]),
        )

    result = run_program(program)
    addon = result.one("aws:eks/addon:Addon").urn  # waiting for a component is waiting for its resources
    association = result.one("irsa-components:index:PodIdentityAssociation", "pod")
    assert all(addon in child.dependencies for child in result.children_of(association))


def test_retain_on_delete_on_a_component_keeps_everything_it_creates():
    result = run_program(lambda: build_all(lambda: pulumi.ResourceOptions(retain_on_delete=True)))
    assert all(c.retain_on_delete for c in components(result))
    assert all(r.retain_on_delete for r in children(result))


def test_children_are_not_retained_unless_asked():
    result = run_program(lambda: build_all(pulumi.ResourceOptions))
    assert not any(r.retain_on_delete for r in result.resources)


def test_ignore_changes_stays_on_the_component():
    result = run_program(lambda: build_all(lambda: pulumi.ResourceOptions(ignore_changes=["tags"])))
    assert all(c.ignore_changes == ["tags"] for c in components(result))
    assert all(r.ignore_changes == [] for r in children(result))


def test_transforms_are_registered_with_the_component_for_the_engine_to_apply_to_its_children():
    def keep(args: pulumi.ResourceTransformArgs) -> pulumi.ResourceTransformResult | None:
        return None

    result = run_program(lambda: build_all(lambda: pulumi.ResourceOptions(transforms=[keep])))
    assert all(c.transforms == 1 for c in components(result))
    assert all(r.transforms == 0 for r in children(result))
