from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, InputRequired, Length

PASSWORD_MIN = 10


class RegisterForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired(), Length(max=120)])
    email = EmailField("Email", validators=[InputRequired(), Email(), Length(max=320)])
    password = PasswordField(
        "Password",
        validators=[
            InputRequired(),
            Length(min=PASSWORD_MIN, max=256, message="Use at least 10 characters."),
        ],
        description="At least 10 characters.",
    )
    next = HiddenField()
    join = HiddenField()


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[InputRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=256)])
    next = HiddenField()
