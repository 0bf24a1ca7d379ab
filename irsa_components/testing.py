"""Run Pulumi programs offline under mocks that know the resources and invokes these components use.

Use it in your own unit tests::

    from irsa_components.testing import run_program

    def test_my_role():
        result = run_program(lambda: my_stack.build())
        role = result.one("aws:iam/role:Role")
        assert "system:serviceaccount:apps:api" in role.inputs["assumeRolePolicy"]

``IrsaMocks`` answers the TLS certificate, EKS cluster, caller identity, partition and region
invokes with realistic fake data and records every registered resource, with its parent and
dependencies, and every invoke. ``run_program`` gives each run a fresh event loop and fresh mocks.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from irsa_components import errors
from irsa_components.errors import IrsaConfigError

STACK_TYPE = "pulumi:pulumi:Stack"

# A realistic EKS issuer chain, root first as pulumi-tls returns it. Values are made up.
ROOT_CA_THUMBPRINT = "9e99a48a9960b14926bb7f3b02e22da2b0ab7280"
INTERMEDIATE_CA_THUMBPRINT = "06b25927c42a721631c1efd9431e648fa62e1e39"
LEAF_THUMBPRINT = "5c8e1a9b2f70d4c3e6b19a0f7d2c4e8b1a3f5d70"


def _digest(*parts: str, length: int = 32) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


class UnmockedInvokeError(LookupError):
    """The program made an invoke the mocks have no answer for (give one with ``IrsaMocks(calls=...)``)."""


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
    """Inputs with the provider's camelCase keys (``assumeRolePolicy``, ``clientIdLists``)."""
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


@dataclass
class RecordedInvoke:
    """One data-source call (invoke) the program made."""

    token: str
    args: dict[str, Any]
    result: dict[str, Any] = field(default_factory=dict)
    """What the mocks answered."""


class IrsaMocks(Mocks):
    """Mocks answering this library's invokes with fake but realistic AWS data, recording everything.

    ``clusters`` maps cluster names to issuer URLs; unknown clusters get a deterministic issuer in
    ``region``. ``calls`` adds answers for other invoke tokens (token -> function of the args).
    """

    def __init__(
        self,
        *,
        account_id: str = "123456789012",
        region: str = "eu-west-1",
        partition: str = "aws",
        clusters: Mapping[str, str] | None = None,
        calls: Mapping[str, Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
    ) -> None:
        self.account_id = account_id
        self.region = region
        self.partition = partition
        self.clusters = dict(clusters or {})
        self.extra_calls = dict(calls or {})
        self.resources: list[RegisteredResource] = []
        self.invokes: list[RecordedInvoke] = []
        self._last = threading.local()

    # ---- answers -------------------------------------------------------------------------------

    def issuer_for(self, cluster_name: str) -> str:
        """The OIDC issuer URL the fake cluster ``cluster_name`` has."""
        return self.clusters.get(
            cluster_name,
            f"https://oidc.eks.{self.region}.amazonaws.com/id/{_digest(cluster_name).upper()}",
        )

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

    def call(self, args: MockCallArgs) -> dict[str, Any]:  # type: ignore[override]
        result = self._answer(args)
        self.invokes.append(RecordedInvoke(args.token, dict(args.args), result))
        return result

    def _answer(self, args: MockCallArgs) -> dict[str, Any]:
        if args.token in self.extra_calls:
            return self.extra_calls[args.token](dict(args.args))
        p, region, account = self.partition, self.region, self.account_id
        if args.token == "tls:index/getCertificate:getCertificate":
            url = args.args["url"]
            return {"id": url, "url": url, "verifyChain": True, "certificates": self.certificate_chain(url)}
        if args.token == "aws:eks/getCluster:getCluster":
            name = args.args["name"]
            return {
                "id": name,
                "name": name,
                "arn": f"arn:{p}:eks:{region}:{account}:cluster/{name}",
                "identities": [{"oidcs": [{"issuer": self.issuer_for(name)}]}],
                "endpoint": f"https://{_digest(name).upper()}.gr7.{region}.eks.amazonaws.com",
                "certificateAuthorities": [{"data": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"}],
                "roleArn": f"arn:{p}:iam::{account}:role/{name}-cluster",
                "status": "ACTIVE",
                "version": "1.33",
                "platformVersion": "eks.9",
                "tags": {},
            }
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "id": account,
                "accountId": account,
                "arn": f"arn:{p}:iam::{account}:user/ci",
                "userId": "AIDAEXAMPLEUSERID",
            }
        if args.token == "aws:index/getPartition:getPartition":
            suffix = {"aws-cn": "amazonaws.com.cn"}.get(p, "amazonaws.com")
            return {"id": p, "partition": p, "dnsSuffix": suffix, "reverseDnsPrefix": "com.amazonaws"}
        if args.token == "aws:index/getRegion:getRegion":
            return {
                "id": region,
                "name": region,
                "region": region,
                "description": region,
                "endpoint": f"ec2.{region}.amazonaws.com",
            }
        raise UnmockedInvokeError(
            f"IrsaMocks has no answer for invoke {args.token!r}: pass calls={{{args.token!r}: lambda args: {{...}}}}"
        )

    def _autoname(self, name: str) -> str:
        return f"{name}-{_digest(name, length=7)}"

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self._last.args = args
        p, region, account = self.partition, self.region, self.account_id
        inputs = dict(args.inputs)
        state: dict[str, Any] = dict(inputs)
        typ = args.typ
        if typ == "aws:iam/role:Role":
            name = inputs.get("name") or self._autoname(args.name)
            state.update(
                name=name,
                arn=f"arn:{p}:iam::{account}:role{inputs.get('path', '/')}{name}",
                uniqueId=f"AROA{_digest(name, length=17).upper()}",
                path=inputs.get("path", "/"),
                maxSessionDuration=inputs.get("maxSessionDuration", 3600),
            )
            return name, state
        if typ == "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            arn = f"arn:{p}:iam::{account}:oidc-provider/{inputs['url'].split('://', 1)[-1]}"
            state.update(arn=arn)
            return arn, state
        if typ == "aws:iam/policy:Policy":
            name = inputs.get("name") or self._autoname(args.name)
            arn = f"arn:{p}:iam::{account}:policy{inputs.get('path', '/')}{name}"
            state.update(name=name, arn=arn, policyId=f"ANPA{_digest(name, length=17).upper()}")
            return arn, state
        if typ == "aws:eks/podIdentityAssociation:PodIdentityAssociation":
            cluster, ns, sa = inputs["clusterName"], inputs["namespace"], inputs["serviceAccount"]
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
            return f"{cluster},{association_id}", state
        if typ == "aws:eks/addon:Addon":
            cluster, addon = inputs["clusterName"], inputs["addonName"]
            state.update(
                arn=f"arn:{p}:eks:{region}:{account}:addon/{cluster}/{addon}/{_digest(cluster, addon, length=36)}",
                addonVersion=inputs.get("addonVersion", "v1.3.8-eksbuild.2"),
            )
            return f"{cluster}:{addon}", state
        if typ == "kubernetes:core/v1:ServiceAccount":
            metadata = dict(inputs.get("metadata") or {})
            metadata.setdefault("uid", _digest("uid", args.name, length=36))
            state.update(metadata=metadata, apiVersion="v1", kind="ServiceAccount")
            return f"{metadata.get('namespace', 'default')}/{metadata.get('name', args.name)}", state
        return f"{args.name}-id", state


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
        self.recorder.resources.append(
            RegisteredResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                inputs=dict(args.inputs),
                outputs=dict(self.resources[response.urn].state),
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
            )
        )
        return response


@dataclass
class ProgramResult:
    """What a program registered under the mocks, with helpers to find resources."""

    mocks: IrsaMocks
    outputs: dict[str, Any]
    """The stack's exported outputs, resolved."""

    @property
    def resources(self) -> list[RegisteredResource]:
        return self.mocks.resources

    @property
    def invokes(self) -> list[RecordedInvoke]:
        return self.mocks.invokes

    def of_type(self, type_token: str) -> list[RegisteredResource]:
        """Every resource of ``type_token`` (e.g. ``aws:iam/role:Role``), sorted by name."""
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str, name: str | None = None) -> RegisteredResource:
        """The single resource of a type (and name, when given); fails if there are none or several."""
        found = [r for r in self.of_type(type_token) if name is None or r.name == name]
        if len(found) != 1:
            raise LookupError(f"expected one {type_token} named {name!r}, found {[r.name for r in found]}")
        return found[0]

    def children_of(self, resource: RegisteredResource) -> list[RegisteredResource]:
        """Resources whose parent is ``resource``."""
        return [r for r in self.resources if r.parent == resource.urn]

    def by_urn(self, urn: str) -> RegisteredResource | None:
        return next((r for r in self.resources if r.urn == urn), None)


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

    def close(self) -> None:
        self.shutdown(wait=True)
        for loop in self._loops:
            loop.close()


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


def run_program(
    program: Callable[[], Any],
    *,
    mocks: IrsaMocks | None = None,
    project: str = "project",
    stack: str = "dev",
    config: Mapping[str, str] | None = None,
) -> ProgramResult:
    """Runs ``program`` to completion under ``mocks`` (fresh ``IrsaMocks`` by default) and returns what it made.

    ``config`` keys are full Pulumi config keys (``project:key``). Any exception the program raises
    propagates; an ``IrsaConfigError`` raised inside an ``apply`` is unwrapped from the SDK's ValueErrors.
    """
    mocks = mocks if mocks is not None else IrsaMocks()
    loop = asyncio.new_event_loop()
    executor = _LoopOwningExecutor()
    loop.set_default_executor(executor)
    loop.set_exception_handler(_quiet_about_abandoned_futures)
    asyncio.set_event_loop(loop)
    try:
        # A new root stack per run, so exports and parents never leak from an earlier run.
        pulumi.runtime.settings.ROOT.set(None)
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=_RecordingMonitor(mocks))
        pulumi.runtime.set_all_config(dict(config or {}))
        # Work left pending by an earlier run that failed belongs to a closed loop: drop it.
        pulumi.runtime.settings.SETTINGS.rpc_manager.clear()
        pulumi.runtime.settings.SETTINGS.outputs.clear()
        errors.raised.clear()
        try:
            _sync_await(run_pulumi_func(program))
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
        outputs: dict[str, Any] = (
            _sync_await(pulumi.Output.from_input(exported).future()) or {}  # type: ignore[arg-type]
            if exported
            else {}
        )
    finally:
        executor.close()
        loop.close()
    return ProgramResult(mocks=mocks, outputs=outputs or {})
