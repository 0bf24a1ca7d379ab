"""Programs that read another stack (``pulumi.StackReference``), as application stacks read their cluster's.

Under ``pulumi up`` the referenced stack already exists, so its outputs are known, in a preview too. Offline the
mocks answer them from ``IrsaMocks(stack_outputs=...)``, config ``irsa:stackOutputs`` or a ``--mocks`` file's
``stack_outputs``; a stack nobody described is an error naming it and those three ways, never a crash inside the
SDK (before this, ``get_output`` failed with ``'NoneType' object has no attribute 'get'``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pulumi
import pytest
from test_plan_cli import plan

import irsa_components as irsa
from irsa_components.testing import (
    IrsaMocks,
    ProjectError,
    UnknownStackReferenceError,
    parse_stack_outputs,
    run_program,
    run_project,
)

PROGRAM = Path(__file__).parent / "programs" / "stack-reference"
STACK = "acme/eks/prod"
HOST = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789"
PROVIDER = f"arn:aws:iam::123456789012:oidc-provider/{HOST}"
OUTPUTS = {"clusterName": "prod", "oidcProviderArn": PROVIDER, "subnets": ["subnet-1", "subnet-2"]}


def reads_the_cluster_stack() -> None:
    cluster = pulumi.StackReference(STACK)
    irsa.ServiceAccountRole(
        "api",
        {
            "oidc_provider_arn": cluster.require_output("oidcProviderArn"),
            "namespace": "apps",
            "service_account": "api",
            "create_service_account": False,
        },
    )
    pulumi.export("cluster", cluster.get_output("clusterName"))
    pulumi.export("subnets", cluster.get_output("subnets"))
    pulumi.export("absent", cluster.get_output("noSuchOutput"))


def trust_of(result: Any) -> dict[str, Any]:
    return dict(json.loads(result.one("aws:iam/role:Role").inputs["assumeRolePolicy"]))


@pytest.mark.parametrize("preview", [False, True])
def test_the_outputs_given_to_the_mocks_are_what_the_program_reads(preview):
    result = run_program(reads_the_cluster_stack, mocks=IrsaMocks(stack_outputs={STACK: OUTPUTS}), preview=preview)
    # The referenced stack exists before this one runs: its outputs are known in a preview too.
    assert result.outputs["cluster"] == "prod"
    assert result.outputs["subnets"] == ["subnet-1", "subnet-2"]
    assert result.outputs["absent"] is None  # get_output of a name the stack does not export, as in Pulumi
    [statement] = trust_of(result)["Statement"]
    assert statement["Principal"] == {"Federated": PROVIDER}
    assert statement["Condition"] == {
        "StringEquals": {f"{HOST}:sub": "system:serviceaccount:apps:api", f"{HOST}:aud": "sts.amazonaws.com"}
    }


def test_config_gives_them_too_and_the_mocks_own_win():
    config = {"irsa:stackOutputs": json.dumps({STACK: OUTPUTS, "acme/other/dev": {"x": 1}})}
    result = run_program(reads_the_cluster_stack, config=config)
    assert result.outputs["cluster"] == "prod"
    mocks = IrsaMocks(stack_outputs={STACK: {**OUTPUTS, "clusterName": "from-the-test"}})
    assert run_program(reads_the_cluster_stack, mocks=mocks, config=config).outputs["cluster"] == "from-the-test"


def test_a_stack_nobody_described_is_an_error_naming_it_and_the_ways_to_describe_it():
    with pytest.raises(UnknownStackReferenceError) as raised:
        run_program(reads_the_cluster_stack, mocks=IrsaMocks(stack_outputs={"acme/eks/dev": OUTPUTS}))
    message = str(raised.value)
    assert f"StackReference '{STACK}' reads the outputs of stack '{STACK}', which the mocks were not given" in message
    assert "(given: acme/eks/dev)" in message
    assert 'irsa:stackOutputs: {"acme/eks/prod": {"outputName": "value"}}' in message
    assert "IrsaMocks(stack_outputs={'acme/eks/prod': {...}})" in message


def test_require_output_of_a_name_the_stack_does_not_export_fails_as_in_pulumi():
    def program() -> None:
        pulumi.export("x", pulumi.StackReference(STACK).require_output("oidcProviderArn"))

    with pytest.raises(Exception, match="oidcProviderArn"):
        run_program(program, mocks=IrsaMocks(stack_outputs={STACK: {"clusterName": "prod"}}))


def test_a_resource_hook_for_stack_references_still_answers_them():
    # The way before stack_outputs existed: a resources hook for the type.
    hook = {"pulumi:pulumi:StackReference": lambda name, inputs: {"outputs": {**OUTPUTS, "clusterName": "hooked"}}}
    result = run_program(reads_the_cluster_stack, mocks=IrsaMocks(resources=hook))
    assert result.outputs["cluster"] == "hooked"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("{not json", "config irsa:stackOutputs is not valid JSON"),
        ('["acme/eks/prod"]', "config irsa:stackOutputs must map each stack name to its outputs"),
        ('{"acme/eks/prod": "arn"}', "config irsa:stackOutputs must map each stack name to its outputs"),
    ],
)
def test_malformed_config_is_refused_with_the_key(value, problem):
    with pytest.raises(ProjectError, match=problem):
        parse_stack_outputs(value)
    with pytest.raises(ProjectError, match=problem):
        run_program(reads_the_cluster_stack, config={"irsa:stackOutputs": value})


def test_plan_reads_them_from_the_stack_file(capsys):
    result = run_project(PROGRAM)
    assert result.outputs["cluster"] == "prod"
    status, out, _ = plan(capsys, PROGRAM, "--format", "json")
    assert status == 0
    assert json.loads(out)["outputs"]["cluster"] == "prod"


def test_plan_names_the_stack_it_cannot_read(capsys):
    status, _, err = plan(capsys, PROGRAM, "--config", "clusterStack=acme/eks/staging")
    assert status == 1
    assert "UnknownStackReferenceError: StackReference 'acme/eks/staging'" in err
    assert "(given: acme/eks/prod)" in err


def test_a_mocks_file_can_give_stack_outputs(capsys, tmp_path):
    (tmp_path / "mocks.py").write_text(f"stack_outputs = {{'acme/eks/staging': {OUTPUTS!r}}}\n")
    status, out, _ = plan(
        capsys,
        PROGRAM,
        "--config",
        "clusterStack=acme/eks/staging",
        "--mocks",
        tmp_path / "mocks.py",
        "--format",
        "json",
    )
    assert status == 0
    assert json.loads(out)["outputs"]["cluster"] == "prod"
    (tmp_path / "bad.py").write_text("stack_outputs = {'acme/eks/staging': 'prod'}\n")
    status, _, err = plan(capsys, PROGRAM, "--mocks", tmp_path / "bad.py")
    assert status == 2
    assert f"--mocks {tmp_path / 'bad.py'}: stack_outputs must map each stack name to its outputs" in err
