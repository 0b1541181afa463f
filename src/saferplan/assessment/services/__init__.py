"""Writes for the strategic assessment, one module a part: document (the assessment, sections, long-list,
priorities), scoring, consultation, sharing. Every write records who made it."""
