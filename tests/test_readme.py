"""The README's testing snippets run as written (each block marked `<!-- readme-test: FILE -->`)."""

from __future__ import annotations

import importlib
import re
import sys

import pytest
from test_examples import ROOT

SNIPPET = re.compile(r"<!-- readme-test: (?P<file>[\w.]+) -->\n```python\n(?P<code>.*?)\n```", re.S)


def readme_snippets() -> dict[str, str]:
    return {m["file"]: m["code"] + "\n" for m in SNIPPET.finditer((ROOT / "README.md").read_text())}


def test_the_readme_shows_a_project_test_and_a_build_function_test():
    assert set(readme_snippets()) == {"test_project.py", "orders_infra.py", "test_orders_infra.py"}


@pytest.mark.parametrize("file", ["test_project.py", "test_orders_infra.py"])
def test_readme_testing_snippets_pass(tmp_path, monkeypatch, file):
    for name, code in readme_snippets().items():
        (tmp_path / name).write_text(code)
    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(tmp_path))
    for module in ("orders_infra", file.removesuffix(".py")):
        sys.modules.pop(module, None)
    module = importlib.import_module(file.removesuffix(".py"))
    tests = [getattr(module, name) for name in dir(module) if name.startswith("test_")]
    assert tests
    for test in tests:
        test()
