"""Moved to ``irsa_components.review.report``; this name stays importable (same module object)."""

import sys

from irsa_components.review import report

sys.modules[__name__] = report
