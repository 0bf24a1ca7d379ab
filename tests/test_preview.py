"""Every component runs under `preview=True` (as `pulumi preview`: computed outputs unknown) without error."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pytest

import irsa_components as irsa
from irsa_components.cross_account import CrossAccountTargetRole
from irsa_components.review.report import UNKNOWN, build_report
from irsa_components.testing import run_program


def _oidc_then_role() -> None:
    oidc = irsa.ClusterOidcProvider("oidc", {"cluster_name": "prod"})
    irsa.ServiceAccountRole(
        "api",
        {
            "oidc_provider_arn": oidc.arn,
            "namespace": "apps",
            "service_account": "api",
            "addon_policies": [{"preset": "ebs-csi-driver", "kms_key_arns": [aws.kms.Key("k").arn]}],
        },
    )


def _every_mode_and_option() -> None:
    agent = irsa.PodIdentityAgent("agent", {"cluster_name": "prod"})
    cluster = aws.eks.Cluster("c", role_arn="arn:aws:iam::123456789012:role/eks", vpc_config={"subnet_ids": ["s-1"]})
    oidc = irsa.ClusterOidcProvider("oidc", {"issuer_url": cluster.identities[0].oidcs[0].issuer})
    for mode in ("irsa", "both", "pod-identity"):
        irsa.ServiceAccountRole(
            f"r-{mode}",
            {
                "oidc_provider_arn": oidc.arn,
                "namespace": "apps",
                "service_account": f"sa-{mode}",
                "mode": mode,
                "pod_identity": {"cluster_name": cluster.name},
            },
            opts=pulumi.ResourceOptions(depends_on=[agent]),
        )
    target = CrossAccountTargetRole(
        "target",
        {
            "pod_identity_role_arn": "arn:aws:iam::111122223333:role/orders-pod-identity",
            "cluster_name": "prod",
            "namespace": "shop",
            "service_account": "orders",
            "role_name": "orders-target",
        },
    )
    irsa.PodIdentityAssociation(
        "orders",
        {
            "cluster_name": cluster.name,
            "namespace": "shop",
            "service_account": "orders",
            "target_role_arn": target.role_arn,
        },
    )
    irsa.PodIdentityAssociation(
        "untagged",
        {"cluster_name": "prod", "namespace": "shop", "service_account": "batch", "disable_session_tags": True},
    )


@pytest.mark.parametrize("program", [_oidc_then_role, _every_mode_and_option], ids=lambda p: p.__name__.strip("_"))
def test_components_run_as_a_preview_and_as_an_update(program):
    previewed = run_program(program, preview=True)
    applied = run_program(program)
    assert [r.urn for r in previewed.resources] == [r.urn for r in applied.resources]
    report = build_report(previewed)
    assert report["preview"] is True and report["unknowns"]


def test_a_role_arn_is_unknown_in_a_preview_and_shown_as_such():
    result = run_program(_oidc_then_role, preview=True)
    role = result.one("aws:iam/role:Role")
    assert role.is_unknown("arn") and "arn" not in role.outputs
    assert build_report(result)["roles"][0]["arn"] is UNKNOWN


def test_a_service_account_annotated_with_a_role_not_yet_created_uses_irsa_in_a_preview():
    previewed = build_report(run_program(_oidc_then_role, preview=True))["service_account_modes"]
    applied = build_report(run_program(_oidc_then_role))["service_account_modes"]
    assert [(m["mode"], m["role_arn"], m["admitted"]) for m in previewed] == [("irsa", None, "after-apply")]
    assert [(m["mode"], m["admitted"]) for m in applied] == [("irsa", "yes")]
