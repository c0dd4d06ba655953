"""Invitations in a real browser: a new link and code, removing and allowing back, a closed
cohort's invitation; each page accessible and without sideways scrolling."""

from datetime import date, timedelta

import pytest

from tests.browser.support import PASSWORD, login, page_problems
from tests.factories import create_account, make_cohort

pytestmark = pytest.mark.browser


def test_instructor_removes_renews_and_allows_back(live_server, new_page):
    app, base = live_server
    trainer_id = create_account(
        app, "invite-trainer@example.com", name="Ivy Trainer", role="instructor", password=PASSWORD
    )
    rob_id = create_account(app, "invite-rob@example.com", name="Rob Removed", password=PASSWORD)
    cohort = make_cohort(
        app,
        trainer_id,
        name="Invitation cohort",
        workshop_date=date.today() + timedelta(days=5),
        description="Only for the invited.",
        members=[rob_id],
    )
    cohort_url = f"{base}/instructor/cohorts/{cohort.id}"
    old_link = f"{base}/join/{cohort.invite_token}"

    trainer = new_page(bypass_csp=True)
    login(trainer, base, "invite-trainer@example.com")
    trainer.goto(f"{cohort_url}/learners/{rob_id}")
    trainer.get_by_role("button", name="Remove Rob Removed from this cohort").click()
    assert trainer.get_by_text("They cannot rejoin until you allow them back.").first.is_visible()
    assert trainer.get_by_role("heading", name="Removed (1)").is_visible()
    trainer.get_by_role("button", name="New link and code").click()
    assert trainer.get_by_text("The old link and code no longer work;").is_visible()
    new_link = trainer.locator("#invite-link").input_value()
    assert new_link != old_link
    problems = page_problems(trainer, "invitation-cohort-with-removed")

    rob = new_page(bypass_csp=True)
    login(rob, base, "invite-rob@example.com")
    rob.goto(old_link)
    assert rob.get_by_text("This invitation link is not valid.").is_visible()
    rob.goto(new_link)
    assert rob.get_by_text(
        "Your instructor removed you from this cohort. Ask them to allow you back."
    ).is_visible()
    assert rob.get_by_role("button", name="Join this cohort").count() == 0
    problems |= page_problems(rob, "invitation-removed-learner")

    trainer.goto(cohort_url)
    trainer.get_by_role("button", name="Allow back Rob Removed").click()
    assert trainer.get_by_text("They are not added back automatically.").is_visible()
    rob.goto(new_link)
    rob.get_by_role("button", name="Join this cohort").click()
    assert rob.get_by_text("You joined “Invitation cohort”.").is_visible()

    trainer.goto(cohort_url)
    trainer.get_by_role("button", name="Close joining").click()
    visitor = new_page(bypass_csp=True)
    visitor.goto(new_link)
    assert visitor.get_by_role("heading", name="Join a workshop cohort").is_visible()
    assert visitor.get_by_text("Invitation cohort").count() == 0
    problems |= page_problems(visitor, "invitation-closed")
    assert problems == {}, "\n".join(f"{key}: {value}" for key, value in problems.items())
