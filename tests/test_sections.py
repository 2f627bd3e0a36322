"""Case-report sections, captions and the sentence splitter."""
import pytest

from extractor.sections import find_sections, section_at
from extractor.sentences import sentence_bounds
from extractor.text import caption_blocks, repair

ARTICLE = """Rare tumour of the colon: a case report

Abstract
Background: Tumours like this are rare.
Case summary: A 50-year-old man had surgery.

1 Introduction
Studies report that such tumours recur.

2 Case presentation
The patient underwent resection and the team
 FIGURE 1
 CT of the abdomen (A). Histology (B).

agreed on follow-up. He is well.

3 Discussion
Other series describe worse outcomes.

References
1. Smith J. A study. 2019.
"""


def test_sections_headings_and_caption():
    secs = find_sections(ARTICLE)
    names = [s.name for s in secs]
    assert names[:4] == ["title", "abstract", "introduction", "case"]
    assert "caption" in names and "discussion" in names and names[-1] == "references"
    at = lambda phrase: section_at(secs, ARTICLE.index(phrase))  # noqa: E731
    assert at("Tumours like this") == "introduction"
    assert at("A 50-year-old") == "case"
    assert at("CT of the abdomen") == "caption"
    assert at("agreed on follow-up") == "case"
    assert at("Other series") == "discussion"
    assert at("Smith J.") == "references"


def test_sections_no_heading_is_one_case():
    text = "A 40-year-old woman presented with a breast mass. She received letrozole."
    assert [(s.name, s.start, s.end) for s in find_sections(text)] == [("case", 0, len(text))]


def test_sections_caption_moved_after_interrupted_sentence():
    (block,) = caption_blocks(ARTICLE)
    assert ARTICLE[block.start:block.end].strip().startswith("FIGURE 1")
    fixed = repair(ARTICLE)
    assert "the team\nagreed on follow-up." in fixed.clean
    # the moved caption still maps back to its own place in the original
    i = fixed.clean.index("CT of the abdomen")
    s, e = fixed.to_original(i, i + len("CT of the abdomen"))
    assert ARTICLE[s:e] == "CT of the abdomen"


@pytest.mark.parametrize("text,n", [
    ("He was seen (Fig. 2). Smith et al. reported it. She got XELOX.", 3),
    ("One.\n\nTwo without stop\n\nThree.", 3),
    ("Dose was 2.5 mg. Then 5 mg.", 2),
])
def test_sections_sentence_bounds(text, n):
    bounds = sentence_bounds(text)
    assert len(bounds) == n
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)


# an OCR-wrapped scraped page: short paragraphs, headings run into their text
WRAPPED = ("Abstract A woman of 61 years had a thyroid mass. Surgery\nwas curative.\n\n"
           "Keywords: calcitonin, thyroid, surgery\n\n"
           "Introduction Medullary carcinoma is rare and arises from\nC-cells of the gland.\n\n"
           "Case Reports A 61-year-old woman was seen with a neck\nmass. She underwent total thyroidectomy.\n\n"
           "Discussion Calcitonin is the usual marker of this tumour.\n")


@pytest.mark.parametrize("needle, section", [
    ("A woman of 61", "abstract"),
    ("calcitonin, thyroid", "boilerplate"),
    ("Medullary carcinoma is rare", "introduction"),
    ("She underwent total thyroidectomy", "case"),
    ("Calcitonin is the usual", "discussion"),
])
def test_sections_of_an_ocr_wrapped_page(needle, section):
    """An inline boilerplate heading (``Keywords: ...``) covers its own paragraph only, and a
    paragraph that opens with a heading run into its text starts that section, so a
    wrapped page is never one boilerplate section to its end."""
    pos = WRAPPED.index(needle)
    assert section_at(find_sections(WRAPPED), pos) == section


@pytest.mark.parametrize("text", [
    "The patient was well.\n\nDiscussion of the options with the family took a week.\n",
    "The patient was well.\n\nIntroduction of a feeding tube was needed in May.\n",
])
def test_sections_prose_opening_with_a_heading_word_is_not_a_heading(text):
    assert [s.name for s in find_sections(text)] == ["case"]
