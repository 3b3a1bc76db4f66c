from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from activity.selectors import status_history
from businesses import selectors
from c2c.dates import deadline
from c2c.forms import attach_service_errors, flash_refusal
from c2c.page_cache import cached_page
from matching import services as matching_services
from matching.selectors import applicants_by_match, recommended_students_for
from projects import rules as project_rules
from projects import selectors as project_selectors
from projects import services as project_services
from projects.enums import (
    APPLICATION_TRANSITIONS,
    EDITABLE_STATUSES,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    ProjectStatus,
)
from projects.forms import DecisionMessageForm, OfferForm, ProjectForm, template_initial
from projects.models import ProjectTemplate
from students.models import StudentProfile
from students.presenters import public_name, public_profile_fields


@login_required
@cached_page
def dashboard(request):
    business = selectors.business_for(request.user)
    if business is None:
        if request.user.is_business_member:
            messages.info(request, "Tell us about your organisation to get started.")
            return redirect("businesses:register")
        return redirect("home")
    projects = business.projects.annotate(
        applicant_count=Count("applications"),
        waiting_count=Count("applications", filter=Q(applications__status__in=OPEN_APPLICATION_STATUSES)),
    ).order_by("-updated_at")
    projects = Paginator(projects, 20).get_page(request.GET.get("page"))
    templates = ProjectTemplate.objects.filter(is_active=True) if business.is_approved else []
    return render(
        request, "businesses/dashboard.html", {"business": business, "page_obj": projects, "templates": templates}
    )


def _approved_business_or_redirect(request):
    business = selectors.business_for_or_404(request.user)
    if not business.is_approved:
        messages.warning(
            request,
            f"Your organisation is {business.get_status_display().lower()}: you can post projects once staff "
            "approve it.",
        )
        return business, redirect("businesses:dashboard")
    return business, None


@login_required
def project_new(request):
    business, refusal = _approved_business_or_redirect(request)
    if refusal:
        return refusal
    template = project_selectors.active_template(request.GET.get("template"))
    initial = template_initial(template) if template else {}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "submit_for_review" in request.POST
        deliverables, skills = form.related_data()
        try:
            data = form.project_data() | {"template": template}
            project = project_services.create_project(
                actor=request.user,
                business=business,
                data=data,
                deliverables=deliverables,
                skills=skills,
                submit=submit,
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            if submit:
                messages.success(request, f"“{project.title}” was sent for review. We'll tell you when it's live.")
            else:
                messages.success(request, f"“{project.title}” is saved as a draft.")
            return redirect("businesses:project", project.pk)
    templates = ProjectTemplate.objects.filter(is_active=True)
    return render(
        request,
        "businesses/project_form.html",
        {"form": form, "template": template, "templates": templates, "project": None},
    )


@login_required
def project_detail(request, pk):
    project = project_selectors.owned_project_or_404(request.user, pk)
    history = status_history(project, ProjectStatus, newest_first=True, limit=20)
    counts = project.applications.aggregate(
        total=Count("pk"), waiting=Count("pk", filter=Q(status__in=OPEN_APPLICATION_STATUSES))
    )
    return render(
        request,
        "businesses/project_detail.html",
        {
            "project": project,
            "can": project_rules.project_flags(request.user, project),
            "history": history,
            "applicant_count": counts["total"],
            "waiting_count": counts["waiting"],
        },
    )


@login_required
def project_edit(request, pk):
    project = project_selectors.owned_project_or_404(request.user, pk)
    if project.status not in EDITABLE_STATUSES:
        messages.info(request, f"A project that is {project.get_status_display().lower()} can't be edited.")
        return redirect("businesses:project", project.pk)
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        deliverables, skills = form.related_data()
        try:
            back_to_review = project_services.update_project(
                actor=request.user,
                project=project,
                data=form.project_data(),
                deliverables=deliverables,
                skills=skills,
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            if back_to_review:
                messages.warning(
                    request, "Saved. Pay, time or deliverables changed, so the project is back with staff for review."
                )
            else:
                messages.success(request, "Your changes are saved.")
            return redirect("businesses:project", project.pk)
    return render(request, "businesses/project_form.html", {"form": form, "project": project, "template": None})


@login_required
@require_POST
def project_submit(request, pk):
    project = project_selectors.owned_project_or_404(request.user, pk)
    try:
        project_services.transition_project(project=project, to_status=ProjectStatus.SUBMITTED, actor=request.user)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, f"“{project.title}” was sent for review. We'll tell you when it's live.")
    return redirect("businesses:project", project.pk)


@login_required
def project_withdraw(request, pk):
    project = project_selectors.owned_project_or_404(request.user, pk)
    if request.method == "POST":
        try:
            project_services.transition_project(
                project=project, to_status=ProjectStatus.CLOSED, actor=request.user, reason="Withdrawn by the business"
            )
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, f"“{project.title}” is withdrawn and closed.")
        return redirect("businesses:project", project.pk)
    return render(request, "businesses/project_withdraw.html", {"project": project})


@login_required
@cached_page
def applicants(request, pk):
    project = project_selectors.owned_project_or_404(request.user, pk)
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    counts = dict(project.applications.values_list("status").annotate(total=Count("pk")).order_by())
    page = Paginator(applicants_by_match(project, status or None), 20).get_page(request.GET.get("page"))
    for application in page:
        # One decline form per applicant on the page, each with its own element ids.
        application.decline_form = DecisionMessageForm(auto_id=f"decline-{application.pk}-%s")
        application.can = project_rules.application_flags(request.user, application)
    tabs = [("", "All", sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in ApplicationStatus.choices if counts.get(value)
    ]
    return render(
        request,
        "businesses/applicants.html",
        {
            "project": project,
            "can": project_rules.project_flags(request.user, project),
            "page_obj": page,
            "chosen_tab": status,
            "tabs": tabs,
            "accepted": counts.get(ApplicationStatus.ACCEPTED, 0),
            "offer_expiry_days": settings.C2C_OFFER_EXPIRY_DAYS,
        },
    )


@login_required
def recommended_students(request, pk):
    project = project_selectors.owned_project_or_404(request.user, pk)
    students = recommended_students_for(project)
    for row in students:
        # The page shows these public fields only: never the email address or the résumé.
        row.fields = public_profile_fields(row.student)
    return render(
        request,
        "businesses/recommended.html",
        {"project": project, "students": students, "can": project_rules.project_flags(request.user, project)},
    )


@login_required
@require_POST
def invite_student(request, pk, profile_pk):
    project = project_selectors.owned_project_or_404(request.user, pk)
    student = get_object_or_404(StudentProfile.objects.select_related("user"), pk=profile_pk)
    try:
        matching_services.invite_student(actor=request.user, project=project, student=student)
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        messages.success(request, f"We've told {public_name(student.user)} you'd like them to apply.")
    return redirect(f"{reverse('businesses:recommended', args=[project.pk])}#student-{student.pk}")


def _student_name(application) -> str:
    return application.student.get_full_name() if application.student else "the student"


@login_required
def make_offer(request, pk):
    """An offer asks first: the terms, a proposed start date and an optional message, then "Send the offer"."""
    application = project_selectors.business_application_or_404(request.user, pk)
    project = application.project
    back = f"{reverse('businesses:applicants', args=[project.pk])}#application-{application.pk}"
    if ApplicationStatus.OFFERED not in APPLICATION_TRANSITIONS[application.status]:
        messages.info(request, f"This application is {application.get_status_display().lower()}: no offer to make.")
        return redirect(back)
    form = OfferForm(request.POST if request.method == "POST" else None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            project_services.transition_application(
                application=application,
                to_status=ApplicationStatus.OFFERED,
                actor=request.user,
                message=form.cleaned_data["message"],
                proposed_start=form.cleaned_data["proposed_start"],
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            application.refresh_from_db(fields=["offer_expires_at"])
            messages.success(
                request,
                f"Offer sent to {_student_name(application)}. They have until "
                f"{deadline(application.offer_expires_at)} to answer.",
            )
            return redirect(back)
    return render(
        request,
        "businesses/offer.html",
        {
            "application": application,
            "project": project,
            "form": form,
            "name": _student_name(application),
            "answer_by": timezone.now() + timedelta(days=settings.C2C_OFFER_EXPIRY_DAYS),
            "expiry_days": settings.C2C_OFFER_EXPIRY_DAYS,
            "back": back,
        },
    )


DECISIONS = {
    "shortlist": (ApplicationStatus.SHORTLISTED, "{name} is on your shortlist and has been told."),
    "decline": (ApplicationStatus.DECLINED, "{name} has been told you won't take their application further."),
}


@login_required
@require_POST
def application_decide(request, pk, decision):
    application = project_selectors.business_application_or_404(request.user, pk)
    if decision not in DECISIONS:
        raise Http404("Unknown decision.")
    to_status, confirmation = DECISIONS[decision]
    form = DecisionMessageForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    try:
        project_services.transition_application(
            application=application, to_status=to_status, actor=request.user, message=message
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        name = application.student.get_full_name() if application.student else "The student"
        messages.success(request, confirmation.format(name=name, days=settings.C2C_OFFER_EXPIRY_DAYS))
    return redirect(f"{reverse('businesses:applicants', args=[application.project_id])}#application-{application.pk}")
