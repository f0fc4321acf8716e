"""YAML of the package's own data files (knowledge base, lexicons, message catalogs).

Every command start reads these files, so the parser's speed is start-up time: libyaml's
C loader (``yaml.CSafeLoader``) parses them about ten times faster than the pure-Python
``SafeLoader`` with identical results (checked on every knowledge-base file). Both are
safe loaders; where PyYAML was built without libyaml the pure-Python one is used.
User input keeps ``yaml.safe_load`` in ``hepcalc.errors`` (its error messages and line
numbers are part of the CLI's contract).
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """Parse trusted package YAML (the fastest safe loader available)."""
    return yaml.load(text, Loader=_LOADER)
