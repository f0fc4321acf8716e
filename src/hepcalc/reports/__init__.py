"""Reading free-text radiology reports: text -> liver calcification findings.

Public API (others code against it; keep it stable):

* ``extract_findings(text, modality=None) -> list[Finding]``: the liver findings
  present now (not negated, historical, hypothetical, resolved or in another organ),
  each with ``evidence`` (sentence and character span into ``text``).
* ``read_report(text, modality=None) -> ReportReading``: the findings plus the
  excluded mentions with their reason, the modality, the background liver and the
  sections.
* ``MAX_REPORT_CHARS``: longer text raises ``InputError``.

See docs/reading.md for what is read and how.
"""

from __future__ import annotations

from hepcalc.model import MAX_REPORT_CHARS
from hepcalc.reports.reader import (
    ExcludedMention,
    ReportReading,
    SectionInfo,
    extract_findings,
    read_report,
)

__all__ = [
    "MAX_REPORT_CHARS",
    "ExcludedMention",
    "ReportReading",
    "SectionInfo",
    "extract_findings",
    "read_report",
]
