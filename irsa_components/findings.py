"""Moved to ``irsa_components.review.findings``; this name stays importable (same module object)."""

import sys

from irsa_components.review import findings

sys.modules[__name__] = findings
