"""The HTTP face: REST (CONTRACT.md section 4), CDS Hooks 2.0 and web pages.

No clinical logic lives here: routes validate input, call the pipeline,
renderers and knowledge base, and serialise. See docs/service.md.
"""
