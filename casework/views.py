from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from portal.access import (
    can_read_unit_access_log,
    can_use_caseload,
    home_unit_for,
    own_supervisee,
    supervisee_for_staff,
    unit_for_staff,
)
from portal.audit.models import AccessLogEntry
from portal.audit.services import access_log_record
from portal.fragments import data_key
from volunteering.models import ServiceKind

from . import charts, exports, selectors
from .caseload import caseload_page
from .filters import TickField, caseload_filterset
from .forms import KIND_LABELS, HelpPlanForm, ReportForm, TimelineFilterForm
from .outcomes import unit_outcomes_and_choices
from .services import help_plan_save
from .today import today_rows

DASHBOARD_MONTHS = 12
CASELOAD_PAGE_SIZE = 25


def _require_staff(user):
    if not can_use_caseload(user):
        raise PermissionDenied


# --- One person --------------------------------------------------------------------------------

@login_required
@require_safe
def person(request, pk):
    """The person's casework page: help plan, standing against targets, plan history and
    the timeline (filterable by kind and dates)."""
    _require_staff(request.user)
    supervisee = supervisee_for_staff(request.user, pk, what=_("Opened casework page"),
                                      path=request.get_full_path())
    form = TimelineFilterForm(request.GET or None)
    kinds, date_from, date_to = (), None, None
    if form.is_bound:
        if form.is_valid():
            kinds = form.cleaned_data["kind"]
            date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        else:
            # Apply what parsed; name what did not.
            data = {k: form.cleaned_data.get(k) for k in ("kind", "date_from", "date_to")}
            kinds = data["kind"] or ()
            date_from = data["date_from"] if "date_from" not in form.errors else None
            date_to = data["date_to"] if "date_to" not in form.errors else None
    plan = selectors.plan_of(supervisee)
    planned = []
    if plan is not None:
        from courses.models import Enrolment

        status = dict(Enrolment.objects.filter(supervisee=supervisee,
                                               course__in=plan.courses.all())
                      .values_list("course_id", "status"))
        planned = [(c, status.get(c.pk)) for c in plan.courses.all()]
    events = selectors.timeline(supervisee, viewer=request.user, kinds=kinds,
                                date_from=date_from, date_to=date_to)
    return render(request, "casework/person.html", {
        "supervisee": supervisee, "plan": plan, "planned": planned,
        "history": selectors.plan_history(supervisee),
        "standing": selectors.standing_for(supervisee),
        "events": [(e, KIND_LABELS.get(e.kind, e.kind)) for e in events],
        "filter_form": form,
        "filter_errors": form.is_bound and not form.is_valid(),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_edit(request, pk):
    _require_staff(request.user)
    supervisee = supervisee_for_staff(
        request.user, pk, what=_("Opened the help plan for editing"), path=request.path,
        action=AccessLogEntry.Action.EDIT if request.method == "POST" else
        AccessLogEntry.Action.VIEW)
    plan = selectors.plan_of(supervisee)
    initial = {}
    if plan is not None:
        initial = {k: getattr(plan, k) for k in ("goals", "service_expectations",
                                                  "employment_steps", "referral_steps",
                                                  "review_on")}
        initial["courses"] = list(plan.courses.all())
    form = HelpPlanForm(request.POST if request.method == "POST" else None, initial=initial,
                        supervisee=supervisee)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            __, revision = help_plan_save(
                supervisee=supervisee, changed_by=request.user, goals=data["goals"],
                courses=list(data["courses"]),
                service_expectations=data["service_expectations"],
                employment_steps=data["employment_steps"],
                referral_steps=data["referral_steps"], review_on=data["review_on"],
                note=data["note"])
            if revision is None:
                messages.info(request, _("Nothing had changed; the plan is as it was."))
            else:
                messages.success(request, _("Help plan saved (revision %(n)s).")
                                 % {"n": revision.number})
            return redirect("casework:person", pk=supervisee.pk)
        messages.error(request, _("Nothing was saved. Please correct the marked fields."))
    return render(request, "casework/plan_form.html",
                  {"supervisee": supervisee, "plan": plan, "form": form})


# --- Today -------------------------------------------------------------------------------------

def _today_mine(request) -> tuple[bool, bool]:
    """Whether only the user's own people were asked for, and whether the value was not
    understood (mine=banana is reported and ignored)."""
    try:
        return TickField(required=False).clean(request.GET.get("mine")), False
    except ValidationError:
        return False, True


def _today(request, mine: bool, level_targets=None) -> dict:
    return today_rows(request.user, mine=mine, now=timezone.now(),
                      level_targets=(selectors.targets() if level_targets is None
                                     else level_targets))


@login_required
@require_safe
def today(request):
    _require_staff(request.user)
    mine, bad = _today_mine(request)
    if bad:
        messages.warning(request, _("The value of “only mine” was not understood and was "
                                    "ignored."))
    level_targets = selectors.targets()
    context = _today(request, mine, level_targets)
    # The sections are kept as one fragment keyed on all they may show.
    context.update(mine=mine, targets=level_targets,
                   today_key=data_key(mine, context, level_targets))
    return render(request, "casework/today.html", context)


@login_required
@require_safe
def today_csv(request):
    _require_staff(request.user)
    mine, __ = _today_mine(request)
    data = _today(request, mine)
    access_log_record(actor=request.user, action=AccessLogEntry.Action.EXPORT,
                      what=_("Exported the today list (CSV)"), path=request.get_full_path())
    return exports.csv_response(exports.today_rows(data), "today.csv")


@login_required
def caseload(request):
    """The people the user may see as staff, filtered and paged (/people/)."""
    _require_staff(request.user)
    chosen = bool(set(request.GET) - {"page"})  # a filter asked for, not only a page
    filterset = caseload_filterset(request.user, request.GET if chosen else None)
    page = caseload_page(filterset, request.GET.get("page"), size=CASELOAD_PAGE_SIZE)
    page.object_list = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    filter_errors = chosen and not filterset.is_valid()
    return render(request, "casework/caseload.html", {
        "filter": filterset, "page": page,
        "filter_errors": filter_errors,
        "can_read_unit_log": can_read_unit_access_log(request.user),
        "export_query": query.urlencode(),
        # The template keeps the filter form and the rows as fragments keyed on what
        # they show (portal/fragments.py).
        "filter_key": data_key(query.urlencode() if chosen else "", filter_errors,
                               filterset.unit_options()),
        "rows_key": data_key(page.object_list),
    })


@login_required
@require_safe
def caseload_csv(request):
    """The caseload as filtered on /people/, as CSV (every matching row)."""
    _require_staff(request.user)
    filterset = caseload_filterset(request.user, request.GET)
    access_log_record(actor=request.user, action=AccessLogEntry.Action.EXPORT,
                      what=_("Exported the caseload (CSV)"), path=request.get_full_path())
    return exports.csv_response(exports.caseload_rows(filterset.qs), "caseload.csv")


# --- Unit outcomes -----------------------------------------------------------------------------

def _dashboard_unit(request, pk):
    _require_staff(request.user)
    if pk is None:
        unit = home_unit_for(request.user)
        if unit is None:
            raise Http404
        return unit
    return unit_for_staff(request.user, pk)


@login_required
@require_safe
def unit_dashboard(request, pk=None):
    _require_staff(request.user)
    if pk is None and "unit" in request.GET:
        value = request.GET["unit"]
        if value.isdigit():
            return redirect("casework:unit_dashboard", pk=int(value))
        messages.warning(request, _("That unit was not understood; showing your own."))
    unit = _dashboard_unit(request, pk)
    today_ = timezone.localdate()
    start = selectors.add_months(today_.replace(day=1), -(DASHBOARD_MONTHS - 1))
    outcomes, units = unit_outcomes_and_choices(request.user, unit, start=start, end=today_)
    labels = [f"{m:%m}" for m in outcomes.months]
    full = [f"{m:%Y-%m}" for m in outcomes.months]
    rows = outcomes.month_rows

    def columns(*series):
        return charts.column_chart(labels, [(str(name), [r[key] for r in rows])
                                            for name, key in series], full_labels=full)

    month = f"{selectors.add_months(today_.replace(day=1), -1):%Y-%m}"
    quarter = f"{today_.year}-Q{(today_.month - 1) // 3 + 1}"
    return render(request, "casework/unit_dashboard.html", {
        # The page's content is kept as one fragment keyed on all it shows.
        "dashboard_key": data_key(unit, outcomes, units, month, quarter),
        "unit": unit, "outcomes": outcomes, "rows": rows, "units": units,
        "placements_chart": columns((_("People placed in jobs"), "placements")),
        "completions_chart": columns((_("Courses completed"), "completions")),
        "hours_chart": columns((_("Study hours"), "study")),
        "service_chart": columns((ServiceKind.PUBLIC_WELFARE.label, "public_welfare"),
                                 (ServiceKind.VOLUNTEER_SERVICE.label, "volunteer")),
        "referrals_chart": charts.bar_chart(outcomes.referral_outcomes),
        "report_form": ReportForm(initial={"period": "month", "format": "xlsx",
                                           "month": month, "quarter": quarter}),
    })


@login_required
@require_safe
def unit_report(request, pk):
    unit = _dashboard_unit(request, pk)
    form = ReportForm(request.GET)
    if not form.is_valid():
        return render(request, "casework/report_error.html", {"unit": unit, "form": form},
                      status=400)
    data = form.cleaned_data
    outcomes = selectors.unit_outcomes(request.user, unit,
                                       start=data["start"], end=data["end"])
    label = (f"{data['start']:%Y-%m}" if data["period"] == "month" else data["quarter"])
    access_log_record(
        actor=request.user, action=AccessLogEntry.Action.EXPORT,
        what=_("Unit report %(unit)s %(period)s (%(format)s)") % {
            "unit": unit.name, "period": label, "format": data["format"].upper()},
        path=request.get_full_path())
    filename = f"report-{unit.pk}-{label}.{data['format']}"
    if data["format"] == "pdf":
        body, content_type = exports.report_pdf(outcomes, period=label), "application/pdf"
    else:
        body = exports.report_xlsx(outcomes, period=label)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The person's own data ---------------------------------------------------------------------

@login_required
@require_safe
def my_export(request):
    """The right of access (PIPL Art. 45): everything the portal holds about the signed-in
    person, as JSON inside a ZIP. The page says what the archive holds; its button
    (?download=1) downloads it. Logged like a staff export."""
    supervisee = own_supervisee(request.user)
    if supervisee is None:
        raise Http404
    if request.GET.get("download") != "1":
        return render(request, "casework/my_export.html",
                      {"sections": exports.EXPORT_SECTIONS})
    body = exports.personal_data_zip(supervisee)
    access_log_record(actor=request.user, supervisee=supervisee,
                      action=AccessLogEntry.Action.EXPORT,
                      what=_("The person downloaded their own data"), path=request.path)
    stamp = f"{timezone.localdate():%Y%m%d}"
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.zip"'
    return response

