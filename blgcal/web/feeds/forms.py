"""Forms of the subscribe pages: the feed builder (GET) and saving a private feed."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, SelectMultipleField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from blgcal.services.feeds.private import CONTENTS
from blgcal.web.forms import Form


class FeedBuilderForm(Form):
    """Filters that compose a custom feed's address; read from the query string.

    Values are checked by the shared filter vocabulary (a FilterError names
    the parameter), so the fields here do not validate choices themselves.
    """

    class Meta:
        csrf = False

    body = SelectMultipleField("Bodies", validate_choice=False,
                               description="Any of these organisers. None: every body.")
    kind = SelectMultipleField("Kinds", validate_choice=False)
    status = SelectMultipleField("Statuses", validate_choice=False,
                                 description="Cancelled meetings still show for a month, "
                                             "marked cancelled.")
    country = SelectMultipleField("Countries", validate_choice=False)
    tag = StringField("Tags", validators=[Length(max=200)],
                      description="Comma-separated, e.g. oceans, finance.")
    q = StringField("Text", validators=[Length(max=200)],
                    description="Words found in the title, code, city, venue or description.")
    observances = BooleanField("Add the international days")


class PrivateFeedForm(Form):
    """Save the builder's filters as a private feed (with staff-only events),
    or make a private feed of the comms plan (*content* ``comms``)."""

    name = StringField("Name of the feed", validators=[DataRequired(), Length(max=120)],
                       description="Shown as the calendar's name in your calendar app.")
    filters = HiddenField()
    content = HiddenField(default="events",
                          validators=[AnyOf(CONTENTS, message="Unknown kind of private feed.")])
