"""Entry point of the irsa-components Pulumi plugin, run by ``pulumi package add <this repository or path>``.

It is not a Pulumi program (``Pulumi.yaml`` deploys ``examples/quickstart``): it serves the components to
programs in TypeScript, Go, C#, Java and YAML. See docs/other-languages.md.
"""

from irsa_components.component_provider import serve

if __name__ == "__main__":
    serve()
