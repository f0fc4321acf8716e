"""CDS Hooks 2.0 wire types (request, card, discovery, feedback) as pydantic models.

Serialise responses with ``wire()``: the spec forbids null, "" and empty
arrays/objects for optional fields (omit them instead), except ``cards: []``.
Invariants from the 2.0 text and 3.0 FHIRPath constraints are enforced here so
a card that breaks them cannot be built: suggestions need selectionBehavior
(cds-resp-6), at-most-one allows at most one recommended suggestion
(cds-resp-1), create/update carry a resource and delete a resourceId.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SUMMARY_MAX = 139  # spec: "<140-character"


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid")


def wire(value: Any) -> Any:
    """JSON data with every None, empty string/list/dict dropped (recursively)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = wire(v)
            if v is None or v == "" or v == [] or v == {}:
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return [wire(v) for v in value]
    return value


class Coding(_Wire):
    code: str
    system: str | None = None
    display: str | None = None


class Source(_Wire):
    label: str
    url: str | None = None
    topic: Coding | None = None


class Action(_Wire):
    type: Literal["create", "update", "delete"]
    description: str
    resource: dict[str, Any] | None = None
    resourceId: str | None = None

    @model_validator(mode="after")
    def _payload(self) -> Action:
        if self.type in ("create", "update") and not self.resource:
            raise ValueError(f"{self.type} action needs a resource")
        if self.type == "delete" and not self.resourceId:
            raise ValueError("delete action needs a resourceId")
        return self


class Suggestion(_Wire):
    label: str
    uuid: str | None = None
    isRecommended: bool | None = None
    actions: list[Action] = Field(default_factory=list)


class Link(_Wire):
    label: str
    url: str
    type: Literal["absolute", "smart"]
    appContext: str | None = None

    @model_validator(mode="after")
    def _app_context(self) -> Link:
        if self.appContext is not None and self.type != "smart":
            raise ValueError("appContext only for smart links (cds-resp-3)")
        return self


class Card(_Wire):
    uuid: str | None = None
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX)
    detail: str | None = None
    indicator: Literal["info", "warning", "critical"]
    source: Source
    suggestions: list[Suggestion] = Field(default_factory=list)
    selectionBehavior: Literal["at-most-one", "any"] | None = None
    overrideReasons: list[Coding] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)

    @model_validator(mode="after")
    def _invariants(self) -> Card:
        if self.suggestions and self.selectionBehavior is None:
            raise ValueError("suggestions need selectionBehavior (cds-resp-6)")
        recommended = sum(1 for s in self.suggestions if s.isRecommended)
        if self.selectionBehavior == "at-most-one" and recommended > 1:
            raise ValueError("at-most-one allows one recommended suggestion (cds-resp-1)")
        if any(not r.display for r in self.overrideReasons):
            raise ValueError("overrideReasons need display (cds-resp-4)")
        return self


class CdsResponse(_Wire):
    cards: list[Card] = Field(default_factory=list)


class ServiceDefinition(_Wire):
    hook: str
    title: str | None = None
    description: str
    id: str
    prefetch: dict[str, str] | None = None
    usageRequirements: str | None = None


class CdsRequest(BaseModel):
    """A hook call. Unknown top-level fields are tolerated (forward compatibility)."""

    model_config = ConfigDict(extra="allow")
    hook: str = Field(min_length=1, max_length=100)
    hookInstance: str = Field(min_length=1, max_length=200)
    fhirServer: str | None = Field(default=None, max_length=2000)
    fhirAuthorization: dict[str, Any] | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None
    extension: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _auth_needs_server(self) -> CdsRequest:
        if self.fhirAuthorization is not None and not self.fhirServer:
            raise ValueError("fhirServer: required when fhirAuthorization is present (cds-r-1)")
        return self


class OverrideReason(BaseModel):
    model_config = ConfigDict(extra="allow")
    reason: Coding | None = None
    userComment: str | None = Field(default=None, max_length=2000)


class AcceptedSuggestion(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str = Field(min_length=1, max_length=200)


class FeedbackItem(BaseModel):
    model_config = ConfigDict(extra="allow")
    card: str = Field(min_length=1, max_length=200)
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] = Field(default_factory=list, max_length=50)
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: str = Field(
        min_length=1,
        max_length=40,
        pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
    )

    @model_validator(mode="after")
    def _accepted_needs_suggestions(self) -> FeedbackItem:
        if self.outcome == "accepted" and not self.acceptedSuggestions:
            raise ValueError("acceptedSuggestions: required when outcome is accepted")
        return self


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    feedback: list[FeedbackItem] = Field(min_length=1, max_length=100)
