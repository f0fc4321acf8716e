"""Patient text: what a calcification is, what this one most likely is, whether it
changed, what happens next and when, when to call sooner, and who decides.

Written for a grade-8 reader (tests measure Flesch-Kincaid with textstat on every
case): short sentences, short words, each technical word explained once. It is
never alarming (serious causes are not named as "most likely"; it says more
tests will find out) and never dismissive (even a harmless spot gets "your
doctor decides"). Headings are questions so each ends a sentence.
"""

from __future__ import annotations

from hepcalc.model import Assessment, Category, FindingResult
from hepcalc.render import words
from hepcalc.render.environment import render_template
from hepcalc.render.view import leading_cause, leading_finding

_ORDINALS = ("first", "second", "third", "fourth", "fifth")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _kind_sentence(f: FindingResult) -> str:
    if f.category is Category.calcified_solid_lesion:
        return "Here the calcium is part of a larger spot, a lump of tissue."
    if f.category is Category.calcified_cystic_lesion:
        return "Here the calcium is in the wall of a cyst. A cyst is a small sac of fluid."
    if f.category is Category.noncalcified_lesion:
        return "The scan also showed a spot that has no calcium in it."
    if f.category is Category.indeterminate:
        return "The scan could not show clearly what the spot is made of."
    return ""


def _size_sentence(f: FindingResult) -> str:
    place = words.plain_place(f.location)
    if f.latest_size_mm is None:
        return f"The spot is{place}." if place else ""
    return f"It is about {words.plain_size(f.latest_size_mm)} across{place and ','}{place}."


def _change_lines(a: Assessment) -> list[str]:
    compared = [g for g in a.growth if len(g.points) > 1 or g.from_mm is not None]
    lines: list[str] = []
    for i, g in enumerate(compared):
        subject = "It"
        if len(compared) > 1:
            subject = f"The {_ORDINALS[i]} spot" if i < len(_ORDINALS) else f"Spot {g.track}"
        lines.append(words.plain_growth(g, subject))
    return lines


def render_patient_text(a: Assessment) -> str:
    who = words.reader(a)
    f = leading_finding(a)
    prenatal = words.is_prenatal(a)
    n = len(a.findings)
    if prenatal:
        found = "The scan of your baby showed a small bright spot of calcium in the liver."
    elif n > 1 or (f is not None and (f.count == "multiple" or f.count != 1)):
        many = str(n) if n > 1 else "several"
        found = f"{_cap(who['whose'])} scan showed {many} small spots with calcium in the liver."
        n = max(n, 2)
    else:
        found = f"{_cap(who['whose'])} scan showed a small spot of calcium in the liver."
    what_is = [
        found,
        "Doctors call these calcifications." if n > 1 else "Doctors call this a calcification.",
        "Calcium is the mineral that makes bones hard.",
        "A spot like this often forms where the body healed from an old injury or infection.",
        "It is common, and most are harmless. It is still worth checking what it means for "
        f"{who['who']}.",
    ]
    likely: list[str] = []
    if f is not None:
        kind = _kind_sentence(f)
        if kind:
            likely.append(kind)
        top = leading_cause(a, f.track)
        likely.append(words.plain_cause(top.etiology if top else None))
        size = _size_sentence(f)
        if size:
            likely.append(size)
    changed = _change_lines(a) or [
        "This is the first scan that shows it, so there is nothing to compare it with yet."
    ]
    next_steps: list[str] = []
    for rec in a.recommendations:
        line = words.plain_action(rec)
        if line not in next_steps:
            next_steps.append(line)
    if prenatal:
        call = (
            "Call your pregnancy care team sooner if you have a fever or a rash, or if you "
            "are worried about your baby."
        )
    elif a.risk.tier.value == "pediatric":
        call = (
            "Call your child's doctor sooner if your child has yellow skin or eyes, a swollen "
            "belly, a fever, or is not eating well."
        )
    else:
        call = (
            "Call your doctor sooner if you have pain in the upper right belly that does not "
            "go away, yellow skin or eyes, weight loss you cannot explain, or a fever."
        )
    return render_template(
        "patient.txt.j2",
        what_is=what_is,
        likely=likely,
        changed=changed,
        next_steps=next_steps,
        call=call,
        team=_cap(who["team"]),
        whose=who["whose"],
    )
