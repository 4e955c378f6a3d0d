from django import forms
from django.utils.translation import gettext_lazy as _

from portal.access import units_visible_to
from portal.people.models import ManagementLevel
from portal.widgets import DateInput

from .models import ClassSession, CoursePage
from .selectors import assignable_people, courses_live, courses_organised_by

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class SessionForm(forms.ModelForm):
    course = CourseChoiceField(queryset=CoursePage.objects.none(), label=_("Course"))
    online_url = forms.URLField(
        label=_("online link"), required=False, assume_scheme="https",
        help_text=_("For a class held online; shown to those signed up."))

    class Meta:
        model = ClassSession
        fields = ["course", "starts_at", "ends_at", "venue", "address", "online_url",
                  "capacity", "signup_deadline", "study_hours", "notes"]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "ends_at": DateTimeLocalInput(),
            "signup_deadline": DateTimeLocalInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = (
            courses_organised_by(user).live().order_by("title"))
        for name in ("starts_at", "ends_at", "signup_deadline"):
            self.fields[name].input_formats = [DATETIME_LOCAL, "%Y-%m-%d %H:%M"]
        self.fields["study_hours"].required = False
        self.fields["study_hours"].help_text = _("Empty: the course's study hours.")
        if self.instance.pk:
            # A class keeps its course; make another class for another course.
            self.fields["course"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("venue") and not cleaned.get("online_url"):
            self.add_error("venue", _("Give a venue, or an online link for a class held "
                                      "online."))
        if cleaned.get("study_hours") is None and cleaned.get("course"):
            cleaned["study_hours"] = cleaned["course"].study_hours
        return cleaned


class SessionCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (sent to those signed up)"), max_length=200,
                             required=False)


class AttendanceWithdrawForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why is this being corrected?"), max_length=200)


class AssignForm(forms.Form):
    TARGET_CHOICES = [("person", _("One person")), ("group", _("A group"))]

    course = CourseChoiceField(queryset=CoursePage.objects.none(), label=_("Course"))
    target = forms.ChoiceField(label=_("Assign to"), choices=TARGET_CHOICES,
                               widget=forms.RadioSelect, initial="person")
    person = forms.ModelChoiceField(queryset=None, required=False, label=_("Person"))
    unit = forms.ModelChoiceField(queryset=None, required=False, label=_("Unit"),
                                  help_text=_("Everyone under correction in this unit and "
                                              "the units below it."))
    level = forms.ChoiceField(label=_("Management level"), required=False,
                              choices=[("", _("All levels")), *ManagementLevel.choices])
    due_on = forms.DateField(label=_("Due"), required=False,
                             widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses_live().order_by("title")
        self.fields["person"].queryset = assignable_people(user)
        self.fields["person"].label_from_instance = lambda s: f"{s.legal_name} · {s.unit}"
        self.fields["unit"].queryset = units_visible_to(user).order_by("path")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == "person" and not cleaned.get("person"):
            self.add_error("person", _("Choose the person."))
        if cleaned.get("target") == "group" and not cleaned.get("unit"):
            self.add_error("unit", _("Choose the unit."))
        return cleaned


class HoursCorrectionForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    change = forms.DecimalField(label=_("Change in hours (negative to take back)"),
                                max_digits=5, decimal_places=1)
    reason = forms.CharField(label=_("Reason"), max_length=200)
