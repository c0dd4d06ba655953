"""A form field for an IANA time zone name, offered from a datalist, empty meaning UTC."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from parley.accounts.time_zones import TimeZoneError, checked_time_zone

DATALIST_ID = "time-zone-names"  # templates/time_zones.html renders the list with this id


def _known_zone(form, field) -> None:
    try:
        field.data = checked_time_zone(field.data)
    except TimeZoneError as exc:
        raise ValidationError(str(exc)) from None


def time_zone_field(label: str, description: str) -> StringField:
    """A text field checked against the IANA names; its data is a name or None (UTC)."""
    return StringField(
        label,
        validators=[_known_zone],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        description=description,
        render_kw={"list": DATALIST_ID, "autocomplete": "off", "spellcheck": "false"},
    )


class TimeZoneForm(FlaskForm):
    """A person's own zone, on their account page."""

    time_zone = time_zone_field(
        "Your time zone",
        "Times are shown in it, as an IANA name such as Europe/Paris. Leave it empty to see "
        "times in your cohort's zone on its pages, and in UTC elsewhere.",
    )
