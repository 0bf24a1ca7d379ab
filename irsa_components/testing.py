"""Run Pulumi programs offline under mocks that answer any resource and the common data sources.

Use it in your own unit tests::

    from irsa_components.testing import run_program, run_project

    def test_my_role():
        result = run_program(my_stack.build)              # a function that declares resources
        role = result.one("aws:iam/role:Role")
        assert "system:serviceaccount:apps:api" in role.inputs["assumeRolePolicy"]

    def test_my_project():
        result = run_project("infra", stack="prod")       # a folder with Pulumi.yaml, exactly as `plan` runs it

``IrsaMocks`` gives every ``aws:`` resource realistic computed outputs (ID, ARN in the service's format, auto-name:
``irsa_components.mock_resources``), every Kubernetes object a name, namespace and uid, answers the common data
sources (``irsa_components.mock_invokes``; ``aws.iam.get_policy_document`` is computed, not faked) and records every
registered resource, with its parent and dependencies, and every invoke. ``preview=True`` runs as ``pulumi preview``
does: computed outputs of the resources being created are unknown. Each run gets a fresh event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import importlib
import json
import keyword
import os
import runpy
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.output import Unknown
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from irsa_components import errors
from irsa_components.errors import IrsaConfigError
from irsa_components.mock_invokes import INVOKE_ANSWERS, InvokeContext
from irsa_components.mock_resources import (
    ARN_FORMAT_BY_TYPE,
    Context,
    autoname,
    default_issuer,
    digest,
    kubernetes_outputs,
    resource_outputs,
)

STACK_TYPE = "pulumi:pulumi:Stack"
DEFAULT_ACCOUNT = "123456789012"
DEFAULT_REGION = "eu-west-1"
ACCOUNT_CONFIG_KEY = "irsa:account"
"""Config key of the mocks' AWS account ID (``--account`` on the command line); the region is ``aws:region``."""
STACK_OUTPUTS_CONFIG_KEY = "irsa:stackOutputs"
"""Config key of the outputs of the stacks the program reads with ``pulumi.StackReference`` (stack name -> outputs)."""
STACK_REFERENCE = "pulumi:pulumi:StackReference"
TLS_CERTIFICATE = "tls:index/getCertificate:getCertificate"

# A realistic EKS issuer chain, root first as pulumi-tls returns it. Values are made up.
ROOT_CA_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
INTERMEDIATE_CA_THUMBPRINT = "06b25927c42a721631c1efd9431e648fa62e1e39"
LEAF_THUMBPRINT = "5c8e1a9b2f70d4c3e6b19a0f7d2c4e8b1a3f5d70"

_LIBRARY_DIRS = tuple(
    str(Path(m.__file__).resolve().parent) + os.sep
    for m in (pulumi, sys.modules[__name__.rsplit(".", 1)[0]])
    if m.__file__
)


def _digest(*parts: str, length: int = 32) -> str:
    return digest(*parts, length=length)


CallHook = Callable[[dict[str, Any]], dict[str, Any]]
"""Answers one invoke: the args (camelCase keys) -> the result."""
ResourceHook = Callable[[str, dict[str, Any]], dict[str, Any]]
"""Adds outputs for one resource type: (logical name, inputs) -> outputs merged over the computed ones
(an ``"id"`` key sets the ID)."""


class UnmockedInvokeError(LookupError):
    """The program made an invoke the mocks have no answer for."""

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.location = location
        """``file:line`` of the program line that made the invoke, when known."""


class UnknownStackReferenceError(LookupError):
    """The program reads a stack (``pulumi.StackReference``) whose outputs the mocks were not given."""


class ProgramFailure(Exception):
    """The program itself stopped: ``sys.exit``, ``SystemExit``, ``KeyboardInterrupt`` or a timeout."""


class ProgramTimeout(BaseException):
    """Raised into a program that runs longer than its timeout (a BaseException, so ``except Exception`` in the
    program cannot swallow it)."""


class ProjectError(Exception):
    """The folder is not a runnable Pulumi Python program, or its project/stack files are invalid."""


def parse_stack_outputs(value: Any, source: str = f"config {STACK_OUTPUTS_CONFIG_KEY}") -> dict[str, dict[str, Any]]:
    """Stack name -> outputs, from config ``irsa:stackOutputs`` (JSON text, as Pulumi passes structured config)
    or a ``--mocks`` file's ``stack_outputs`` dict; ``source`` names it in errors."""
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError as exc:
        raise ProjectError(f"{source} is not valid JSON: {exc}") from None
    if not isinstance(parsed, Mapping) or not all(isinstance(v, Mapping) for v in parsed.values()):
        raise ProjectError(
            f"{source} must map each stack name to its outputs, e.g. "
            '{"acme/eks/prod": {"oidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/..."}}; got '
            f"{value!r:.200}"
        )
    return {str(stack): dict(outputs) for stack, outputs in parsed.items()}


@dataclass
class RecordedAlias:
    """An alias a registration declared: a whole URN, or the parts of the old identity that differ."""

    urn: str = ""
    name: str = ""
    type: str = ""
    parent_urn: str = ""
    no_parent: bool = False


@dataclass
class RegisteredResource:
    """One resource the program registered, as the engine would have received it."""

    urn: str
    type: str
    name: str
    inputs: dict[str, Any]
    """Inputs with the provider's camelCase keys (``assumeRolePolicy``, ``clientIdLists``); unknown values are None."""
    outputs: dict[str, Any]
    parent: str | None
    """URN of the parent resource (None for the stack itself)."""
    custom: bool
    """False for component resources."""
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    provider: str | None = None
    id: str | None = None
    protect: bool = False
    retain_on_delete: bool = False
    ignore_changes: list[str] = field(default_factory=list)
    aliases: list[RecordedAlias] = field(default_factory=list)
    transforms: int = 0
    """How many transforms the registration carried (the engine runs them; the mocks do not)."""
    unknowns: frozenset[tuple[str, ...]] = frozenset()
    """Paths (``("arn",)``, ``("metadata", "uid")``) of inputs and outputs not known in a preview."""

    def is_unknown(self, *path: str) -> bool:
        """Whether the value at ``path`` (or anything under it) is unknown until the resource is created."""
        return any(p[: len(path)] == path for p in self.unknowns)


@dataclass
class RecordedInvoke:
    """One data-source call (invoke) the program made."""

    token: str
    args: dict[str, Any]
    result: dict[str, Any] = field(default_factory=dict)
    """What the mocks answered."""


def _without_unknowns(value: Any, path: tuple[str, ...], found: set[tuple[str, ...]]) -> Any:
    """``value`` with preview's Unknown markers replaced by None, their paths added to ``found``."""
    if isinstance(value, Unknown):
        found.add(path)
        return None
    if isinstance(value, dict):
        return {k: _without_unknowns(v, (*path, str(k)), found) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_unknowns(v, (*path, str(i)), found) for i, v in enumerate(value)]
    return value


@functools.cache
def _has_property(type_token: str, prop: str) -> bool:
    """Whether the pulumi_aws class of ``type_token`` has the output ``prop`` (``name`` is then auto-named)."""
    module, _, class_name = type_token.partition(":")[2].rpartition(":")
    package = module.split("/", 1)[0]
    package = f"{package}_" if keyword.iskeyword(package) else package  # aws:lambda/... is pulumi_aws.lambda_
    try:
        cls = getattr(
            importlib.import_module(f"pulumi_aws.{package}" if package != "index" else "pulumi_aws"), class_name
        )
    except (ImportError, AttributeError):
        return False
    return isinstance(getattr(cls, prop, None), property)


def _program_frame(stack: Sequence[traceback.FrameSummary]) -> traceback.FrameSummary | None:
    """The innermost frame in the user's code (not the SDK, the providers' SDKs or this library)."""
    for frame in reversed(stack):
        filename = str(Path(frame.filename).resolve()) if frame.filename and not frame.filename.startswith("<") else ""
        if not filename:
            continue
        if "site-packages" in filename or "dist-packages" in filename or filename.startswith(_LIBRARY_DIRS):
            continue
        return frame
    return None


class IrsaMocks(Mocks):
    """Mocks answering resources and invokes with fake but realistic AWS data, recording everything.

    ``account_id`` and ``region`` default to the program's config (``irsa:account``, ``aws:region``), else
    123456789012 and eu-west-1. ``clusters`` maps cluster names to issuer URLs; unknown clusters get a
    deterministic issuer in ``region``. ``calls`` answers other invokes, or replaces a built-in answer (token ->
    function of the args). ``resources`` adds or overrides outputs of a resource type (token -> function of the
    logical name and inputs returning outputs; an ``"id"`` key sets the ID). ``stack_outputs`` gives the outputs
    of the stacks the program reads with ``pulumi.StackReference`` (fully qualified stack name -> outputs), added
    to those of config ``irsa:stackOutputs``; reading any other stack fails with ``UnknownStackReferenceError``.
    """

    def __init__(
        self,
        *,
        account_id: str | None = None,
        region: str | None = None,
        partition: str = "aws",
        clusters: Mapping[str, str] | None = None,
        calls: Mapping[str, CallHook] | None = None,
        resources: Mapping[str, ResourceHook] | None = None,
        stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.account_id = account_id or DEFAULT_ACCOUNT
        self.region = region or DEFAULT_REGION
        self._given = {"account": account_id is not None, "region": region is not None}
        self.partition = partition
        self.clusters = dict(clusters or {})
        self.extra_calls = dict(calls or {})
        self.resource_hooks = dict(resources or {})
        self.stack_outputs: dict[str, dict[str, Any]] = {
            str(stack): dict(outputs) for stack, outputs in (stack_outputs or {}).items()
        }
        self.preview = False
        self._provider_regions: dict[str, str] = {}
        self.resources: list[RegisteredResource] = []
        self.invokes: list[RecordedInvoke] = []
        self.call_sites: dict[str, str] = {}
        """Invoke token -> ``file:line`` of the program line that first made it."""
        self._last = threading.local()

    def configure(self, config: Mapping[str, str], *, preview: bool = False) -> None:
        """Takes the region and account from the program's config unless given to the constructor."""
        if not self._given["region"] and config.get("aws:region"):
            self.region = str(config["aws:region"])
        if not self._given["account"] and config.get(ACCOUNT_CONFIG_KEY):
            self.account_id = str(config[ACCOUNT_CONFIG_KEY])
        if config.get(STACK_OUTPUTS_CONFIG_KEY):
            for stack, outputs in parse_stack_outputs(config[STACK_OUTPUTS_CONFIG_KEY]).items():
                self.stack_outputs.setdefault(stack, outputs)
        self.preview = preview

    @property
    def context(self) -> InvokeContext:
        return InvokeContext(self.partition, self.region, self.account_id, self.issuer_for)

    def region_of(self, provider: str | None) -> str:
        """The region of an explicit ``aws.Provider(region=...)`` (by its reference), else the mocks' region."""
        if provider and "pulumi:providers:aws::" in provider:
            return self._provider_regions.get(provider.split("::")[-2], self.region)
        return self.region

    # ---- invokes -------------------------------------------------------------------------------

    def issuer_for(self, cluster_name: str) -> str:
        """The OIDC issuer URL the fake cluster ``cluster_name`` has."""
        return self.clusters.get(cluster_name, default_issuer(self.region, cluster_name))

    def certificate_chain(self, url: str) -> list[dict[str, Any]]:
        """The chain ``tls.get_certificate`` returns for an issuer: root CA, intermediate CA, leaf."""
        host = url.split("://", 1)[-1].split("/", 1)[0]

        def cert(subject: str, issuer: str, sha1: str, is_ca: bool, path_len: int) -> dict[str, Any]:
            return {
                "certPem": f"-----BEGIN CERTIFICATE-----\n{_digest(subject, length=64)}\n-----END CERTIFICATE-----\n",
                "isCa": is_ca,
                "issuer": issuer,
                "maxPathLength": path_len,
                "notAfter": "2027-08-01T23:59:59Z",
                "notBefore": "2026-07-01T00:00:00Z",
                "publicKeyAlgorithm": "RSA",
                "serialNumber": str(int(_digest(subject, length=16), 16)),
                "sha1Fingerprint": sha1,
                "signatureAlgorithm": "SHA256-RSA",
                "subject": subject,
                "version": 3,
            }

        root = "CN=Starfield Services Root Certificate Authority - G2,O=Starfield Technologies\\, Inc.,C=US"
        intermediate = "CN=Amazon RSA 2048 M02,O=Amazon,C=US"
        return [
            cert(root, root, ROOT_CA_THUMBPRINT, True, 1),
            cert(intermediate, root, INTERMEDIATE_CA_THUMBPRINT, True, 0),
            cert(f"CN={host}", intermediate, LEAF_THUMBPRINT, False, -1),
        ]

    def record_call_site(self, token: str) -> None:
        """Remembers which line of the program made an invoke (called as the program makes it)."""
        if token not in self.call_sites:
            frame = _program_frame(traceback.extract_stack())
            if frame is not None:
                self.call_sites[token] = f"{frame.filename}:{frame.lineno}"

    def call(self, args: MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        result = self._answer(args)
        self.invokes.append(RecordedInvoke(args.token, dict(args.args), result))
        return result

    def _answer(self, args: MockCallArgs) -> dict[str, Any]:
        token, values = args.token, dict(args.args)
        if token in self.extra_calls:
            return self.extra_calls[token](values)
        if token == TLS_CERTIFICATE:
            url = values["url"]
            return {"id": url, "url": url, "verifyChain": True, "certificates": self.certificate_chain(url)}
        answer = INVOKE_ANSWERS.get(token)
        if answer is not None:
            region = self.region_of(args.provider)
            return answer(values, InvokeContext(self.partition, region, self.account_id, self.issuer_for))
        site = self.call_sites.get(token)
        where = f" (made at {site})" if site else ""
        raise UnmockedInvokeError(
            f"the mocks have no answer for the data source {token!r}{where}. Answer it with "
            f"`irsa-components plan PATH --mocks FILE.py` where FILE.py defines "
            f"calls = {{{token!r}: lambda args: {{...}}}}, or in tests with "
            f"IrsaMocks(calls={{{token!r}: lambda args: {{...}}}})",
            site,
        )

    # ---- resources -----------------------------------------------------------------------------

    def _stack_reference(self, name: str, inputs: dict[str, Any]) -> tuple[str, dict[str, Any], frozenset[str]]:
        """A ``pulumi.StackReference``: the outputs the mocks were given for that stack (known, as the referenced
        stack exists before this one runs)."""
        stack = str(inputs.get("name") or name)
        if stack not in self.stack_outputs:
            if STACK_REFERENCE in self.resource_hooks:  # the hook answers it
                return stack, {**inputs, "outputs": {}, "secretOutputNames": []}, frozenset()
            known = f" (given: {', '.join(sorted(self.stack_outputs))})" if self.stack_outputs else ""
            raise UnknownStackReferenceError(
                f"StackReference {name!r} reads the outputs of stack {stack!r}, which the mocks were not "
                f"given{known}. Give them in config: `{STACK_OUTPUTS_CONFIG_KEY}: {{{json.dumps(stack)}: "
                '{"outputName": "value"}}` in Pulumi.<stack>.yaml (or --config with that JSON), or in tests '
                f"IrsaMocks(stack_outputs={{{stack!r}: {{...}}}})"
            )
        return stack, {**inputs, "outputs": dict(self.stack_outputs[stack]), "secretOutputNames": []}, frozenset()

    def _builtin(
        self, typ: str, name: str, inputs: dict[str, Any], region: str
    ) -> tuple[str, dict[str, Any], frozenset[str]]:
        """ID, state and computed output names of one resource in ``region`` (the state echoes the inputs)."""
        if typ == STACK_REFERENCE:
            return self._stack_reference(name, inputs)
        p, account = self.partition, self.account_id
        state: dict[str, Any] = dict(inputs)
        if typ == "aws:iam/role:Role":
            role_name = inputs.get("name") or autoname(name)
            path = inputs.get("path") or "/"
            state.update(
                name=role_name,
                arn=f"arn:{p}:iam::{account}:role{path}{role_name}",
                uniqueId=f"AROA{_digest(role_name, length=17).upper()}",
                path=path,
                maxSessionDuration=inputs.get("maxSessionDuration", 3600),
                createDate="2026-01-01T00:00:00Z",
            )
            return role_name, state, frozenset({"arn", "uniqueId", "createDate"})
        if typ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            arn = f"arn:{p}:iam::{account}:oidc-provider/{str(inputs.get('url') or name).split('://', 1)[-1]}"
            state.update(arn=arn)
            return arn, state, frozenset({"arn"})
        if typ == "aws:iam/policy:Policy":
            policy_name = inputs.get("name") or autoname(name)
            arn = f"arn:{p}:iam::{account}:policy{inputs.get('path') or '/'}{policy_name}"
            state.update(name=policy_name, arn=arn, policyId=f"ANPA{_digest(policy_name, length=17).upper()}")
            return arn, state, frozenset({"arn", "policyId"})
        if typ == "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            cluster = str(inputs.get("clusterName"))
            ns, sa = str(inputs.get("namespace")), str(inputs.get("serviceAccount"))
            association_id = f"a-{_digest(cluster, ns, sa, length=17)}"
            external_id = (
                f"{region}/{account}/{cluster}/{ns}/{sa}"
                if inputs.get("disableSessionTags")
                else _digest("external", cluster, ns, sa, length=36)
            )
            state.update(
                associationId=association_id,
                associationArn=f"arn:{p}:eks:{region}:{account}:podidentityassociation/{cluster}/{association_id}",
                externalId=external_id,
            )
            return f"{cluster},{association_id}", state, frozenset({"associationId", "associationArn", "externalId"})
        if typ == "aws:eks/addon:Addon":
            cluster, addon = str(inputs.get("clusterName")), str(inputs.get("addonName"))
            state.update(
                arn=f"arn:{p}:eks:{region}:{account}:addon/{cluster}/{addon}/{_digest(cluster, addon, length=36)}",
                addonVersion=inputs.get("addonVersion", "v1.3.8-eksbuild.2"),
            )
            return f"{cluster}:{addon}", state, frozenset({"arn"} | ({"addonVersion"} - set(inputs)))
        if typ.startswith("kubernetes:") and not typ.startswith("kubernetes:helm"):
            return kubernetes_outputs(typ, name, inputs)
        if typ.startswith("aws:"):
            ctx = Context(p, region, account)
            resource_id, state, computed = resource_outputs(
                typ, name, inputs, ctx, has_name=_has_property(typ, "name"), has_arn=_has_property(typ, "arn")
            )
            if typ == "aws:eks/cluster:Cluster" and "identities" in computed:
                cluster = str(state.get("name"))
                issuer = self.clusters.get(cluster, default_issuer(region, cluster))
                state["identities"] = [{"oidcs": [{"issuer": issuer}]}]
            return resource_id, state, computed
        return f"{name}-id", state, frozenset()

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        found: set[tuple[str, ...]] = set()
        inputs = _without_unknowns(dict(args.inputs), (), found)
        if args.typ == "pulumi:providers:aws" and isinstance(inputs.get("region"), str):
            self._provider_regions[args.name] = inputs["region"]
        region = self.region_of(args.provider)
        if args.resource_id:  # a `get`: the resource exists, everything about it is known
            fmt = ARN_FORMAT_BY_TYPE.get(args.typ)
            named_by_id = fmt.id == "{name}" if fmt else _has_property(args.typ, "name")
            name_input = fmt.name_input if fmt else "name"
            if args.typ.startswith("aws:") and named_by_id and name_input and not inputs.get(name_input):
                inputs = {**inputs, name_input: args.resource_id}
            resource_id, state, _ = self._builtin(args.typ, args.name, inputs, region)
            resource_id, computed = args.resource_id, frozenset[str]()
        else:
            resource_id, state, computed = self._builtin(args.typ, args.name, inputs, region)
        hook = self.resource_hooks.get(args.typ)
        if hook is not None:
            extra = dict(hook(args.name, inputs))
            resource_id = str(extra.pop("id", resource_id))
            state.update(extra)
        if self.preview and args.custom is not False and not args.resource_id:
            for key in computed:
                if "." in key:
                    head, _, tail = key.partition(".")
                    if isinstance(state.get(head), dict):
                        state[head] = {k: v for k, v in state[head].items() if k != tail}
                    found.add((head, tail))
                else:
                    state.pop(key, None)
                    found.add((key,))
            found.add(("id",))
            self._last.unknowns = frozenset(found)
            self._last.args = MockResourceArgs(
                args.typ, args.name, inputs, args.provider, args.resource_id, args.custom
            )
            return "", state
        self._last.unknowns = frozenset(found)
        self._last.args = MockResourceArgs(args.typ, args.name, inputs, args.provider, args.resource_id, args.custom)
        return resource_id, state


def _recorded_alias(alias: Any) -> RecordedAlias:
    if alias.WhichOneof("alias") == "urn":
        return RecordedAlias(urn=alias.urn)
    spec = alias.spec
    return RecordedAlias(name=spec.name, type=spec.type, parent_urn=spec.parentUrn, no_parent=spec.noParent)


class _RecordingMonitor(MockMonitor):
    """The SDK's mock monitor, also recording each registration's parent and dependencies."""

    def __init__(self, mocks: IrsaMocks) -> None:
        super().__init__(mocks)
        self.recorder = mocks

    def RegisterResource(self, request: Any) -> Any:
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type == STACK_TYPE:
            return response
        args: MockResourceArgs = self.recorder._last.args
        found: set[tuple[str, ...]] = set()
        outputs = _without_unknowns(dict(self.resources[response.urn].state), (), found)
        self.recorder.resources.append(
            RegisteredResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                inputs=dict(args.inputs),
                outputs=outputs,
                parent=request.parent or None,
                custom=bool(request.custom),
                dependencies=list(request.dependencies),
                property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
                provider=request.provider or None,
                id=response.id or None,
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                ignore_changes=list(request.ignoreChanges),
                aliases=[_recorded_alias(alias) for alias in request.aliases],
                transforms=len(request.transforms),
                unknowns=frozenset(self.recorder._last.unknowns) | frozenset(found),
            )
        )
        return response


@dataclass
class ProgramResult:
    """What a program registered under the mocks, with helpers to find resources."""

    mocks: IrsaMocks
    outputs: dict[str, Any]
    """The stack's exported outputs, resolved (unknown ones are None in a preview)."""
    project: str = "project"
    stack: str = "dev"
    preview: bool = False
    unknown_outputs: frozenset[str] = frozenset()
    """Exports not known in a preview (None in ``outputs``)."""
    config: dict[str, str] = field(default_factory=dict)
    """The config the program ran with (full keys)."""

    @property
    def resources(self) -> list[RegisteredResource]:
        return self.mocks.resources

    @property
    def invokes(self) -> list[RecordedInvoke]:
        return self.mocks.invokes

    @functools.cached_property
    def _by_type(self) -> dict[str, list[RegisteredResource]]:
        index: dict[str, list[RegisteredResource]] = {}
        for resource in self.resources:
            index.setdefault(resource.type, []).append(resource)
        return index

    @functools.cached_property
    def _by_urn(self) -> dict[str, RegisteredResource]:
        return {r.urn: r for r in self.resources}

    def of_type(self, type_token: str) -> list[RegisteredResource]:
        """Every resource of ``type_token`` (e.g. ``aws:iam/role:Role``), sorted by name."""
        return list(self._by_type.get(type_token, []))

    def one(self, type_token: str, name: str | None = None) -> RegisteredResource:
        """The single resource of a type (and name, when given); fails if there are none or several."""
        found = [r for r in self.of_type(type_token) if name is None or r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one {type_token} named {name!r}, found {[r.name for r in found]}")
        return found[0]

    @functools.cached_property
    def _by_parent(self) -> dict[str | None, list[RegisteredResource]]:
        index: dict[str | None, list[RegisteredResource]] = {}
        for resource in self.resources:
            index.setdefault(resource.parent, []).append(resource)
        return index

    def children_of(self, resource: RegisteredResource) -> list[RegisteredResource]:
        """Resources whose parent is ``resource``."""
        return list(self._by_parent.get(resource.urn, []))

    def by_urn(self, urn: str) -> RegisteredResource | None:
        return self._by_urn.get(urn)


class _LoopOwningExecutor(ThreadPoolExecutor):
    """The SDK's RPCs run in executor threads, each needing an event loop; this closes them afterwards.

    Left open, those loops are finalised at interpreter exit and print spurious errors.
    """

    def __init__(self) -> None:
        self._loops: list[asyncio.AbstractEventLoop] = []
        self._loops_lock = threading.Lock()
        super().__init__(initializer=self._give_thread_a_loop)

    def _give_thread_a_loop(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        with self._loops_lock:
            self._loops.append(loop)

    def close(self, *, wait: bool = True) -> None:
        self.shutdown(wait=wait, cancel_futures=not wait)
        if wait:
            for loop in self._loops:
                loop.close()


def _unwind_abandoned_tasks(loop: asyncio.AbstractEventLoop, seconds: float = 5.0) -> None:
    """Cancels what a failed or timed-out run left pending and lets it unwind on its own loop, as ``asyncio.run``
    does. Left to the garbage collector, the SDK's ``run_pulumi_func`` would finish outside any loop, raising from a
    finalizer at some random later point (under Python 3.11 even inside another ``ast.parse``, which then fails
    with "AST constructor recursion depth mismatch")."""
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in tasks:
        task.cancel()
    if tasks and not loop.is_closed():
        with contextlib.suppress(Exception):
            loop.run_until_complete(asyncio.wait(tasks, timeout=seconds))


def _quiet_about_abandoned_futures(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """When a program fails, the work waiting on the failed value is abandoned; the failure itself is raised
    once by run_program, so asyncio's echoes of the abandoned work are dropped."""
    message = str(context.get("message", ""))
    if "never retrieved" not in message and "destroyed but it is pending" not in message:
        loop.default_exception_handler(context)


def find_config_error(exc: BaseException) -> IrsaConfigError | None:
    """The IrsaConfigError behind ``exc``. The SDK wraps errors raised inside ``apply`` in ValueErrors, and
    sometimes drops the chain while keeping the text, so recently raised errors are matched by message too."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, IrsaConfigError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    text = str(exc)
    return next((error for error in reversed(errors.raised) if str(error) in text), None)


@contextlib.contextmanager
def _recording_call_sites(mocks: IrsaMocks) -> Iterator[None]:
    """Notes the program line of each invoke as the program makes it (the mock answers later, on another thread)."""
    originals = {name: getattr(pulumi.runtime, name) for name in ("invoke", "invoke_output")}

    def wrap(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(tok: str, *args: Any, **kwargs: Any) -> Any:
            mocks.record_call_site(tok)
            return function(tok, *args, **kwargs)

        return wrapper

    for name, function in originals.items():
        setattr(pulumi.runtime, name, wrap(function))
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(pulumi.runtime, name, function)


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raises ProgramTimeout into the main thread after ``seconds`` (no limit off the main thread or without
    SIGALRM, e.g. on Windows)."""
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    assert seconds is not None

    def expire(signum: int, frame: Any) -> None:
        raise ProgramTimeout(f"the program did not finish within {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector while a program runs.

    The SDK allocates many small, long-lived objects per resource; the collector's passes over them cost about
    twice the run itself (benchmarks/README.md: 3.3x faster paused, peak RSS +9%). Reference counting still frees
    everything that is not in a cycle; the collector resumes, as it was, when the run ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _as_program_failure(exc: BaseException) -> ProgramFailure:
    if isinstance(exc, SystemExit):
        code = exc.code
        return ProgramFailure(f"the program called sys.exit({code!r}) before it finished declaring its resources")
    if isinstance(exc, KeyboardInterrupt):
        return ProgramFailure("the program was interrupted (KeyboardInterrupt)")
    return ProgramFailure(str(exc) or type(exc).__name__)


def _exportable(value: Any, by_urn: Mapping[str, RegisteredResource]) -> Any:
    """An exported value as plain data: an exported resource becomes its state, as `pulumi stack output` shows."""
    if isinstance(value, pulumi.Resource):
        urn = _sync_await(value.urn.future())
        registered = by_urn.get(str(urn))
        return {"urn": urn, **(registered.outputs if registered is not None else {})}
    if isinstance(value, dict):
        return {str(k): _exportable(v, by_urn) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_exportable(v, by_urn) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def run_program(
    program: Callable[[], Any],
    *,
    mocks: IrsaMocks | None = None,
    project: str = "project",
    stack: str = "dev",
    config: Mapping[str, str] | None = None,
    preview: bool = False,
    timeout: float | None = None,
) -> ProgramResult:
    """Runs ``program`` to completion under ``mocks`` (fresh ``IrsaMocks`` by default) and returns what it made.

    ``config`` keys are full Pulumi config keys (``project:key``; ``aws:region`` and ``irsa:account`` also set the
    mocks' region and account). ``preview=True`` runs as ``pulumi preview``: computed outputs of the resources
    being created are unknown (``apply`` callbacks on them do not run). Any exception the program raises
    propagates; an ``IrsaConfigError`` raised inside an ``apply`` is unwrapped from the SDK's ValueErrors;
    ``sys.exit``/``KeyboardInterrupt`` in the program and running past ``timeout`` seconds raise
    ``ProgramFailure``.
    """
    mocks = mocks if mocks is not None else IrsaMocks()
    config = dict(config or {})
    mocks.configure(config, preview=preview)
    loop = asyncio.new_event_loop()
    executor = _LoopOwningExecutor()
    loop.set_default_executor(executor)
    loop.set_exception_handler(_quiet_about_abandoned_futures)
    asyncio.set_event_loop(loop)
    finished = False
    try:
        # A new root stack per run, so exports and parents never leak from an earlier run.
        pulumi.runtime.settings.ROOT.set(None)
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview, monitor=_RecordingMonitor(mocks))
        pulumi.runtime.set_all_config(config)
        # Work left pending by an earlier run that failed belongs to a closed loop: drop it.
        pulumi.runtime.settings.SETTINGS.rpc_manager.clear()
        pulumi.runtime.settings.SETTINGS.outputs.clear()
        errors.raised.clear()
        try:
            with _recording_call_sites(mocks), _time_limit(timeout), _collector_paused():
                _sync_await(run_pulumi_func(program))
        except ProgramTimeout as exc:
            raise ProgramFailure(str(exc)) from None
        except (SystemExit, KeyboardInterrupt) as exc:
            raise _as_program_failure(exc) from exc
        except Exception as exc:
            config_error = find_config_error(exc)
            if config_error is None or config_error is exc:
                raise
            # A fresh copy: re-raising the original would make its exception chain a cycle.
            raise IrsaConfigError(
                config_error.component, config_error.field, config_error.value, config_error.problem, config_error.fix
            ) from None
        # Registrations arrive from several threads in no fixed order: sort, so results and reports are stable.
        mocks.resources.sort(key=lambda r: (r.name, r.type, r.urn))
        root = pulumi.runtime.get_root_resource()
        exported: dict[str, Any] = dict(getattr(root, "outputs", {}) or {})
        outputs: dict[str, Any] = {}
        unknown_outputs: set[str] = set()
        by_urn = {r.urn: r for r in mocks.resources}
        for key, value in exported.items():
            output = pulumi.Output.from_input(value)
            known = _sync_await(output.is_known())
            resolved = _without_unknowns(_sync_await(output.future()), (), set()) if known else None
            outputs[key] = _exportable(resolved, by_urn)
            if not known:
                unknown_outputs.add(key)
        finished = True
    finally:
        if not finished:
            _unwind_abandoned_tasks(loop)
        executor.close(wait=finished)
        loop.close()
    return ProgramResult(
        mocks=mocks,
        outputs=outputs,
        project=project,
        stack=stack,
        preview=preview,
        unknown_outputs=frozenset(unknown_outputs),
        config=config,
    )


# ---- projects ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """A Pulumi Python project folder, read as `pulumi up` reads it."""

    folder: Path
    name: str
    main: Path
    """The program's ``__main__.py``."""
    config: dict[str, str]
    """Full config keys (``project:key``) -> values as strings (objects as JSON), defaults and stack file applied."""


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        lines = path.read_text().count("\n") or 1
        if mark is not None and mark.line >= lines and getattr(exc, "context_mark", None) is not None:
            mark = exc.context_mark  # type: ignore[attr-defined]  # the problem is "end of file": name the opening line
        where = f"{path}:{min(mark.line + 1, lines)}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProjectError(f"{where}: not valid YAML: {problem}") from None


def _config_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def load_project(
    folder: str | os.PathLike[str],
    *,
    stack: str = "dev",
    config: Mapping[str, Any] | Sequence[str] | None = None,
    require_stack_file: bool | None = None,
) -> Project:
    """Reads ``folder``: Pulumi.yaml (``main:``, ``config:`` defaults), then ``Pulumi.<stack>.yaml``, then ``config``.

    ``config`` is a mapping or ``KEY=VALUE`` strings; keys without a namespace get the project's. The stack file
    must exist when ``require_stack_file`` is True (default: for every stack but ``dev``).
    """
    root = Path(folder)
    project_file = root / "Pulumi.yaml"
    if not project_file.is_file():
        raise ProjectError(f"{root} has no Pulumi.yaml: pass the folder of a Pulumi program")
    project = _load_yaml(project_file) or {}
    if not isinstance(project, dict):
        raise ProjectError(f"{project_file}:1: must be a mapping with name: and runtime:")
    name = project.get("name")
    runtime = project.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name == "yaml":
        raise ProjectError(
            f"{project_file} is a Pulumi YAML program: `plan` runs Python programs only. YAML programs use these "
            "components through the component package (see docs/other-languages.md); plan the Python equivalent, "
            "e.g. examples/quickstart"
        )
    if not name or runtime_name != "python":
        raise ProjectError(f"{project_file} must name the project and use runtime: python")
    main_dir = root / str(project.get("main") or ".")
    main = main_dir if main_dir.suffix == ".py" else main_dir / "__main__.py"
    if not main.is_file():
        raise ProjectError(f"{main} not found: a Pulumi Python program needs __main__.py")
    values: dict[str, str] = {}

    def put(key: str, value: Any) -> None:
        values[key if ":" in key else f"{name}:{key}"] = _config_value(value)

    declared = project.get("config") or {}
    if not isinstance(declared, dict):
        raise ProjectError(f"{project_file}: config: must be a mapping of keys to defaults")
    for key, spec in declared.items():
        if isinstance(spec, dict):
            if "default" in spec:
                put(str(key), spec["default"])
            elif "value" in spec:
                put(str(key), spec["value"])
        else:
            put(str(key), spec)
    stack_file = root / f"Pulumi.{stack}.yaml"
    required = stack != "dev" if require_stack_file is None else require_stack_file
    if stack_file.exists():
        stack_config = (_load_yaml(stack_file) or {}).get("config") or {}
        if not isinstance(stack_config, dict):
            raise ProjectError(f"{stack_file}: config: must be a mapping")
        for key, value in stack_config.items():
            put(str(key), value)
    elif required:
        raise ProjectError(
            f"stack {stack!r} has no {stack_file.name} in {root}: create it, pick another --stack, or pass "
            "--config-only to run with Pulumi.yaml defaults and --config values alone"
        )
    items = config.items() if isinstance(config, Mapping) else [_split_config(item) for item in config or ()]
    for key, value in items:
        put(str(key), value)
    return Project(folder=root, name=str(name), main=main, config=values)


def _split_config(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key:
        raise ProjectError(f"--config {item!r} is not KEY=VALUE")
    return key, value


def run_project(
    path: str | os.PathLike[str],
    *,
    stack: str = "dev",
    config: Mapping[str, Any] | Sequence[str] | None = None,
    preview: bool = False,
    mocks: IrsaMocks | None = None,
    timeout: float | None = None,
    require_stack_file: bool | None = None,
) -> ProgramResult:
    """Runs the Pulumi program in folder ``path`` exactly as ``irsa-components plan`` does.

    Pulumi.yaml's ``main:`` and ``config:`` defaults, then ``Pulumi.<stack>.yaml``, then ``config`` (bare keys
    get the project's namespace), with the project name as the config namespace. The result's ``project`` and
    ``stack`` name what ran.
    """
    project = load_project(path, stack=stack, config=config, require_stack_file=require_stack_file)
    program_dir = str(project.main.parent)
    sys.path.insert(0, program_dir)
    try:
        return run_program(
            lambda: runpy.run_path(str(project.main), run_name="__main__"),
            mocks=mocks,
            project=project.name,
            stack=stack,
            config=project.config,
            preview=preview,
            timeout=timeout,
        )
    finally:
        sys.path.remove(program_dir)


def program_location(exc: BaseException, folder: str | os.PathLike[str] | None = None) -> str | None:
    """``file:line`` of the innermost frame of ``exc``'s traceback in the user's program (under ``folder`` when
    given, else outside the SDKs and this library), or where the unanswered invoke was made."""
    if isinstance(exc, UnmockedInvokeError) and exc.location:
        return exc.location
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for error in chain[1:]:
        if error.__traceback__:
            frames = [*traceback.extract_tb(error.__traceback__), *frames]
    if folder is not None:
        base = str(Path(folder).resolve()) + os.sep
        inside = [f for f in frames if str(Path(f.filename).resolve()).startswith(base)]
        frame = inside[-1] if inside else None
    else:
        frame = _program_frame(frames)
    return f"{frame.filename}:{frame.lineno}" if frame is not None else None
