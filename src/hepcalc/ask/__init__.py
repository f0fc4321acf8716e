"""`hepcalc ask`: answers from the cited knowledge articles, by BM25 retrieval.

``answer(question, audience)`` returns an :class:`Answer` with the composed
passages, their citation keys and related questions, or an honest "I don't
know" when the question is outside the knowledge base. No network, no model
weights: the index is built from the packaged YAML once per process.
"""

from __future__ import annotations

from hepcalc.ask.answer import Answer, answer

__all__ = ["Answer", "answer"]
