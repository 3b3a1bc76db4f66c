"""The rules of projects and applications, in one place for the forms, the services and the templates:

- the money and time rules for a project (messages beside the form's fields, and the services' checks);
- who may move a project or an application to which state (services refuse with these; views turn them
  into the `can` flags templates show).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from businesses.selectors import business_for
from catalogue.fit import date_fit
from projects.enums import (
    APPLICATION_TRANSITIONS,
    EDITABLE_STATUSES,
    PROJECT_TRANSITIONS,
    ApplicationStatus,
    ProjectStatus,
)
from projects.models import Application, Project, effective_hourly_rate


def term_errors(*, fee, duration_weeks, hours_per_week, earliest_start, apply_by, today: date) -> dict:
    """Field → message for every broken rule; empty when the terms are fine."""
    errors = {}
    floor = Decimal(settings.C2C_MIN_HOURLY_RATE)
    if fee is not None and fee <= 0:
        errors["fee"] = "Micro-internships are paid: enter a fee above $0."
    elif fee is not None and duration_weeks and hours_per_week:
        rate = effective_hourly_rate(fee, duration_weeks, hours_per_week)
        if rate < floor:
            minimum = floor * duration_weeks * hours_per_week
            errors["fee"] = (
                f"This works out at ${rate:,.2f} an hour for {duration_weeks * hours_per_week} hours of work; "
                f"the minimum is ${floor:,.0f} an hour. Raise the fee to at least ${minimum:,.0f} "
                "or reduce the hours."
            )
    if apply_by and apply_by < today:
        errors["apply_by"] = "The apply-by date has passed: choose today or a later date."
    if apply_by and earliest_start and earliest_start < apply_by:
        errors["earliest_start"] = (
            "The project can't start before applications close: pick a start on or after the apply-by date."
        )
    return errors


def offer_start_error(*, proposed_start: date, earliest_start: date, today: date) -> str | None:
    """Why an offer can't propose this start date, or None. Students applied for a project starting from its
    earliest start, so an offer never asks them to start before it (nor in the past)."""
    if proposed_start < today:
        return "The start date has passed: choose today or a later date."
    if proposed_start < earliest_start:
        return (
            f"The project was advertised as starting from {earliest_start:%a %-d %b %Y}: "
            "propose that date or a later one."
        )
    return None


def fitting_window(windows, *, earliest_start: date, duration_weeks: int):
    """The first (starts_on, ends_on) window that holds the whole project, starting within its start window.

    The same rule matching uses (`catalogue.fit.date_fit`), so the apply page and recommendations agree.
    """
    window, _ = date_fit(sorted(windows), earliest_start, duration_weeks, settings.C2C_MATCH_START_WINDOW_DAYS)
    return window


def availability_fit(*, student_hours, windows, hours_per_week: int, duration_weeks: int, earliest_start: date):
    """Plain-words comparison of a project's time needs with what a student said they have."""
    if student_hours is None:
        hours = (False, "You haven't said how many hours a week you have.")
    elif student_hours >= hours_per_week:
        hours = (True, f"It needs {hours_per_week} h/week; you said you have {student_hours}.")
    else:
        hours = (False, f"It needs {hours_per_week} h/week, more than the {student_hours} you said you have.")
    window = fitting_window(windows, earliest_start=earliest_start, duration_weeks=duration_weeks)
    if window:
        dates = (True, f"It fits your availability from {window[0]:%a %-d %b} to {window[1]:%a %-d %b %Y}.")
    elif windows:
        latest = earliest_start + timedelta(days=settings.C2C_MATCH_START_WINDOW_DAYS)
        dates = (
            False,
            f"None of your available dates hold {duration_weeks} weeks starting between "
            f"{earliest_start:%a %-d %b} and {latest:%a %-d %b}.",
        )
    else:
        dates = (False, "You haven't added the dates you can work.")
    return {"hours": hours, "dates": dates, "fits": hours[0] and dates[0]}


# --- Who may move a project -----------------------------------------------------------------------------

# Staff decide whether a posting goes live; the business sends it for review and may close it; the system
# (actor None) closes expired projects, starts the work when the last opening fills and completes it.
STAFF_MOVES = {ProjectStatus.PUBLISHED, ProjectStatus.REJECTED}
MEMBER_MOVES = {ProjectStatus.SUBMITTED, ProjectStatus.CLOSED, ProjectStatus.COMPLETED}
SYSTEM_MOVES = {ProjectStatus.CLOSED, ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED}


def is_member(user, project: Project) -> bool:
    business = business_for(user) if user is not None else None
    return business is not None and business.pk == project.business_id


def project_move_refusal(actor, project: Project, to_status: str) -> Exception | None:
    """Why `actor` (None: the system) may not move `project` to `to_status` now, or None."""
    if to_status not in PROJECT_TRANSITIONS.get(project.status, set()):
        return ValidationError(
            f"A project that is {project.get_status_display().lower()} can't become "
            f"{ProjectStatus(to_status).label.lower()}."
        )
    if actor is None:
        allowed = to_status in SYSTEM_MOVES
    elif to_status in STAFF_MOVES:
        allowed = actor.is_staff
    elif to_status == ProjectStatus.CLOSED:
        allowed = actor.is_staff or is_member(actor, project)
    elif to_status == ProjectStatus.IN_PROGRESS:
        # The last opening fills when a student accepts: that student's acceptance starts the work.
        allowed = project.applications.filter(student=actor, status=ApplicationStatus.ACCEPTED).exists()
    else:
        allowed = to_status in MEMBER_MOVES and is_member(actor, project)
    if not allowed:
        return PermissionDenied("You can't make that change to this project.")
    return None


def project_flags(user, project: Project) -> dict[str, bool]:
    """What the business's project page offers this member now."""
    member = is_member(user, project)
    listed = project.status == ProjectStatus.PUBLISHED
    return {
        "edit": member and project.status in EDITABLE_STATUSES,
        "send_for_review": member
        and project_move_refusal(user, project, ProjectStatus.SUBMITTED) is None
        and not listed,
        "withdraw": member and project_move_refusal(user, project, ProjectStatus.CLOSED) is None,
        "invite": member and listed,
        "see_applicants": member and (project.status not in EDITABLE_STATUSES or listed),
        "apply": listed,
        "report": listed,
    }


# --- Who may move an application ------------------------------------------------------------------------

# The business's first answer to an applicant; the time to it is the business's response time.
BUSINESS_DECISIONS = {ApplicationStatus.SHORTLISTED, ApplicationStatus.OFFERED, ApplicationStatus.DECLINED}


def application_move_refusal(actor, application: Application, to_status: str) -> Exception | None:
    """Why `actor` (None: the system) may not move `application` to `to_status` now, or None.

    Students withdraw and answer offers; the business shortlists, offers and declines; the system expires
    applications and declines those left waiting when a project fills or closes.
    """
    from_status = application.status
    if to_status not in APPLICATION_TRANSITIONS.get(from_status, set()):
        return ValidationError(
            f"An application that is {application.get_status_display().lower()} can't become "
            f"{ApplicationStatus(to_status).label.lower()}."
        )
    if actor is None:
        allowed = to_status in {ApplicationStatus.EXPIRED, ApplicationStatus.DECLINED}
    else:
        is_student = application.student_id is not None and actor.pk == application.student_id
        is_business = is_member(actor, application.project)
        if to_status in {ApplicationStatus.WITHDRAWN, ApplicationStatus.ACCEPTED}:
            allowed = is_student
        elif to_status == ApplicationStatus.DECLINED and from_status == ApplicationStatus.OFFERED:
            allowed = is_student or is_business
        elif to_status in BUSINESS_DECISIONS:
            allowed = is_business
        else:
            allowed = False
    if not allowed:
        return PermissionDenied("You can't make that change to this application.")
    return None


def application_flags(user, application: Application) -> dict[str, bool]:
    """What an applicant's card (for the business) or the application page (for the student) offers now."""

    def may(to_status: str) -> bool:
        return application_move_refusal(user, application, to_status) is None

    listed = application.project.status == ProjectStatus.PUBLISHED
    is_student = application.student_id is not None and user.pk == application.student_id
    offered = application.status == ApplicationStatus.OFFERED
    return {
        "shortlist": may(ApplicationStatus.SHORTLISTED),
        "offer": listed and may(ApplicationStatus.OFFERED),
        "decline": not is_student and may(ApplicationStatus.DECLINED),
        "answer_offer": offered and is_student and may(ApplicationStatus.ACCEPTED),
        "withdraw": is_student and may(ApplicationStatus.WITHDRAWN),
    }
