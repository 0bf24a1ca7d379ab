"""Resource options a component hands down to its children."""

from __future__ import annotations

import pulumi


def child_options(parent: pulumi.Resource, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """Parented to the component, waiting for whatever it was told to wait for, and retained with it.

    Pulumi hands ``protect``, providers and transforms down to children itself, but not ``depends_on``
    (an association declared with ``depends_on=[agent]`` could then be created before the agent add-on)
    nor ``retain_on_delete`` (retaining a component would still delete its role).
    """
    if opts is None:
        return pulumi.ResourceOptions(parent=parent)
    return pulumi.ResourceOptions(parent=parent, depends_on=opts.depends_on, retain_on_delete=opts.retain_on_delete)
