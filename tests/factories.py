"""Factories the tests share: build what a test needs in one call. Tests import from here,
never from conftest or from one another."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, insert, text

from parley.db import make_engine
from parley.grading import Question, Response


def answer_fields(
    questions: Sequence[Question], responses: Mapping[str, Response]
) -> list[tuple[str, str]]:
    """The form fields a browser sends to give these responses, written from the form's markup
    (independently of the code that reads them, so a round trip tests something)."""
    fields: list[tuple[str, str]] = []
    for question in questions:
        response = responses[question.id]
        name = f"q-{question.id}"
        choices = response.choices
        if question.kind in ("best", "all-that-apply"):
            fields += [(name, choice) for choice in choices]
        elif question.kind == "commit-or-walk":
            fields.append((f"{name}-decision", choices[0]))
            fields += [(f"{name}-reason", reason) for reason in choices[1:]]
        elif question.kind == "order":
            fields += [(f"{name}-{choice}", str(n)) for n, choice in enumerate(choices, start=1)]
        elif question.kind == "branching":
            step = question.steps[0]
            for choice in choices:
                fields.append((f"{name}-{step.id}", choice))
                option = next(o for o in step.options if o.strategy_id == choice)
                step = question.step(option.next_step) if option.next_step else None
        else:
            raise ValueError(f"answer_fields does not know the kind {question.kind!r}")
        if response.confidence:
            fields.append((f"c-{question.id}", response.confidence))
    return fields


STORED_BEFORE_14 = Path(__file__).parent / "data" / "stored_before_14"


def stored_rows() -> dict[str, list[dict[str, Any]]]:
    """Rows as the code before issue #14 stored them: three accounts, a cohort with two
    assigned modules, lesson progress and three attempts at a quiz of every kind."""

    def decode(value: Any) -> Any:
        if isinstance(value, dict) and value.keys() == {"datetime"}:
            return datetime.fromisoformat(value["datetime"])
        if isinstance(value, dict) and value.keys() == {"date"}:
            return date.fromisoformat(value["date"])
        return value

    data = json.loads((STORED_BEFORE_14 / "rows.json").read_text(encoding="utf-8"))
    return {
        table: [{name: decode(value) for name, value in row.items()} for row in rows]
        for table, rows in data.items()
    }


def insert_rows(url: str, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert rows into the tables of the database at url, as its schema has them now."""
    engine = make_engine(url, pooled=False)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:
        for table, table_rows in rows.items():
            if table_rows:
                connection.execute(insert(metadata.tables[table]), table_rows)
        if connection.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for table, table_rows in rows.items():
                if table_rows:
                    sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
                    connection.execute(
                        text(f'SELECT setval({sequence}, (SELECT max(id) FROM "{table}"))')
                    )
    engine.dispose()
