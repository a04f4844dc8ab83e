"""Linking one stored article into its story, and rebuilding every story.

:func:`link_article` indexes the article, finds candidates through the anchor postings,
verifies them, replaces the article's matches and rewrites the stories it touches. It
runs in the caller's transaction, right after :func:`storage.articles.save_article`.

Boilerplate is learned from the data: a line found in at least
:data:`BOILERPLATE_STORIES` other stories than the two compared is left out of the
comparison. Such a line only becomes boilerplate once enough articles hold it, so when a
new article makes it so, the earlier articles holding it are linked again; a copy
stored before its original is linked when the original arrives, because matching is
symmetric. :func:`rebuild_links` replays every article in storage order, which gives
the same stories as storing them one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, literal_column, or_, select, union_all, update
from sqlalchemy.orm import Session

from storage.articles import identity_keys
from storage.locking import lock_keys, lock_stories, lock_writers
from storage.models import Article, ArticleUrl, Outlet, SyndicationLink
from storage.syndication.attribution import credited_sources, outlet_aliases
from storage.syndication.fingerprint import Fingerprint, fingerprint
from storage.syndication.index import (
    POSTING_CAP, anchor_and_line_postings, clear_index, indexed, is_current, postings, write_index,
)
from storage.syndication.models import (
    SyndicationAnchor, SyndicationFingerprint, SyndicationLine, SyndicationMatch,
)
from storage.syndication.stories import components, neighbours, write_story
from storage.syndication.verify import Side, Verdict, verify
from storage.urls import url_host, url_key

BOILERPLATE_STORIES = 2
MAX_CANDIDATES = 12
ANCHOR_SHARE = 0.2
_NO_STORIES: frozenset[int] = frozenset()

# Linking reads and writes through core statements on the session's connection: the
# ORM's per-statement and per-object work cost more than the queries themselves. Other
# articles are read as rows with the columns linking needs (``ArticleLike``).
ArticleLike = Any
_ARTICLE = Article.__table__
_URL = ArticleUrl.__table__
_FINGERPRINT = SyndicationFingerprint.__table__
_MATCH = SyndicationMatch.__table__
_OUTLET = Outlet.__table__
_ARTICLES = (
    select(_ARTICLE.c.id, _ARTICLE.c.title, _ARTICLE.c.text, _ARTICLE.c.outlet_id, _ARTICLE.c.url,
           _ARTICLE.c.url_key, _ARTICLE.c.canonical_url, _ARTICLE.c.story_id, _ARTICLE.c.original_id)
    .where(_ARTICLE.c.id.in_(bindparam("ids", expanding=True)))
)
_PLACES = (select(_ARTICLE.c.id, _ARTICLE.c.story_id, _ARTICLE.c.original_id)
           .where(_ARTICLE.c.id.in_(bindparam("ids", expanding=True))))
_URL_KEYS = (select(_URL.c.article_id, _URL.c.url_key)
             .where(_URL.c.article_id.in_(bindparam("ids", expanding=True))))
# Declared originals (kind 0), declared copies (kind 1) and the anchor counts of ranked
# candidates (kind 2), in one statement.
_DECLARED_AND_SIZES = union_all(
    select(literal_column("0"), _URL.c.article_id, literal_column("0"))
    .where(_URL.c.url_key == bindparam("canonical")),
    select(literal_column("1"), _FINGERPRINT.c.article_id, literal_column("0"))
    .where(_FINGERPRINT.c.canonical_key.in_(
        select(_URL.c.url_key).where(_URL.c.article_id == bindparam("me")))),
    select(literal_column("2"), _FINGERPRINT.c.article_id, func.length(_FINGERPRINT.c.anchors))
    .where(_FINGERPRINT.c.article_id.in_(bindparam("ranked", expanding=True))),
)
_OUTLET_NAMES = (select(_OUTLET.c.name, _OUTLET.c.slug, _OUTLET.c.home_url)
                 .where(_OUTLET.c.id == bindparam("id")))


@dataclass(slots=True)
class LinkResult:
    """Where an article ended up: its story, its original (None for an original), the
    articles it was matched with, and the earlier articles linked again because of it."""

    article_id: int
    story_id: int
    original_id: int | None
    matched: list[int] = field(default_factory=list)
    relinked: list[int] = field(default_factory=list)

    @property
    def is_copy(self) -> bool:
        return self.original_id is not None


def canonical_key(article: ArticleLike) -> str | None:
    """The URL key of a rel=canonical on another site (a declared original), if any."""
    if not article.canonical_url:
        return None
    try:
        if url_host(article.canonical_url) == url_host(article.url):
            return None
        return url_key(article.canonical_url)
    except ValueError:
        return None


@dataclass
class _Check:
    """One linking pass over one article, with what it has read so far."""

    session: Session
    article: ArticleLike
    fp: Fingerprint = field(init=False)
    outlets: dict[int | None, Any] = field(default_factory=dict)
    profiles: dict[int, Side] = field(default_factory=dict)
    keys: dict[int, set[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fp = fingerprint(self.article.title, self.article.text)

    def candidates(self, anchor_postings: dict[int, list[int]]) -> list[int]:
        """Articles sharing anchors with this one, strongest first, plus declared originals
        and copies; an anchor held by many articles weighs little."""
        me = self.article.id
        weights: dict[int, float] = defaultdict(float)
        shared: dict[int, int] = defaultdict(int)
        anchors = self.fp.anchors()
        for h in anchors:
            others = [a for a in anchor_postings.get(h, ()) if a != me]
            if not others or len(others) + 1 >= POSTING_CAP:
                continue
            for a in others:
                weights[a] += 1 / len(others)
                shared[a] += 1
        ranked = sorted(weights, key=lambda a: (-weights[a], a))[: 3 * MAX_CANDIDATES]
        declared: tuple[list[int], list[int]] = ([], [])
        sizes = {}
        params = {"canonical": canonical_key(self.article) or None, "me": me, "ranked": ranked}
        rows = self.session.connection().execute(_DECLARED_AND_SIZES, params)
        for kind, a, n in rows:
            if kind == 2:
                sizes[a] = int(n) // 8
            else:
                declared[kind].append(a)
        found = [a for a in ranked if a in sizes
                 and shared[a] >= max(1.0, ANCHOR_SHARE * min(len(anchors), sizes[a]))][:MAX_CANDIDATES]
        return found + [a for a in dict.fromkeys(declared[0] + declared[1]) if a != me and a not in found]

    def url_keys(self, ids: Iterable[int]) -> dict[int, set[str]]:
        """Every URL key each article was seen under, read in one query for all of them."""
        missing = [i for i in ids if i not in self.keys]
        for i in missing:
            self.keys[i] = set()
        if missing:
            for i, key in self.session.connection().execute(_URL_KEYS, {"ids": missing}):
                self.keys[i].add(key)
        return self.keys

    def load(self, ids: list[int]) -> list[ArticleLike]:
        """The articles of ``ids`` that exist, in that order."""
        if not ids:
            return []
        rows = {row.id: row for row in self.session.connection().execute(_ARTICLES, {"ids": ids})}
        return [rows[i] for i in ids if i in rows]

    def outlet(self, outlet_id: int | None) -> Any:
        if outlet_id not in self.outlets:
            self.outlets[outlet_id] = None if outlet_id is None else (
                self.session.connection().execute(_OUTLET_NAMES, {"id": outlet_id}).first())
        return self.outlets[outlet_id]

    def side(self, article: ArticleLike, fp: Fingerprint, boilerplate: frozenset[int]) -> Side:
        """``article`` for one comparison; what does not depend on the pair is read once."""
        if article.id not in self.profiles:
            outlet = self.outlet(article.outlet_id)
            keys = self.url_keys([article.id])[article.id]
            self.profiles[article.id] = Side(
                article_id=article.id, outlet_id=article.outlet_id, fingerprint=fp, boilerplate=frozenset(),
                credits=credited_sources(article.title, article.text),
                aliases=outlet_aliases(outlet.name if outlet else None, outlet.slug if outlet else None,
                                       outlet.home_url if outlet else None, article.url),
                url_keys=frozenset(keys | {article.url_key}), canonical_key=canonical_key(article),
            )
        return replace(self.profiles[article.id], boilerplate=boilerplate)


def _places(session: Session, ids: Iterable[int]) -> dict[int, tuple[int | None, int | None]]:
    """(story_id, original_id) of each article that exists."""
    ids = sorted(set(ids))
    found = {}
    conn = session.connection()
    for start in range(0, len(ids), 500):
        for i, story, original in conn.execute(_PLACES, {"ids": ids[start : start + 500]}):
            found[i] = (story, original)
    return found


def _stories(places: dict[int, tuple[int | None, int | None]]) -> dict[int, int]:
    """Story id of each article (its own id when it has none yet)."""
    return {i: story if story is not None else i for i, (story, _) in places.items()}


def _line_stories(line_postings: dict[int, list[int]], story: dict[int, int]) -> dict[int, set[int]]:
    """The stories holding each line (of articles that exist)."""
    return {h: {story[a] for a in holders if a in story} for h, holders in line_postings.items()}


def _boilerplate(fp: Fingerprint, pair: tuple[int, int], line_postings: dict[int, list[int]],
                 line_stories: dict[int, set[int]], story: dict[int, int]) -> frozenset[int]:
    """Lines of ``fp`` found in at least :data:`BOILERPLATE_STORIES` stories besides the
    two compared (or in so many articles that postings stopped). The pair's own stories
    are left out whole, so leaving out the pair's articles first changes nothing."""
    excluded = {story.get(pair[0], pair[0]), story.get(pair[1], pair[1])}
    lines = set()
    for h in fp.line_hashes:
        if (len(line_postings.get(h, ())) >= POSTING_CAP
                or len(line_stories.get(h, _NO_STORIES) - excluded) >= BOILERPLATE_STORIES):
            lines.add(h)
    return frozenset(lines)


def _replace_matches(session: Session, article_id: int, verdicts: list[Verdict], *,
                     had_matches: bool) -> None:
    conn = session.connection()
    if had_matches:
        conn.execute(delete(_MATCH).where(or_(_MATCH.c.low_id == article_id, _MATCH.c.high_id == article_id)))
    rows = []
    for v in verdicts:
        low_first = v.a < v.b
        rows.append({"low_id": min(v.a, v.b), "high_id": max(v.a, v.b), "shared": v.shared,
                     "low_in_high": v.a_in_b if low_first else v.b_in_a,
                     "high_in_low": v.b_in_a if low_first else v.a_in_b,
                     "resemblance": v.resemblance, "evidence": v.evidence})
    if rows:
        conn.execute(insert(_MATCH), rows)


def _due_again(article_id: int, line_postings: dict[int, list[int]], story: dict[int, int]) -> set[int]:
    """Earlier articles for which one of this article's lines just became boilerplate."""
    due = set()
    mine = story.get(article_id, article_id)
    for holders in line_postings.values():
        if not BOILERPLATE_STORIES <= len(holders) < POSTING_CAP - 1:
            continue
        for r in holders:
            if r not in story or story[r] == mine:
                continue
            before = {story[a] for a in holders if a != r and a in story} - {story[r]}
            if len(before) == BOILERPLATE_STORIES - 1 and mine not in before:
                due.add(r)
    return due


def _without(line_postings: dict[int, list[int]], article_id: int) -> dict[int, list[int]]:
    """``line_postings`` without the article's own postings (changed in place)."""
    for holders in line_postings.values():
        if article_id in holders:
            holders.remove(article_id)
    return line_postings


def _link(session: Session, article: ArticleLike, *, index: bool) -> LinkResult:
    check = _Check(session, article)
    fp = check.fp
    if index:  # concurrent writers of articles that could match wait here for each other
        lock_keys(session, [*fp.anchors(), *fp.line_hashes, canonical_key(article),
                            *identity_keys(article.url, article.canonical_url)])
    if index:
        anchor_postings, own_lines = anchor_and_line_postings(session, fp.anchors(), fp.line_hashes)
        _without(own_lines, article.id)
        credits = credited_sources(article.title, article.text)
        key = canonical_key(article)
        source = credits[0] if credits else (url_host(key) if key else None)
        if article.credited_source != source:
            article.credited_source = source
        write_index(session, article, fp, key, anchor_postings, own_lines)
        wanted = check.candidates(anchor_postings)
    else:
        wanted = check.candidates(postings(session, SyndicationAnchor, fp.anchors()))
        if not wanted and article.story_id == article.id and article.original_id is None \
                and not neighbours(session, article.id):
            # No candidate, no match and its own story: linking again would change nothing.
            return LinkResult(article_id=article.id, story_id=article.id, original_id=None)
        own_lines = _without(postings(session, SyndicationLine, fp.line_hashes), article.id)
    candidates = check.load(wanted)
    if candidates:
        check.url_keys([article.id, *(c.id for c in candidates)])
    prints = {c.id: fingerprint(c.title, c.text) for c in candidates}
    line_postings = postings(session, SyndicationLine, {h for p in prints.values() for h in p.line_hashes})
    line_postings.update({h: holders + [article.id] for h, holders in own_lines.items()})
    places = _places(session, {a for hs in line_postings.values() for a in hs} | {article.id} | set(prints))
    story = _stories(places)
    line_stories = _line_stories(line_postings, story) if candidates else {}
    verdicts = []
    for c in candidates:
        pair = (article.id, c.id)
        mine = check.side(article, fp, _boilerplate(fp, pair, line_postings, line_stories, story))
        theirs = check.side(c, prints[c.id],
                            _boilerplate(prints[c.id], pair, line_postings, line_stories, story))
        verdict = verify(mine, theirs)
        if verdict is not None:
            verdicts.append(verdict)
    lock_stories(session)
    before = neighbours(session, article.id)
    _replace_matches(session, article.id, verdicts, had_matches=bool(before))
    matched = [v.b for v in verdicts]
    if verdicts or before:
        stories = components(session, {article.id} | before | set(matched))
    else:  # no match before or now: the article is a story of its own
        stories = [({article.id}, [])]
    story_id = article.id
    for members, edges in stories:
        original = write_story(session, members, edges,
                               lone=places.get(article.id) if members == {article.id} else None)
        story.update(dict.fromkeys(members, original))
        if article.id in members:
            story_id = original
    relinked: list[int] = []
    if index:
        holders = {a for hs in own_lines.values() for a in hs} | {article.id}
        after = {a: story[a] for a in holders if a in story}
        due = sorted(_due_again(article.id, own_lines, after))
        for earlier in check.load(due):
            _link(session, earlier, index=False)
            relinked.append(earlier.id)
    original_id = None if story_id == article.id else story_id
    return LinkResult(article_id=article.id, story_id=story_id, original_id=original_id, matched=matched,
                      relinked=relinked)


def link_article(session: Session, article: Article, *, changed: bool) -> LinkResult | None:
    """Index ``article`` and link it into its story (None when an unchanged re-crawl of an
    already indexed article needs nothing); the caller owns the transaction."""
    if not changed and is_current(indexed(session, article.id), article):
        return None
    session.flush()
    return _link(session, article, index=True)


@dataclass(slots=True)
class RebuildResult:
    articles: int
    stories: int
    copies: int


def rebuild_links(session: Session, *, batch: int = 500,
                  on_batch: Callable[[int], None] | None = None) -> RebuildResult:
    """Drop every link, match and index row, then link every article again in storage
    order. Deterministic, so running it twice gives the same stories. ``on_batch`` is
    called with the number of articles done after every ``batch`` of them (the CLI
    commits there, so a large rebuild does not hold one huge transaction)."""
    lock_writers(session, exclusive=True)
    session.execute(delete(SyndicationLink))
    session.execute(delete(SyndicationMatch))
    clear_index(session)
    session.execute(update(Article).values(story_id=None, original_id=None, credited_source=None))
    session.expire_all()
    done, last = 0, 0
    while True:
        ids = list(session.scalars(select(Article.id).where(Article.id > last).order_by(Article.id).limit(batch)))
        if not ids:
            break
        for article_id in ids:
            article = session.get(Article, article_id)
            if article is not None:
                _link(session, article, index=True)
        done += len(ids)
        last = ids[-1]
        if on_batch is not None:
            on_batch(done)
    return story_counts(session, articles=done)


def story_counts(session: Session, *, articles: int | None = None) -> RebuildResult:
    """Articles, stories with more than one version, and linked copies."""
    copies = session.scalar(select(func.count()).select_from(SyndicationLink)) or 0
    stories = session.scalar(select(func.count(func.distinct(SyndicationLink.original_id)))) or 0
    if articles is None:
        articles = session.scalar(select(func.count()).select_from(Article)) or 0
    return RebuildResult(articles=articles, stories=stories, copies=copies)
