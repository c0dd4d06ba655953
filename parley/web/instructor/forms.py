from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional


class CohortForm(FlaskForm):
    name = StringField("Cohort name", validators=[InputRequired(), Length(max=120)])
    workshop_date = DateField("Workshop date", validators=[InputRequired()])
    description = TextAreaField("Description (optional)", validators=[Optional(), Length(max=2000)])


class AssignForm(FlaskForm):
    target = SelectField("What to assign", validators=[InputRequired()])
    due_date = DateField(
        "Due date", validators=[Optional()], description="Leave empty to use the workshop date."
    )


class ExtensionForm(FlaskForm):
    assignment = SelectField("Module", coerce=int, validators=[InputRequired()])
    due_date = DateField("New due date for this learner", validators=[InputRequired()])
