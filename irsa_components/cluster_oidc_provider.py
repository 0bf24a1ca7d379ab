"""ClusterOidcProvider: the IAM OIDC identity provider for an EKS cluster's issuer."""

from collections.abc import Sequence
from typing import TypedDict

import pulumi
import pulumi_aws.eks as eks
import pulumi_aws.iam as iam
import pulumi_tls as tls

from irsa_components._inputs import check_args, check_now_or_later, is_known
from irsa_components._options import child_options
from irsa_components.errors import IrsaConfigError
from irsa_components.oidc_issuer import issuer_host_path, select_top_ca_thumbprint
from irsa_components.trust import DEFAULT_AUDIENCE
from irsa_components.validation import (
    MAX_THUMBPRINTS,
    exactly_one,
    validate_client_ids,
    validate_cluster_name,
    validate_issuer_url,
    validate_tags,
    validate_thumbprints,
)

TYPE_TOKEN = "irsa-components:index:ClusterOidcProvider"


class ClusterOidcProviderArgs(TypedDict, total=False):
    """Arguments of a ClusterOidcProvider: exactly one of issuer_url and cluster_name."""

    issuer_url: pulumi.Input[str]
    """The cluster's OIDC issuer URL (identity.oidc.issuer), e.g. 'https://oidc.eks.<region>.amazonaws.com/id/<ID>'."""
    cluster_name: pulumi.Input[str]
    """Name of an existing EKS cluster whose issuer is looked up with aws.eks.get_cluster."""
    client_ids: Sequence[str]
    """Audiences (client IDs) the provider accepts (1-100, each 1-255 characters). Default: ['sts.amazonaws.com']."""
    thumbprints: Sequence[str]
    """SHA-1 thumbprints of the issuer's top CA (up to 5); skips the TLS lookup. Default: looked up."""
    extra_thumbprints: Sequence[str]
    """Thumbprints registered besides the looked-up one, e.g. a TLS-inspecting proxy's CA (terraform-aws-eks
    custom_oidc_thumbprints); up to 4. Default: none."""
    tags: dict[str, str]
    """Tags on the OIDC provider. Default: none."""


class ClusterOidcProvider(pulumi.ComponentResource):
    """The IAM OIDC provider that lets IAM trust a cluster's service account tokens (one per cluster and account)."""

    arn: pulumi.Output[str]
    """ARN of the IAM OIDC provider, the Federated principal of IRSA trust policies."""
    url: pulumi.Output[str]
    """The issuer without 'https://': the prefix of the trust condition keys."""
    issuer_url: pulumi.Output[str]
    """The issuer URL, with 'https://'."""
    thumbprints: pulumi.Output[list[str]]
    """Thumbprints registered on the provider."""

    def __init__(self, name: str, args: ClusterOidcProviderArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        label = f"ClusterOidcProvider {name!r}"
        check_args(label, args, ClusterOidcProviderArgs)
        source = exactly_one(label, args, "issuer_url", "cluster_name")
        if source == "issuer_url" and is_known(args["issuer_url"]):
            validate_issuer_url(label, args["issuer_url"])
        if source == "cluster_name" and is_known(args["cluster_name"]):
            validate_cluster_name(label, args["cluster_name"])
        client_ids = validate_client_ids(label, args.get("client_ids") or [DEFAULT_AUDIENCE])
        thumbprints = args.get("thumbprints")
        if thumbprints is not None:
            thumbprints = validate_thumbprints(label, thumbprints)
        extra = args.get("extra_thumbprints")
        if extra is not None:
            if thumbprints is not None:
                raise IrsaConfigError(
                    label,
                    "extra_thumbprints",
                    extra,
                    "has no effect next to thumbprints, which replace the lookup",
                    "list every thumbprint in thumbprints, or drop thumbprints to keep the lookup",
                )
            extra = validate_thumbprints(label, extra, field="extra_thumbprints")
            if len(extra) > MAX_THUMBPRINTS - 1:
                raise IrsaConfigError(
                    label,
                    "extra_thumbprints",
                    extra,
                    f"has {len(extra)} entries; with the looked-up one IAM's limit of {MAX_THUMBPRINTS} is exceeded",
                    f"keep at most {MAX_THUMBPRINTS - 1}",
                )
        tags = validate_tags(label, args["tags"]) if args.get("tags") is not None else None

        super().__init__(TYPE_TOKEN, name, None, opts)
        child = child_options(self, opts)

        if source == "issuer_url":
            raw_issuer: pulumi.Input[str] = args["issuer_url"]
        else:
            cluster_name = check_now_or_later(args["cluster_name"], lambda v: validate_cluster_name(label, v))
            cluster = eks.get_cluster_output(name=cluster_name, opts=pulumi.InvokeOutputOptions(parent=self))
            raw_issuer = cluster.identities.apply(lambda ids: ids[0].oidcs[0].issuer)
        issuer = pulumi.Output.from_input(check_now_or_later(raw_issuer, lambda v: validate_issuer_url(label, v)))

        if thumbprints is None:
            certificate = tls.get_certificate_output(url=issuer, opts=pulumi.InvokeOutputOptions(parent=self))
            extras = list(extra or [])
            fingerprints: pulumi.Input[Sequence[str]] = certificate.certificates.apply(
                lambda certs: list(dict.fromkeys([select_top_ca_thumbprint(label, certs).lower(), *extras]))
            )
        else:
            fingerprints = thumbprints

        provider = iam.OpenIdConnectProvider(
            f"{name}-provider",
            url=issuer,
            client_id_lists=client_ids,
            thumbprint_lists=fingerprints,
            tags=tags,
            opts=child,
        )

        self.arn = provider.arn
        self.issuer_url = issuer
        self.url = issuer.apply(issuer_host_path)
        self.thumbprints = pulumi.Output.from_input(fingerprints).apply(list)
        self.register_outputs(
            {"arn": self.arn, "url": self.url, "issuer_url": self.issuer_url, "thumbprints": self.thumbprints}
        )
