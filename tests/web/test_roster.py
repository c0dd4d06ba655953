"""Roster import: a pasted or uploaded CSV adds everyone to the cohort or nobody; new accounts
choose their password through an invitation link, e-mailed (to a real SMTP server on
loopback) or shown on a printable page."""

from __future__ import annotations

import io
import logging
import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from parley import create_app
from parley.accounts import reset
from parley.accounts.invited import has_password
from parley.cohorts import roster
from parley.extensions import db
from parley.models import Cohort, CohortBlock, Membership, User, utcnow
from tests.factories import (
    PASSWORD,
    create_account,
    log_in,
    make_cohort,
    text_of,
    texts,
    unused_smtp_url,
)

CHOSEN = "a password of my own"
WORKSHOP = date.today() + timedelta(days=14)


@pytest.fixture
def no_mail_app(app_config):
    """A site without mail (production's default without PARLEY_MAIL_URL)."""
    return create_app({**app_config, "ENV": "production"})


def workshop(app):
    """Tim runs "Spring workshop"; Ana (a learner with a password) has an account but is in
    no cohort. Returns (Tim's client, cohort id, roster URL)."""
    tim_id = create_account(app, "tim@example.com", name="Tim", role="instructor")
    create_account(app, "ana@example.com", name="Ana Existing")
    cohort = make_cohort(app, tim_id, name="Spring workshop", workshop_date=WORKSHOP)
    return log_in(app, "tim@example.com"), cohort.id, f"/instructor/cohorts/{cohort.id}/roster"


def post_text(client, url, text):
    return client.post(url, data={"text": text})


def post_file(client, url, content: bytes, filename="roster.csv", text=""):
    data = {"text": text, "file": (io.BytesIO(content), filename)}
    return client.post(url, data=data, content_type="multipart/form-data")


def counts(app) -> dict[str, int]:
    """How many accounts, memberships and removals there are: nothing else is written."""
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (User, Membership, CohortBlock)
        }


def account(app, email) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge_all()
        return user


def members(app, cohort_id) -> list[str]:
    with app.app_context():
        query = (
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.cohort_id == cohort_id)
            .order_by(User.email)
        )
        return list(db.session.scalars(query))


def links_on(page: str) -> dict[str, str]:
    """The invitation links the result page lists to hand over, by e-mail."""
    rows = re.findall(
        r'data-label="E-mail">([^<]+)</td><td class="roster-link" data-label="Link">'
        r'<a href="([^"]+)">',
        page,
    )
    return dict(rows)


def path_of(link: str) -> str:
    return link.replace("http://localhost", "")


GOOD = "name,email\nBob New,bob@example.com\nAna Again,ANA@example.com\nCleo New,cleo@example.com\n"


# --- The page -------------------------------------------------------------------------------


def test_the_cohort_page_links_to_the_roster_import(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    page = tim.get(f"/instructor/cohorts/{cohort_id}").text
    assert f'<a href="{url}">Import a roster</a>' in page
    form = tim.get(url)
    assert form.status_code == 200
    assert text_of(form.text, "h1") == "Import a roster into “Spring workshop”"
    assert 'enctype="multipart/form-data"' in form.text
    assert '<input accept=".csv,.txt,text/csv,text/plain"' in form.text


def test_only_the_cohorts_instructor_may_import(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    create_account(no_mail_app, "ida@example.com", name="Ida", role="instructor")
    before = counts(no_mail_app)
    ida = log_in(no_mail_app, "ida@example.com")
    assert ida.get(url).status_code == 404
    assert post_text(ida, url, GOOD).status_code == 404
    ana = log_in(no_mail_app, "ana@example.com")
    assert post_text(ana, url, GOOD).status_code == 403
    anonymous = no_mail_app.test_client().post(url, data={"text": GOOD})
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login")
    assert counts(no_mail_app) == before


# --- Importing without mail: a printable list of links --------------------------------------


def test_a_pasted_roster_adds_existing_accounts_and_invites_new_people(no_mail_app, caplog):
    tim, cohort_id, url = workshop(no_mail_app)
    with caplog.at_level(logging.WARNING):
        response = post_text(tim, url, GOOD)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.text
    assert text_of(page, "h1") == "Roster imported into “Spring workshop”"
    assert text_of(page, "p.lead") == (
        "3 people: 2 new accounts, 1 existing account added, 0 invited again, 0 already a member."
    )
    assert members(no_mail_app, cohort_id) == [
        "ana@example.com",
        "bob@example.com",
        "cleo@example.com",
    ]
    bob = account(no_mail_app, "bob@example.com")
    assert (bob.name, bob.role, has_password(bob)) == ("Bob New", "learner", False)
    # Shaped like a real hash of the site's method, so a log-in costs the usual time.
    assert bob.password_hash.startswith("pbkdf2:sha256:1000$invited.")
    assert account(no_mail_app, "ana@example.com").name == "Ana Existing"  # kept as it is
    links = links_on(page)
    assert sorted(links) == ["bob@example.com", "cleo@example.com"]
    assert all(link.startswith("http://localhost/reset-password/") for link in links.values())
    assert "This list is shown only once: the links are not kept." in page
    assert "(7 days)" in page
    assert '<link rel="stylesheet" href="/static/print.css" media="print">' in page
    assert "A lost link: make a new one with “Make a password-reset link”" in page
    assert texts(page, "table.roster-table tbody tr")[-3:] == [
        "2 Bob New bob@example.com New account, invited to choose a password",
        "3 Ana Existing ana@example.com Existing account, added to the cohort",
        "4 Cleo New cleo@example.com New account, invited to choose a password",
    ]
    # Each link is logged (never its token), as instructors' reset links are.
    for email, link in links.items():
        user_id = account(no_mail_app, email).id
        assert (
            f"invitation link made by instructor {account(no_mail_app, 'tim@example.com').id} "
            f"<tim@example.com> for learner {user_id} <{email}> (cohort 'Spring workshop'), "
            "expires "
        ) in caplog.text
        assert link.rsplit("/", 1)[1] not in caplog.text


def test_an_invited_account_cannot_log_in_before_choosing_a_password(no_mail_app):
    tim, _, url = workshop(no_mail_app)
    post_text(tim, url, GOOD)
    for password in (
        PASSWORD,
        "",
        "invited.",
        account(no_mail_app, "bob@example.com").password_hash,
    ):
        response = no_mail_app.test_client().post(
            "/login", data={"email": "bob@example.com", "password": password}
        )
        assert response.status_code == 400
        if password:
            assert "That email and password do not match an account." in response.text


def test_the_invitation_link_sets_a_password_and_lands_on_the_dashboard(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    link = path_of(links_on(post_text(tim, url, GOOD).text)["bob@example.com"])
    bob = no_mail_app.test_client()
    form = bob.get(link)
    assert form.status_code == 200
    assert text_of(form.text, "h1") == "Choose your password"
    assert "Welcome, Bob New. You are invited to “Spring workshop” on Parley." in form.text
    assert "Set my password</button>" in form.text
    done = bob.post(link, data={"new": CHOSEN, "confirm": CHOSEN})
    assert done.status_code == 302
    assert done.headers["Location"] == "/dashboard"
    dashboard = bob.get("/dashboard").text
    assert "Your password is set and you are logged in. Welcome to Parley!" in dashboard
    assert "Before “Spring workshop”" in dashboard
    assert has_password(account(no_mail_app, "bob@example.com"))
    log_in(no_mail_app, "bob@example.com", CHOSEN)


def test_the_instructor_opening_a_link_is_warned_whose_password_it_sets(no_mail_app):
    tim, _, url = workshop(no_mail_app)
    link = path_of(links_on(post_text(tim, url, GOOD).text)["bob@example.com"])
    page = tim.get(link).text
    assert (
        "You are logged in as Tim. Setting this password logs you out in this browser and logs "
        "in Bob New instead."
    ) in page
    assert "You are logged in as" not in no_mail_app.test_client().get(link).text


def test_an_invitation_link_works_once(no_mail_app):
    tim, _, url = workshop(no_mail_app)
    link = path_of(links_on(post_text(tim, url, GOOD).text)["bob@example.com"])
    client = no_mail_app.test_client()
    assert client.post(link, data={"new": CHOSEN, "confirm": CHOSEN}).status_code == 302
    again = no_mail_app.test_client().get(link)
    assert again.status_code == 400
    assert "This link has already been used" in again.text
    assert (
        no_mail_app.test_client()
        .post(link, data={"new": "someone else's", "confirm": "someone else's"})
        .status_code
        == 400
    )
    log_in(no_mail_app, "bob@example.com", CHOSEN)


def test_an_invitation_link_lasts_seven_days(no_mail_app):
    tim, _, url = workshop(no_mail_app)
    post_text(tim, url, GOOD)
    with no_mail_app.app_context():
        bob = db.session.scalar(select(User).where(User.email == "bob@example.com"))
        secret = no_mail_app.config["SECRET_KEY"]
        fresh = reset.make_token(
            secret, bob, reset.INVITATION, utcnow() - timedelta(days=6, hours=23)
        )
        old = reset.make_token(
            secret, bob, reset.INVITATION, utcnow() - timedelta(days=7, seconds=5)
        )
    client = no_mail_app.test_client()
    assert client.get(f"/reset-password/{fresh}").status_code == 200
    expired = client.get(f"/reset-password/{old}")
    assert expired.status_code == 400
    assert "This link expired 7 days after it was made. Ask for a new link." in expired.text


def test_an_uploaded_file_with_semicolons_a_bom_and_other_columns(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    content = "E-Mail;Company;Name\r\nbob@example.com;Acme;Bob Pérez\r\n;;\r\n".encode("utf-8-sig")
    response = post_file(tim, url, content)
    assert response.status_code == 200
    assert "Columns ignored: Company." in response.text
    assert account(no_mail_app, "bob@example.com").name == "Bob Pérez"
    assert members(no_mail_app, cohort_id) == ["bob@example.com"]


def test_cells_copied_from_a_spreadsheet_are_read(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    response = post_text(tim, url, "Name\tEmail\r\nBob\tbob@example.com\r\n")
    assert response.status_code == 200
    assert members(no_mail_app, cohort_id) == ["bob@example.com"]


def test_quoted_names_with_commas_are_one_name(no_mail_app):
    tim, _, url = workshop(no_mail_app)
    response = post_text(tim, url, 'email,name\nbob@example.com,"New, Bob"\n')
    assert response.status_code == 200
    assert account(no_mail_app, "bob@example.com").name == "New, Bob"


def test_people_already_members_are_reported_not_refused(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    assert post_text(tim, url, "name,email\nAna,ana@example.com\n").status_code == 200
    again = post_text(tim, url, "name,email\nAna,ana@example.com\n")
    assert again.status_code == 200
    assert "0 new accounts, 0 existing accounts added, 0 invited again, 1 already a member." in (
        again.text
    )
    assert members(no_mail_app, cohort_id) == ["ana@example.com"]


def test_importing_again_invites_again_until_a_password_is_chosen(no_mail_app):
    tim, _, url = workshop(no_mail_app)
    first = links_on(post_text(tim, url, GOOD).text)["bob@example.com"]
    again = post_text(tim, url, "name,email\nBob,bob@example.com\n")
    assert "1 invited again" in again.text
    second = links_on(again.text)["bob@example.com"]
    client = no_mail_app.test_client()
    assert client.post(path_of(second), data={"new": CHOSEN, "confirm": CHOSEN}).status_code == 302
    assert "This link has already been used" in client.get(path_of(first)).text
    third = post_text(tim, url, "name,email\nBob,bob@example.com\n")
    assert "1 already a member." in third.text
    assert links_on(third.text) == {}


def test_a_closed_cohort_still_takes_its_roster(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    tim.post(f"/instructor/cohorts/{cohort_id}/joining", data={"open": "0"})
    assert post_text(tim, url, GOOD).status_code == 200
    assert len(members(no_mail_app, cohort_id)) == 3


# --- Bad input: a clear error and nothing imported ------------------------------------------

NOT_UTF8 = "The file is not UTF-8 text (a byte that UTF-8 does not allow on line 2)."
SAVE_AS = "in Excel, “File › Save As” and the type “CSV UTF-8 (Comma delimited)”"
TOO_BIG = "one import takes at most 200 KB and 1,000 people. Split it into smaller files."


def many_rows(count: int) -> str:
    return "name,email\n" + "".join(f"P{n},p{n}@example.com\n" for n in range(count))


BAD_INPUT = {
    "nothing": ({"text": "  \n"}, 400, "Paste the roster or choose a CSV file"),
    "empty file": ({"file": b""}, 400, "The roster is empty."),
    "blank file": ({"file": b"\r\n \r\n"}, 400, "The roster is empty."),
    "header only": ({"text": "name,email\n"}, 400, "has nobody in it"),
    "wrong columns": (
        {"text": "first,last,mail\nBob,New,bob@example.com\n"},
        400,
        "The first line must name the columns “name” and “email” (for example “name,email”); "
        "it has no “name” and no “email” column. It reads: “first”, “last”, “mail”.",
    ),
    "no header": (
        {"text": "Bob,bob@example.com\n"},
        400,
        "it has no “name” and no “email” column. It reads: “Bob”, “bob@example.com”.",
    ),
    "two email columns": (
        {"text": "name,email,e-mail\nBob,b@example.com,c@example.com\n"},
        400,
        "The first line names the “email” column twice.",
    ),
    "cp1252": ({"file": "name,email\nJosé,jose@example.com\n".encode("cp1252")}, 400, NOT_UTF8),
    "workbook": ({"file": b"PK\x03\x04" + b"\x00" * 100}, 400, "spreadsheet workbook"),
    "NUL": ({"file": b"name,email\nB\x00b,bob@example.com\n"}, 400, "NUL character"),
    "both": (
        {"text": GOOD, "file": GOOD.encode()},
        400,
        "Paste the roster or choose a file, not both",
    ),
    "over 200 KB": ({"file": many_rows(10).encode() + b"#" * 210_000}, 413, TOO_BIG),
    "1,001 rows": (
        {"text": many_rows(1001)},
        413,
        "The roster has more than 1,000 people; one import takes at most 1,000.",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_a_roster_that_cannot_be_read_is_refused_whole(no_mail_app, case):
    tim, _, url = workshop(no_mail_app)
    given, status, message = BAD_INPUT[case]
    before = counts(no_mail_app)
    if "file" in given:
        response = post_file(tim, url, given["file"], text=given.get("text", ""))
    else:
        response = post_text(tim, url, given["text"])
    assert response.status_code == status
    assert message in text_of(response.text, "#roster-problems")
    assert counts(no_mail_app) == before
    if case == "cp1252":
        assert SAVE_AS in response.text
    if "file" in given:
        assert "Your file is not kept: choose it again once it is corrected." in response.text


def test_a_thousand_rows_are_imported(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    response = post_text(tim, url, many_rows(1000))
    assert response.status_code == 200
    assert len(members(no_mail_app, cohort_id)) == 1000


def test_a_thousand_existing_accounts_are_looked_up_and_added(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    assert post_text(tim, url, many_rows(1000)).status_code == 200
    other = make_cohort(no_mail_app, account(no_mail_app, "tim@example.com").id, name="Autumn")
    again = post_text(tim, f"/instructor/cohorts/{other.id}/roster", many_rows(1000))
    assert again.status_code == 200
    assert "0 new accounts, 0 existing accounts added, 1000 invited again" in again.text
    assert len(members(no_mail_app, other.id)) == 1000


def test_a_5_mb_upload_gets_the_readable_413_page_and_nothing_is_imported(no_mail_app):
    tim, _, url = workshop(no_mail_app)
    before = counts(no_mail_app)
    content = many_rows(100).encode() + b"x" * (5 * 1024 * 1024)
    # Encoded here in memory: the test client would spool it to a temporary file that a
    # refused request never closes.
    boundary, body = encode_multipart(
        {"text": "", "file": FileStorage(io.BytesIO(content), "big.csv")}
    )
    response = tim.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert text_of(response.text, "h1") == "That was too large to accept"
    assert (
        "That roster is too large to accept, so nothing was imported: one import takes at most "
        "200 KB and 1,000 people. Split it into smaller files."
    ) in response.text
    assert counts(no_mail_app) == before


def test_other_pages_keep_the_usual_413(no_mail_app):
    tim, cohort_id, _ = workshop(no_mail_app)
    response = tim.post(
        f"/instructor/cohorts/{cohort_id}/time-zone", data={"time_zone": "x" * 300_000}
    )
    assert response.status_code == 413
    assert "That roster is too large" not in response.text


def test_a_line_separated_otherwise_than_the_first_says_so(no_mail_app):
    tim, _cohort_id, url = workshop(no_mail_app)
    before = counts(no_mail_app)
    text = "name,email\nPia Print;pia@example.com\nNomail\nOk,ok@example.com\n"
    response = post_text(tim, url, text)
    assert response.status_code == 400
    assert texts(response.text, "table.roster-table tbody tr") == [
        "2 Pia Print;pia@example.com The e-mail address is missing. This line separates its "
        "columns with “;”, the first line with “,”: use the same on every line.",
        "3 Nomail The e-mail address is missing.",
    ]
    assert counts(no_mail_app) == before


def test_every_bad_row_is_listed_and_nothing_is_imported(no_mail_app):
    tim, cohort_id, url = workshop(no_mail_app)
    create_account(no_mail_app, "ida@example.com", name="Ida", role="instructor")
    create_account(no_mail_app, "rob@example.com", name="Rob Removed")
    post_text(tim, url, "name,email\nRob,rob@example.com\n")
    rob_id = account(no_mail_app, "rob@example.com").id
    assert tim.post(f"/instructor/cohorts/{cohort_id}/members/{rob_id}/remove").status_code == 303
    before = counts(no_mail_app)
    text = "\n".join(
        [
            "name,email",
            "Bob New,bob@example.com",  # 2: fine
            "Ana,ana@example.com",  # 3: fine (existing)
            "Bob Again,BOB@example.com ",  # 4: duplicate of line 2
            "Nobody,not an address",  # 5
            "x" * 121 + ",long@example.com",  # 6
            ",noname@example.com",  # 7
            "Rob,rob@example.com",  # 8: removed
            "Ida,ida@example.com",  # 9: an instructor
            "Tim,tim@example.com",  # 10: the owner
            "Nomail",  # 11
        ]
    )
    response = post_text(tim, url, text)
    assert response.status_code == 400
    assert text_of(response.text, "#roster-problems") == (
        "Nothing was imported: 8 rows of 10 have a problem. Correct them and import again."
    )
    assert texts(response.text, "table.roster-table tbody tr") == [
        "4 Bob Again bob@example.com Same e-mail address as line 2.",
        "5 Nobody not an address “not an address” is not a valid e-mail address.",
        f"6 {'x' * 121} long@example.com The name has 121 characters; at most 120.",
        "7 noname@example.com The name is missing.",
        "8 Rob rob@example.com Removed from this cohort: use “Allow back” on the cohort page "
        "first.",
        "9 Ida ida@example.com This is an instructor's account; instructors join a cohort with "
        "its invitation link themselves.",
        "10 Tim tim@example.com That is you: you run this cohort.",
        "11 Nomail The e-mail address is missing.",
    ]
    assert counts(no_mail_app) == before
    # The pasted text is kept to correct.
    assert "Bob Again,BOB@example.com " in response.text
    assert "Your file is not kept" not in response.text


def test_an_account_made_while_importing_leaves_nothing_imported(no_mail_app, monkeypatch):
    tim, cohort_id, url = workshop(no_mail_app)
    planned = roster.plan_import

    def meanwhile(session, cohort, rows):
        plan = planned(session, cohort, rows)
        create_account(no_mail_app, "cleo@example.com", name="Cleo Quick")
        return plan

    monkeypatch.setattr(roster, "plan_import", meanwhile)
    before = counts(no_mail_app)
    response = post_text(tim, url, GOOD)
    assert response.status_code == 409
    assert "was made while you were importing, so nothing was imported." in response.text
    assert counts(no_mail_app) == {**before, "user": before["user"] + 1}  # Cleo's own
    assert members(no_mail_app, cohort_id) == []


# --- With mail: invitations and notices through a real SMTP server --------------------------


def test_with_mail_new_people_get_an_invitation_and_existing_ones_a_notice(mail_app, smtp):
    tim, cohort_id, url = workshop(mail_app)
    response = post_text(tim, url, GOOD)
    assert response.status_code == 200
    assert links_on(response.text) == {}  # e-mailed, not shown
    assert "Invitation links to hand over" not in response.text
    assert texts(response.text, "table.roster-table tbody tr") == [
        "2 Bob New bob@example.com New account, invited to choose a password Invitation sent",
        "3 Ana Existing ana@example.com Existing account, added to the cohort Notice sent",
        "4 Cleo New cleo@example.com New account, invited to choose a password Invitation sent",
    ]
    by_recipient = {tuple(mail.recipients): mail for mail in smtp.received}
    assert sorted(by_recipient) == [
        ("ana@example.com",),
        ("bob@example.com",),
        ("cleo@example.com",),
    ]
    invitation = by_recipient[("bob@example.com",)]
    assert invitation.subject == "You are invited to Spring workshop on Parley"
    assert "Hello Bob New," in invitation.text
    assert 'Tim has invited you to "Spring workshop" on Parley' in invitation.text
    assert "It works once, for 7 days." in invitation.text
    (link, _forgot) = invitation.links()
    assert link.startswith("http://localhost/reset-password/")
    assert f'<a href="{link}">{link}</a>' in invitation.html
    assert "Tim has invited you to “Spring workshop” on Parley" in invitation.html
    notice = by_recipient[("ana@example.com",)]
    assert notice.subject == "You were added to Spring workshop on Parley"
    assert 'Tim has added you to "Spring workshop" on Parley' in notice.text
    assert "/reset-password/" not in notice.text + notice.html
    assert "http://localhost/dashboard" in notice.html

    bob = mail_app.test_client()
    assert "You are invited to “Spring workshop” on Parley." in bob.get(path_of(link)).text
    done = bob.post(path_of(link), data={"new": CHOSEN, "confirm": CHOSEN})
    assert done.headers["Location"] == "/dashboard"
    assert "Before “Spring workshop”" in bob.get("/dashboard").text
    assert "bob@example.com" in members(mail_app, cohort_id)


def test_already_members_get_no_mail(mail_app, smtp):
    tim, _, url = workshop(mail_app)
    post_text(tim, url, "name,email\nAna,ana@example.com\n")
    post_text(tim, url, "name,email\nAna,ana@example.com\n")
    assert [mail.recipients for mail in smtp.received] == [["ana@example.com"]]


def test_a_refused_recipient_gets_their_link_on_the_page(mail_app, smtp, caplog):
    tim, cohort_id, url = workshop(mail_app)
    text = "name,email\nRef Used,refused@example.com\nBob,bob@example.com\n"
    with caplog.at_level(logging.WARNING):
        response = post_text(tim, url, text)
    assert response.status_code == 200
    assert "1 e-mail could not be sent: the mail server did not accept it." in response.text
    assert list(links_on(response.text)) == ["refused@example.com"]
    assert [mail.recipients for mail in smtp.received] == [["bob@example.com"]]
    assert len(members(mail_app, cohort_id)) == 2
    assert "roster mail to user" in caplog.text


def test_a_mail_server_that_is_down_loses_nothing_and_the_links_are_shown(app_config, caplog):
    app = create_app({**app_config, "MAIL_URL": unused_smtp_url()})
    tim, cohort_id, url = workshop(app)
    with caplog.at_level(logging.WARNING):
        response = post_text(tim, url, GOOD)
    assert response.status_code == 200
    assert "3 e-mails could not be sent: the mail server did not accept them. Everyone is " in (
        response.text
    )
    assert sorted(links_on(response.text)) == ["bob@example.com", "cleo@example.com"]
    assert len(members(app, cohort_id)) == 3
    # Tried once; the rest of the roster does not wait for the same unreachable server.
    assert caplog.text.count("roster mail to user") == 1
    link = links_on(response.text)["bob@example.com"]
    client = app.test_client()
    assert client.post(path_of(link), data={"new": CHOSEN, "confirm": CHOSEN}).status_code == 302


def test_forgot_password_works_for_an_invited_account(mail_app, smtp):
    tim, _, url = workshop(mail_app)
    post_text(tim, url, GOOD)
    smtp.received.clear()
    client = mail_app.test_client()
    assert client.post("/forgot-password", data={"email": "bob@example.com"}).status_code == 200
    (mail,) = smtp.received
    assert mail.subject == "Reset your Parley password"
    link = mail.links()[0]
    assert client.post(path_of(link), data={"new": CHOSEN, "confirm": CHOSEN}).status_code == 302
    log_in(mail_app, "bob@example.com", CHOSEN)


def test_sending_stops_in_time_and_the_rest_get_their_links_on_the_page(
    mail_app, smtp, monkeypatch
):
    from parley.web.instructor import roster as roster_pages

    monkeypatch.setattr(roster_pages, "SENDING_SECONDS", -1)  # out of time from the start
    tim, cohort_id, url = workshop(mail_app)
    response = post_text(tim, url, GOOD)
    assert response.status_code == 200
    assert (
        "3 e-mails were not sent: sending stops after -1 seconds so that this page is not cut "
        "off. Everyone is imported all the same. Hand the people below their link yourself."
    ) in response.text
    assert sorted(links_on(response.text)) == ["bob@example.com", "cleo@example.com"]
    assert smtp.received == []
    assert len(members(mail_app, cohort_id)) == 3


# --- Any text at all: refused whole or imported whole, never a 500 --------------------------

PIECES = st.sampled_from(
    [
        "name",
        "email",
        "e-mail",
        "Name",
        "EMAIL",
        ",",
        ";",
        "\t",
        "\n",
        "\r\n",
        '"',
        " ",
        "Ana",
        "Bob Q",
        "ana@example.com",
        "bob@example.com",
        "tim@example.com",
        "not-an-address",
        "é",
        "\ufeff",
        "x" * 130,
        "=SUM(A1)",
        "<b>",
        "\u2028",
    ]
)


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pieces=st.lists(PIECES, max_size=40), as_file=st.booleans())
def test_any_roster_is_refused_whole_or_imported_whole(no_mail_app, pieces, as_file):
    if not counts(no_mail_app)["user"]:
        workshop(no_mail_app)
    tim = log_in(no_mail_app, "tim@example.com")
    with no_mail_app.app_context():
        url = f"/instructor/cohorts/{db.session.scalar(select(Cohort.id))}/roster"
    text = "".join(pieces)
    before = counts(no_mail_app)
    if as_file:
        response = post_file(tim, url, text.encode("utf-8", "surrogatepass"))
    else:
        response = post_text(tim, url, text)
    assert response.status_code in (200, 400, 413), response.text[:500]
    assert "<h1>" in response.text
    if response.status_code != 200:
        assert counts(no_mail_app) == before
