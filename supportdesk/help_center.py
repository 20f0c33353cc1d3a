"""The retailer's help center: Markdown articles, searched with SQLite's FTS5 and BM25.

The articles are a folder of Markdown files with YAML front matter (title, url, tags,
last_reviewed, summary), written by the retailer (supportdesk/articles/ is the demo's). Contact
details are `${support_email}`, `${help_center_url}` and `${app_support_section}`, filled in from
the settings. The index lives in memory and is rebuilt whenever a file in the folder changes,
so an edited article is live on the next question, with no retraining.

A shopper's words are not the articles' words. Before the search, the question is
- expanded with the folder's `synonyms.yml` ("pwd" is also "password"), and
- corrected, word by word, to the closest word the articles use when it is one of theirs misspelt
  (rapidfuzz; "cancle" is "cancel").
An article may list, in its front matter's `questions`, how shoppers ask for it ("can you call
off my purchase"); a retailer adds there the questions that its gaps list shows were missed.
Three scores are summed with `WEIGHTS`: SQLite FTS5's BM25 on those words (relative to the best
article's), and two cosines of scikit-learn's TF-IDF over character n-grams, which read word
forms and slips that no word list has ("refnd", "ship 2 store"): with the whole article, and with
the closest of the article's questions and title. The best article answers when the question is
close enough to it: a cosine of at least `MIN_SIMILARITY` with the article and a word in common,
at least `MIN_COVERAGE` of the question's words (weighted by their rarity) found in it, or a
cosine of at least `MIN_ASKED` with one of its questions. The weights and thresholds were chosen
on tuning sets of shopper questions (see tests/blind/README.md); below them, the help center has
no answer.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from string import Template
from typing import Any

import yaml
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from supportdesk import config
from supportdesk.errors import DomainError

logger = logging.getLogger(__name__)

ARTICLES_DIR = Path(__file__).with_name("articles")
SYNONYMS_FILE = "synonyms.yml"
REQUIRED = ("title", "url", "tags", "last_reviewed", "summary")
# An article about what the assistant itself does names that task: its questions start it.
FLOWS = ("tracking", "claim", "claim_status")
QUESTIONS = re.compile(r"[^.?!\n]+\?")  # each question of a message, its mark included
PLACEHOLDERS = ("support_email", "help_center_url", "app_support_section")
# bm25() weights of the columns: slug (not indexed), title, tags, questions, summary, body.
SEARCH = (
    "SELECT slug, bm25(articles, 0, 10.0, 10.0, 5.0, 5.0, 1.0) AS rank "
    "FROM articles WHERE articles MATCH ? ORDER BY rank LIMIT ?"
)
MIN_SIMILARITY = 0.2
MIN_COVERAGE = 0.6
MIN_ASKED = 0.6
# A question the assistant's classifier read as one of its own tasks gets an article instead only
# when it is close to one of the article's questions, and closer by TASK_MARGIN than to any
# question of the task's own articles ("is my order ready for pickup" is tracking; "how will I
# know my order is ready for pickup" is how Ship to Store works).
TASK_MARGIN = 0.3
# The three rankings, summed: BM25 (relative to the best article's), and the two cosines.
WEIGHTS = {"bm25": 0.2, "similarity": 2.0, "asked": 1.0}
TYPO_SIMILARITY = 80  # rapidfuzz ratio, 0-100: one slip in a word of five letters or more
MIN_TYPO_LENGTH = 4
MAX_QUESTION = 1000
WORD = re.compile(r"[a-z0-9]+")
# Identifiers say which order, not what the question is about.
IDENTIFIERS = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b(?:sts|clm)[\s#-]*[\d\s-]{4,}|\b\d[\d\s-]{5,}\d\b",
    re.IGNORECASE,
)
# What is left of "doesn't" and "can't" once the apostrophe goes, and chat's own noise.
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {
    "hi",
    "hello",
    "hey",
    "pls",
    "plz",
    "please",
    "thanks",
    "thx",
    "doesn",
    "isn",
    "don",
    "didn",
    "wasn",
    "aren",
    "won",
    "cant",
    "dont",
    "doesnt",
    "isnt",
    "didnt",
    "haven",
    "havent",
    "hasn",
    "hasnt",
    "wasnt",
    "weren",
    "werent",
    "arent",
    "wont",
    "couldn",
    "couldnt",
    "shouldn",
    "shouldnt",
    "wouldn",
    "wouldnt",
    "im",
    "ive",
    "hw",
    "wat",
    "til",
    "ur",
    "ok",
    "okay",
    "guys",
    "folks",
}


class ArticleError(DomainError):
    status = 500
    code = "help_center_invalid"


@dataclass(frozen=True)
class Article:
    slug: str
    title: str
    url: str
    tags: tuple[str, ...]
    last_reviewed: date
    summary: str
    body: str
    flow: str | None = None
    questions: tuple[str, ...] = ()  # how shoppers ask for it

    def public(self) -> dict[str, Any]:
        return {"slug": self.slug, "title": self.title, "url": self.url, "summary": self.summary}


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float  # BM25 (0 when none of the words is in the article)
    coverage: float  # 0-1: how much of the question's words the article has
    similarity: float  # 0-1: the cosine of their character n-grams
    words: int  # the question's words searched for
    asked: float = 0.0  # 0-1: the cosine with the closest of the article's own questions

    def close_enough(self) -> bool:
        """Close in its letters and sharing a word at least, sharing most of the words, or close
        to one of the article's own questions."""
        return self._similar() or self.coverage >= MIN_COVERAGE or self.asked >= MIN_ASKED

    def starts_flow(self) -> str | None:
        """The assistant's task to start for this question: the article's `flow`, unless the
        question shares just one word with it ("can I ask you something?")."""
        sure = self._similar() or (
            self.words > 1 and (self.coverage >= MIN_COVERAGE or self.asked >= MIN_ASKED)
        )
        return self.article.flow if sure else None

    def _similar(self) -> bool:
        return self.similarity >= MIN_SIMILARITY and self.coverage > 0


@dataclass(frozen=True)
class SearchResult:
    question: str
    searched: str  # the words searched for, after synonyms and spelling
    hits: tuple[Hit, ...]
    task_asked: float = 0.0  # the cosine with the closest question of the flows' articles

    @property
    def best(self) -> Hit | None:
        """The answer, when the best article is close enough to the question."""
        if self.hits and self.hits[0].close_enough():
            return self.hits[0]
        return None

    @property
    def instead_of_task(self) -> Hit | None:
        """The answer to give instead of the task the assistant read in the question, when the
        help center is sure the question is about something else."""
        best = self.best
        if best is None or best.article.flow or best.words < 2 or best.coverage == 0:
            return None
        sure = best.asked >= MIN_ASKED and best.asked - self.task_asked >= TASK_MARGIN
        return best if sure else None


@dataclass(frozen=True)
class Settings:
    support_email: str
    help_center_url: str
    app_support_section: str

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in PLACEHOLDERS}


# --- reading the folder ---


def read_article(path: Path, settings: Settings) -> Article:
    """One Markdown file; an error names the file and the field."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", text, re.DOTALL)
    if not match:
        raise ArticleError(
            f"{path.name}: no front matter between '---' lines.", field="front matter"
        )
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise ArticleError(f"{path.name}: the front matter is not YAML ({error}).") from None
    if not isinstance(meta, dict):
        raise ArticleError(f"{path.name}: the front matter is not a mapping.")
    for field in REQUIRED:
        if not meta.get(field):
            raise ArticleError(f"{path.name}: '{field}' is missing.", field=field)
    tags = meta["tags"]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ArticleError(f"{path.name}: 'tags' must be a list of words.", field="tags")
    reviewed = meta["last_reviewed"]
    if not isinstance(reviewed, date):
        raise ArticleError(f"{path.name}: 'last_reviewed' must be a date.", field="last_reviewed")

    def filled(field: str, value: str) -> str:
        try:
            return Template(str(value)).substitute(settings.values()).strip()
        except (KeyError, ValueError) as error:
            raise ArticleError(
                f"{path.name}: '{field}' has an unknown placeholder {error}; use "
                + ", ".join(f"${{{p}}}" for p in PLACEHOLDERS)
                + " (write a dollar sign as $$).",
                field=field,
            ) from None

    flow = meta.get("flow")
    if flow is not None and flow not in FLOWS:
        raise ArticleError(
            f"{path.name}: 'flow' must be one of {', '.join(FLOWS)}, or left out.", field="flow"
        )
    questions = meta.get("questions") or []
    if not isinstance(questions, list) or not all(
        isinstance(q, str) and q.strip() for q in questions
    ):
        raise ArticleError(
            f"{path.name}: 'questions' must be a list of questions.", field="questions"
        )
    url = filled("url", meta["url"])
    if url.startswith("/"):
        url = settings.help_center_url.rstrip("/") + url
    return Article(
        slug=path.stem,
        title=filled("title", meta["title"]),
        url=url,
        tags=tuple(tags),
        last_reviewed=reviewed,
        summary=" ".join(filled("summary", meta["summary"]).split()),
        body=filled("body", match.group(2)),
        flow=flow,
        questions=tuple(q.strip() for q in questions),
    )


def read_synonyms(folder: Path) -> dict[str, str]:
    """`synonyms.yml`: a shopper's word or phrase, and the help center's words for it."""
    path = folder / SYNONYMS_FILE
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ArticleError(f"{SYNONYMS_FILE}: a mapping of words to words is expected.")
    return {key.lower().strip(): value.lower().strip() for key, value in data.items()}


# --- the index ---


class Index:
    """The articles in an in-memory FTS5 table, with the words they use for spelling."""

    def __init__(self, articles: list[Article], synonyms: Mapping[str, str]) -> None:
        if not articles:
            raise ArticleError("The help center has no articles.")
        self.articles = {article.slug: article for article in articles}
        self.synonyms = dict(synonyms)
        self._phrases = sorted(self.synonyms, key=len, reverse=True)
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()  # one sqlite3 connection, several request threads
        self._db.execute(
            "CREATE VIRTUAL TABLE articles USING fts5("
            "slug UNINDEXED, title, tags, questions, summary, body, "
            "tokenize='porter unicode61')"
        )
        self._db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)",
            [
                (a.slug, a.title, " ".join(a.tags), "\n".join(a.questions), a.summary, a.body)
                for a in articles
            ],
        )
        self._slugs = list(self.articles)
        self._ngrams = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        # Title and tags twice: they say what the article is about.
        self._matrix = self._ngrams.fit_transform(
            [
                " ".join([a.title, a.title, *a.tags, *a.tags, a.summary, a.body]).lower()
                for a in articles
            ]
        )
        # Each article's own questions, and its title, one row each: a shopper's question is
        # compared with the closest of them.
        self._asked_slugs = [a.slug for a in articles for _ in (a.title, *a.questions)]
        self._asked_ngrams = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True
        )
        self._asked = self._asked_ngrams.fit_transform(
            [q.lower() for a in articles for q in (a.title, *a.questions)]
        )
        # Slips are read as the words of titles and tags only: a shopper's real word that is
        # merely close to one in an article's body ("parking", "packing") stays as written.
        self.vocabulary = sorted(
            {
                word
                for a in articles
                for word in WORD.findall(f"{a.title} {' '.join(a.tags)}".lower())
            }
            | {word for value in self.synonyms.values() for word in WORD.findall(value)}
        )
        self._known = (
            set(self.vocabulary)
            | {w for k in self.synonyms for w in WORD.findall(k)}
            | {w for a in articles for w in WORD.findall(f"{a.summary} {a.body}".lower())}
        )

    def search(self, question: str, limit: int = 3) -> SearchResult:
        words = self.query_words(question)
        if not words:
            return SearchResult(question, "", ())
        scores = self._bm25(words)
        # The question as written (identifiers out), with its synonyms: what the n-grams read.
        text = IDENTIFIERS.sub(" ", question[:MAX_QUESTION].lower()) + " " + " ".join(words)
        similarities = self._similarities(text)
        if not scores and max(similarities.values()) < MIN_SIMILARITY:
            return SearchResult(question, " ".join(words), ())
        asked = self._closest_questions(text)
        top_score = max(scores.values(), default=0.0) or 1.0
        fused = {
            slug: WEIGHTS["bm25"] * scores.get(slug, 0.0) / top_score
            + WEIGHTS["similarity"] * similarities[slug]
            + WEIGHTS["asked"] * asked[slug]
            for slug in self.articles
        }
        best = sorted(fused, key=fused.__getitem__, reverse=True)[:limit]
        having = {word: self._articles_with(word) for word in words}  # once, for every hit
        hits = tuple(
            Hit(
                self.articles[slug],
                round(scores.get(slug, 0.0), 3),
                self._coverage(having, slug),
                round(similarities[slug], 3),
                len(words),
                round(asked[slug], 3),
            )
            for slug in best
        )
        task_asked = max((asked[a.slug] for a in self.articles.values() if a.flow), default=0.0)
        return SearchResult(question, " ".join(words), hits, round(task_asked, 3))

    def _bm25(self, words: list[str]) -> dict[str, float]:
        """BM25 of each article that has one of the words; FTS5's is negative, so flipped."""
        match = " OR ".join(f'"{word}"' for word in words)
        with self._lock:
            rows = self._db.execute(SEARCH, (match, len(self.articles))).fetchall()
        return {slug: -rank for slug, rank in rows}

    def _similarities(self, text: str) -> dict[str, float]:
        """Cosine of the question's character n-grams with each article's."""
        cosines = (self._matrix @ self._ngrams.transform([text]).T).toarray().ravel()
        return {slug: float(cosine) for slug, cosine in zip(self._slugs, cosines, strict=True)}

    def _closest_questions(self, text: str) -> dict[str, float]:
        """Each article's closest question's (or title's) cosine with the shopper's."""
        cosines = (self._asked @ self._asked_ngrams.transform([text]).T).toarray().ravel()
        closest = dict.fromkeys(self.articles, 0.0)
        for slug, cosine in zip(self._asked_slugs, cosines, strict=True):
            closest[slug] = max(closest[slug], float(cosine))
        return closest

    def _coverage(self, having: Mapping[str, frozenset[str]], slug: str) -> float:
        """How much of the question the article speaks to: the share of the question's words,
        weighted by their rarity in the help center, that the article contains. A word no
        article has weighs the most: "wifi" in "free wifi in the store" is what it is about.
        `having`: each of the question's words, and the articles that have it."""
        total = covered = 0.0
        for slugs in having.values():
            weight = math.log(1 + len(self.articles) / (1 + len(slugs)))
            total += weight
            covered += weight if slug in slugs else 0.0
        return round(covered / total, 3) if total else 0.0

    def _articles_with(self, word: str) -> frozenset[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT slug FROM articles WHERE articles MATCH ?", (f'"{word}"',)
            ).fetchall()
        return frozenset(slug for (slug,) in rows)

    def query_words(self, question: str) -> list[str]:
        """The words to search for: content words, spelt as the articles do, and synonyms."""
        text = IDENTIFIERS.sub(" ", question[:MAX_QUESTION].lower().replace("'", ""))
        words = [self._spelt(word) for word in WORD.findall(text)]
        plain = " ".join(words)
        added = []
        for phrase in self._phrases:
            if re.search(rf"\b{re.escape(phrase)}\b", plain):
                added += WORD.findall(self.synonyms[phrase])
        wanted = [w for w in words + added if w not in STOP_WORDS and len(w) > 1]
        return list(dict.fromkeys(wanted))

    def _spelt(self, word: str) -> str:
        if word in self._known or len(word) < MIN_TYPO_LENGTH or word.isdigit():
            return word
        match = process.extractOne(
            word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY
        )
        return match[0] if match else word


# --- the help center: the folder and its index, rebuilt when the folder changes ---


class HelpCenter:
    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = folder
        self.settings = settings
        self._stamp: tuple = ()
        self._index: Index | None = None
        self._lock = threading.Lock()

    def index(self) -> Index:
        """The current index; rebuilt first when an article was added, changed or removed."""
        stamp = self._folder_stamp()
        with self._lock:
            if self._index is None or stamp != self._stamp:
                started = time.perf_counter()
                self._index = build_index(self.folder, self.settings)
                self._stamp = stamp
                logger.info(
                    "help center: %d articles indexed in %.0f ms",
                    len(self._index.articles),
                    (time.perf_counter() - started) * 1000,
                )
            return self._index

    def search(self, question: str, limit: int = 3) -> SearchResult:
        return self.index().search(question, limit)

    def search_asked(self, message: str, limit: int = 3) -> SearchResult:
        """The whole message's search; when no article is close enough, its last question's
        alone: "forget the missing thing, I changed my mind … how do I do a return?"."""
        index = self.index()
        whole = index.search(message, limit)
        asked = [s for s in QUESTIONS.findall(message) if len(WORD.findall(s.lower())) >= 2]
        if whole.best is not None or not asked or asked[-1].strip() == message.strip():
            return whole
        last = index.search(asked[-1], limit)
        return last if last.best is not None else whole

    def _folder_stamp(self) -> tuple:
        try:
            files = sorted(self.folder.iterdir())
        except OSError as error:
            raise ArticleError(f"The help center folder cannot be read ({error}).") from None
        stats = [(f.name, f.stat()) for f in files]
        return tuple((name, stat.st_mtime_ns, stat.st_size) for name, stat in stats)


def build_index(folder: Path, settings: Settings) -> Index:
    articles = [read_article(path, settings) for path in sorted(folder.glob("*.md"))]
    return Index(articles, read_synonyms(folder))


def help_center_from_env() -> HelpCenter:
    """The folder and contact details of the settings (HELP_CENTER_DIR, SUPPORT_EMAIL, ...)."""
    return HelpCenter(config.help_center_dir(), Settings(**config.help_center_settings()))
