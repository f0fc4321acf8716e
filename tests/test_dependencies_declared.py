"""Every third-party module that src/hepcalc imports is declared in pyproject.toml.

Why: numpy, starlette and markupsafe were once imported but not declared; they
came in as other packages' dependencies, so everything worked until one of those
dropped them. "Install what you use" (DESIGN.md): a module of the core may only
import what the core declares; a module of an extra (web, registry, spark) what
the core or that extra declares.

The walk reads the source with ``ast`` (no import: the extras need not be
installed for the walk itself) and maps import names to distributions with
``importlib.metadata.packages_distributions`` (so it needs the dev install).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "hepcalc"

# Which extra a module belongs to, by path under src/hepcalc (first match wins);
# anything else is the core. A command that needs an extra imports it inside the
# command, so cli/serve.py belongs to web.
OWNERS: tuple[tuple[str, str], ...] = (
    ("web/", "web"),
    ("cli/serve.py", "web"),
    ("registry/", "registry"),
    ("batch_spark.py", "spark"),
)

# (module path, import name) -> the extra that declares it, where a module of one
# extra imports a package of another on one code path only.
ON_ONE_PATH: dict[tuple[str, str], str] = {
    # the COPY fast path runs only on PostgreSQL, where the postgres extra is installed
    ("registry/ingest.py", "psycopg"): "postgres",
}


def _normalise(name: str) -> str:
    """PEP 503 name: 'PyYAML' and 'pyyaml', 'fhir.resources' and 'fhir-resources' agree."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return _normalise(match.group(1))


def _self_extras(requirement: str) -> list[str]:
    """``hepcalc[web,registry]`` -> ['web', 'registry']; any other requirement -> []."""
    match = re.match(r"\s*hepcalc\[([^\]]+)\]", requirement)
    return [e.strip() for e in match.group(1).split(",")] if match else []


def declared() -> dict[str, set[str]]:
    """Distribution names per group: 'core' and each extra, with hepcalc[...] resolved."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras: dict[str, list[str]] = project["optional-dependencies"]

    def resolve(group: str, seen: frozenset[str] = frozenset()) -> set[str]:
        out: set[str] = set()
        for req in extras[group]:
            included = _self_extras(req)
            if included:
                for name in included:
                    if name not in seen:
                        out |= resolve(name, seen | {group})
            else:
                out.add(_requirement_name(req))
        return out

    groups = {name: resolve(name) for name in extras}
    groups["core"] = {_requirement_name(r) for r in project["dependencies"]}
    return groups


def owner(relative: str) -> str:
    for prefix, extra in OWNERS:
        if relative.startswith(prefix):
            return extra
    return "core"


def imported() -> dict[tuple[str, str], int]:
    """(module path, top-level import name) -> line of its first import, third-party only."""
    found: dict[tuple[str, str], int] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "hepcalc":
                    continue
                found.setdefault((relative, top), node.lineno)
    return found


def test_every_third_party_import_is_declared_where_it_is_used() -> None:
    groups = declared()
    distributions = packages_distributions()
    problems = []
    for (relative, top), line in sorted(imported().items()):
        dists = distributions.get(top)
        if not dists:
            problems.append(f"{relative}:{line}: {top} is not installed (no distribution)")
            continue
        group = ON_ONE_PATH.get((relative, top), owner(relative))
        allowed = groups["core"] | groups[group]
        if not any(_normalise(d) in allowed for d in dists):
            problems.append(
                f"{relative}:{line}: imports {top} ({', '.join(sorted(set(dists)))}), "
                f"not declared in the {group} dependencies"
            )
    assert not problems, "\n".join(problems)


def test_the_walk_sees_the_imports_it_guards() -> None:
    """The walk is not vacuous: known imports are found and classified."""
    seen = imported()
    tops = {top for _, top in seen}
    assert {"pydantic", "yaml", "fastapi", "sqlalchemy", "numpy", "markupsafe"} <= tops
    assert owner("web/app.py") == "web" and owner("engine/pathway.py") == "core"
    groups = declared()
    assert "pydantic" in groups["core"] and "fastapi" in groups["web"]
    assert "sqlalchemy" in groups["postgres"]  # hepcalc[registry] resolved
