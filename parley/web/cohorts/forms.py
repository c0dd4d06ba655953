from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length


class JoinCodeForm(FlaskForm):
    code = StringField(
        "Join code",
        validators=[InputRequired(), Length(max=20)],
        description="The 8-character code your instructor gave you.",
    )
