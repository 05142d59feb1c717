"""The form that holds a slot: one button, CSRF-protected, carrying the search."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length


class HoldForm(FlaskForm):
    """Hold slot *key* of the search in *query* (its query string)."""

    key = HiddenField(validators=[DataRequired(), Length(max=32)])
    query = HiddenField(validators=[DataRequired(), Length(max=4000)])
