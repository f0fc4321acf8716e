"""The Jinja2 environment shared by every rendering.

Templates live in the package (``render/templates``) so renderings work offline
and from an installed wheel. Undefined names fail loudly (StrictUndefined): a
typo in a template must break a test, not print an empty string in a report.
HTML templates are autoescaped; text templates are not (they are not markup).
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@lru_cache(maxsize=1)
def environment() -> Environment:
    """One environment per process; templates compile once and are cached by Jinja."""
    return Environment(
        loader=PackageLoader("hepcalc.render", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "svg.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
