"""Say why an option is right or wrong under a scenario's facts, citing the rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from parley.grading.model import Option, OptionVerdict, Rule, RuleBook
from parley.grading.rules import Outcome, describe_conditions


def explain(book: RuleBook, outcome: Outcome, key: Outcome | None) -> tuple[str | None, str]:
    """Return (rule id, reason) for one option; key is the option the rules favour, if one."""
    strategy = outcome.strategy
    if outcome.mistaken_by:
        rule = outcome.mistaken_by[0]
        return rule.id, rule.because
    if outcome.status in ("recommended", "acceptable"):
        rule = outcome.deciding_rule
        assert rule is not None
        if key is None or key.strategy.id == strategy.id:
            return rule.id, rule.because
        if outcome.status == "recommended" and key.weight <= outcome.weight:
            return rule.id, rule.because
        better = key.deciding_rule
        assert better is not None
        return rule.id, (
            f"{rule.because} It is sound here, but not the best move: "
            f"{key.strategy.name} is better. {better.because}"
        )
    if strategy.recommended:
        rule = strategy.recommended[0]
        fits = describe_conditions(book, rule.conditions) or "its conditions hold"
        return rule.id, (
            f"{strategy.name} fits when: {fits}. That is not the situation in this scenario."
        )
    return None, strategy.statement


def titled(strategy: str, rule_id: str) -> str:
    """A rule in words: the strategy's name, then the rule's own name after the dot of its id
    ("Apologise" and "apologise.we-caused-it" make "Apologise: we caused it")."""
    _, _, name = rule_id.partition(".")
    return f"{strategy}: {name.replace('-', ' ')}" if name else strategy


def rule_title(book: RuleBook, rule: Rule) -> str:
    return titled(book.strategies[rule.strategy_id].name, rule.id)


def is_sound(outcome: Outcome) -> bool:
    """Whether the rule book calls this move sound here: recommended, or acceptable."""
    return outcome.status in ("recommended", "acceptable")


def verdict_for(
    book: RuleBook,
    option: Option,
    outcome: Outcome,
    *,
    chosen: bool,
    in_key: bool,
    key: Outcome | None,
    step_id: str | None = None,
) -> OptionVerdict:
    """The verdict on one option: right, second-best (chosen, and sound under these facts but
    not the answer), mistake, missed, or None (neither chosen nor in the key)."""
    if chosen and in_key:
        verdict: str | None = "right"
    elif chosen:
        verdict = "second-best" if is_sound(outcome) else "mistake"
    else:
        verdict = "missed" if in_key else None
    rule_id, reason = explain(book, outcome, None if in_key else key)
    rule = book.rule(rule_id) if rule_id else None
    teaches = rule.teaches if rule is not None and rule.teaches else outcome.strategy.teaches
    return OptionVerdict(
        strategy_id=option.strategy_id,
        label=option.label,
        chosen=chosen,
        verdict=verdict,
        rule_id=rule_id,
        reason=reason,
        teaches=teaches,
        note=option.feedback if (chosen and not in_key) or (in_key and not chosen) else "",
        step_id=step_id,
        rule_title=rule_title(book, rule) if rule is not None else "",
    )


def option_verdicts(
    book: RuleBook,
    options: Iterable[Option],
    outcomes: Mapping[str, Outcome],
    *,
    chosen: set[str],
    in_key: set[str],
    key: Outcome | None,
    step_id: str | None = None,
) -> tuple[OptionVerdict, ...]:
    """The verdict on each option, given which were chosen and which the key holds."""
    return tuple(
        verdict_for(
            book,
            option,
            outcomes[option.strategy_id],
            chosen=option.strategy_id in chosen,
            in_key=option.strategy_id in in_key,
            key=key,
            step_id=step_id,
        )
        for option in options
    )
