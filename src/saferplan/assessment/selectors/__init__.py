"""Reads for the strategic assessment, one module a part: document, scoring, consultation, sharing."""
