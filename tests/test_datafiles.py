"""The fast loader of package YAML gives exactly what the pure-Python safe loader gives,
on every YAML file the package ships (knowledge base, lexicons, catalogs)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import hepcalc
from hepcalc.datafiles import load_yaml

PACKAGE = Path(hepcalc.__file__).parent
FILES = sorted(PACKAGE.rglob("*.yaml"))


def test_there_are_package_yaml_files() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_fast_loader_equals_safe_load(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert load_yaml(text) == yaml.safe_load(text)


def test_it_is_a_safe_loader() -> None:
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']")
