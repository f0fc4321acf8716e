"""hepcalc: open, auditable decision support for liver calcifications on imaging.

Layers (DESIGN.md), each importing only those below it:
model -> knowledge -> reports -> engine -> render -> faces (cli, web, registry, batch).
"""

__version__ = "0.1.0"
