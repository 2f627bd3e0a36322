"""Pure per-family matchers and normalisers: text in, values out, no spaCy."""
