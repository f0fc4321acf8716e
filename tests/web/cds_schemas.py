"""JSON Schemas for CDS Hooks 2.0 discovery and card responses, written from the spec.

Source: CDS Hooks 2.0 (HL7/cds-hooks tag v2.0.1, "Discovery" and "CDS Service
Response"), as summarised in ../shared/knowledge/conventions.md section 1.2-1.4.
Optional fields may be absent but never null or empty (the spec's JSON rule),
so every optional string has minLength 1 and every optional array minItems 1.
The 3.0 FHIRPath invariants that also hold for 2.0 are checked in
``card_invariant_errors`` (JSON Schema cannot say "at most one recommended").
"""

from __future__ import annotations

from typing import Any

NONEMPTY = {"type": "string", "minLength": 1}

CODING = {
    "type": "object",
    "required": ["code"],
    "properties": {"code": NONEMPTY, "system": NONEMPTY, "display": NONEMPTY},
    "additionalProperties": False,
}

SERVICE = {
    "type": "object",
    "required": ["hook", "description", "id"],
    "properties": {
        "hook": NONEMPTY,
        "title": NONEMPTY,
        "description": NONEMPTY,
        "id": {"type": "string", "pattern": "^[A-Za-z0-9._~-]+$"},
        "prefetch": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": NONEMPTY,
        },
        "usageRequirements": NONEMPTY,
    },
    "additionalProperties": False,
}

DISCOVERY = {
    "type": "object",
    "required": ["services"],
    "properties": {"services": {"type": "array", "items": SERVICE}},
    "additionalProperties": False,
}

ACTION = {
    "type": "object",
    "required": ["type", "description"],
    "properties": {
        "type": {"enum": ["create", "update", "delete"]},
        "description": NONEMPTY,
        "resource": {"type": "object", "required": ["resourceType"], "minProperties": 1},
        "resourceId": NONEMPTY,
    },
    "additionalProperties": False,
    "allOf": [
        {
            "if": {"properties": {"type": {"enum": ["create", "update"]}}},
            "then": {"required": ["resource"]},
        },
        {"if": {"properties": {"type": {"const": "delete"}}}, "then": {"required": ["resourceId"]}},
    ],
}

SUGGESTION = {
    "type": "object",
    "required": ["label"],
    "properties": {
        "label": NONEMPTY,
        "uuid": NONEMPTY,
        "isRecommended": {"type": "boolean"},
        "actions": {"type": "array", "minItems": 1, "items": ACTION},
    },
    "additionalProperties": False,
}

LINK = {
    "type": "object",
    "required": ["label", "url", "type"],
    "properties": {
        "label": NONEMPTY,
        "url": {"type": "string", "pattern": "^(https?://|/)"},
        "type": {"enum": ["absolute", "smart"]},
        "appContext": NONEMPTY,
        "autolaunchable": {"type": "boolean"},
    },
    "additionalProperties": False,
}

CARD = {
    "type": "object",
    "required": ["summary", "indicator", "source"],
    "properties": {
        "uuid": NONEMPTY,
        "summary": {"type": "string", "minLength": 1, "maxLength": 139},
        "detail": NONEMPTY,
        "indicator": {"enum": ["info", "warning", "critical"]},
        "source": {
            "type": "object",
            "required": ["label"],
            "properties": {
                "label": NONEMPTY,
                "url": {"type": "string", "pattern": "^https?://"},
                "icon": {"type": "string", "pattern": "^https?://"},
                "topic": CODING,
            },
            "additionalProperties": False,
        },
        "suggestions": {"type": "array", "minItems": 1, "items": SUGGESTION},
        "selectionBehavior": {"enum": ["at-most-one", "any"]},
        "overrideReasons": {
            "type": "array",
            "minItems": 1,
            "items": {**CODING, "required": ["code", "display"]},
        },
        "links": {"type": "array", "minItems": 1, "items": LINK},
    },
    "additionalProperties": False,
    "dependentRequired": {"suggestions": ["selectionBehavior"]},
}

RESPONSE = {
    "type": "object",
    "required": ["cards"],
    "properties": {
        "cards": {"type": "array", "items": CARD},
        "systemActions": {"type": "array", "minItems": 1, "items": ACTION},
    },
    "additionalProperties": False,
}


def _nulls(value: Any, path: str = "") -> list[str]:
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nulls(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nulls(v, f"{path}[{i}]")]
    return []


def card_invariant_errors(response: dict[str, Any]) -> list[str]:
    """3.0 invariants valid for 2.0: cds-resp-1, cds-resp-3; no nulls anywhere."""
    errors = [f"null at {p}" for p in _nulls(response)]
    for i, card in enumerate(response.get("cards", [])):
        recommended = sum(1 for s in card.get("suggestions", []) if s.get("isRecommended"))
        if card.get("selectionBehavior") == "at-most-one" and recommended > 1:
            errors.append(f"cards[{i}]: more than one recommended suggestion (cds-resp-1)")
        for link in card.get("links", []):
            if "appContext" in link and link["type"] != "smart":
                errors.append(f"cards[{i}]: appContext on a non-smart link (cds-resp-3)")
    return errors
