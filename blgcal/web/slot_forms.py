"""The form that holds a slot: one button, CSRF-protected, carrying the search."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from blgcal.web.forms import Form


class HoldForm(Form):
    """Hold slot *key* of the search in *query* (its query string)."""

    key = HiddenField(validators=[DataRequired(), Length(max=32)])
    query = HiddenField(validators=[DataRequired(), Length(max=4000)])
