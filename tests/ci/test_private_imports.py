"""The API's modules share helpers by their public names: no module of `sanxiang.api` imports a
name with a leading underscore from another module (public_documents took `_one_file_require` and
`_refusal` from system_documents), so that a helper's module can rename or change its private
ones without breaking a caller it does not know of."""

import ast
from pathlib import Path

import sanxiang

API = Path(sanxiang.__file__).parent / "api"


def private_imports(source: str) -> list[tuple[int, str]]:
    """(line, name) for each private name of a sanxiang module that `source` imports or reaches
    through an imported module (`module._name`)."""
    tree = ast.parse(source)
    modules, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sanxiang"):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append((node.lineno, f"{node.module}.{alias.name}"))
                modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                        if alias.name.startswith("sanxiang")}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            found.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return found


def test_the_check_finds_both_forms():
    source = "from sanxiang.api.system_documents import _refusal, ok\nfrom sanxiang.api import registry\nregistry._limit\n"
    assert private_imports(source) == [(1, "sanxiang.api.system_documents._refusal"), (3, "registry._limit")]
    assert private_imports("from sanxiang.api.system_documents import document_refusal_answer\n_local = 1\n") == []


def test_no_api_module_imports_another_modules_private_helpers():
    found = {f"{path.relative_to(API)}:{line} {name}"
             for path in sorted(API.rglob("*.py")) for line, name in private_imports(path.read_text(encoding="utf-8"))}
    assert found == set()
