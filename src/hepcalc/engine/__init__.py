"""The engine: pure functions from a Case to an Assessment (no I/O, no clock).

``assess`` is imported lazily so that importing one engine module (for example
``hepcalc.engine.lirads`` in a test) does not pull in the whole pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hepcalc.engine.assess import assess as assess


def __getattr__(name: str) -> Any:
    if name == "assess":
        from hepcalc.engine.assess import assess

        return assess
    raise AttributeError(name)
