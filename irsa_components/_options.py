"""Resource options a component hands down to its children."""

from __future__ import annotations

import pulumi


def child_options(parent: pulumi.Resource, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """Parented to the component, and waiting for whatever the component was told to wait for.

    Pulumi does not make children wait for their component's ``depends_on``: without this, an
    association declared with ``depends_on=[agent]`` could be created before the agent add-on.
    """
    return pulumi.ResourceOptions(parent=parent, depends_on=opts.depends_on if opts is not None else None)
