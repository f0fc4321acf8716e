"""Last-mile text hygiene shared by every rendering.

Why: the words a rendering prints are assembled from several owners (engine
rationales, knowledge-base labels, reference lists), and each joint can
duplicate what the other side already said: a label the text repeats
("LR-3: LR-3: ..."), a sentence that already ends with a full stop followed by
another ("et al.."), an assumption printed after a heading that says the same
("assumes: Assumes ..."). These helpers remove the duplicate at the joint, the
same way for every case, instead of patching one wording.
"""

from __future__ import annotations

from hepcalc.regex_cache import re_compile

_DOUBLE_STOP = re_compile(r"(?<![.])\.\.(?![.])")
_SPACES = re_compile(r"[ \t]{2,}")


def strip_label(label: str, text: str) -> str:
    """``text`` without a leading copy of ``label`` (and its ':' or space).

    strip_label("LR-3", "LR-3: arterial ...") -> "arterial ...";
    strip_label("matched by", "matched automatically ...") -> "automatically ...".
    """
    t = text.lstrip()
    lab = label.strip()
    if lab and t.lower().startswith(lab.lower()):
        rest = t[len(lab) :]
        if not rest or not (rest[0].isalnum() or rest[0] in "-_"):
            return rest.lstrip(" :;,-").lstrip()
    return text


def first_word_overlap(label: str, text: str) -> str:
    """Drop the label's last word when the text starts with it ("matched by" + "matched ...")."""
    head = label.split()[0].lower() if label.split() else ""
    if head and text.lower().startswith(head):
        return text
    return f"{label} {text}"


def single_stops(text: str) -> str:
    """'et al.. Title' -> 'et al. Title' (an ellipsis '...' is left alone)."""
    return _DOUBLE_STOP.sub(".", text)


def sentence(text: str) -> str:
    """Trimmed text that ends with exactly one full stop (or its own ? / !)."""
    t = text.strip()
    if not t:
        return t
    t = t.rstrip(".").rstrip()
    return t if t.endswith(("?", "!")) else t + "."


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word boundary and marked with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


def collapse_spaces(text: str) -> str:
    return "\n".join(_SPACES.sub(" ", line.rstrip()) for line in text.splitlines()) + (
        "\n" if text.endswith("\n") else ""
    )


_DOUBLED_LABEL = re_compile(r"(?<![\w-])([A-Za-z][\w-]*:)(\s+\1)+(?=\s)")
_DOUBLED_BY = re_compile(r"\b([A-Za-z]{5,}) by \1\b")


def clean(text: str) -> str:
    """Every joint repair at once: repeated labels, 'matched by matched', double stops."""
    text = _DOUBLED_LABEL.sub(r"\1", text)
    text = _DOUBLED_BY.sub(r"\1", text)
    return single_stops(text)


def link_text(url: str) -> str:
    """A URL as shown (the href keeps it whole): no trailing dots that read as '..'."""
    return url.rstrip(".") or url
