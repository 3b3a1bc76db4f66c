import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from c2c.forms import attach_service_errors
from c2c.http import private_file_response
from catalogue.models import Skill
from students import completeness, data_export, portfolios, presenters, selectors, services
from students.enums import OnboardingStep
from students.forms import (
    AvailabilityForm,
    DeleteAccountForm,
    InterestsForm,
    LinksForm,
    PortfolioSharingForm,
    SchoolForm,
    SkillsForm,
    WindowFormSet,
)

STEPS = list(OnboardingStep)
STEP_INTROS = {
    OnboardingStep.SCHOOL: "Where you study and a little about you.",
    OnboardingStep.SKILLS: "Pick what you can do. Beginner counts: many projects are made for learning.",
    OnboardingStep.INTERESTS: "The kinds of organisations you'd like to help.",
    OnboardingStep.AVAILABILITY: "The time you really have, so we only suggest work that fits your week.",
    OnboardingStep.LINKS: "Optional extras that help businesses get to know you, and who can see you.",
}


def _posted(request):
    """The submitted data on POST (even when empty, so an empty form still shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def _own_profile(request):
    """The signed-in student's profile (created on first visit), or a response turning others away."""
    user = request.user
    if user.is_business_member:
        messages.info(request, "Business accounts don't have a student profile. Here is your dashboard.")
        return None, redirect("businesses:dashboard")
    if not user.is_student:
        raise Http404("Only students have a student profile.")
    return services.get_or_create_profile(actor=user), None


@login_required
@require_GET
def profile(request):
    own, refusal = _own_profile(request)
    if refusal:
        return refusal
    own = selectors.profile_with_details(own)
    meter = completeness.profile_completeness(own)
    today = timezone.localdate()
    return render(
        request,
        "students/profile.html",
        {
            "profile": own,
            "meter": meter,
            "windows": own.availability.all(),
            "today": today,
            "next_step": completeness.first_incomplete_step(own),
        },
    )


# --- Onboarding --------------------------------------------------------------------------------


def _step_url(step) -> str:
    return f"{reverse('students:onboarding')}?step={step}"


def _school_step(request, profile):
    form = SchoolForm(_posted(request), instance=profile)
    if request.method == "POST" and form.is_valid():
        services.save_school(actor=request.user, profile=profile, data=form.cleaned_data)
        return True, {"form": form}
    return False, {"form": form}


def _skills_step(request, profile):
    current = {item.skill_id: item.level for item in profile.skills.all()}
    form = SkillsForm(_posted(request), skills=Skill.objects.all(), current=current)
    if request.method == "POST" and form.is_valid():
        services.save_skills(actor=request.user, profile=profile, skills=form.chosen())
        return True, {"form": form}
    return False, {"form": form}


def _interests_step(request, profile):
    form = InterestsForm(_posted(request), current=profile.interests.all())
    if request.method == "POST" and form.is_valid():
        services.save_interests(actor=request.user, profile=profile, interests=form.chosen())
        return True, {"form": form}
    return False, {"form": form}


def _posted_windows(data) -> list[dict]:
    """The date ranges typed so far, to re-show them with one more empty row."""
    # The formset reads its own row count, taking a garbled one as none.
    total = WindowFormSet(data, prefix="windows").total_form_count()
    rows = []
    for index in range(min(total, WindowFormSet.max_num)):
        starts_on, ends_on = data.get(f"windows-{index}-starts_on", ""), data.get(f"windows-{index}-ends_on", "")
        if (starts_on or ends_on) and not data.get(f"windows-{index}-DELETE"):
            rows.append({"starts_on": starts_on, "ends_on": ends_on})
    return rows


def _availability_step(request, profile):
    if request.method == "POST" and "add_window" in request.POST:
        form = AvailabilityForm(initial=request.POST.dict(), instance=profile)
        formset = WindowFormSet(initial=_posted_windows(request.POST), prefix="windows")
        return False, {"form": form, "formset": formset}
    current = [
        {"starts_on": window.starts_on, "ends_on": window.ends_on} for window in selectors.current_windows(profile)
    ]
    form = AvailabilityForm(_posted(request), instance=profile)
    if request.method == "POST":
        # The posted rows are the whole list: no initial, so a blank extra row is never compared to a saved range.
        formset = WindowFormSet(request.POST, prefix="windows")
    else:
        formset = WindowFormSet(initial=current, prefix="windows")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.save_availability(
                actor=request.user, profile=profile, data=form.cleaned_data, windows=formset.windows()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return True, {"form": form, "formset": formset}
    return False, {"form": form, "formset": formset}


def _links_step(request, profile):
    form = LinksForm(_posted(request), request.FILES if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_links(
                actor=request.user,
                profile=profile,
                data=form.cleaned_data,
                resume=form.cleaned_data.get("resume"),
                remove_resume=form.cleaned_data.get("remove_resume", False),
            )
        except ValidationError as error:
            attach_service_errors(form, error)
        else:
            return True, {"form": form}
    return False, {"form": form}


STEP_HANDLERS = {
    OnboardingStep.SCHOOL: _school_step,
    OnboardingStep.SKILLS: _skills_step,
    OnboardingStep.INTERESTS: _interests_step,
    OnboardingStep.AVAILABILITY: _availability_step,
    OnboardingStep.LINKS: _links_step,
}


@login_required
def onboarding(request):
    own, refusal = _own_profile(request)
    if refusal:
        return refusal
    requested = request.GET.get("step")
    if requested in OnboardingStep.values:
        step = OnboardingStep(requested)
    else:
        step = completeness.first_incomplete_step(own)
        if step is None:
            messages.info(request, "Your profile is complete. Use the “Edit” links to change any part of it.")
            return redirect("students:profile")
        step = OnboardingStep(step)
    saved, context = STEP_HANDLERS[step](request, own)
    if saved:
        return _after_saving(request, own, step)
    position = STEPS.index(step)
    return render(
        request,
        "students/onboarding.html",
        {
            **context,
            "profile": own,
            "step": step,
            "step_template": f"students/steps/{step.value}.html",
            "steps": STEPS,
            "position": position + 1,
            "intro": STEP_INTROS[step],
            "previous_step": STEPS[position - 1] if position else None,
            "is_last": step == STEPS[-1],
            "editing": own.is_onboarded,
        },
    )


def _after_saving(request, profile, step):
    if step == OnboardingStep.LINKS and not profile.is_onboarded:
        missing = services.finish_onboarding(actor=request.user, profile=profile)
        if missing is None:
            messages.success(request, "Your profile is ready. We'll start suggesting projects that fit your week.")
            return redirect("students:profile")
        messages.warning(
            request, f"Saved. One thing is still missing before we can match you: {OnboardingStep(missing).label}."
        )
        return redirect(_step_url(missing))
    if "finish_later" in request.POST:
        messages.success(request, "Saved. Pick up where you left off from your profile whenever you're ready.")
        return redirect("students:profile")
    if profile.is_onboarded:
        messages.success(request, f"Your {step.label.lower()} changes are saved.")
        return redirect("students:profile")
    following = STEPS[STEPS.index(step) + 1]
    messages.success(request, f"Saved. Next: {following.label.lower()}.")
    return redirect(_step_url(following))


# --- Résumé, export, delete ----------------------------------------------------------------------


@login_required
@require_GET
def resume(request, profile_pk):
    owner_profile = selectors.resume_or_404(request.user, profile_pk)
    try:
        file = owner_profile.resume.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The résumé file is missing.") from missing
    return private_file_response(
        file, filename=owner_profile.resume_filename or "resume.pdf", content_type="application/pdf"
    )


@login_required
@require_GET
def export(request):
    _, refusal = _own_profile(request)
    if refusal:
        return refusal
    payload = json.dumps(data_export.export_for(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    filename = f"campus-to-commerce-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def delete(request):
    own, refusal = _own_profile(request)
    if refusal:
        return refusal
    form = DeleteAccountForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_student_account(actor=request.user)
        logout(request)
        messages.success(
            request, "Your account and profile are deleted. Thank you for being part of Campus to Commerce."
        )
        return redirect("home")
    return render(
        request, "students/delete.html", {"form": form, "profile": own, **selectors.open_work_of(request.user)}
    )


# --- Portfolio ---------------------------------------------------------------------------------------


@login_required
def portfolio(request):
    own, refusal = _own_profile(request)
    if refusal:
        return refusal
    if request.method == "POST":
        form = PortfolioSharingForm(request.POST)
        form.is_valid()
        public = form.cleaned_data.get("portfolio_public", False)
        services.set_portfolio_sharing(actor=request.user, profile=own, public=public)
        if public:
            messages.success(request, "Your portfolio is public. Anyone with the link can see it.")
        else:
            messages.success(request, "Your portfolio is private. The link stops working until you share it again.")
        return redirect("students:portfolio")
    share_url = request.build_absolute_uri(reverse("students:public_portfolio", args=[own.portfolio_token]))
    return render(
        request,
        "students/portfolio.html",
        {"profile": own, "entries": portfolios.portfolio_entries(request.user), "share_url": share_url},
    )


@require_GET
def public_portfolio(request, token):
    shared = portfolios.public_portfolio_or_404(token)
    return render(
        request,
        "students/public_portfolio.html",
        {
            "profile": shared,
            "name": presenters.public_name(shared.user),
            "entries": portfolios.portfolio_entries(shared.user),
        },
    )


# --- As a business sees it ---------------------------------------------------------------------------


@login_required
@require_GET
def applicant(request, profile_pk):
    seen = selectors.visible_profile_or_404(request.user, profile_pk)
    return render(
        request,
        "students/applicant.html",
        {
            "profile": seen,
            "fields": presenters.public_profile_fields(seen),
            "applications": selectors.applications_seen_by(request.user, seen),
            "windows": selectors.current_windows(seen),
            "is_owner": seen.user_id == request.user.pk,
        },
    )
