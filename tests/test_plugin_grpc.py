"""The component package served over the real Pulumi protocol, as the engine runs it for other languages.

The plugin is started as the Python language host's ``RunPlugin`` starts it (``python <plugin directory>
<engine address>``, in a subprocess, reading the port it prints), then driven over gRPC: ``GetSchema``, and
``Construct`` for every component with a resource monitor and an engine served by this test. The monitor
answers registrations and the TLS/EKS look-ups as ``irsa_components.testing.IrsaMocks`` does and records what
the provider registers, so each component's children, their inputs and parents, and its outputs are compared
with what the same component gives a Python program under the mocks: a TypeScript, Go or YAML program gets
exactly what a Python program gets.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import pulumi
import pytest
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.provider.experimental.util import camel_case
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    provider_pb2,
    provider_pb2_grpc,
    resource_pb2,
    resource_pb2_grpc,
)
from test_schema import TOKEN, kind

import irsa_components
from irsa_components import IrsaConfigError
from irsa_components.component_provider import components
from irsa_components.testing import ROOT_CA_THUMBPRINT, IrsaMocks, run_program

ROOT = Path(__file__).resolve().parent.parent
PROJECT, STACK = "project", "dev"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
PROVIDER_ARN = (
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
)
ENGINE_FEATURES = {"secrets", "resourceReferences", "outputValues", "deletedWith", "aliasSpecs"}
"""What this monitor says yes to in SupportsFeature (a subset of what the engine supports)."""
START_TIMEOUT = 60.0
CALL_TIMEOUT = 30.0

# Signatures of the special objects in a property Struct (pulumi sdk/go/common/resource/sig).
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


# ---- property values as plain data --------------------------------------------------------------


def plain(value: Any) -> Any:
    """A decoded property value with secrets, output values and resource references reduced to their value, no
    nulls, and whole floats (JSON has one number type) back to ints, so wire and Python records compare equal."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == SECRET_SIG:
            return plain(value["value"])
        if sig == OUTPUT_VALUE_SIG:
            return plain(value["value"]) if "value" in value else UNKNOWN
        if sig == RESOURCE_REFERENCE_SIG:
            return value["urn"]
        # Nulls inside objects are dropped, as the SDK's own decoder (which the Python records use) drops them.
        return {k: plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return dict(plain(json_format.MessageToDict(struct)))


def to_struct(value: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(value)
    return struct


# ---- the monitor and the engine the provider talks to --------------------------------------------


@dataclass
class Registration:
    """One RegisterResource call the provider made, as the monitor received it."""

    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    dependencies: list[str]
    outputs: dict[str, Any] = field(default_factory=dict)
    """What the monitor answered for a custom resource; what RegisterResourceOutputs set for a component."""


class RecordingMonitor(resource_pb2_grpc.ResourceMonitorServicer):
    """A resource monitor answering as ``IrsaMocks`` does, recording every registration and invoke."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self, *, preview: bool = False) -> None:
        with self.lock:
            self.preview = preview
            self.mocks = IrsaMocks()
            self.registrations: list[Registration] = []
            self.features: set[str] = set()

    def urn(self, parent: str, type_: str, name: str) -> str:
        if parent:
            type_ = parent.split("::")[2].split("$")[-1] + "$" + type_
        return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"

    def GetDeploymentInfo(self, request: Any, context: Any) -> Any:
        # As an engine older than GetDeploymentInfo: the SDK then asks SupportsFeature, feature by feature.
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "GetDeploymentInfo")

    def SupportsFeature(self, request: Any, context: Any) -> Any:
        with self.lock:
            self.features.add(request.id)
        return resource_pb2.SupportsFeatureResponse(hasSupport=request.id in ENGINE_FEATURES)

    def RegisterResource(self, request: Any, context: Any) -> Any:
        inputs = from_struct(request.object)
        urn = self.urn(request.parent, request.type, request.name)
        resource_id, state = "", {}
        if request.custom:
            args = MockResourceArgs(request.type, request.name, inputs, request.provider, request.importId, True)
            found_id, state = self.mocks.new_resource(args)
            resource_id = found_id or ""
            if self.preview:
                # As a preview: what the provider computes on create is unknown (its auto-name is known).
                state = {k: v if k in inputs or k == "name" else UNKNOWN for k, v in state.items()}
                resource_id = ""
        registration = Registration(
            urn, request.type, request.name, request.parent, request.custom, inputs, list(request.dependencies), state
        )
        with self.lock:
            self.registrations.append(registration)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=to_struct(state))

    def RegisterResourceOutputs(self, request: Any, context: Any) -> Any:
        with self.lock:
            for registration in self.registrations:
                if registration.urn == request.urn:
                    registration.outputs = from_struct(request.outputs)
        return empty_pb2.Empty()

    def Invoke(self, request: Any, context: Any) -> Any:
        result = self.mocks.call(MockCallArgs(request.tok, from_struct(request.args), request.provider))
        return resource_pb2.ResourceInvokeResponse(**{"return": to_struct(result)})


class RecordingEngine(engine_pb2_grpc.EngineServicer):
    """The engine's logging and root-resource service."""

    def __init__(self) -> None:
        self.logs: list[str] = []

    def Log(self, request: Any, context: Any) -> Any:
        self.logs.append(request.message)
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.GetRootResourceResponse(urn=STACK_URN)

    def SetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.SetRootResourceResponse()


@dataclass
class Plugin:
    """The running plugin, its client and the services it talks to."""

    process: subprocess.Popen[bytes]
    provider: provider_pb2_grpc.ResourceProviderStub
    monitor: RecordingMonitor
    monitor_address: str

    def construct(
        self,
        token: str,
        name: str,
        inputs: dict[str, Any],
        *,
        preview: bool = False,
        dependencies: dict[str, list[str]] | None = None,
    ) -> provider_pb2.ConstructResponse:
        """Construct as the engine sends it; ``dependencies``: the URNs each input's value comes from."""
        self.monitor.reset(preview=preview)
        request = provider_pb2.ConstructRequest(
            project=PROJECT,
            stack=STACK,
            organization="organization",
            dryRun=preview,
            parallel=4,
            monitorEndpoint=self.monitor_address,
            type=token,
            name=name,
            parent=STACK_URN,
            inputs=to_struct(inputs),
            accepts_output_values=True,
            inputDependencies={
                key: provider_pb2.ConstructRequest.PropertyDependencies(urns=urns)
                for key, urns in (dependencies or {}).items()
            },
        )
        response: provider_pb2.ConstructResponse = self.provider.Construct(request, timeout=CALL_TIMEOUT)
        return response


def read_port(process: subprocess.Popen[bytes]) -> int:
    """The port the plugin prints on its first line of standard output, as the engine reads it."""
    lines: list[bytes] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline() if process.stdout else b""))
    reader.start()
    reader.join(START_TIMEOUT)
    if not lines or not lines[0].strip().isdigit():
        process.kill()
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise AssertionError(f"the plugin printed no port within {START_TIMEOUT}s: {lines!r}\n{stderr}")
    return int(lines[0])


@pytest.fixture(scope="module")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plugin]:
    services = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    monitor, engine = RecordingMonitor(), RecordingEngine()
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(monitor, services)
    engine_pb2_grpc.add_EngineServicer_to_server(engine, services)
    port = services.add_insecure_port("127.0.0.1:0")
    services.start()
    # As the language host runs a plugin: `python <plugin directory> <engine address>`, from the program's directory.
    process = subprocess.Popen(
        [sys.executable, str(ROOT), f"127.0.0.1:{port}"],
        cwd=tmp_path_factory.mktemp("program"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        channel = grpc.insecure_channel(f"127.0.0.1:{read_port(process)}")
        yield Plugin(process, provider_pb2_grpc.ResourceProviderStub(channel), monitor, f"127.0.0.1:{port}")
        channel.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        services.stop(grace=None)


@pytest.fixture(scope="module")
def wire_schema(plugin: Plugin) -> dict[str, Any]:
    response = plugin.provider.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=CALL_TIMEOUT)
    return dict(json.loads(response.schema))


# ---- GetSchema ----------------------------------------------------------------------------------


def differences(left: Any, right: Any, path: str = "") -> list[str]:
    """Where two JSON documents differ, as ``path: left != right`` lines (a readable failure for big schemas)."""
    if isinstance(left, dict) and isinstance(right, dict):
        return [
            line
            for key in sorted(set(left) | set(right))
            for line in differences(left.get(key, "<absent>"), right.get(key, "<absent>"), f"{path}/{key}")
        ]
    if isinstance(left, list) and isinstance(right, list) and len(left) == len(right):
        return [
            line for i, (a, b) in enumerate(zip(left, right, strict=True)) for line in differences(a, b, f"{path}/{i}")
        ]
    return [] if left == right else [f"{path}: {left!r:.200} != {right!r:.200}"]


def test_get_schema_over_grpc_is_the_schema_the_python_tests_check(wire_schema):
    from irsa_components.component_provider import schema

    local = schema()
    assert wire_schema == local, "served (left) and in-process (right) schemas differ:\n" + "\n".join(
        differences(wire_schema, local)[:40]
    )


@pytest.mark.parametrize(
    "check",
    [
        "test_the_package_serves_every_exported_component",
        "test_each_component_is_described",
        "test_inputs_are_the_camel_case_names_of_the_python_args",
        "test_every_input_and_output_is_typed_and_described",
        "test_required_inputs_are_the_ones_without_which_a_component_cannot_exist",
        "test_input_types_of_the_service_account_role",
        "test_outputs_are_typed_and_always_set",
        "test_addon_policy_args_offer_exactly_the_options_of_the_presets",
        "test_the_yaml_example_uses_only_resources_inputs_and_outputs_of_the_schema",
    ],
)
def test_the_schema_served_over_grpc_passes_the_schema_tests(wire_schema, check):
    import test_schema

    getattr(test_schema, check)(wire_schema)


def test_plugin_info_reports_the_package_version(plugin):
    from irsa_components.component_provider import package_version

    info = plugin.provider.GetPluginInfo(empty_pb2.Empty(), timeout=CALL_TIMEOUT)
    assert info.version == package_version()


# ---- Construct, for every component ------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One component constructed over the wire and in Python, with what its children must be."""

    component: str
    name: str
    args: dict[str, Any]
    """The Python args (snake_case); sent over the wire with the schema's camelCase names."""
    children: dict[str, int]
    """How many children of each type the component registers."""
    check: Callable[[list[Registration], dict[str, Any]], None] = lambda children, outputs: None
    """Assertions of the Python-level tests on the children (by type) and outputs."""


def one(children: list[Registration], type_: str) -> Registration:
    found = [c for c in children if c.type == type_]
    assert len(found) == 1, f"expected one {type_}, got {[c.name for c in found]}"
    return found[0]


def check_oidc_provider(children: list[Registration], outputs: dict[str, Any]) -> None:
    provider = one(children, "aws:iam/openIdConnectProvider:OpenIdConnectProvider")
    assert provider.inputs["thumbprintLists"] == [ROOT_CA_THUMBPRINT]
    assert provider.inputs["clientIdLists"] == ["sts.amazonaws.com"]
    assert outputs["arn"] == provider.outputs["arn"]
    assert outputs["url"] == provider.inputs["url"].removeprefix("https://")


def check_service_account_role(children: list[Registration], outputs: dict[str, Any]) -> None:
    role = one(children, "aws:iam/role:Role")
    trust = json.loads(role.inputs["assumeRolePolicy"])
    host = PROVIDER_ARN.split("oidc-provider/", 1)[1]
    assert trust["Statement"][0]["Condition"]["StringEquals"] == {
        f"{host}:sub": "system:serviceaccount:apps:api",
        f"{host}:aud": "sts.amazonaws.com",
    }
    assert role.inputs["maxSessionDuration"] == 7200
    sa = one(children, "kubernetes:core/v1:ServiceAccount")
    assert sa.inputs["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": role.outputs["arn"]}
    assert one(children, "aws:iam/rolePolicy:RolePolicy").inputs["name"] == "read"
    assert outputs["roleArn"] == role.outputs["arn"]
    assert outputs["serviceAccounts"] == ["apps:api"]


def check_pod_identity_association(children: list[Registration], outputs: dict[str, Any]) -> None:
    role = one(children, "aws:iam/role:Role")
    association = one(children, "aws:eks/podIdentityAssociation:PodIdentityAssociation")
    assert association.inputs == {
        "clusterName": "prod",
        "namespace": "shop",
        "serviceAccount": "orders",
        "roleArn": role.outputs["arn"],
        "tags": {"team": "shop"},
    }
    assert "eks.amazonaws.com/role-arn" not in (one(children, "kubernetes:core/v1:ServiceAccount").inputs["metadata"])
    assert outputs["associationArn"] == association.outputs["associationArn"]


def check_agent(children: list[Registration], outputs: dict[str, Any]) -> None:
    addon = one(children, "aws:eks/addon:Addon")
    assert addon.inputs == {"clusterName": "prod", "addonName": "eks-pod-identity-agent"}
    assert outputs["addonArn"] == addon.outputs["arn"]


def check_cross_account(children: list[Registration], outputs: dict[str, Any]) -> None:
    trust = json.loads(one(children, "aws:iam/role:Role").inputs["assumeRolePolicy"])
    assert "arn:aws:iam::111122223333:role/orders-pod-identity" in json.dumps(trust)


def check_pod_identity_role(children: list[Registration], outputs: dict[str, Any]) -> None:
    role = one(children, "aws:iam/role:Role")
    trust = json.loads(role.inputs["assumeRolePolicy"])
    assert [s["Condition"]["StringEquals"]["aws:RequestTag/eks-cluster-name"] for s in trust["Statement"]] == [
        "prod",
        "stage",
    ]
    assert set(outputs["associations"]) == {"prod/apps/api", "stage/apps/api"}


def check_managed_addon(children: list[Registration], outputs: dict[str, Any]) -> None:
    addon = one(children, "aws:eks/addon:Addon")
    assert addon.inputs["podIdentityAssociations"] == [
        {"roleArn": one(children, "aws:iam/role:Role").outputs["arn"], "serviceAccount": "ebs-csi-controller-sa"}
    ]
    assert outputs["serviceAccount"] == "ebs-csi-controller-sa"


S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
READ_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}

CASES = [
    Case(
        "ClusterOidcProvider",
        "prod-oidc",
        {"cluster_name": "prod"},
        {"aws:iam/openIdConnectProvider:OpenIdConnectProvider": 1},
        check_oidc_provider,
    ),
    Case(
        "ServiceAccountRole",
        "api",
        {
            "oidc_provider_arn": PROVIDER_ARN,
            "namespace": "apps",
            "service_account": "api",
            "policy_arns": [S3_READ],
            "inline_policies": {"read": READ_DOC},
            "addon_policies": [{"preset": "external-dns", "hosted_zone_arns": ["arn:aws:route53:::hostedzone/Z1"]}],
            "max_session_duration": 7200,
            "tags": {"team": "apps"},
        },
        {
            "aws:iam/role:Role": 1,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
            "aws:iam/rolePolicy:RolePolicy": 1,
            "aws:iam/policy:Policy": 1,
            "kubernetes:core/v1:ServiceAccount": 1,
        },
        check_service_account_role,
    ),
    Case(
        "PodIdentityAssociation",
        "orders",
        {
            "cluster_name": "prod",
            "namespace": "shop",
            "service_account": "orders",
            "policy_arns": [S3_READ],
            "tags": {"team": "shop"},
        },
        {
            "aws:iam/role:Role": 1,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
            "aws:eks/podIdentityAssociation:PodIdentityAssociation": 1,
            "kubernetes:core/v1:ServiceAccount": 1,
        },
        check_pod_identity_association,
    ),
    Case("PodIdentityAgent", "agent", {"cluster_name": "prod"}, {"aws:eks/addon:Addon": 1}, check_agent),
    Case(
        "CrossAccountTargetRole",
        "data-reader",
        {
            "pod_identity_role_arn": "arn:aws:iam::111122223333:role/orders-pod-identity",
            "cluster_name": "prod",
            "namespace": "shop",
            "service_account": "orders",
            "role_name": "orders-data-reader",
            "policy_arns": [S3_READ],
        },
        {"aws:iam/role:Role": 1, "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1},
        check_cross_account,
    ),
    Case(
        "PodIdentityRole",
        "shared",
        {
            "associations": [
                {"cluster_name": "prod", "namespace": "apps", "service_account": "api"},
                {"cluster_name": "stage", "namespace": "apps", "service_account": "api"},
            ],
            "policy_arns": [S3_READ],
        },
        {
            "aws:iam/role:Role": 1,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
            "aws:eks/podIdentityAssociation:PodIdentityAssociation": 2,
        },
        check_pod_identity_role,
    ),
    Case(
        "ManagedAddon",
        "ebs",
        {"cluster_name": "prod", "addon_name": "aws-ebs-csi-driver"},
        {
            "aws:iam/role:Role": 1,
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
            "aws:iam/policy:Policy": 1,
            "aws:eks/addon:Addon": 1,
        },
        check_managed_addon,
    ),
]

NESTED_ARGS = {"addon_policies", "associations"}
"""Args whose items are TypedDicts of the schema (their keys are camelCased too); other maps keep their keys."""


def wire_inputs(args: dict[str, Any]) -> dict[str, Any]:
    """The inputs another language's SDK sends for ``args``: the schema's camelCase names."""
    return {
        camel_case(key): [{camel_case(k): v for k, v in item.items()} for item in value]
        if key in NESTED_ARGS
        else value
        for key, value in args.items()
    }


@dataclass
class PythonRun:
    """What a Python program constructing the component registers, in the monitor's terms."""

    registrations: list[Registration]
    outputs: dict[str, Any]


def output_names(component: type[pulumi.ComponentResource]) -> list[str]:
    return [name for name, hint in inspect.get_annotations(component).items() if "Output" in str(hint)]


def run_in_python(case: Case) -> PythonRun:
    component = getattr(irsa_components, case.component)

    def program() -> None:
        instance = component(case.name, case.args)
        pulumi.export("state", {camel_case(name): getattr(instance, name) for name in output_names(component)})

    result = run_program(program, project=PROJECT, stack=STACK)
    registrations = [
        Registration(r.urn, r.type, r.name, r.parent or "", r.custom, plain(r.inputs), [], plain(r.outputs))
        for r in result.resources
    ]
    return PythonRun(registrations, plain(result.outputs["state"]))


def parsed_documents(value: Any) -> Any:
    """``value`` with JSON documents held as text (policies) parsed: a Struct does not keep an object's key order,
    so a policy given as an object reaches the component with its keys in another order (same document)."""
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    if isinstance(value, dict):
        return {k: parsed_documents(v) for k, v in value.items()}
    if isinstance(value, list):
        return [parsed_documents(v) for v in value]
    return value


def shape(registrations: list[Registration]) -> list[tuple[str, str, str, bool, str]]:
    """Each registration's type, name, parent, kind and inputs, in a stable order."""
    return sorted(
        (r.type, r.name, r.parent, r.custom, json.dumps(parsed_documents(r.inputs), sort_keys=True) if r.custom else "")
        for r in registrations
    )


def test_every_component_has_a_construct_case():
    assert sorted(c.__name__ for c in components()) == sorted(case.component for case in CASES)


@pytest.fixture(scope="module", params=CASES, ids=lambda case: case.component)
def constructed(request: pytest.FixtureRequest, plugin: Plugin) -> tuple[Case, provider_pb2.ConstructResponse, list]:
    case: Case = request.param
    response = plugin.construct(TOKEN + case.component, case.name, wire_inputs(case.args))
    return case, response, list(plugin.monitor.registrations)


def test_construct_registers_the_component_under_the_stack(constructed):
    case, response, registrations = constructed
    component = [r for r in registrations if not r.custom]
    assert [(r.type, r.name, r.parent, r.urn) for r in component] == [
        (TOKEN + case.component, case.name, STACK_URN, response.urn)
    ]


def test_construct_registers_the_expected_children_parented_to_the_component(constructed):
    case, response, registrations = constructed
    children = [r for r in registrations if r.custom]
    assert all(r.parent == response.urn for r in children)
    counts: dict[str, int] = {}
    for child in children:
        counts[child.type] = counts.get(child.type, 0) + 1
    assert counts == case.children
    assert all(r.name.startswith(f"{case.name}-") for r in children)


def test_construct_children_are_those_a_python_program_gets(constructed):
    case, _, registrations = constructed
    assert shape(registrations) == shape(run_in_python(case).registrations)


def test_construct_outputs_are_those_a_python_program_gets(constructed, wire_schema):
    case, response, registrations = constructed
    outputs = from_struct(response.state)
    python = run_in_python(case)
    assert outputs == python.outputs
    declared = wire_schema["resources"][TOKEN + case.component]["properties"]
    assert set(outputs) == set(declared)
    strings = [name for name, prop in declared.items() if kind(prop) == "string"]
    assert all(isinstance(outputs[name], str) for name in strings)
    component = next(r for r in registrations if not r.custom)
    # Components register their outputs under their Python names (issuer_url): the values must be the same.
    assert {camel_case(k): v for k, v in component.outputs.items()} == outputs


def test_construct_satisfies_the_python_level_assertions(constructed):
    case, response, registrations = constructed
    case.check([r for r in registrations if r.custom], from_struct(response.state))


def test_the_oidc_provider_looks_up_the_cluster_and_its_certificate_through_the_monitor(plugin):
    plugin.construct(TOKEN + "ClusterOidcProvider", "prod-oidc", {"clusterName": "prod"})
    tokens = [invoke.token for invoke in plugin.monitor.mocks.invokes]
    assert tokens == ["aws:eks/getCluster:getCluster", "tls:index/getCertificate:getCertificate"]
    assert {"secrets", "resourceReferences"} <= plugin.monitor.features


def test_construct_in_a_preview_with_an_input_unknown_until_apply(plugin):
    """`pulumi preview` of a YAML program whose provider ARN comes from a resource not created yet: the engine
    sends the unknown value with the resource it comes from."""
    inputs = {"oidcProviderArn": UNKNOWN, "namespace": "apps", "serviceAccount": "api"}
    provider_urn = f"urn:pulumi:{STACK}::{PROJECT}::{TOKEN}ClusterOidcProvider::cluster-oidc"
    response = plugin.construct(
        TOKEN + "ServiceAccountRole", "api", inputs, preview=True, dependencies={"oidcProviderArn": [provider_urn]}
    )
    children = [r for r in plugin.monitor.registrations if r.custom]
    role = one(children, "aws:iam/role:Role")
    assert role.inputs["assumeRolePolicy"] == UNKNOWN
    assert provider_urn in role.dependencies, "the role waits for the provider it is trusted through"
    annotations = one(children, "kubernetes:core/v1:ServiceAccount").inputs["metadata"]["annotations"]
    assert annotations == {"eks.amazonaws.com/role-arn": UNKNOWN}
    outputs = from_struct(response.state)
    assert outputs["roleArn"] == UNKNOWN
    assert outputs["serviceAccounts"] == ["apps:api"]


# ---- errors -------------------------------------------------------------------------------------


def python_error(component: str, args: dict[str, Any]) -> IrsaConfigError:
    with pytest.raises(IrsaConfigError) as error:
        run_program(lambda: getattr(irsa_components, component)("bad", args))
    return error.value


@pytest.mark.parametrize(
    ("component", "args"),
    [
        ("ServiceAccountRole", {"oidc_provider_arn": PROVIDER_ARN, "namespace": "Bad_NS", "service_account": "api"}),
        ("PodIdentityAgent", {"cluster_name": "prod", "addon_version": "latest"}),
    ],
    ids=["namespace", "addon-version"],
)
def test_a_bad_input_returns_the_config_error_to_the_caller_and_creates_nothing(plugin, component, args):
    expected = python_error(component, args)
    with pytest.raises(grpc.RpcError) as error:
        plugin.construct(TOKEN + component, "bad", wire_inputs(args))
    assert error.value.code() == grpc.StatusCode.UNKNOWN
    assert str(expected) in (error.value.details() or "")
    assert [r for r in plugin.monitor.registrations if r.custom] == []
    assert plugin.process.poll() is None, "the provider must survive a bad input"
    schema = plugin.provider.GetSchema(provider_pb2.GetSchemaRequest(version=0), timeout=CALL_TIMEOUT)
    assert json.loads(schema.schema)["name"] == "irsa-components"


def test_a_missing_required_input_names_it(plugin):
    with pytest.raises(grpc.RpcError) as error:
        plugin.construct(TOKEN + "PodIdentityAgent", "agent", {})
    assert "clusterName" in (error.value.details() or "") or "clusterName" in str(error.value.trailing_metadata())
    assert plugin.process.poll() is None


# ---- examples/yaml against the served schema ----------------------------------------------------

YAML_CONFIG_TYPES = {"string": "string", "integer": "integer", "boolean": "boolean"}


def type_errors(value: Any, prop: dict[str, Any], spec: dict[str, Any], refs: dict[str, str], where: str) -> list[str]:
    """Where ``value`` (a Pulumi YAML property value) does not have the type ``prop`` declares."""
    whole = re.fullmatch(r"\$\{([^}]+)\}", value) if isinstance(value, str) else None
    if whole:
        expected = kind(prop)
        return [] if refs.get(whole[1]) in (expected, None) else [f"{where}: ${{{whole[1]}}} is a {refs.get(whole[1])}"]
    if "$ref" in prop:
        ref = prop["$ref"]
        if ref == "pulumi.json#/Any":
            return []
        typ = spec["types"][ref.removeprefix("#/types/")]
        if not isinstance(value, dict):
            return [f"{where}: expected an object of {ref}"]
        errors = [f"{where}.{k}: not a property of {ref}" for k in value if k not in typ["properties"]]
        errors += [f"{where}: {k} is required" for k in typ.get("required", []) if k not in value]
        for k, v in value.items():
            if k in typ["properties"]:
                errors += type_errors(v, typ["properties"][k], spec, refs, f"{where}.{k}")
        return errors
    checks: dict[str, Callable[[Any], bool]] = {
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "array": lambda v: isinstance(v, list),
        "object": lambda v: isinstance(v, dict),
    }
    if not checks[prop["type"]](value):
        return [f"{where}: {value!r} is not a {prop['type']}"]
    if prop["type"] == "array":
        return [e for i, v in enumerate(value) for e in type_errors(v, prop["items"], spec, refs, f"{where}[{i}]")]
    if prop["type"] == "object":
        item = prop["additionalProperties"]
        return [e for k, v in value.items() for e in type_errors(v, item, spec, refs, f"{where}.{k}")]
    return []


def test_the_yaml_example_gives_every_property_the_type_the_served_schema_declares(wire_schema):
    program = yaml.safe_load((ROOT / "examples/yaml/Pulumi.yaml").read_text())
    refs = {name: YAML_CONFIG_TYPES[option["type"]] for name, option in program["config"].items()}
    for name, resource in program["resources"].items():
        for output, prop in wire_schema["resources"][resource["type"]]["properties"].items():
            refs[f"{name}.{output}"] = kind(prop)
    errors = []
    for name, resource in program["resources"].items():
        inputs = wire_schema["resources"][resource["type"]]["inputProperties"]
        for key, value in resource.get("properties", {}).items():
            assert key in inputs, f"{name}: {resource['type']} has no input {key}"
            errors += type_errors(value, inputs[key], wire_schema, refs, f"{name}.{key}")
    assert errors == []


def test_the_yaml_type_check_catches_a_wrong_type(wire_schema):
    inputs = wire_schema["resources"][TOKEN + "ServiceAccountRole"]["inputProperties"]
    refs = {"cluster-oidc.thumbprints": "array<string>"}
    assert type_errors("7200", inputs["maxSessionDuration"], wire_schema, refs, "x") != []
    assert type_errors("${cluster-oidc.thumbprints}", inputs["oidcProviderArn"], wire_schema, refs, "x") != []
    assert type_errors([{"kmsKeyArns": []}], inputs["addonPolicies"], wire_schema, refs, "x") != []
    assert type_errors({"a": {"b": 1}}, inputs["inlinePolicies"], wire_schema, refs, "x") == []
