"""Questions answered from the help center, the shoppers' yes or no, and what is missing.

Every answer is recorded with its conversation, so that the retailer sees which questions the
help center could not answer, or answered unhelpfully: the next articles to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from supportdesk.db import Database
from supportdesk.errors import Invalid, NotFound
from supportdesk.help_center import FLOWS, HelpCenter
from supportdesk.models import HelpAnswer, iso, utcnow

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NUMBERS = re.compile(r"\d[\d\s-]{3,}\d")
MAX_GAPS = 100


@dataclass(frozen=True)
class Question:
    conversation_id: str
    channel: str
    text: str
    task: str | None = None  # the assistant's own task its classifier read in the question


def masked(text: str) -> str:
    """The question as kept: e-mail addresses and long numbers (orders, cards) hidden."""
    return NUMBERS.sub("#", EMAIL.sub("[e-mail]", " ".join(text.split())))


def answer_question(db: Database, help_center: HelpCenter, question: Question) -> dict[str, Any]:
    """The best article (or none good enough), recorded with the conversation.

    With a `task`, the question is the assistant's own unless the help center is sure it is
    about another article: then nothing is recorded, and `flow` is the task."""
    if not question.text.strip():
        raise Invalid("Give the shopper's question.", field="question")
    if question.task is not None and question.task not in FLOWS:
        raise Invalid(f"'task' must be one of {', '.join(FLOWS)}.", field="task")
    if question.task is None:
        result = help_center.search_asked(question.text)
        best = result.best
    else:  # the task read in the whole message gives way only to an article sure of it
        result = help_center.search(question.text)
        best = result.instead_of_task
    if best is None and question.task is not None:
        return {
            "answer_id": None,
            "found": False,
            "article": None,
            "flow": question.task,
            "score": 0.0,
            "alternatives": [],
        }
    top_score = result.hits[0].score if result.hits else 0.0
    with db.write() as session:
        row = HelpAnswer(
            conversation_id=question.conversation_id,
            channel=question.channel,
            question=masked(question.text),
            article_slug=best.article.slug if best else None,
            score=round(top_score * 1000),
        )
        session.add(row)
        session.flush()
        answer_id = row.id
    return {
        "answer_id": answer_id,
        "found": best is not None,
        "article": best.article.public() if best else None,
        "flow": best.starts_flow() if best else None,
        "score": top_score,
        "alternatives": [hit.article.public() for hit in result.hits[1:] if best],
    }


def rate_answer(db: Database, answer_id: int, helpful: bool) -> dict[str, Any]:
    """The shopper's yes or no; the latest one counts."""
    with db.write() as session:
        row = session.get(HelpAnswer, answer_id) if 0 < answer_id < 2**31 else None
        if row is None:
            raise NotFound(f"No help-center answer {answer_id}.")
        row.helpful, row.rated_at = int(helpful), utcnow()
        return _view(row)


def gaps(db: Database, limit: int = MAX_GAPS) -> dict[str, list[dict[str, Any]]]:
    """Questions with no article, and those whose answer did not help: most frequent first."""
    return {
        "unanswered": _grouped(db, HelpAnswer.article_slug.is_(None), limit),
        "not_helpful": _grouped(db, HelpAnswer.helpful == 0, limit),
    }


def _grouped(db: Database, condition: Any, limit: int) -> list[dict[str, Any]]:
    asked = func.lower(HelpAnswer.question)
    with db.read() as session:
        rows = session.execute(
            select(
                func.min(HelpAnswer.question).label("question"),
                func.count().label("times"),
                func.max(HelpAnswer.asked_at).label("last_asked"),
                func.max(HelpAnswer.article_slug).label("article"),
            )
            .where(condition)
            .group_by(asked, HelpAnswer.article_slug)
            .order_by(func.count().desc(), func.max(HelpAnswer.asked_at).desc())
            .limit(limit)
        ).all()
    return [
        {
            "question": row.question,
            "times": row.times,
            "last_asked": iso(row.last_asked),
            "article": row.article,
        }
        for row in rows
    ]


def _view(row: HelpAnswer) -> dict[str, Any]:
    return {
        "answer_id": row.id,
        "article": row.article_slug,
        "helpful": None if row.helpful is None else bool(row.helpful),
        "asked_at": iso(row.asked_at),
    }
