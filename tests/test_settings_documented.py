"""The README's settings table tells the truth: every environment variable
ipfin/settings.py reads is in it, with the default the code falls back to,
and it names none the code no longer reads."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "ipfin" / "settings.py"
README = ROOT / "README.md"
NAME = re.compile(r"`([A-Z][A-Z0-9_]*)`")
NOT_GIVEN = object()


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return NOT_GIVEN  # worked out from other settings: the README says how


def read_from_environment() -> dict[str, object]:
    """Each variable settings.py reads (env(...), env.<kind>(...),
    os.environ / os.getenv) with its literal default, if it has one."""
    found: dict[str, object] = {}
    for node in ast.walk(ast.parse(SETTINGS.read_text())):
        name: ast.expr | None = None
        default: object = NOT_GIVEN
        if isinstance(node, ast.Call):
            func = node.func
            reader = (
                (isinstance(func, ast.Name) and func.id in {"env", "getenv"})
                or (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "env"
                )
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr in {"getenv", "get"}
                    and ast.unparse(func.value) in {"os", "os.environ", "environ"}
                )
            )
            if reader and node.args:
                name = node.args[0]
                for keyword in node.keywords:
                    if keyword.arg == "default":
                        default = _literal(keyword.value)
                if len(node.args) > 1 and default is NOT_GIVEN:
                    default = _literal(node.args[1])
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            name = node.slice
        if name is not None:
            assert isinstance(name, ast.Constant) and isinstance(name.value, str), (
                f"settings.py line {name.lineno} reads a variable whose name is not a string: "
                "the README cannot name it"
            )
            found[name.value] = default
    return found


def documented() -> dict[str, str]:
    """Variable → its default cell, from the table under "## Configuration"."""
    section = README.read_text().split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        for variable in NAME.findall(cells[0]):
            rows[variable] = cells[1]
    return rows


def shown(default: object) -> list[str]:
    """How the README may state a literal default."""
    if default in ("", [], ()):
        return ["empty", "unset"]
    if isinstance(default, bool):
        return [f"`{str(default).lower()}`"]
    if isinstance(default, float):
        return [f"`{default:g}`"]
    if isinstance(default, list | tuple):
        return [f"`{','.join(map(str, default))}`"]
    return [f"`{default}`"]


def test_the_settings_table_names_every_variable_the_settings_read():
    read = read_from_environment()
    table = documented()
    # The reader finds what settings.py is known to read.
    assert {"DATABASE_URL", "SECRET_KEY", "MEDIA_ROOT", "SECURE_HSTS_SECONDS"} <= set(read)
    assert sorted(set(read) - set(table)) == [], "read by ipfin/settings.py, not in the README"
    assert sorted(set(table) - set(read)) == [], "in the README, no longer read"


def test_the_settings_table_states_each_literal_default():
    table = documented()
    wrong = {
        variable: (table.get(variable), shown(default))
        for variable, default in read_from_environment().items()
        if default is not NOT_GIVEN
        and not any(form in table.get(variable, "") for form in shown(default))
    }
    assert wrong == {}, "README default cell, and what settings.py falls back to"
