"""Form widgets every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker. Its value must be ISO (yyyy-mm-dd) whatever the
    language: with the Chinese locale's "2027/02/16" the browser shows an empty field and
    the next save loses the date."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs=attrs, format=format)
