from django import forms
from django.utils.translation import gettext_lazy as _

from portal.neutral import corrections_words_in

from .models import CounsellingSlot, FundApplication, Referral, Service


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "type", "audience", "description", "area", "capacity", "contact",
                  "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    reason = forms.CharField(label=_("Why you refer the person (staff only)"),
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Only corrections staff read this. The provider "
                                         "never sees it."))
    summary = forms.CharField(
        label=_("Summary for the provider"), max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("This is what the provider reads once the person agrees: the help "
                    "needed, in a sentence or two, without the person's case or "
                    "corrections status (no words such as 矫正, 缓刑, 假释)."))
    consent_given = forms.BooleanField(
        label=_("The person has agreed in front of me"), required=False,
        help_text=_("Otherwise the person is asked in the portal, and the provider sees "
                    "nothing until they agree."))

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].queryset = services

    def clean_summary(self):
        found = corrections_words_in(self.cleaned_data["summary"])
        if found:
            raise forms.ValidationError(
                _("The provider reads the summary: leave out words about corrections "
                  "(%(words)s) and describe the help needed instead."),
                params={"words": "、".join(found)}, code="summary_not_neutral")
        return self.cleaned_data["summary"]


class RespondForm(forms.Form):
    note = forms.CharField(label=_("Note or reason"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Referral.Outcome.choices)
    report = forms.CharField(label=_("Outcome report for the caseworker"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=15, max_value=240,
                                 initial=50)
    mode = forms.ChoiceField(label=_("How"), choices=CounsellingSlot.Mode.choices)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("Did the person come?"), coerce=lambda v: v == "yes",
        choices=[("yes", _("Attended")), ("no", _("Did not come"))],
        widget=forms.RadioSelect)
    shared_summary = forms.CharField(
        label=_("Summary for the caseworker (optional)"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only what you choose to share; your session notes stay with you."))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Confidential session note"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 5}))


class FundForm(forms.ModelForm):
    class Meta:
        model = FundApplication
        fields = ["beneficiary", "beneficiary_name", "need", "amount", "is_schooling",
                  "school", "grade"]
        widgets = {"need": forms.Textarea(attrs={"rows": 4})}


class DecideForm(forms.Form):
    amount_approved = forms.DecimalField(label=_("Amount approved (yuan)"), required=False,
                                         max_digits=9, decimal_places=2, min_value=1)
    note = forms.CharField(label=_("Reason for the decision"), max_length=500, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, JPEG or PNG, at most 5 MB)"))
