"""Input translation from health-data standards (FHIR R4) into hepcalc's Case.

Kept apart from the web face so that every face (REST, CDS Hooks, registry,
batch) reads FHIR the same way. Nothing clinical is decided here.
"""

from hepcalc.interop.fhir_input import (
    CaseBuild,
    case_from_bundle,
    case_from_resources,
    is_bundle,
    prefetch_entries,
)

__all__ = ["CaseBuild", "case_from_bundle", "case_from_resources", "is_bundle", "prefetch_entries"]
