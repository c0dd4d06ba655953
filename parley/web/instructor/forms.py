from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from parley.web.support.time_zone_field import time_zone_field

COHORT_ZONE_HINT = (
    "Where the workshop is held, as an IANA name such as Europe/Paris: due dates end at "
    "midnight there. Leave empty for UTC."
)


class CohortForm(FlaskForm):
    name = StringField("Cohort name", validators=[InputRequired(), Length(max=120)])
    workshop_date = DateField("Workshop date", validators=[InputRequired()])
    description = TextAreaField("Description (optional)", validators=[Optional(), Length(max=2000)])
    time_zone = time_zone_field("Time zone", COHORT_ZONE_HINT)


class CohortTimeZoneForm(FlaskForm):
    time_zone = time_zone_field("Time zone", COHORT_ZONE_HINT)


class AssignForm(FlaskForm):
    target = SelectField("What to assign", validators=[InputRequired()])
    due_date = DateField(
        "Due date", validators=[Optional()], description="Leave empty to use the workshop date."
    )


class ExtensionForm(FlaskForm):
    assignment = SelectField("Module", coerce=int, validators=[InputRequired()])
    due_date = DateField("New due date for this learner", validators=[InputRequired()])
