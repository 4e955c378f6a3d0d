from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portal.access import units_visible_to
from portal.taxonomy.models import Skill

from .models import Supervisee

RECORD_FIELDS = [
    "legal_name", "alias", "gender", "birth_date", "id_type", "id_number", "unit", "caseworker",
    "sentence_kind", "term_start", "term_end", "level", "is_juvenile", "status", "released_on",
    "help_ends_on", "home_district", "skills",
]


class DateInput(forms.DateInput):
    input_type = "date"


class SuperviseeForm(forms.ModelForm):
    class Meta:
        model = Supervisee
        fields = RECORD_FIELDS
        widgets = {
            "birth_date": DateInput, "term_start": DateInput, "term_end": DateInput,
            "released_on": DateInput, "help_ends_on": DateInput,
            "skills": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_visible_to(user)
        self.fields["unit"].queryset = units
        self.fields["caseworker"].queryset = (
            get_user_model().objects.filter(memberships__unit__in=units).distinct()
            .order_by("display_name")
        )
        self.fields["skills"].queryset = Skill.objects.all()
        self.fields["skills"].required = False

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("term_start"), cleaned.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term cannot end before it starts."))
        return cleaned


class SuperviseeCreateForm(SuperviseeForm):
    username = forms.SlugField(label=_("Username"), max_length=150)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)

    field_order = ["username", "phone", *RECORD_FIELDS]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and get_user_model().objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("Another account already uses this number."))
        return phone
