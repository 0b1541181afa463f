"""Forms for the strategic assessment pages, one module a part."""
