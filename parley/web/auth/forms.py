from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from parley.accounts.passwords import MIN_LENGTH, password_problem


def acceptable_password(_form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[InputRequired(), Length(max=256), acceptable_password],
        description=f"At least {MIN_LENGTH} characters, not a commonly used password.",
    )


class RegisterForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired(), Length(max=120)])
    email = EmailField("Email", validators=[InputRequired(), Email(), Length(max=320)])
    password = new_password_field("Password")
    code = StringField(
        "Join code (optional)",
        validators=[Length(max=32)],
        description="The code your instructor shows, if you are signing up for a workshop.",
    )
    next = HiddenField()
    join = HiddenField()


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=256)])
    remember = BooleanField(
        "Remember me for 30 days",
        description="Stay logged in on this browser, even after closing it. "
        "Not on a shared computer.",
    )
    next = HiddenField()


class ChangeNameForm(FlaskForm):
    """The account page's name: registration's limits."""

    name = StringField("Name", validators=[InputRequired(), Length(max=120)])


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[InputRequired(), Length(max=256)])
    new = new_password_field("New password")
    confirm = PasswordField(
        "New password again",
        validators=[InputRequired(), EqualTo("new", message="The two new passwords differ.")],
    )


class ChangeEmailForm(FlaskForm):
    """The account page's new address, with the current password."""

    email = EmailField(
        "New email",
        validators=[InputRequired(), Email(), Length(max=320)],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )
    current = PasswordField("Current password", validators=[InputRequired(), Length(max=256)])
