"""Roster import in a real browser, on a site without mail: a pasted roster with a bad row is
refused row by row with the text kept; corrected, it gives the printable list of invitation
links; a new learner follows one, chooses a password and lands on the dashboard. Every page
accessible and without sideways scrolling at both widths."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.browser.support import PASSWORD, login, page_problems
from tests.factories import create_account, make_cohort

pytestmark = pytest.mark.browser

CHOSEN = "my own roster passphrase"
LONG_NAME = ("Maximiliana " + "Wolkenstein-Rodenegg " * 5 + "von Oberhofen-Tirolerland")[
    :120
]  # the most allowed


@pytest.fixture
def no_mail_server(live_site):
    """A live Parley with no mail (as production without PARLEY_MAIL_URL): (app, base URL)."""
    return live_site(ENV="production")


def test_an_instructor_imports_a_roster_and_a_new_learner_follows_the_link(
    no_mail_server, new_page
):
    app, base = no_mail_server
    trainer_id = create_account(
        app, "roster-trainer@example.com", name="Rhea Trainer", role="instructor", password=PASSWORD
    )
    create_account(app, "roster-old@example.com", name="Olga Existing")
    cohort = make_cohort(
        app, trainer_id, name="Roster cohort", workshop_date=date.today() + timedelta(days=5)
    )
    trainer = new_page(bypass_csp=True)
    login(trainer, base, "roster-trainer@example.com")
    trainer.goto(f"{base}/instructor/cohorts/{cohort.id}")
    trainer.get_by_role("link", name="Import a roster").click()
    assert trainer.get_by_role("heading", name="Import a roster into “Roster cohort”").is_visible()
    problems = page_problems(trainer, "roster-form")

    bad = (
        "name;email\n"
        f"{LONG_NAME};roster-long@example.com\n"
        "Olga;roster-old@example.com\n"
        "Nina New;roster-nina(at)example.com\n"
    )
    trainer.get_by_label("Paste the roster").fill(bad)
    trainer.get_by_role("button", name="Import").click()
    assert trainer.get_by_text(
        "Nothing was imported: 1 row of 3 has a problem. Correct it and import again."
    ).is_visible()
    assert trainer.get_by_role(
        "cell", name="“roster-nina(at)example.com” is not a valid"
    ).is_visible()
    kept = trainer.get_by_label("Paste the roster").input_value()
    assert kept.replace("\r\n", "\n") == bad
    problems |= page_problems(trainer, "roster-problems")

    field = trainer.get_by_label("Paste the roster")
    field.fill(field.input_value().replace("roster-nina(at)example.com", "roster-nina@example.com"))
    trainer.get_by_role("button", name="Import").click()
    assert trainer.get_by_role("heading", name="Roster imported into “Roster cohort”").is_visible()
    assert trainer.get_by_text("This list is shown only once: the links are not kept.").is_visible()
    links = trainer.locator("table.roster-links a")
    assert links.count() == 2  # the two new people; Olga already had an account
    nina_row = trainer.locator("table.roster-links tr", has_text="roster-nina@example.com")
    link = nina_row.locator("a").get_attribute("href")
    assert link.startswith(base + "/reset-password/")
    problems |= page_problems(trainer, "roster-imported")
    trainer.emulate_media(media="print")
    assert not trainer.locator(".site-header").is_visible()
    assert trainer.locator("table.roster-links").is_visible()
    trainer.emulate_media(media="screen")

    learner = new_page(width=375, bypass_csp=True)
    learner.goto(link)
    assert learner.get_by_role("heading", name="Choose your password").is_visible()
    assert learner.get_by_text("You are invited to “Roster cohort” on Parley.").is_visible()
    problems |= page_problems(learner, "roster-invitation")
    learner.get_by_label("New password", exact=True).fill(CHOSEN)
    learner.get_by_label("New password again").fill(CHOSEN)
    learner.get_by_role("button", name="Set my password").click()
    assert learner.get_by_text("Your password is set and you are logged in.").is_visible()
    assert learner.url == base + "/dashboard"
    assert learner.get_by_role("heading", name="Before “Roster cohort”").is_visible()
    assert problems == {}
