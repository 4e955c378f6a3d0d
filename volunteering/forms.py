from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from portal.organisations.models import Organisation
from portal.taxonomy.models import Skill
from portal.widgets import DateInput

from . import selectors
from .models import MAX_HOURS_PER_ENTRY, Activity, ServiceKind, Theme

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class ActivityForm(forms.ModelForm):
    """The front-end form organisers post activities with. Who organises is a choice among
    the user's own partner organisations and units."""

    organiser = forms.ChoiceField(label=_("Organised by"))

    class Meta:
        model = Activity
        fields = [
            "title", "theme", "kind", "description", "place", "district", "venue_type",
            "starts_at", "ends_at", "signup_deadline", "capacity", "waitlist_limit", "hours",
            "skills", "suitable_for_juveniles", "recording_organisation",
        ]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "signup_deadline": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "skills": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations, units = selectors.organiser_bodies(user)
        choices = [(f"org:{o.pk}", o.name) for o in organisations]
        choices += [(f"unit:{u.pk}", u.name) for u in units]
        self.fields["organiser"].choices = choices
        self._bodies = ({o.pk: o for o in organisations}, {u.pk: u for u in units})
        if self.instance.pk:
            self.fields["organiser"].initial = (
                f"org:{self.instance.organisation_id}" if self.instance.organisation_id
                else f"unit:{self.instance.unit_id}")
            if self.instance.places_taken:
                # The organiser stays; the kind too, since hours already follow it.
                self.fields["organiser"].disabled = True
                self.fields["kind"].disabled = True
        if not units:
            # Partners post volunteer service, never for juveniles (services.activity_save
            # refuses both anyway); do not offer what would be refused.
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] == ServiceKind.VOLUNTEER_SERVICE]
            self.fields["kind"].initial = ServiceKind.VOLUNTEER_SERVICE
            del self.fields["suitable_for_juveniles"]
            del self.fields["recording_organisation"]
        else:
            self.fields["recording_organisation"].queryset = Organisation.objects.filter(
                kind__in=selectors.ORGANISER_KINDS, is_active=True).order_by("name")
            self.fields["recording_organisation"].help_text = _(
                "Volunteer service a unit organises names the volunteer-service organisation "
                "that records and certifies the hours; public-welfare activity needs none.")
        self.order_fields(["organiser"])
        self.fields["theme"].queryset = Theme.objects.filter(is_active=True)
        self.fields["skills"].queryset = Skill.objects.all()
        self.fields["skills"].required = False
        for name in ("starts_at", "ends_at", "signup_deadline"):
            self.fields[name].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M",
                                               "%Y-%m-%dT%H:%M:%S"]
        if "suitable_for_juveniles" in self.fields:
            self.fields["suitable_for_juveniles"].help_text = _(
                "Only corrections units can run activities for juveniles.")

    def clean(self):
        # Field by field, so the person sees which value is wrong (the database's own
        # constraints would only say that one failed).
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        deadline = data.get("signup_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The activity must end after it starts."))
        if starts and deadline and deadline > starts:
            self.add_error("signup_deadline", _("The sign-up deadline must be before the start."))
        capacity = data.get("capacity")
        if capacity is not None and capacity < self.instance.places_taken:
            self.add_error("capacity", _(
                "%(n)s people already have a place; the number of places cannot be lower.")
                % {"n": self.instance.places_taken})
        return data

    def clean_organiser(self):
        value = self.cleaned_data["organiser"]
        kind, _sep, pk = value.partition(":")
        organisations, units = self._bodies
        try:
            body = (organisations if kind == "org" else units)[int(pk)]
        except (KeyError, ValueError):
            raise forms.ValidationError(_("Choose one of your organisations or units.")) \
                from None
        return ("org", body) if kind == "org" else ("unit", body)

    def organiser_kwargs(self) -> dict:
        value = self.cleaned_data.get("organiser")
        if not value:
            return {}
        kind, body = value
        return {"organisation": body, "unit": None} if kind == "org" else {
            "organisation": None, "unit": body}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))


class HoursAdjustForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours to credit"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS_PER_ENTRY)])
    reason = forms.CharField(label=_("Why"), max_length=300)


class CorrectionRequestForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours I served"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_HOURS_PER_ENTRY)])
    reason = forms.CharField(label=_("What was wrong"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3}))


class AttendanceTimesForm(forms.Form):
    checked_in_at = forms.DateTimeField(label=_("Arrived"), widget=DateTimeLocalInput(),
                                        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])
    checked_out_at = forms.DateTimeField(label=_("Left"), widget=DateTimeLocalInput(),
                                         input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"])


class ExportForm(forms.Form):
    FORMATS = [("xlsx", "XLSX"), ("csv", "CSV")]

    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), required=False,
                                      label=_("Activity"), empty_label=_("All my activities"))
    date_from = forms.DateField(label=_("Service from"), required=False,
                                widget=DateInput())
    date_to = forms.DateField(label=_("Service until"), required=False,
                              widget=DateInput())
    format = forms.ChoiceField(choices=FORMATS, label=_("File type"), initial="xlsx")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = (
            selectors.activities_managed_by(user)
            .filter(kind="volunteer_service").order_by("-starts_at", "-pk"))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The period must end after it starts."))
        return data


class VolunteerNumberForm(forms.Form):
    volunteer_number = forms.CharField(
        label=_("Volunteer number"), max_length=30, required=False,
        help_text=_("The number in the national volunteer-service system, if registered; "
                    "it is printed on the volunteer-service record."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))
