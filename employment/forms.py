from django import forms
from django.utils.translation import gettext_lazy as _

from portal.organisations.models import Organisation
from portal.taxonomy.models import District, Industry, Skill, VenueType
from portal.widgets import DateInput

from .models import (
    WEEKDAYS,
    ApplicationStatus,
    DayPeriod,
    Job,
    JobProfile,
    Shift,
    TrainingBase,
    TrainingPlace,
)

S = ApplicationStatus


class WorkDaysField(forms.MultipleChoiceField):
    """Working days as check boxes, stored as ISO weekday digits ("12345")."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(choices=WEEKDAYS, label=_("Working days"), **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return list(value)
        return value

    def clean(self, value):
        days = super().clean(value)
        return "".join(sorted(set(days)))


class _OpeningForm(forms.ModelForm):
    """Shared by jobs and training places: posted from the enterprise's own pages."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label=_("Enterprise"), empty_label=None)
    work_days = WorkDaysField()

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in enterprises])
        if self.instance.pk:
            self.fields["organisation"].initial = self.instance.organisation_id
            self.fields["organisation"].disabled = True
        elif len(enterprises) == 1:
            self.fields["organisation"].initial = enterprises[0].pk
        self.fields["industry"].queryset = Industry.objects.all()
        if "venue_type" in self.fields:
            self.fields["venue_type"].queryset = VenueType.objects.all()
            self.fields["venue_type"].empty_label = _("An ordinary workplace")
        self.fields["skills"].queryset = Skill.objects.all()
        self.fields["skills"].required = False

    def save_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        skills = data.pop("skills", None)
        return {"skills": skills, **data}


class JobForm(_OpeningForm):
    class Meta:
        model = Job
        fields = ["title", "description", "industry", "district", "address", "venue_type",
                  "shift", "work_days", "hours_per_week", "schedule", "pay_min", "pay_max",
                  "places", "skills", "juveniles_allowed", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}),
                   "skills": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.order_by("county", "sort_order")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("pay_min"), cleaned.get("pay_max")
        if low and high and high < low:
            self.add_error("pay_max", _("The top of the pay range is below its bottom."))
        return cleaned


class TrainingPlaceForm(_OpeningForm):
    class Meta:
        model = TrainingPlace
        fields = ["programme", "description", "base", "industry", "venue_type", "shift",
                  "work_days", "hours_per_week", "schedule", "starts_on", "ends_on", "capacity",
                  "skills", "juveniles_allowed", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}),
                   "skills": forms.CheckboxSelectMultiple,
                   "starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, bases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = bases

    def clean(self):
        cleaned = super().clean()
        base, organisation = cleaned.get("base"), cleaned.get("organisation")
        if base and organisation and base.organisation_id != organisation.pk:
            self.add_error("base", _("Choose one of this enterprise's training bases."))
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The programme must end after it starts."))
        return cleaned


class TrainingBaseForm(forms.ModelForm):
    """An enterprise's own training base, from its page in the portal."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(),
                                          label=_("Enterprise"), empty_label=None)

    class Meta:
        model = TrainingBase
        fields = ["name", "district", "address", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in enterprises])
        if self.instance.pk:
            self.fields["organisation"].initial = self.instance.organisation_id
            self.fields["organisation"].disabled = True
        elif len(enterprises) == 1:
            self.fields["organisation"].initial = enterprises[0].pk
        self.order_fields(["organisation"])

    def save_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        return data


class ProfileForm(forms.ModelForm):
    """The person's own job profile, and whether partner enterprises may see it."""

    preferred_shifts = forms.MultipleChoiceField(
        choices=Shift.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Shifts I can work"))
    visible_to_employers = forms.BooleanField(
        required=False, label=_("Show my job profile to partner enterprises"),
        help_text=_("They see a display name, your skills, districts and work history; never "
                    "your case or your correction status. You can change your mind at any "
                    "time."))

    class Meta:
        model = JobProfile
        fields = ["skills", "work_history", "preferred_districts", "preferred_shifts",
                  "max_hours_per_week"]
        widgets = {"skills": forms.CheckboxSelectMultiple,
                   "preferred_districts": forms.CheckboxSelectMultiple,
                   "work_history": forms.Textarea(attrs={"rows": 4, "maxlength": 1000})}

    def __init__(self, *args, consent: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Skill.objects.all()
        self.fields["skills"].required = False
        self.fields["preferred_districts"].queryset = District.objects.order_by(
            "county", "sort_order")
        self.fields["preferred_districts"].required = False
        self.fields["visible_to_employers"].initial = consent


class ReportingForm(forms.Form):
    weekday = forms.TypedChoiceField(
        choices=[("", _("Not set"))] + [(int(k), v) for k, v in WEEKDAYS], coerce=int,
        empty_value=None, required=False, label=_("Reporting day"))
    period = forms.ChoiceField(choices=[("", _("Not set"))] + list(DayPeriod.choices),
                               required=False, label=_("Reporting time"))

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("weekday") is None) != (not cleaned.get("period")):
            raise forms.ValidationError(_("Give both the day and the time, or neither."))
        return cleaned


class RecommendForm(forms.Form):
    opening = forms.RegexField(regex=r"^(job|training):\d+$", widget=forms.HiddenInput)
    note = forms.CharField(required=False, max_length=500, label=_("Note for the person"))

    def opening_ids(self) -> dict:
        kind, pk = self.cleaned_data["opening"].split(":")
        return {"job_id": int(pk)} if kind == "job" else {"training_place_id": int(pk)}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[
        (S.INTERVIEW, S.INTERVIEW.label), (S.OFFERED, S.OFFERED.label),
        (S.HIRED, S.HIRED.label), (S.DECLINED, S.DECLINED.label)])
    started_on = forms.DateField(required=False, label=_("Start date (when hired)"),
                                 widget=DateInput())
    note = forms.CharField(required=False, max_length=500, label=_("Note for the person"),
                           help_text=_("For example the interview's time and place."))

    def __init__(self, *args, allowed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:
            # Offer only where the application can go from here (the service checks too).
            self.fields["status"].choices = [
                (value, label) for value, label in self.fields["status"].choices
                if value in allowed]


class FollowUpForm(forms.Form):
    still_employed = forms.TypedChoiceField(
        choices=[("yes", _("Still employed")), ("no", _("No longer employed"))],
        coerce=lambda v: v == "yes", widget=forms.RadioSelect, label=_("Outcome"))
    note = forms.CharField(required=False, max_length=500, label=_("Note"))


class TrainingOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("completed", _("Completed the training")),
                 ("left", _("Left before the end"))],
        widget=forms.RadioSelect, label=_("Outcome"))
    finished_on = forms.DateField(required=False, label=_("Finished on"),
                                  widget=DateInput())
    note = forms.CharField(required=False, max_length=500, label=_("Note"))


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("agree", _("Agree")), ("refuse", _("Do not agree"))])
