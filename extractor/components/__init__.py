"""spaCy factories, one per family; each writes ``doc.spans["case_<family>"]``.

Modules here only wire pure functions (in ``extractor.normalize`` and the family
matchers) into spaCy; importing this package must stay light because spaCy
imports every ``spacy_factories`` entry point when a Language is created.
"""
