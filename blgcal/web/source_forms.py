"""The form an admin adds or changes a harvest source with."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from blgcal.domain.harvest.sources import OnVanish, SourceKind
from blgcal.domain.places import is_zone
from blgcal.domain.types import Kind
from blgcal.domain.validation import is_web_url
from blgcal.services.harvest.sources import MAX_WINDOW_DAYS
from blgcal.web.forms import Form, options

KIND_CHOICES = options((kind.value, kind.label) for kind in SourceKind)
DEFAULT_KIND_CHOICES = options([("", "Governing body (the default)"),
                                *((kind.value, kind.label) for kind in Kind)])
VANISH_CHOICES = options((choice.value, choice.label) for choice in OnVanish)


class SourceForm(Form):
    """Add or change a source: a URL to fetch, or a file uploaded here."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)],
                       description="Short and unique: used by 'blgcal harvest NAME'.")
    body_slug = SelectField("Body", choices=[], description="Organiser of events that name none.")
    kind = SelectField("Kind", choices=KIND_CHOICES)
    url = StringField("URL", validators=[Optional(), Length(max=1000)],
                      description="http:// or https://. Leave empty to upload a file instead.")
    upload = FileField("Or upload a file", description="Replaces the stored file, if any.")
    enabled = BooleanField("Harvest it", default=True,
                           description="Disabled sources keep their events but are not harvested.")
    window_back_days = IntegerField("Keep days back", default=180,
                                    validators=[InputRequired(), NumberRange(0, MAX_WINDOW_DAYS)])
    window_ahead_days = IntegerField("Keep days ahead", default=1095,
                                     validators=[InputRequired(), NumberRange(0, MAX_WINDOW_DAYS)])
    on_vanish = SelectField("When an item disappears from the source", choices=VANISH_CHOICES,
                            description="Cancelled items stay in feeds, marked cancelled.")
    default_kind = SelectField(
        "Kind of items nothing else places", choices=DEFAULT_KIND_CHOICES, default="",
        coerce=lambda value: value or "", validate_choice=False,  # the service checks it
        description="Codes and titles (SC81, SBSTTA-28, workshop...) set the kind first.")
    default_timezone = StringField(
        "Time zone of times given without one", validators=[Optional(), Length(max=64)],
        description="An IANA name such as Europe/Geneva. Indico gives UTC times only: "
                    "leave empty to use the zone of the venue's city.")
    exclude_titles = TextAreaField(
        "Leave out items whose title matches", validators=[Optional(), Length(max=4000)],
        description="One pattern a line; * matches anything (e.g. *Conference Invitees*).")
    trust_host = BooleanField("Trust this host even on a private address",
                              description="Only for an intranet feed you know.")

    def validate_url(self, field: StringField) -> None:
        if field.data and not is_web_url(field.data):
            raise ValidationError("Only http:// and https:// addresses can be harvested.")

    def validate_default_timezone(self, field: StringField) -> None:
        if field.data and not is_zone(field.data.strip()):
            raise ValidationError(f"{field.data!r} is not an IANA time zone.")

    def validate_window_ahead_days(self, field: IntegerField) -> None:
        if (field.data or 0) + (self.window_back_days.data or 0) > MAX_WINDOW_DAYS:
            raise ValidationError(f"The window can span at most {MAX_WINDOW_DAYS} days.")
