"""`flask cohorts list`, `transfer` and `delete`, through app.test_cli_runner()."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from parley.extensions import db
from parley.models import Assignment, Cohort, CohortBlock, Membership, User
from tests.factories import count, create_account, make_cohort

SPRING = date(2031, 3, 14)
AUTUMN = date(2031, 10, 2)


def owner_of(app, cohort_id: int) -> str:
    with app.app_context():
        return db.session.scalar(
            select(User.email)
            .join(Cohort, Cohort.owner_id == User.id)
            .where(Cohort.id == cohort_id)
        )


@pytest.fixture
def people(app):
    """Tim owns "Spring workshop" (Ana and Ben are members, walkouts assigned); Una is another
    instructor; Lea a learner with no cohort."""
    ids = {
        "tim": create_account(app, "tim@example.com", name="Tim", role="instructor"),
        "una": create_account(app, "una@example.com", name="Una", role="instructor"),
        "ana": create_account(app, "ana@example.com", name="Ana"),
        "ben": create_account(app, "ben@example.com", name="Ben"),
        "lea": create_account(app, "lea@example.com", name="Lea"),
    }
    spring = make_cohort(
        app,
        ids["tim"],
        name="Spring workshop",
        workshop_date=SPRING,
        modules={"walkouts": SPRING},
        members=[ids["ana"], ids["ben"]],
    )
    return {**ids, "spring": spring.id}


# --- list -----------------------------------------------------------------------------------


def test_list_prints_one_cohort_a_line_by_workshop_date(app, runner, people):
    autumn = make_cohort(app, people["una"], name="Autumn\tcourse", workshop_date=AUTUMN)
    early = make_cohort(app, people["una"], name="Early bird", workshop_date=date(2031, 1, 5))
    result = runner.invoke(args=["cohorts", "list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{early.id}\tEarly bird\tuna@example.com\t0\t2031-01-05",
        f"{people['spring']}\tSpring workshop\ttim@example.com\t2\t2031-03-14",
        f"{autumn.id}\tAutumn course\tuna@example.com\t0\t2031-10-02",
    ]


def test_list_of_no_cohorts_prints_nothing(runner):
    result = runner.invoke(args=["cohorts", "list"])
    assert result.exit_code == 0
    assert result.output == ""


# --- transfer -------------------------------------------------------------------------------


def test_transfer_hands_the_cohort_over_and_names_the_old_owner(app, runner, people):
    spring = str(people["spring"])
    result = runner.invoke(args=["cohorts", "transfer", spring, "--to", " UNA@example.com "])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"cohort {spring} “Spring workshop” now belongs to una@example.com; "
        "tim@example.com no longer owns it\n"
    )
    assert owner_of(app, people["spring"]) == "una@example.com"
    assert count(app, Membership) == 2
    assert count(app, Assignment) == 1
    deleted = runner.invoke(args=["users", "delete", "tim@example.com", "--yes"])
    assert deleted.exit_code == 0, deleted.output


@pytest.mark.parametrize(
    ("cohort", "email", "message"),
    [
        ("9999", "una@example.com", "Error: no cohort has id 9999"),
        (None, "ghost@example.com", "Error: no account with email ghost@example.com"),
        (
            None,
            "lea@example.com",
            "Error: lea@example.com is a learner; only an instructor can own a cohort "
            "(flask users set-role lea@example.com instructor)",
        ),
        (None, "Tim@Example.com", "Error: tim@example.com already owns “Spring workshop”"),
    ],
)
def test_transfer_refusals_say_why_and_change_nothing(app, runner, people, cohort, email, message):
    cohort = cohort or str(people["spring"])
    result = runner.invoke(args=["cohorts", "transfer", cohort, "--to", email])
    assert result.exit_code == 1
    assert message in result.output
    assert owner_of(app, people["spring"]) == "tim@example.com"
    assert count(app, Membership) == 2


def test_transfer_needs_the_new_owner_and_a_numeric_id(runner, people):
    missing = runner.invoke(args=["cohorts", "transfer", str(people["spring"])])
    assert missing.exit_code == 2
    assert "Missing option '--to'" in missing.output
    words = runner.invoke(args=["cohorts", "transfer", "spring", "--to", "una@example.com"])
    assert words.exit_code == 2
    assert "'spring' is not a valid integer" in words.output


def test_a_new_owner_who_was_a_member_stops_being_one_and_is_told(app, runner, people):
    """An instructor who joined as a learner before becoming one (set-role later)."""
    with app.app_context():
        db.session.add(Membership(cohort_id=people["spring"], user_id=people["una"]))
        db.session.add(CohortBlock(cohort_id=people["spring"], user_id=people["una"]))
        db.session.commit()
    spring = str(people["spring"])
    result = runner.invoke(args=["cohorts", "transfer", spring, "--to", "una@example.com"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "una@example.com was a member of it and no longer is: instructors do not learn in "
        "their own cohorts (their progress and attempts stay with their account)"
    )
    assert count(app, Membership) == 2  # Ana and Ben
    assert count(app, CohortBlock) == 0


# --- delete ---------------------------------------------------------------------------------


def test_delete_asks_first_and_keeps_the_cohort_on_no(app, runner, people):
    spring = str(people["spring"])
    result = runner.invoke(args=["cohorts", "delete", spring], input="n\n")
    assert result.exit_code == 1
    assert (
        f"Delete cohort {spring} “Spring workshop” with its 2 memberships and 1 assignment? [y/N]"
        in result.output
    )
    assert "Aborted!" in result.output
    assert count(app, Cohort) == 1
    assert count(app, Membership) == 2


def test_delete_on_yes_removes_the_cohort_and_keeps_the_accounts(app, runner, people):
    spring = str(people["spring"])
    result = runner.invoke(args=["cohorts", "delete", spring], input="y\n")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"deleted cohort {spring} “Spring workshop”\n")
    assert count(app, Cohort) == 0
    assert count(app, Membership) == 0
    assert count(app, Assignment) == 0
    assert count(app, User) == 5


def test_delete_with_yes_asks_nothing(app, runner, people):
    spring = str(people["spring"])
    result = runner.invoke(args=["cohorts", "delete", spring, "--yes"])
    assert result.exit_code == 0, result.output
    assert result.output == f"deleted cohort {spring} “Spring workshop”\n"
    assert count(app, Cohort) == 0


def test_delete_names_an_unknown_cohort(app, runner, people):
    result = runner.invoke(args=["cohorts", "delete", "9999", "--yes"])
    assert result.exit_code == 1
    assert "Error: no cohort has id 9999" in result.output
    assert count(app, Cohort) == 1


def test_the_commands_say_what_to_do_without_a_database(app_config, tmp_path):
    from parley import create_app

    app_config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'missing' / 'none.db'}"
    runner = create_app(app_config).test_cli_runner()
    for args in (["list"], ["delete", "1", "--yes"], ["transfer", "1", "--to", "a@b.c"]):
        result = runner.invoke(args=["cohorts", *args])
        assert result.exit_code == 1, args
        assert "the database cannot be opened" in result.output, args
