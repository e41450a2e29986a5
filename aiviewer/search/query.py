"""User query text → query tree, with whoosh's query parser doing the parsing.

whoosh.qparser gives us fields, phrases, AND/OR/NOT, `-word`, grouping,
wildcards, `word~` fuzzy terms and `date:` ranges; this module configures it and
converts whoosh's query objects into the plain tree of `search.tree`, so nothing
downstream depends on whoosh.  The only other whoosh user is `search.spelling`.

Worked example::

    >>> parse('speaker:"Ross Taylor" GRPO date:>2025-06').understood
    'speaker:"Ross Taylor" GRPO date:>2025-06-30'

A malformed query never raises: unbalanced quotes or parentheses, an unreadable
date or a parser failure give `error` (with the offset where it went wrong) and the
text is searched as plain words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from whoosh import fields, qparser
from whoosh import query as wq
from whoosh.analysis import RegexTokenizer
from whoosh.qparser import dateparse, syntax
from whoosh.util.times import adatetime

from aiviewer.search import tree as t

_PLAIN_WORD = re.compile(r"[\w][\w'.+#-]*")
_SIGN = r"(?<![^\s(]){}(?=[\w\"(])"
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    tree: t.Node
    understood: str
    error: str | None = None  # what was wrong; the tree is then the plain words
    error_offset: int | None = None


_MEANING = re.compile(r'(?<!\S)~~(?:"([^"]*)"?|([^\s"]+))')


def split_meaning(text: str) -> tuple[str, str | None]:
    """Take the meaning parts (`~~"reward hacking"`, `~~alignment`) out of a query:
    (the rest, to parse as usual — filters and words; the meaning text, or None).

    >>> split_meaning('~~"reward hacking" speaker:Nathan')
    ('speaker:Nathan', 'reward hacking')
    """
    found = [m.group(1) if m.group(1) is not None else m.group(2)
             for m in _MEANING.finditer(text)]
    if not found:
        return text, None
    rest = " ".join(_MEANING.sub(" ", text).split())
    return rest, " ".join(" ".join(found).split()) or None


def parse(text: str) -> ParsedQuery:
    """Parse a search box query; never raises."""
    problem = _syntax_problem(text)
    if problem is None:
        try:
            node = _convert(_parser().parse(text))
        except _BadDate as exc:
            problem = (f"not a date: {exc.text!r} (use 2025, 2025-06 or 2025-06-30)",
                       max(0, text.find(exc.text)))
        except Exception as exc:  # noqa: BLE001 - whoosh raises assorted types on odd input
            problem = (f"could not read the query ({exc})", 0)
        else:
            return ParsedQuery(text, node, t.render(node))
    node = plain_words(text)
    message, offset = problem
    return ParsedQuery(text, node, t.render(node), message, offset)


def plain_words(text: str) -> t.Node:
    """The fallback: every word of the text, all required."""
    words = [t.Word(w) for w in _PLAIN_WORD.findall(text)
             if w.upper() not in ("AND", "OR", "NOT")]
    if not words:
        return t.Nothing()
    return words[0] if len(words) == 1 else t.And(tuple(words))


# whoosh's tagger tries its patterns at every position of a word (quadratic): a
# 20,000-character word took seconds, so such a query is read as plain words
MAX_SYNTAX_WORD = 200
_LONG_WORD = re.compile(r"\S{" + str(MAX_SYNTAX_WORD + 1) + ",}")


def _syntax_problem(text: str) -> tuple[str, int] | None:
    """Unbalanced quotes or parentheses, which whoosh would silently guess at; a word
    too long to be one."""
    long_word = _LONG_WORD.search(text)
    if long_word:
        return (f"a word of {len(long_word.group())} characters is too long for the query "
                "language; searched as plain words", long_word.start())
    quotes = [i for i, c in enumerate(text) if c == '"']
    if len(quotes) % 2:
        return ("a quote is not closed", quotes[-1])
    depth = 0
    inside = False
    for i, c in enumerate(text):
        if c == '"':
            inside = not inside
        elif inside:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return ("a ')' has no '('", i)
    if depth:
        return ("a '(' is not closed", text.rfind("("))
    return None


# --- whoosh configuration -------------------------------------------------------------


class _BadDate(ValueError):
    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


class _IsoDates:
    """Reads 2025, 2025-06 and 2025-06-30 as whoosh's partial dates."""

    def get_parser(self):
        return self

    def date_from(self, text: str, basedate=None) -> adatetime:
        m = _ISO.match(text.strip())
        if not m:
            raise _BadDate(text)
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            return adatetime(year=year, month=month, day=day)
        except Exception as exc:  # noqa: BLE001 - whoosh raises plain Exception for 2025-13
            raise _BadDate(text) from exc


class _DateNode(syntax.SyntaxNode):
    has_fieldname = True
    has_boost = True

    def __init__(self, fieldname, start, end, startexcl, endexcl):
        self.fieldname = fieldname
        self.start, self.end = start, end
        self.startexcl, self.endexcl = startexcl, endexcl
        self.boost = 1.0

    def r(self):
        return f"{self.start!r}-{self.end!r}"

    def query(self, parser):
        return wq.DateRange(self.fieldname or "date", self.start, self.end,
                            startexcl=self.startexcl, endexcl=self.endexcl)


class _DatePlugin(dateparse.DateParserPlugin):
    """whoosh's date plugin, keeping `<`/`>` strict: `date:<2025-06` ends before June.

    (The stock plugin drops the exclusivity and reads `<2025-06` as "up to the end
    of June".)
    """

    def __init__(self):
        super().__init__(dateparser=_IsoDates())

    def text_to_dt(self, node):
        when = self.dateparser.date_from(node.text)
        n = _DateNode(node.fieldname, when.floor(), when.ceil(), False, False)
        n.startchar, n.endchar = node.startchar, node.endchar
        return n

    def range_to_dt(self, node):
        start = end = None
        if node.start:
            when = self.dateparser.date_from(node.start)
            start = when.ceil() if node.startexcl else when.floor()
        if node.end:
            when = self.dateparser.date_from(node.end)
            end = when.floor() if node.endexcl else when.ceil()
        n = _DateNode(node.fieldname, start, end, node.startexcl, node.endexcl)
        n.startchar, n.endchar = node.startchar, node.endchar
        return n


class _PlusMinus(qparser.PlusMinusPlugin):
    """whoosh's `+`/`-` markers, also inside parentheses (the stock filter only
    looks at the top level and chokes on a nested `-word`)."""

    def do_plusminus(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_plusminus(parser, node)
        return super().do_plusminus(parser, group)


@lru_cache(maxsize=1)
def _parser() -> qparser.QueryParser:
    keep = fields.ID(stored=False)
    schema = fields.Schema(
        text=fields.TEXT(analyzer=RegexTokenizer(r"[^\s]+")),
        date=fields.DATETIME,
        **{name: keep for name in t.FIELDS},
    )
    parser = qparser.QueryParser("text", schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.BoostPlugin)  # `x^2` is text here, not a boost
    # `-word` / `+word` only at the start of a word, so GPT-4o and c++ stay words
    parser.add_plugin(_PlusMinus(plusexpr=_SIGN.format("\\+"), minusexpr=_SIGN.format("-")))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(_DatePlugin())
    return parser


# --- whoosh query objects → tree -------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _convert(q: wq.Query) -> t.Node:
    node = _node(q)
    return node if node is not None else t.Nothing()


def _node(q: wq.Query) -> t.Node | None:  # noqa: C901 - one case per whoosh query type
    field = getattr(q, "fieldname", None)
    if isinstance(q, wq.DateRange):
        return t.DateRange(_iso(q.startdate), _iso(q.enddate), q.startexcl, q.endexcl)
    if isinstance(q, wq.FuzzyTerm):
        return t.Fuzzy(q.text, max(1, min(2, q.maxdist))) if _has_word(q.text) else None
    if isinstance(q, wq.Prefix):
        return t.Prefix(q.text) if _has_word(q.text) else None
    if isinstance(q, wq.Wildcard):
        return t.Wildcard(q.text) if _has_word(q.text) else None
    if isinstance(q, wq.Phrase):
        words = tuple(w for w in q.words if _has_word(w))
        if field in t.FIELDS:
            return t.Field(field, " ".join(q.words))
        return t.Phrase(words) if len(words) > 1 else (t.Word(words[0]) if words else None)
    if isinstance(q, wq.Term):
        text = q.text if isinstance(q.text, str) else q.text.decode("utf-8", "replace")
        if field in t.FIELDS:
            return t.Field(field, text)
        return t.Word(text) if _has_word(text) else None
    if isinstance(q, wq.Not):
        inner = _node(q.query)
        return t.Not(inner) if inner is not None else None
    if isinstance(q, wq.AndNot):
        pos, neg = _node(q.a), _node(q.b)
        if pos is None:
            return t.Not(neg) if neg is not None else None
        if neg is None:
            return pos
        return t.And((*(pos.items if isinstance(pos, t.And) else (pos,)), t.Not(neg)))
    if isinstance(q, wq.AndMaybe | wq.Require):
        # only `+word` makes these, and in our all-AND grouping every part is required
        return _node(wq.And([q.a, q.b]))
    if isinstance(q, wq.And | wq.Or):
        items = tuple(n for n in (_node(s) for s in q.subqueries) if n is not None)
        if not items:
            return None
        if len(items) == 1:
            return items[0]
        kind = t.And if isinstance(q, wq.And) else t.Or
        flat: list[t.Node] = []
        for item in items:
            flat.extend(item.items if isinstance(item, kind) else (item,))
        return kind(tuple(flat))
    return None  # NullQuery, Every, ranges over text fields: nothing to search for
