import datetime

import pytest


def form_payload(response) -> dict:
    """The POST body a browser would send for the edit page as rendered: the record form
    and every inline formset (management forms included)."""
    data = {}

    def add(bound_field):
        value = bound_field.value()
        if value is None or value is False:
            return
        if value is True:
            data[bound_field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound_field.html_name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[bound_field.html_name] = value.isoformat()
        else:
            data[bound_field.html_name] = str(value)

    for bound_field in response.context["form"]:
        add(bound_field)
    for formset in response.context.get("formsets") or []:
        for bound_field in formset.management_form:
            add(bound_field)
        for form in formset.forms:
            for bound_field in form:
                add(bound_field)
    return data


@pytest.fixture
def payload():
    return form_payload
