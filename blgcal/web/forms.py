"""Forms: one class per form, help text in ``description``, cross-field checks in ``validate_*``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from blgcal.domain.expected import window_bounds
from blgcal.domain.geo import locate
from blgcal.domain.permissions import Role
from blgcal.domain.places import is_country, is_zone
from blgcal.domain.types import Event, Kind, Status, Visibility
from blgcal.domain.validation import FIELD_LIMITS, clean_text, is_web_url, preview
from blgcal.services import accounts


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def clean(*, multiline: bool) -> Callable[[Any], Any]:
    """A WTForms filter: the field's text through :func:`clean_text`."""
    def run(value: Any) -> Any:
        return clean_text(value, multiline=multiline) if isinstance(value, str) else value
    return run


class Form(FlaskForm):
    """The base of every form: text fields lose their control characters before validation.

    Passwords are left as typed.
    """

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Any:
            kind = unbound_field.field_class
            if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
                options = {**options, "filters": [
                    *unbound_field.kwargs.get("filters", ()),
                    clean(multiline=issubclass(kind, TextAreaField))]}
            return unbound_field.bind(form=form, **options)


def limited(name: str) -> Length:
    """The length validator of event field *name* (:data:`FIELD_LIMITS`; also HTML ``maxlength``)."""
    return Length(max=FIELD_LIMITS[name])


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    next = HiddenField()


class PasswordChangeForm(Form):
    current = PasswordField("Current password", validators=[DataRequired()])
    new = PasswordField("New password", validators=[DataRequired(), Length(min=12, max=1000)],
                        description="At least 12 characters. Signs you out everywhere else.")
    confirm = PasswordField("New password again", validators=[DataRequired()])

    def validate_confirm(self, field: PasswordField) -> None:
        if field.data != self.new.data:
            raise ValidationError("The two new passwords differ.")


class ResetPasswordForm(Form):
    new = PasswordField("New password", validators=[DataRequired(), Length(min=12, max=1000)],
                        description="At least 12 characters.")
    confirm = PasswordField("New password again", validators=[DataRequired()])

    def validate_confirm(self, field: PasswordField) -> None:
        if field.data != self.new.data:
            raise ValidationError("The two passwords differ.")


class UserForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=options((r.value, r.value.capitalize()) for r in Role),
                       description="Editors keep the events of their bodies; comms officers "
                                   "plan joint messaging; viewers see staff-only events.")
    bodies = SelectMultipleField("Bodies (editors)", choices=[],
                                 description="The bodies whose events an editor keeps.")
    active = BooleanField("Active", default=True,
                          description="Deactivating ends every session of the account.")

    def validate_email(self, field: EmailField) -> None:
        try:
            accounts.check_email(field.data or "")
        except accounts.AccountError as exc:
            raise ValidationError(str(exc)) from None

    def validate_bodies(self, field: SelectMultipleField) -> None:
        if self.role.data == Role.EDITOR and not field.data:
            raise ValidationError("An editor needs at least one body.")


class ConfirmForm(Form):
    """An empty form: a button that posts with a CSRF token."""


TIMING = options([("all_day", "All day"), ("timed", "At set times"),
                  ("undated", "Dates to be announced")])


class EventForm(Form):
    """Create or edit an event. Times are the venue's wall-clock times in ``timezone``."""

    bodies = SelectMultipleField("Organising bodies", validators=[DataRequired()], choices=[],
                                 description="A joint event has several; the first is the lead.")
    kind = SelectField("Kind", choices=options((k.value, k.label) for k in Kind))
    status = SelectField("Status", choices=options((s.value, s.value.capitalize()) for s in Status))
    visibility = SelectField("Who can see it", choices=options([
        (Visibility.PUBLIC.value, "Everyone (pages and feeds)"),
        (Visibility.STAFF.value, "Signed-in staff only")]))
    parent_id = SelectField("Part of meeting", choices=[], coerce=str, validate_choice=False,
                            description="For side events: the meeting they take place at.")
    code = StringField("Short code", validators=[Optional(), limited("code")],
                       description="How people refer to it: CITES CoP20, SBI-6.")
    title = StringField("Title", validators=[DataRequired(), limited("title")])
    timing = RadioField("Timing", choices=TIMING, default="all_day")
    start_date = DateField("First day", validators=[Optional()])
    end_date = DateField("Last day", validators=[Optional()],
                         description="Inclusive: a one-day meeting has the same first and last day.")
    start_time = TimeField("Starts at", validators=[Optional()])
    end_time = TimeField("Ends at", validators=[Optional()])
    timezone = StringField("Time zone", validators=[Optional(), limited("timezone")],
                           description="The venue's IANA zone, e.g. Europe/Rome.")
    expected = StringField("Expected", validators=[Optional(), limited("expected")],
                           description="For undated events: 2027, 2027-11 or 2027-03/2027-04.")
    venue = StringField("Venue", validators=[Optional(), limited("venue")])
    city = StringField("City", validators=[Optional(), limited("city")])
    country = SelectField("Country", choices=[], validate_choice=False)
    online = BooleanField("Online (too)")
    url = StringField("Web page", validators=[Optional(), limited("url")],
                      description="http:// or https:// only.")
    tags = StringField("Tags", validators=[Optional(), limited("tags")],
                       description="Themes, comma-separated: oceans, wetlands, finance.")
    audience = StringField("Audience", validators=[Optional(), limited("tags")],
                           description="Who must attend, comma-separated, e.g. heads, "
                                       "focal_points, scientific_advisers.")
    description = TextAreaField("Description", validators=[Optional(), limited("description")])
    version = HiddenField()
    # The newest revision when the form was shown: on a conflict, what the person started from.
    seen = HiddenField()

    def propose_zone(self) -> str | None:
        """Fill an empty time zone with the city's (``geo.locate``); return it if filled."""
        if (self.timezone.data or "").strip() or self.timing.data == "undated":
            return None
        place = locate(_text(self.city.data), _text(self.country.data))
        if place is None:
            return None
        self.timezone.data = place.timezone
        return place.timezone

    def validate_timezone(self, field: StringField) -> None:
        if field.data and not is_zone(field.data.strip()):
            raise ValidationError(f"{field.data!r} is not an IANA time zone (e.g. Europe/Rome).")
        if self.timing.data == "timed" and not (field.data or "").strip():
            raise ValidationError("Timed events need the venue's time zone.")

    def validate_country(self, field: SelectField) -> None:
        if field.data and not is_country(field.data):
            raise ValidationError(f"{field.data!r} is not a known country.")

    def validate_url(self, field: StringField) -> None:
        if field.data and not is_web_url(field.data):
            raise ValidationError("Only http:// and https:// addresses are allowed "
                                  "(e.g. https://www.cbd.int/meetings).")

    def validate_tags(self, field: StringField) -> None:
        _short_words(field.data)

    def validate_audience(self, field: StringField) -> None:
        _short_words(field.data)

    def validate_start_date(self, field: DateField) -> None:
        if self.timing.data != "undated" and field.data is None:
            raise ValidationError("Give the first day (or choose 'Dates to be announced').")

    def validate_end_date(self, field: DateField) -> None:
        if self.timing.data == "all_day" and field.data is None:
            raise ValidationError("Give the last day.")
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("The last day is before the first day.")

    def validate_start_time(self, field: TimeField) -> None:
        if self.timing.data == "timed" and field.data is None:
            raise ValidationError("Give the starting time.")

    def validate_end_time(self, field: TimeField) -> None:
        if self.timing.data != "timed":
            return
        if field.data is None:
            raise ValidationError("Give the ending time.")
        start, end = self._local(self.start_time.data), self._local(field.data, end=True)
        if start and end and end <= start:
            raise ValidationError("The event ends before it starts.")

    def validate_expected(self, field: StringField) -> None:
        if self.timing.data == "undated" and field.data:
            try:
                window_bounds(field.data.strip())
            except ValueError as exc:
                raise ValidationError(str(exc)) from None

    def _local(self, moment: time | None, *, end: bool = False) -> datetime | None:
        day = (self.end_date.data or self.start_date.data) if end else self.start_date.data
        zone = (self.timezone.data or "").strip()
        if moment is None or day is None or not is_zone(zone):
            return None
        return datetime.combine(day, moment, ZoneInfo(zone))

    def to_event(self, *, uid: str) -> Event:
        """The domain event the form describes (call after ``validate``)."""
        timing = self.timing.data
        when: dict[str, object] = {}
        if timing == "all_day":
            when = {"start_date": self.start_date.data, "end_date": self.end_date.data}
        elif timing == "timed":
            when = {"start_dt": _utc(self._local(self.start_time.data)),
                    "end_dt": _utc(self._local(self.end_time.data, end=True))}
        return Event(
            uid=uid, title=self.title.data.strip(), bodies=tuple(self.bodies.data),
            kind=Kind(self.kind.data), status=Status(self.status.data),
            visibility=Visibility(self.visibility.data), code=_text(self.code.data),
            timezone=_text(self.timezone.data), city=_text(self.city.data),
            country=_text(self.country.data), venue=_text(self.venue.data),
            online=bool(self.online.data), url=_text(self.url.data),
            description=_text(self.description.data), tags=_words(self.tags.data),
            audience=_words(self.audience.data),
            parent_id=int(self.parent_id.data) if self.parent_id.data else None,
            expected=_text(self.expected.data) if timing == "undated" else None,
            **when)  # type: ignore[arg-type]

    def fill_side_event(self, parent: Event, bodies: Iterable[str]) -> None:
        """Start a side event of *parent*: its place and zone, on its first day, timed."""
        self.kind.data, self.timing.data = Kind.SIDE_EVENT.value, "timed"
        self.parent_id.data, self.bodies.data = str(parent.id), list(bodies)
        for name in ("venue", "city", "country", "timezone"):
            getattr(self, name).data = getattr(parent, name) or ""
        days = parent.local_days()
        if days:
            self.start_date.data = self.end_date.data = days[0]

    def fill_from(self, event: Event) -> None:
        """Put *event*'s values into the form (GET of the edit page)."""
        zone = ZoneInfo(event.timezone) if event.timezone else ZoneInfo("UTC")
        self.bodies.data = list(event.bodies)
        self.kind.data, self.status.data = event.kind.value, event.status.value
        self.visibility.data = event.visibility.value
        self.parent_id.data = str(event.parent_id or "")
        for name in ("code", "title", "timezone", "venue", "city", "country", "url",
                     "description", "expected"):
            getattr(self, name).data = getattr(event, name) or ""
        self.online.data = event.online
        self.tags.data, self.audience.data = ", ".join(event.tags), ", ".join(event.audience)
        self.timing.data = "all_day" if event.all_day else "timed" if event.timed else "undated"
        self.start_date.data, self.end_date.data = event.start_date, event.end_date
        if event.start_dt and event.end_dt:
            start, end = event.start_dt.astimezone(zone), event.end_dt.astimezone(zone)
            self.start_date.data, self.end_date.data = start.date(), end.date()
            self.start_time.data, self.end_time.data = start.time(), end.time()


def blank_event_form() -> EventForm:
    """An event form that reads no request: for filling from an event."""
    return EventForm(formdata=None, meta={"csrf": False})


def as_shown(event: Event) -> Event:
    """*event* as the form shows it, so as a save that touches nothing submits it."""
    form = blank_event_form()
    form.fill_from(event)
    return form.to_event(uid=event.uid)


def submitted_pairs(form: FlaskForm) -> list[tuple[str, str]]:
    """(name, value) pairs that submit *form* as it is filled, CSRF token aside."""
    pairs: list[tuple[str, str]] = []
    for field in form:
        if field.name == "csrf_token":
            continue
        if field.type == "SelectMultipleField":
            pairs += [(field.name, str(value)) for value in field.data or ()]
        elif field.type == "BooleanField":
            pairs += [(field.name, "y")] if field.data else []
        elif field.type in ("SelectField", "RadioField", "HiddenField"):
            pairs.append((field.name, "" if field.data is None else str(field.data)))
        else:
            pairs.append((field.name, field._value()))
    return pairs


def _short_words(value: str | None) -> None:
    limit = FIELD_LIMITS["tag"]
    long = [word for word in _words(value) if len(word) > limit]
    if long:
        raise ValidationError(f"Each may be at most {limit} characters; {preview(long[0], 30)} "
                              f"has {len(long[0]):,}.")


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment else None


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _words(value: str | None) -> tuple[str, ...]:
    words = {word.strip().lower().replace(" ", "-") for word in (value or "").split(",")}
    return tuple(sorted(word for word in words if word))


class AcknowledgeForm(Form):
    key = HiddenField(validators=[DataRequired()])
    note = TextAreaField("Note", validators=[DataRequired(), Length(max=2000)],
                         description="Why this clash is accepted, e.g. 'different delegations'.")


CHANNELS = options([("press_release", "Joint press release"), ("social_media", "Social media campaign"),
                    ("side_event", "Joint side event"), ("statement", "Joint statement"),
                    ("web_story", "Web story"), ("other", "Other")])
PLAN_STATUSES = options([("idea", "Idea"), ("planned", "Planned"), ("done", "Done")])


class PlanItemForm(Form):
    """A comms plan item, often started from an opportunity."""

    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    owner_bodies = SelectMultipleField("Owner bodies", validators=[DataRequired()], choices=[])
    channel = SelectField("Channel", choices=CHANNELS)
    deadline = DateField("Deadline", validators=[InputRequired()])
    status = SelectField("Status", choices=PLAN_STATUSES, default="idea")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10_000)],
                          description="Seen by signed-in staff only; not in the comms feed.")
    opportunity_key = HiddenField()
