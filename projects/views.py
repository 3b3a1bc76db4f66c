from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from activity.selectors import status_history
from c2c.forms import attach_service_errors, flash_refusal
from c2c.page_cache import cached_page
from projects import rules, selectors, services
from projects.cards import attach_cards
from projects.enums import ApplicationStatus
from projects.forms import ApplicationForm, DecisionMessageForm, ProjectReportForm
from projects.search import ProjectSearchForm, active_filters, paginate_projects, querystring_without, search_projects


@cached_page
def browse(request):
    form = ProjectSearchForm(request.GET, user=request.user)
    page = paginate_projects(search_projects(form), request.GET.get("page"))
    matches = selectors.matches_for(request.user, [project.pk for project in page])
    for project in page:
        project.match = matches.get(project.pk)
    attach_cards(page)
    return render(
        request,
        "projects/browse.html",
        {
            "form": form,
            "page_obj": page,
            "matches": matches,
            "querystring": querystring_without(form.data, "page"),
            "filters": active_filters(form),
        },
    )


@cached_page
def detail(request, pk):
    project = selectors.visible_project_or_404(request.user, pk)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "posting": selectors.posting_of(project),
            "can": rules.project_flags(request.user, project),
            "business": project.business,
            "application": selectors.application_of_student_for(request.user, project),
            "response_time": selectors.response_time_label(project.business),
            "record": selectors.record_of(project.business),
            "overdue_days": settings.C2C_PAYMENT_OVERDUE_DAYS,
        },
    )


@login_required
def report(request, pk):
    project = selectors.visible_project_or_404(request.user, pk)
    form = ProjectReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_project(
                actor=request.user, project=project, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, "Thanks — staff will look at this report.")
            return redirect(project)
    return render(request, "projects/report.html", {"form": form, "project": project})


def _availability_fit(user, project):
    profile = getattr(user, "student_profile", None)
    if profile is None:
        return None
    return rules.availability_fit(
        student_hours=profile.hours_per_week,
        windows=[(window.starts_on, window.ends_on) for window in profile.availability.all()],
        hours_per_week=project.hours_per_week,
        duration_weeks=project.duration_weeks,
        earliest_start=project.earliest_start,
    )


@login_required
def apply(request, pk):
    project = selectors.visible_project_or_404(request.user, pk)
    existing = selectors.application_of_student_for(request.user, project)
    if existing:
        messages.info(request, "You've already applied to this project; here is your application.")
        return redirect(existing)
    problems = services.student_can_apply_errors(student=request.user, project=project)
    if problems:
        for problem in problems:
            messages.warning(request, problem)
        profile = getattr(request.user, "student_profile", None)
        if request.user.is_student and (profile is None or not profile.is_onboarded):
            return redirect(f"{reverse('students:onboarding')}?next={project.get_absolute_url()}")
        return redirect(project)
    form = ApplicationForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply_to_project(
                actor=request.user,
                project=project,
                cover_note=form.cleaned_data["cover_note"],
                answers=form.answers(),
                confirmed_availability=form.cleaned_data["confirmed_availability"],
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            messages.success(
                request, f"Application sent to {project.business.name}. We'll tell you as soon as they answer."
            )
            return redirect(application)
    return render(
        request,
        "projects/apply.html",
        {
            "project": project,
            "form": form,
            "fit": _availability_fit(request.user, project),
            "expiry_days": settings.C2C_APPLICATION_EXPIRY_DAYS,
        },
    )


@login_required
@cached_page
def my_applications(request):
    applications = selectors.applications_of_student(request.user).order_by("-status_changed_at", "-pk")
    page = Paginator(applications, 20).get_page(request.GET.get("page"))
    return render(request, "projects/my_applications.html", {"page_obj": page})


@login_required
def application(request, pk):
    application = selectors.student_application_or_404(request.user, pk)
    return render(
        request,
        "projects/application.html",
        {
            "application": application,
            "can": rules.application_flags(request.user, application),
            "project": application.project,
            "history": status_history(application, ApplicationStatus),
            "engagement": getattr(application, "engagement", None),
            "withdraw_form": DecisionMessageForm(),
        },
    )


@login_required
def application_withdraw(request, pk):
    application = selectors.student_application_or_404(request.user, pk)
    if not rules.application_flags(request.user, application)["withdraw"]:
        messages.info(request, f"This application is {application.get_status_display().lower()}: nothing to withdraw.")
        return redirect(application)
    if request.method == "POST":
        try:
            services.transition_application(
                application=application, to_status=ApplicationStatus.WITHDRAWN, actor=request.user
            )
        except ValidationError as error:
            flash_refusal(request, error)
        else:
            messages.success(request, f"You withdrew your application to “{application.project.title}”.")
        return redirect(application)
    return render(request, "projects/application_withdraw.html", {"application": application})


@login_required
@require_POST
def offer_respond(request, pk):
    application = selectors.student_application_or_404(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    if not accept and request.POST.get("answer") != "decline":
        raise Http404("Unknown answer.")
    try:
        services.transition_application(
            application=application,
            to_status=ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED,
            actor=request.user,
        )
    except ValidationError as error:
        flash_refusal(request, error)
    else:
        if accept:
            messages.success(
                request,
                "You accepted the offer. Your engagement page has the deliverables and a "
                "message thread with the organisation.",
            )
            return redirect(application.engagement)
        messages.success(request, "You declined the offer. The organisation has been told.")
    return redirect(application)
