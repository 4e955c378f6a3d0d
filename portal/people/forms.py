from django import forms
from django.contrib.auth import get_user_model
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from portal.access import (
    can_be_caseworker_in,
    can_seal_in,
    caseworkers_choosable_by,
    units_administered_by,
    units_visible_to,
)
from portal.taxonomy.models import Skill
from portal.widgets import DateInput

from .models import Consent, OccupationalBan, ProhibitionOrder, Supervisee, TravelApproval

RECORD_FIELDS = [
    "legal_name", "alias", "gender", "birth_date", "id_type", "id_number", "unit", "caseworker",
    "sentence_kind", "term_start", "term_end", "level", "is_juvenile", "status", "released_on",
    "help_ends_on", "home_district", "skills",
]


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by their depth in the tree, so squads sit under their bureau."""

    def label_from_instance(self, unit):
        return "\u3000" * max(unit.depth - 1, 0) + unit.name


class SuperviseeForm(forms.ModelForm):
    """The record as staff edit it. Units and caseworkers offered are only those the
    editing user may see; the sealed flag only to the unit's administrators."""

    class Meta:
        model = Supervisee
        fields = [*RECORD_FIELDS, "is_sealed"]
        field_classes = {"unit": UnitChoiceField}
        widgets = {
            "birth_date": DateInput, "term_start": DateInput, "term_end": DateInput,
            "released_on": DateInput, "help_ends_on": DateInput,
            "skills": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = units_visible_to(user).order_by("path")
        self.fields["caseworker"].queryset = caseworkers_choosable_by(user)
        self.fields["skills"].queryset = Skill.objects.all()
        self.fields["skills"].required = False
        if not units_administered_by(user).exists():
            del self.fields["is_sealed"]

    @property
    def record_fields(self) -> list[str]:
        return [name for name in self._meta.fields if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term cannot end before it starts."))
        unit, caseworker = cleaned.get("unit"), cleaned.get("caseworker")
        if unit and caseworker and not can_be_caseworker_in(caseworker, unit):
            self.add_error("caseworker", _(
                "This caseworker works in another unit and could not open the record. "
                "Choose staff of the person's unit or of a unit above it."))
        if "is_sealed" in self.fields and cleaned.get("is_sealed"):
            if not cleaned.get("is_juvenile"):
                self.add_error("is_sealed", _("Only a juvenile's file can be sealed."))
            elif unit and not can_seal_in(self.user, unit):
                self.add_error("is_sealed", _(
                    "Only the administrators of the person's unit can seal the file."))
        released_on = cleaned.get("released_on")
        if start and released_on and released_on < start:
            self.add_error("released_on", _("Release cannot come before the term starts."))
        return cleaned


class SuperviseeCreateForm(SuperviseeForm):
    username = forms.SlugField(label=_("Username"), max_length=150)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)

    field_order = ["username", "phone", *RECORD_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new record is never sealed; sealing is a later decision on an existing file.
        self.fields.pop("is_sealed", None)

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and get_user_model().objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("Another account already uses this number."))
        return phone


# --- Orders, bans and travel approvals, edited as inline formsets with the record ---------

class PeriodForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_on"), cleaned.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return cleaned


class ProhibitionOrderForm(PeriodForm):
    class Meta:
        model = ProhibitionOrder
        fields = ["kind", "venue_type", "district", "description", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ProhibitionOrder.Kind.VENUE_TYPE and not cleaned.get("venue_type"):
            self.add_error("venue_type", _(
                "An order about a kind of place must name the kind of place."))
        return cleaned


class OccupationalBanForm(PeriodForm):
    class Meta:
        model = OccupationalBan
        fields = ["industry", "description", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}


class TravelApprovalForm(PeriodForm):
    class Meta:
        model = TravelApproval
        fields = ["destination", "reason", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An approval is for a period (Art. 27): open-ended travel is not an approval.
        self.fields["ends_on"].required = True


ProhibitionFormSet = inlineformset_factory(
    Supervisee, ProhibitionOrder, form=ProhibitionOrderForm, extra=1, can_delete=True,
)
OccupationalBanFormSet = inlineformset_factory(
    Supervisee, OccupationalBan, form=OccupationalBanForm, extra=1, can_delete=True,
)
TravelApprovalFormSet = inlineformset_factory(
    Supervisee, TravelApproval, form=TravelApprovalForm, extra=1, can_delete=True,
)

RESTRICTION_FORMSETS = (
    # prefix, formset class, heading
    ("prohibitions", ProhibitionFormSet, _("Prohibition orders")),
    ("bans", OccupationalBanFormSet, _("Occupational bans")),
    ("travel", TravelApprovalFormSet, _("Travel approvals")),
)


def restriction_formsets(data, supervisee) -> list:
    formsets = []
    for prefix, formset_class, heading in RESTRICTION_FORMSETS:
        formset = formset_class(data, instance=supervisee, prefix=prefix)
        formset.heading = heading
        formsets.append(formset)
    return formsets


class StaffConsentForm(forms.Form):
    """A decision the person made on paper or in person, recorded by staff on their behalf.
    It becomes a new Consent row; earlier decisions stay as they were."""

    kind = forms.ChoiceField(label=_("Consent"), choices=Consent.Kind.choices)
    granted = forms.TypedChoiceField(
        label=_("The person's decision"),
        choices=[("1", _("Agrees")), ("0", _("Withdraws or refuses"))],
        coerce=lambda v: v == "1", widget=forms.RadioSelect,
    )
