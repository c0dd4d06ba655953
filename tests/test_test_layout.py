"""The tests keep their own house rule: nothing under tests/ imports from a conftest or from a
test module. Shared helpers live in tests/factories.py (tests/browser/support.py for the
browser's own), fixtures in conftest.py."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def forbidden_imports(source: str) -> list[str]:
    """The modules this source imports that are a conftest or a test module."""

    def forbidden(dotted: str) -> bool:
        last = dotted.rsplit(".", 1)[-1]
        return last == "conftest" or last.startswith("test_")

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if forbidden(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if node.module and forbidden(node.module):
                found.append(module)
            found += [
                f"{module}.{alias.name}".replace("..", ".")
                for alias in node.names
                if forbidden(alias.name)
            ]
    return found


def test_no_test_file_imports_from_conftest_or_another_test_module():
    offenders = {
        str(path.relative_to(TESTS)): found
        for path in sorted(TESTS.rglob("*.py"))
        if (found := forbidden_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_the_layout_check_sees_every_way_of_importing_them():
    def check(line: str) -> list[str]:  # "PKG" keeps these lines out of a grep for offenders
        return forbidden_imports(line.replace("PKG", "tests"))

    assert check("from PKG.conftest import PASSWORD") == ["tests.conftest"]
    assert check("from PKG.test_readiness import add_learners") == ["tests.test_readiness"]
    assert check("import PKG.web.test_quiz") == ["tests.web.test_quiz"]
    assert check("from PKG import conftest") == ["tests.conftest"]
    assert check("from .conftest import x") == [".conftest"]
    assert check("def f():\n    from PKG.test_auth import g") == ["tests.test_auth"]
    assert check("from PKG.factories import create_account") == []
    assert check("from PKG.browser.support import screenshot") == []
