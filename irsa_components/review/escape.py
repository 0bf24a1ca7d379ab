"""Making program data safe to show: visible escapes for terminals, inert text for markdown.

A program's names, tags and outputs are data, not formatting. In a terminal, control characters (ESC, CR, OSC
sequences, bidi overrides) would move the cursor, recolour or hide text, so they are shown as ``\\x1b``-style
escapes. In markdown, a value could open a heading, HTML, an image, a mention or a new table cell, so values are
code spans (whose fence outgrows any backtick run inside) and prose is backslash-escaped.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs"})


def _escape_char(char: str) -> str:
    code = ord(char)
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char)
    if named:
        return named
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """``text`` with every control, format and separator character written as an escape (``\\x1b``, ``\\r``)."""
    if text.isprintable():
        return text
    return "".join(_escape_char(c) if unicodedata.category(c) in _INVISIBLE_CATEGORIES else c for c in text)


def visible_lines(text: str) -> str:
    """``visible`` per line, keeping the line breaks."""
    return "\n".join(visible(line) for line in text.split("\n"))


def longest_backtick_run(text: str) -> int:
    return max((len(m) for m in re.findall(r"`+", text)), default=0)


def code_span(value: object, *, in_table: bool = True) -> str:
    """``value`` as a markdown code span: nothing inside is formatting; ``|`` escaped for table cells."""
    text = visible(str(value))
    if text == "":
        return "-"
    fence = "`" * (longest_backtick_run(text) + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or text.startswith(" ") else text
    span = f"{fence}{padded}{fence}"
    return span.replace("|", "\\|") if in_table else span


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]#!|<>~&])")
"""Characters that can start markdown or HTML inside a table cell (emphasis, code, links and images, HTML,
entities, strikethrough, a new cell); CommonMark reads each backslash-escaped one literally."""


def markdown_text(value: object) -> str:
    """``value`` as markdown prose: formatting characters backslash-escaped, line breaks and controls made
    visible, and ``@`` kept from forming a mention (a word joiner after it)."""
    text = visible(str(value))
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text).replace("@", "@\u2060")


def fence_for(text: str) -> str:
    """A code fence longer than any backtick run in ``text`` (at least three)."""
    return "`" * max(3, longest_backtick_run(text) + 1)
