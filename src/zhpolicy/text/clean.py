"""Cleaning decoded text before sectioning: front matter, HTML remnants, page numbers, running heads, broken lines."""
from __future__ import annotations

import functools
import html
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

from zhpolicy.text.headings import heading_title
from zhpolicy.text.normalize import PAGE_BREAK, normalize_text

CleanStep = Literal["front-matter", "html", "page-numbers", "running-heads", "join-lines"]

#: Every cleaning step, in the order :func:`clean_text` applies them.
CLEAN_STEPS: tuple[CleanStep, ...] = ("front-matter", "html", "page-numbers", "running-heads", "join-lines")
#: The steps on by default: they remove only what cannot be prose and leave a clean report unchanged.
SAFE_STEPS: tuple[CleanStep, ...] = ("front-matter", "html", "page-numbers")
#: Names accepted by :func:`parse_clean_steps` besides the steps themselves.
CLEAN_ALIASES: dict[str, tuple[CleanStep, ...]] = {"none": (), "safe": SAFE_STEPS, "all": CLEAN_STEPS}


def parse_clean_steps(spec: str | Iterable[str]) -> tuple[CleanStep, ...]:
    """Cleaning steps from a comma-separated spec such as ``"safe,join-lines"``, in canonical order.

    Accepts step names and the aliases ``none``, ``safe`` and ``all``. Raises ``ValueError`` naming
    the allowed values for anything else.

    Examples
    --------
    >>> parse_clean_steps("join-lines,safe")
    ('front-matter', 'html', 'page-numbers', 'join-lines')
    """
    names = [part.strip() for part in spec.split(",")] if isinstance(spec, str) else list(spec)
    chosen: set[str] = set()
    for name in names:
        if name in CLEAN_ALIASES:
            chosen.update(CLEAN_ALIASES[name])
        elif name in CLEAN_STEPS:
            chosen.add(name)
        elif name:
            allowed = ", ".join([*CLEAN_STEPS, *CLEAN_ALIASES])
            raise ValueError(f"unknown cleaning step {name!r}; choose from {allowed}")
    return tuple(step for step in CLEAN_STEPS if step in chosen)


def clean_text(text: str, steps: Iterable[str] = SAFE_STEPS) -> str:
    """Apply the cleaning ``steps`` to a normalised text, then drop page breaks (form feeds).

    Steps run in the order of :data:`CLEAN_STEPS` whatever the order given. ``running-heads`` uses
    page breaks, when the text has them, to find the first and last lines of each page.

    Examples
    --------
    >>> clean_text("推进&ldquo;放管服&rdquo;改革<br>\\n- 2 -\\n")
    '推进“放管服”改革\\n\\n'
    """
    chosen = parse_clean_steps(steps)
    if "front-matter" in chosen:
        text = strip_front_matter(text)
    if "html" in chosen:
        text = strip_html(text)
    if "page-numbers" in chosen:
        text = drop_page_numbers(text)
    if "running-heads" in chosen:
        text = drop_running_heads(text)
    text = text.replace(PAGE_BREAK, "")
    if "join-lines" in chosen:
        text = join_broken_lines(text)
    return text


# --- front matter ----------------------------------------------------------------------------------

#: The most lines a front-matter block may span, its two fences included.
MAX_FRONT_MATTER_LINES = 100
_FENCE_OPEN = re.compile(r"---[ \t]*")
_FENCE_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
# A YAML mapping line ("title: 报告", "date:"), as the first line of a block must be.
_YAML_KEY = re.compile(r"[^\s#:-][^:]*:(?:[ \t]|$)")


def strip_front_matter(text: str) -> str:
    """Remove a YAML front-matter block (Jekyll, Hugo, Pandoc Markdown) from the very start of a text.

    The block opens with a ``---`` line, at the start of the text or after blank lines (and a
    byte-order mark), is followed at once by a ``key: value`` line (as in Pandoc, a ``---`` followed
    by a blank line is a horizontal rule), and closes with a ``---`` or ``...`` line; it spans at most
    :data:`MAX_FRONT_MATTER_LINES` lines, fences included. The block and the line break after it are
    removed; what came before it (blank lines) stays. Anything else, such as a ``---`` rule later in
    the text, is left as it is.

    Examples
    --------
    >>> strip_front_matter("---\\ntitle: 政府工作报告\\ndate: 2024-01-07\\n---\\n## 一、总体要求\\n---\\n")
    '## 一、总体要求\\n---\\n'
    """
    block, rest = split_front_matter(text)
    return rest if block else text


_LEADING_BLANKS = re.compile("[\ufeff \t\n]*")


def split_front_matter(text: str) -> tuple[str, str]:
    """``(front matter block, text without it)`` as :func:`strip_front_matter` finds it; ``("", text)``
    when there is none. The block is kept by the reader (:attr:`zhpolicy.read.Document.front_matter`):
    the year of a report can be written there.

    Examples
    --------
    >>> split_front_matter("---\\nyear: 2024\\n---\\n正文")
    ('---\\nyear: 2024\\n---\\n', '正文')
    """
    start = _LEADING_BLANKS.match(text).end()  # type: ignore[union-attr]  # (it always matches; lstrip copies)
    start = text.rfind("\n", 0, start) + 1  # back to the start of the opening line
    position = start
    for number in range(MAX_FRONT_MATTER_LINES):
        end = text.find("\n", position)
        line = text[position:] if end < 0 else text[position:end]
        position = len(text) if end < 0 else end + 1
        if (number == 0 and not _FENCE_OPEN.fullmatch(line)) or (number == 1 and not _YAML_KEY.match(line)):
            return "", text  # no fence at the start, or a horizontal rule rather than a YAML mapping
        if number >= 2 and _FENCE_CLOSE.fullmatch(line):
            return text[start:position], text[:start] + text[position:]
        if end < 0:
            break
    return "", text


# --- html ------------------------------------------------------------------------------------------

_BLOCK_TAGS = "address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|" \
              "li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul"
_INLINE_TAGS = "a|abbr|b|big|body|center|cite|code|col|colgroup|del|em|font|head|html|i|img|input|ins|" \
               "label|link|mark|meta|o:p|q|s|small|span|strike|strong|sub|sup|title|tt|u|wbr"
_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!DOCTYPE[^>]*>", re.IGNORECASE | re.DOTALL)
# Attributes as HTML writes them (name, name=value, name="value"), so "a<b 且 c>d" is not a tag.
_ATTRIBUTES = r"""(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?)*\s*/?>"""
_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS}){_ATTRIBUTES}", re.IGNORECASE)
_INLINE = re.compile(rf"</?(?:{_INLINE_TAGS}){_ATTRIBUTES}", re.IGNORECASE)
# Entities with their semicolon (&nbsp; &#12290; &#x3002;), and &nbsp without one, which editors leave.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|&nbsp(?![A-Za-z0-9;])")


def strip_html(text: str) -> str:
    """Remove HTML remnants: comments, ``<script>``/``<style>`` blocks, tags, character entities.

    Only the tags of HTML itself are removed (``<p>``, ``<br/>``, ``<span class="x">``, ``</div>``…),
    so ``a<b`` or ``<自定义>`` stays; block tags (``p``, ``div``, ``br``, ``li``, ``tr``, ``h1``…) become a
    line break. Entities are decoded only with their ``;`` (and ``&nbsp``), so ``&copy=2`` in a URL
    stays. Decoded characters are normalised (``&nbsp;`` becomes a space, ``&#65292;`` a ``,``).

    Examples
    --------
    >>> strip_html("<p>坚持&nbsp;稳中求进</p>")
    '坚持 稳中求进\\n'
    """
    if "<" in text:
        text = _HIDDEN.sub("", text)
        text = _BLOCK.sub(lambda m: "" if _opening_paragraph(m[0]) else "\n", text)
        text = _INLINE.sub("", text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: normalize_text(html.unescape(m[0] if m[0].endswith(";") else "&nbsp;")), text)
    return text


def _opening_paragraph(tag: str) -> bool:
    # "<p>" and "<div>" open a block whose end tag breaks the line; "<br>" and "</p>" break it themselves.
    return not tag.startswith("</") and not re.match(r"<(?:br|hr)\b", tag, re.IGNORECASE)


# --- page numbers ----------------------------------------------------------------------------------

_CN_DIGITS = "一二三四五六七八九十百零〇"
_PAGE_NUMBER = re.compile(
    rf"""[ \t]*(?:
        [-—–~]{{1,2}}[ \t]*[0-9]{{1,4}}[ \t]*[-—–~]{{1,2}}                   # - 12 -   — 12 —
      | (?:共[ \t]*[0-9]{{1,4}}[ \t]*页[ \t]*[,/、 ]?[ \t]*)?
        第[ \t]*(?:[0-9]{{1,4}}|[{_CN_DIGITS}]{{1,4}})[ \t]*页
        (?:[ \t]*[,/、 ]?[ \t]*共[ \t]*[0-9]{{1,4}}[ \t]*页)?                 # 第 3 页, 第3页/共10页
      | (?i:page)[ \t]+[0-9]{{1,4}}(?:[ \t]*(?:/|of)[ \t]*[0-9]{{1,4}})?     # Page 3, Page 3 of 10
    )[ \t]*""",
    re.VERBOSE,
)


def is_page_number(line: str) -> bool:
    """True when a line holds nothing but a page number: ``- 12 -``, ``—12—``, ``第 3 页``, ``第3页 共10页``, ``Page 3 of 10``.

    A bare number (``12``) is not enough here: it may be a value in a table (see :func:`drop_running_heads`).
    """
    return _PAGE_NUMBER.fullmatch(line) is not None


def drop_page_numbers(text: str) -> str:
    """Remove the lines that are only a page number (see :func:`is_page_number`), line break included.

    The result of ``_PAGE_NUMBER_LINE.sub(r"\\1", text)``; the expression is tried only at the lines that
    open like a page number (a search for a line start is a try at every character)."""
    starts = itertools.chain((0,), (line.end() for line in _PAGE_NUMBER_START.finditer(text)))
    found = [match for match in map(functools.partial(_PAGE_NUMBER_LINE.match, text), starts) if match]
    if not found:
        return text
    kept, end = [], 0
    for match in found:
        kept += [text[end:match.start()], match[1]]
        end = match.end()
    kept.append(text[end:])
    return "".join(kept)


# A page break (form feed) before the number is kept: it marks where the next page starts.
_PAGE_NUMBER_LINE = re.compile(rf"^(\f*)(?:{_PAGE_NUMBER.pattern})$\n?", re.VERBOSE | re.MULTILINE)
# A line end before a line that opens as one of _PAGE_NUMBER's forms does.
_PAGE_NUMBER_START = re.compile(r"\n(?=[\f \t]*(?:[-—–~]{1,2}[ \t]*[0-9]|共|第|(?i:page)))")


# --- running heads ---------------------------------------------------------------------------------

_MAX_HEAD_CHARS = 40
_MIN_REPEATS = 3
_BARE_NUMBER = re.compile(r"[ \t]*[0-9]{1,4}[ \t]*")


def drop_running_heads(text: str, *, min_repeats: int = _MIN_REPEATS) -> str:
    """Remove running headers and footers and bare page numbers (opt-in: it guesses at the layout).

    With page breaks (form feeds) in the text, a running head is a line among the first two or last
    two non-blank lines of a page that recurs so on at least ``min_repeats`` pages and at least half of
    them; digits are ignored in the comparison, so ``政府工作报告 3`` and ``政府工作报告 4`` are one head.
    Without page breaks, it is a short line (at most 40 characters) that recurs at least ``min_repeats``
    times, digits ignored. Headings (see :func:`zhpolicy.text.headings.heading_title`) are never removed. Bare
    numbers alone on a line (``12``) are removed when at least ``min_repeats`` of them rise through the
    document, as page numbers do.
    """

    lines = _lines(text)
    keys = [_head_key(line) for line in lines]
    candidates = [i for i, key in enumerate(keys)
                  if key and len(key) <= _MAX_HEAD_CHARS and not heading_title(lines[i].rstrip("\n"))]
    drop: set[int] = set()
    if PAGE_BREAK in text:
        pages = _page_edges(lines)
        eligible = set(candidates)
        counts = Counter(keys[i] for edge in pages for i in edge if i in eligible)
        threshold = max(min_repeats, (len(pages) + 1) // 2)
        drop = {i for edge in pages for i in edge if i in eligible and counts[keys[i]] >= threshold}
    else:
        counts = Counter(keys[i] for i in candidates)
        drop = {i for i in candidates
                if counts[keys[i]] >= min_repeats and not _BARE_NUMBER.fullmatch(lines[i].strip("\n\f"))}
    numbers = [i for i, line in enumerate(lines) if _BARE_NUMBER.fullmatch(line.strip("\n\f"))]
    values = [int(lines[i].strip("\n\f \t")) for i in numbers]
    if len(numbers) >= min_repeats and all(a < b for a, b in itertools.pairwise(values)):
        drop.update(numbers)
    return "".join(_keep_breaks(line) if i in drop else line for i, line in enumerate(lines))


def _head_key(line: str) -> str:
    return re.sub(r"[0-9]+", "#", line.strip("\n\f \t"))


def _keep_breaks(line: str) -> str:
    return PAGE_BREAK * line.count(PAGE_BREAK)


def _page_edges(lines: list[str]) -> list[list[int]]:
    """For each page, the indices of its first two and last two non-blank lines."""
    pages: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        if PAGE_BREAK in line and pages[-1]:
            pages.append([])
        if line.strip("\n\f \t"):
            pages[-1].append(i)
    return [sorted(set(page[:2] + page[-2:])) for page in pages if page]


# --- broken lines ----------------------------------------------------------------------------------

# A line ending in one of these (closing quotes and brackets aside) ends its sentence or paragraph.
_TERMINAL = set("。!?;:…")
_CLOSERS = set("”’」』)]》〉】")
_LIST_ITEM = re.compile(
    r"[ \t]|[-*+•·▪●○◆■□][ \t]|[0-9]{1,3}[.)、]|\([0-9]{1,3}\)|\([一二三四五六七八九十]+\)|[①-⑳]|[|>#]"
)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def join_broken_lines(text: str, *, min_share: float = 0.6) -> str:
    """Join hard line breaks inside sentences, as in text copied out of a PDF (opt-in).

    A line is joined to the next when it does not end a sentence (its last character, closing quotes
    and brackets aside, is not one of ``。!?;:…``), is at least ``min_share`` of the median line length
    (a short line is a title or a paragraph's end), does not end in a Markdown hard break (two spaces
    or a backslash), is not a heading, and the next line is not blank,
    not indented (indentation opens a paragraph), not a heading, not a list item (``- ``, ``1.``,
    ``(1)``, ``(一)``, ``①``) and, if short, ends a sentence (a paragraph's last line does; a byline
    or a caption does not). Chinese is joined without a space; two Latin words or numbers get one.

    Examples
    --------
    >>> join_broken_lines("坚持稳中求进工作总基调,完整准确\\n全面贯彻新发展理念。\\n二、主要任务\\n")
    '坚持稳中求进工作总基调,完整准确全面贯彻新发展理念。\\n二、主要任务\\n'
    """

    lines = _lines(text)
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if not lengths:
        return text
    shortest = max(4, int(min_share * lengths[len(lengths) // 2]))
    out: list[str] = []
    for i, line in enumerate(lines):
        body = line.rstrip("\n")
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if (line.endswith("\n") and _continues(body, shortest)
                and following.strip() and not _LIST_ITEM.match(following)
                and not (len(following.strip()) < shortest and _continues(following.rstrip("\n"), 0))
                and not heading_title(body) and not heading_title(following.rstrip("\n"))):
            glue = " " if _ASCII_WORD.match(body.rstrip()[-1]) and _ASCII_WORD.match(following) else ""
            out.append(body.rstrip(" \t") + glue)
        else:
            out.append(line)
    return "".join(out)


def _continues(body: str, shortest: int) -> bool:
    if body.endswith(("  ", "\t", "\\")):  # a Markdown hard line break: the author broke the line
        return False
    stripped = body.strip()
    if len(stripped) < shortest:
        return False
    core = stripped.rstrip("".join(_CLOSERS))
    return bool(core) and core[-1] not in _TERMINAL


def _lines(text: str) -> list[str]:
    """``text`` split after each ``\\n`` (only there, unlike str.splitlines), line breaks kept."""
    lines = text.split("\n")
    result = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        result.append(lines[-1])
    return result
