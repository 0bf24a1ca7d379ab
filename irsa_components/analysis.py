"""Moved to ``irsa_components.review.analysis``; this name stays importable (same module object)."""

import sys

from irsa_components.review import analysis

sys.modules[__name__] = analysis
