"""Skipping inline patterns that cannot match never changes a lesson's HTML."""

import markdown
import pytest
from markdown.inlinepatterns import HtmlInlineProcessor, SimpleTagInlineProcessor

from parley.config import PROJECT_ROOT
from parley.content.inline import TriggeredInlineProcessor, use_triggered_inline
from parley.content.markdown import EXTENSIONS, render

SAMPLER = [
    "plain words only",
    "a `code span with \\` inside` and \\*escaped\\* stars and \\\\`ticks`",
    "[link](lesson-one.md#part), ![image](x.png) and [reference][r]\n\n[r]: https://example.com",
    "[short reference]\n\n[short reference]: https://example.com",
    "<https://example.com/a> and <someone@example.com>",
    "line one  \nline two",
    'inline <abbr title="x">HTML</abbr> &amp; &copy; &#169; entities & a lone ampersand',
    "*em* **strong** ***both*** _under_ __double__ *a _b_ c* snake_case_word 2*3*4",
    "| a | *b* |\n|---|---|\n| `c` | [d](e) |\n| plain | cell |",
    '!!! note "Take *care*"\n    - one [x](y)\n    - two',
    "## Heading with `code` {#anchor}\n\nText.",
    "[a](b) then *x*: the link takes the only bracket before emphasis is tried",
    "1. first\n2. second *em*\n\n> a quote with [a link](u)",
    "```\n*not em* [not a link]\n```\n\nafter",
    "    indented *code*\n\nthen **bold**",
]


def converters():
    stock = markdown.Markdown(extensions=EXTENSIONS)
    triggered = markdown.Markdown(extensions=EXTENSIONS)
    use_triggered_inline(triggered)
    assert isinstance(triggered.treeprocessors["inline"], TriggeredInlineProcessor)
    return stock, triggered


@pytest.mark.parametrize("text", SAMPLER)
def test_skipping_patterns_gives_the_html_of_the_stock_inline_step(text):
    stock, triggered = converters()
    assert triggered.convert(text) == stock.convert(text)


def test_every_shipped_lesson_renders_as_with_the_stock_inline_step():
    stock, triggered = converters()
    lessons = sorted((PROJECT_ROOT / "courses").rglob("*.md"))
    assert lessons
    for path in lessons:
        text = path.read_text(encoding="utf-8")
        assert triggered.reset().convert(text) == stock.reset().convert(text), path


def test_every_stock_pattern_is_known_so_its_searches_can_be_skipped():
    _, triggered = converters()
    unknown = [
        type(pattern).__name__
        for pattern, needs in zip(
            triggered.treeprocessors["inline"].patterns,
            triggered.treeprocessors["inline"].needs,
            strict=True,
        )
        if needs is None
    ]
    assert unknown == [], "a Markdown release changed these patterns; update STOCK_PATTERNS"


def test_a_pattern_it_does_not_know_runs_on_every_text():
    md = markdown.Markdown(extensions=EXTENSIONS)
    md.inlinePatterns.register(SimpleTagInlineProcessor(r"()~~(.+?)~~", "del"), "strike", 55)
    use_triggered_inline(md)
    assert md.convert("some ~~old~~ words") == "<p>some <del>old</del> words</p>"


def test_a_pattern_like_a_stock_one_but_not_the_same_is_not_skipped():
    stock, triggered = (markdown.Markdown(extensions=EXTENSIONS) for _ in range(2))
    for md in (stock, triggered):
        md.inlinePatterns.register(HtmlInlineProcessor(r"(<?%%.%%)", md), "percent", 95)
    use_triggered_inline(triggered)
    assert triggered.convert("a %%&%% b") == stock.convert("a %%&%% b")


@pytest.mark.parametrize("marker", ["[TOC]", "[T\x02OC]", "[TOC\x03]"])
def test_a_toc_marker_still_becomes_a_table_of_contents(marker):
    html = render(f"{marker}\n\n## One\n\nText.\n").html
    assert 'class="toc"' in html
    assert 'href="#one"' in html
    assert 'class="toc"' not in render("## One\n\nText about [TOC] markers.\n").html
