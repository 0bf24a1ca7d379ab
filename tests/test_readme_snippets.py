"""The README's snippets marked `<!-- snippet: name -->` run as written, under the mocks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import assert_all_policies_valid

from irsa_components.testing import run_program

README = Path(__file__).resolve().parent.parent / "README.md"
SNIPPET = re.compile(r"<!-- snippet: (?P<name>[\w-]+) -->\n```python\n(?P<code>.*?)```", re.DOTALL)
SNIPPETS = {m["name"]: m["code"] for m in SNIPPET.finditer(README.read_text())}


def test_the_new_sections_have_snippets():
    assert set(SNIPPETS) >= {"pod-identity-role", "custom-trust", "managed-addon", "existing-resources"}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_snippet_runs(name):
    result = run_program(lambda: exec(compile(SNIPPETS[name], f"README:{name}", "exec"), {}))
    assert any(r.type.startswith("aws:") or r.type.startswith("kubernetes:") for r in result.resources)
    assert_all_policies_valid(result)
