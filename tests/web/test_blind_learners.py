"""Learners who answer by position alone, through the real quiz pages, never pass a shipped
quiz: first, last and longest, 20 seeded attempts each at every quiz."""

import random
import re
from html import unescape

import pytest
from werkzeug.datastructures import MultiDict

from parley.config import PROJECT_ROOT
from tests.factories import create_account, form_fields, log_in, text_of

ATTEMPTS = 20
LIMIT = 0.60  # no blind learner's mean may reach this
_INPUT = re.compile(
    r'<input type="(radio|checkbox|hidden)" name="(q-[^"]+)" value="([^"]*)"[^>]*>'
    r"(?:\s*<span>([^<]*))?"
)
_SELECT = re.compile(r'<select id="(q-[^"]+)" name="q-[^"]+">')
_LABEL_FOR = re.compile(r'<label for="(q-[^"]+)">([^<]*)</label>')
_ADVANCE = re.compile(r'<button type="submit" name="advance" value="([^"]+)"')


def first(shown):
    return shown[0]


def last(shown):
    return shown[-1]


def longest(shown):
    return max(shown, key=lambda choice: len(choice[1]))


def half(shown, learner):
    """The first half (or last half, or longer half) of a group, as the learner picks it."""
    size = (len(shown) + 1) // 2
    if learner is first:
        return shown[:size]
    if learner is last:
        return shown[-size:]
    return sorted(shown, key=lambda choice: -len(choice[1]))[:size]


def in_order(shown, learner):
    if learner is first:
        return shown
    if learner is last:
        return list(reversed(shown))
    return sorted(shown, key=lambda choice: -len(choice[1]))


def blind_fields(page: str, answered: dict, learner) -> dict:
    """Answers for every group on the page not answered yet, by position (or length) alone."""
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for kind, name, value, label in _INPUT.findall(page):
        if kind == "hidden":
            answered.setdefault(name, [value])  # a step of a scenario answered before
            continue
        groups.setdefault(name, (kind, []))[1].append((value, unescape(label or "").strip()))
    for name, (kind, shown) in groups.items():
        if name not in answered:
            picked = half(shown, learner) if kind == "checkbox" else [learner(shown)]
            answered[name] = [value for value, _ in picked]
    for rows in _order_groups(page):
        for place, (field, _) in enumerate(in_order(rows, learner), start=1):
            answered.setdefault(field, [str(place)])
    return answered


def _order_groups(page: str) -> list[list[tuple[str, str]]]:
    """Each order question's rows (field, label) in the order shown."""
    labels = dict(_LABEL_FOR.findall(page))
    groups = []
    for section in re.split(r'<section class="question card"', page)[1:]:
        fields = _SELECT.findall(section)
        if fields:
            groups.append([(field, unescape(labels.get(field, ""))) for field in fields])
    return groups


def take_blind(client, url: str, learner) -> float:
    """Take the quiz through its pages, answering blind; return the score."""
    page = client.get(url).text
    hidden = form_fields(page)
    answered: dict[str, list[str]] = {}
    for _ in range(10):  # a branching scenario reveals a step per round
        answered = blind_fields(page, answered, learner)
        data = [(name, value) for name, values in answered.items() for value in values]
        data += list(hidden.items())
        advance = _ADVANCE.findall(page)
        if advance:
            page = client.post(url, data=MultiDict([*data, ("advance", advance[0])])).text
            continue
        response = client.post(url, data=MultiDict(data))
        assert response.status_code == 303, text_of(response.text, "main")[:400]
        result = client.get(response.headers["Location"]).text
        return int(re.search(r"Your result: (\d+)%", result).group(1)) / 100
    raise AssertionError("the quiz never finished")


def shipped_quizzes() -> list[str]:
    return [
        f"/courses/{folder.name}/quizzes/{path.stem}"
        for folder in sorted((PROJECT_ROOT / "quizzes").iterdir())
        for path in sorted(folder.glob("*.yaml"))
        if path.name != "rules.yaml"
    ]


@pytest.mark.parametrize("url", shipped_quizzes())
def test_no_learner_who_answers_by_position_passes(app, url, monkeypatch):
    tokens = random.Random(url)
    monkeypatch.setattr(
        "parley.web.quiz.routes.secrets.token_urlsafe",
        lambda _n: "".join(
            tokens.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32)
        ),
    )
    create_account(app, "blind@example.com")
    client = log_in(app, "blind@example.com")
    pass_mark = None
    for learner in (first, last, longest):
        scores = [take_blind(client, url, learner) for _ in range(ATTEMPTS)]
        page = client.get(url).text
        pass_mark = int(re.search(r"pass mark (\d+)%", page).group(1)) / 100
        assert max(scores) < pass_mark, (learner.__name__, scores)
        assert sum(scores) / len(scores) < LIMIT, (learner.__name__, scores)
