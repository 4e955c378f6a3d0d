import re

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from portal.access import organisations_managed_by, units_administered_by

from .services import STAFF_ROLE_CHOICES, StaffRole

PHONE_RE = re.compile(r"^\+?\d{6,15}$")


def normalise_phone(raw: str) -> str:
    """What the login backend compares against: digits (and a leading +) only."""
    return re.sub(r"[\s\-()]", "", raw or "")


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = _("Username or mobile number")
        field.widget.attrs.update({"placeholder": "", "autocomplete": "username",
                                   "autocapitalize": "none", "spellcheck": "false"})
        password = self.fields["password"]
        password.widget.attrs["placeholder"] = ""
        # The template links to the password reset page itself.
        password.help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in on this device")


class SetPasswordForm(forms.Form):
    """The password an invited person chooses; Django's validators decide what is weak."""

    password1 = forms.CharField(
        label=_("New password"), strip=False,
        help_text=password_validation.password_validators_help_text_html,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("New password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        try:
            password_validation.validate_password(password, self.user)
        except forms.ValidationError as error:
            self.add_error("password1", error)
        return password

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        return cleaned


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return "\u3000" * max(unit.depth - 1, 0) + unit.name


class StaffInviteForm(forms.Form):
    """A new account for a unit's staff, a partner's staff or a content editor. The
    places offered are only those the inviting administrator looks after."""

    role = forms.ChoiceField(label=_("Role"), choices=STAFF_ROLE_CHOICES,
                             widget=forms.RadioSelect)
    unit = UnitChoiceField(label=_("Unit"), queryset=None, required=False,
                           help_text=_("For caseworkers and unit administrators."))
    organisation = forms.ModelChoiceField(
        label=_("Partner organisation"), queryset=None, required=False,
        help_text=_("For partner staff and partner managers."),
    )
    display_name = forms.CharField(label=_("Name"), max_length=50,
                                   help_text=_("How the portal shows this person."))
    username = forms.CharField(
        label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only. The person signs in with it."),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"), max_length=20, required=False,
        help_text=_("Optional. The person can also sign in with it."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Email"), required=False,
        help_text=_("Optional. If given, the link is also sent there."),
    )
    title = forms.CharField(label=_("Job title"), max_length=50, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].queryset = units_administered_by(user).order_by("path")
        self.fields["organisation"].queryset = (
            organisations_managed_by(user).filter(is_active=True).order_by("name")
        )

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken. Choose another."))
        return username

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data["phone"])
        if not phone:
            return ""
        if not PHONE_RE.match(phone):
            raise forms.ValidationError(_("Enter a mobile number of digits only, "
                                          "for example 13800138000."))
        if get_user_model().objects.filter(phone=phone).exists():
            raise forms.ValidationError(_("Another account already uses this mobile number."))
        return phone

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email and get_user_model().objects.filter(email__iexact=email).exists():
            # Password reset goes by email: two accounts on one address would be ambiguous.
            raise forms.ValidationError(_("Another account already uses this email address."))
        return email

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if role in StaffRole.UNIT_ROLES:
            cleaned["organisation"] = None
            if not cleaned.get("unit") and "unit" not in self.errors:
                self.add_error("unit", _("Choose the unit this person works in."))
        elif role in StaffRole.PARTNER_ROLES:
            cleaned["unit"] = None
            if not cleaned.get("organisation") and "organisation" not in self.errors:
                self.add_error("organisation",
                               _("Choose the partner organisation this person works for."))
        elif role == StaffRole.EDITOR:
            cleaned["unit"] = cleaned["organisation"] = None
        return cleaned
