import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.selectors import courses_for_person
from portal.widgets import DateInput

from .selectors import TIMELINE_KINDS

KIND_LABELS = {
    "course": _("Courses"),
    "attendance": _("Class attendance"),
    "hours": _("Hours"),
    "signup": _("Sign-ups and no-shows"),
    "application": _("Job applications"),
    "placement": _("Placements"),
    "referral": _("Referrals"),
    "appointment": _("Counselling appointments"),
    "fund": _("Education-help fund"),
    "plan": _("Help-plan changes"),
}


class HelpPlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    courses = forms.ModelMultipleChoiceField(
        label=_("Assigned courses"), required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Shown first among the courses recommended to the person."))
    service_expectations = forms.CharField(
        label=_("Service expectations"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}))
    employment_steps = forms.CharField(label=_("Employment steps"), required=False,
                                       max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    referral_steps = forms.CharField(label=_("Referral steps"), required=False,
                                     max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    review_on = forms.DateField(label=_("Review on"), required=False,
                                widget=DateInput())
    note = forms.CharField(label=_("What changed and why"), required=False, max_length=300)

    def __init__(self, *args, supervisee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"].queryset = (
            courses_for_person(supervisee).defer_streamfields().order_by("title"))

    def clean(self):
        data = super().clean()
        texts = ("goals", "service_expectations", "employment_steps", "referral_steps")
        if not self.errors and not any((data.get(k) or "").strip() for k in texts) \
                and not data.get("courses"):
            raise forms.ValidationError(_("Write at least the goals of the plan."),
                                        code="empty")
        return data

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        if value and value < timezone.localdate() - datetime.timedelta(days=366):
            raise forms.ValidationError(_("A review date more than a year ago is not useful."))
        return value


class TimelineFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label=_("What"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(k, KIND_LABELS[k]) for k in TIMELINE_KINDS])
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False,
                              widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class ReportForm(forms.Form):
    """Which report: a month (YYYY-MM) or a quarter (YYYY-Qn), as XLSX or PDF."""

    period = forms.ChoiceField(label=_("Period"), choices=[("month", _("Month")),
                                                           ("quarter", _("Quarter"))])
    month = forms.CharField(label=_("Month"), required=False,
                            widget=forms.TextInput(attrs={"type": "month"}))
    quarter = forms.RegexField(label=_("Quarter"), required=False,
                               regex=r"^\d{4}-Q[1-4]$",
                               widget=forms.TextInput(attrs={"placeholder": "2026-Q3"}),
                               error_messages={"invalid": _("Write a quarter like 2026-Q3.")})
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("pdf", "PDF")])

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period == "month":
            try:
                year, month = (data.get("month") or "").split("-")
                start = datetime.date(int(year), int(month), 1)
            except (ValueError, TypeError):
                self.add_error("month", _("Write a month like 2026-03."))
                return data
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(
                days=1)
        elif period == "quarter":
            if not data.get("quarter"):
                if "quarter" not in self.errors:
                    self.add_error("quarter", _("Write a quarter like 2026-Q3."))
                return data
            year, q = data["quarter"].split("-Q")
            start = datetime.date(int(year), 3 * (int(q) - 1) + 1, 1)
            end = (datetime.date(int(year) + (q == "4"), (3 * int(q)) % 12 + 1, 1)
                   - datetime.timedelta(days=1))
        else:
            return data
        if not 2000 <= start.year <= 2100:
            self.add_error(period, _("Choose a period between 2000 and 2100."))
            return data
        data["start"], data["end"] = start, end
        return data
