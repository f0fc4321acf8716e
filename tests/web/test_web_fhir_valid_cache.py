"""The cache of resources already found valid never lets an invalid resource through.

``validate_resource`` remembers digests of valid documents only (a speed-up for
CDS Hooks, where the same problem list and reports arrive on every chart open).
An invalid document must be refused every time, with the same field path, and a
changed document must be validated again.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from hepcalc.errors import InputError
from hepcalc.interop.fhir_input import _ValidCache, validate_resource


def _patient(**extra: Any) -> dict[str, Any]:
    return {"resourceType": "Patient", "id": "p1", "birthDate": "1966-01-01", **extra}


def _problems(data: dict[str, Any], path: str) -> list[tuple[str, str]]:
    with pytest.raises(InputError) as info:
        validate_resource(data, path)
    return info.value.problems


def test_invalid_resource_is_refused_every_time_with_its_path() -> None:
    bad = _patient(birthDate="1966-13-45")
    first = _problems(bad, "prefetch.patient")
    assert first == _problems(copy.deepcopy(bad), "prefetch.patient")
    assert first[0][0].startswith("prefetch.patient.birthDate")


def test_a_changed_resource_is_validated_again() -> None:
    good = _patient()
    assert validate_resource(good, "prefetch.patient") is good
    assert validate_resource(copy.deepcopy(good), "prefetch.patient") == good  # cached
    changed = copy.deepcopy(good)
    changed["bogus"] = 1  # not a Patient element
    assert _problems(changed, "prefetch.patient")[0][0].startswith("prefetch.patient.bogus")


def test_cache_is_bounded_and_keeps_recent_digests() -> None:
    cache = _ValidCache(max_items=2)
    digests = [cache.digest(_patient(id=f"p{i}")) for i in range(3)]
    assert all(d is not None and len(d) == 32 for d in digests)
    for d in digests:
        assert d is not None
        cache.add(d)
    assert digests[0] not in cache and digests[1] in cache and digests[2] in cache


def test_documents_that_are_not_plain_json_bypass_the_cache() -> None:
    assert _ValidCache.digest({1: "a", "b": 2}) is None  # mixed key types cannot be sorted
