"""Python-Markdown's inline step, minus the pattern searches that cannot match.

Python-Markdown tries every inline pattern (links, emphasis, code...) on every piece of text,
and those searches are about a third of rendering a lesson. Each stock pattern needs a
character to start: a link needs "[", emphasis "*" or "_". This processor skips a pattern
when its text lacks that character, so a table cell of plain words costs no search at all.
The output is unchanged: a skipped pattern could not have matched. Only patterns whose class
and expression are exactly the ones listed here are ever skipped, as they are when the
converter is built; a pattern from another Markdown release or an extension runs on every
text, as before.
"""

from __future__ import annotations

import markdown
from markdown import util
from markdown.treeprocessors import InlineProcessor

INLINE_PRIORITY = 20  # where Python-Markdown registers its own inline step

RAW_HTML = (  # Python-Markdown's HTML_RE: raw inline HTML
    r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|"""
    r"""[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|"""
    r"!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"
)

# (class name, regular expression): texts of which the pattern needs at least one
STOCK_PATTERNS: dict[tuple[str, str], tuple[str, ...]] = {
    ("BacktickInlineProcessor", r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): ("`",),
    ("EscapeInlineProcessor", r"\\(.)"): ("\\",),
    ("ReferenceInlineProcessor", r"(?<!\!)\["): ("[",),
    ("LinkInlineProcessor", r"(?<!\!)\["): ("[",),
    ("ImageInlineProcessor", r"\!\["): ("![",),
    ("ImageReferenceInlineProcessor", r"\!\["): ("![",),
    ("ShortReferenceInlineProcessor", r"(?<!\!)\["): ("[",),
    ("ShortImageReferenceInlineProcessor", r"\!\["): ("![",),
    ("AutolinkInlineProcessor", r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>"): ("<",),
    ("AutomailInlineProcessor", r"<([^<> !]+@[^@<> ]+)>"): ("<",),
    ("SubstituteTagInlineProcessor", r"  \n"): ("  \n",),
    ("HtmlInlineProcessor", r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"): ("&",),
    ("DelimiterProcessor", r"\*|_"): ("*", "_"),
    ("HtmlInlineProcessor", RAW_HTML): ("<",),
}


def needed_text(pattern: object) -> tuple[str, ...] | None:
    """Return texts of which pattern needs one to match, or None if it is not a known one."""
    class_name, expression = type(pattern).__name__, getattr(pattern, "pattern", None)
    if not isinstance(expression, str):
        return None
    return STOCK_PATTERNS.get((class_name, expression))


class TriggeredInlineProcessor(InlineProcessor):
    """The stock inline processor, skipping patterns whose needed text is absent."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.patterns = tuple(md.inlinePatterns)  # in priority order, as the stock loop runs
        needs = [needed_text(pattern) for pattern in self.patterns]
        self.needs = tuple(None if n is None else frozenset(n) for n in needs)
        self.triggers = frozenset(text for n in needs if n is not None for text in n)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        """Apply the patterns from patternIndex on, as the stock loop does, skipping misses."""
        if isinstance(data, util.AtomicString):
            return data
        # A match only ever takes text out (for a placeholder), so what is absent now stays so.
        present = {text for text in self.triggers if text in data}
        apply = self._InlineProcessor__applyPattern
        for index in range(patternIndex, len(self.patterns)):
            needed = self.needs[index]
            if needed is not None and needed.isdisjoint(present):
                continue
            matched, start = True, 0
            while matched:  # the stock loop stays on a pattern while it matches
                data, matched, start = apply(self.patterns[index], data, index, start)
        return data


def use_triggered_inline(md: markdown.Markdown) -> None:
    """Replace md's inline step with TriggeredInlineProcessor, at the same priority."""
    if type(md.treeprocessors["inline"]) is InlineProcessor:
        md.treeprocessors.register(TriggeredInlineProcessor(md), "inline", INLINE_PRIORITY)
