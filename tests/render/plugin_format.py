"""A made-up output format registered from outside ``render/formats.py``, then the CLI.

Run as ``python tests/render/plugin_format.py ARGS...``: it registers the format
``findings-csv`` (one line per finding, its own media type), then runs
``hepcalc ARGS...`` in the same process, so both faces (the command line and
``hepcalc serve`` with one worker) are built from the list that now holds it.
Used by ``test_formats.py`` to show that one entry is all a new format needs.
"""

from __future__ import annotations

import sys

from hepcalc.model import Assessment
from hepcalc.render import formats

NAME = "findings-csv"
MEDIA_TYPE = "text/x-hepcalc-findings"


def findings_csv(a: Assessment, req: formats.RenderRequest) -> str:
    """``track,category`` per finding; the audience appears in the header so tests see it."""
    lines = [f"track,category,{req.audience}"]
    lines += [f"{f.track},{f.category.value}" for f in a.findings]
    return "\n".join(lines) + "\n"


def register() -> None:
    formats.register(
        formats.OutputFormat(
            name=NAME,
            media_type=MEDIA_TYPE,
            renderer=findings_csv,
            description="one line per finding (a test plug-in)",
        )
    )


if __name__ == "__main__":
    register()
    from hepcalc.cli import main

    main(sys.argv[1:])
