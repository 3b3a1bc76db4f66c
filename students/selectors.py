"""Reads of student profiles, scoped to who is asking: anything outside that scope is a 404."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from activity.enums import Verb
from activity.selectors import histories_of
from businesses.selectors import business_for
from catalogue.models import Skill
from engagements.enums import EngagementStatus, FeedbackDirection, SubmissionStatus
from engagements.models import DeliverableSubmission, Engagement, Feedback, Message
from engagements.selectors import feedback_revealed
from projects.enums import OPEN_APPLICATION_STATUSES
from projects.models import Application
from students.enums import LocationPreference, OnboardingStep
from students.models import StudentProfile, StudentSkill

# ---------------------------------------------------------------------------
# Completeness
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileCheck:
    key: str
    label: str
    prompt: str
    step: str
    weight: int
    done: bool
    for_matching: bool
    # Asked for by the set-up steps; everything else is an optional extra.
    required: bool


@dataclass(frozen=True)
class Completeness:
    percent: int
    checks: tuple[ProfileCheck, ...]

    @property
    def missing(self) -> list[ProfileCheck]:
        return [check for check in self.checks if not check.done]

    @property
    def missing_for_matching(self) -> list[ProfileCheck]:
        return [check for check in self.missing if check.for_matching]

    @property
    def missing_required(self) -> list[ProfileCheck]:
        return [check for check in self.missing if check.required]

    @property
    def missing_extras(self) -> list[ProfileCheck]:
        return [check for check in self.missing if not check.required]

    @property
    def extras(self) -> list[ProfileCheck]:
        return [check for check in self.checks if not check.required]

    @property
    def is_complete(self) -> bool:
        return self.percent == 100


def completeness(profile, *, skill_count: int, interest_count: int, window_count: int) -> Completeness:
    """How much of the profile is filled in, as a percentage, and what is still missing.

    A pure function of the profile's own fields and three counts (skills, interests, and date
    ranges that haven't ended yet), so it is cheap to test and to call from anywhere. Weights
    favour what matching uses: skills, hours, dates, interests and location make up 65%.
    """
    # Students who can work in person must give their city (the availability step asks for it).
    in_person = profile.location_preference != LocationPreference.REMOTE
    checks = (
        ProfileCheck(
            "school",
            "School",
            "Tell us where you study and what kind of school it is.",
            OnboardingStep.SCHOOL,
            10,
            bool(profile.school and profile.school_type),
            False,
            True,
        ),
        ProfileCheck(
            "studies",
            "Programme and graduation year",
            "Add your programme or major and when you expect to finish.",
            OnboardingStep.SCHOOL,
            10,
            bool(profile.programme and profile.graduation_year),
            False,
            False,
        ),
        ProfileCheck(
            "bio",
            "Short bio",
            "Write a few sentences about yourself: businesses read this first.",
            OnboardingStep.SCHOOL,
            5,
            bool(profile.bio.strip()),
            False,
            False,
        ),
        ProfileCheck(
            "skills",
            "Skills",
            "Pick the skills you have, even as a beginner, so we can match you to projects.",
            OnboardingStep.SKILLS,
            20,
            skill_count > 0,
            True,
            True,
        ),
        ProfileCheck(
            "interests",
            "Interests",
            "Choose the industries and causes you care about.",
            OnboardingStep.INTERESTS,
            10,
            interest_count > 0,
            True,
            True,
        ),
        ProfileCheck(
            "hours",
            "Hours a week",
            "Say how many hours a week you can give, so we never suggest more than that.",
            OnboardingStep.AVAILABILITY,
            15,
            profile.hours_per_week is not None,
            True,
            True,
        ),
        ProfileCheck(
            "windows",
            "Dates you can work",
            "Add the dates you can work (your earlier dates may have passed).",
            OnboardingStep.AVAILABILITY,
            15,
            window_count > 0,
            True,
            True,
        ),
        ProfileCheck(
            "location",
            "City and state",
            "Add your city and state so we can also show you local and hybrid projects."
            if in_person
            else "Add your city and state: if you can ever work in person, we can show you local projects too.",
            OnboardingStep.AVAILABILITY,
            5,
            bool(profile.city and (profile.state or in_person)),
            in_person,
            in_person,
        ),
        ProfileCheck(
            "links",
            "Links",
            "Add a portfolio, LinkedIn or GitHub link if you have one.",
            OnboardingStep.LINKS,
            5,
            bool(profile.portfolio_url or profile.linkedin_url or profile.github_url),
            False,
            False,
        ),
        ProfileCheck(
            "resume",
            "Résumé",
            "Upload your résumé as a PDF.",
            OnboardingStep.LINKS,
            5,
            bool(profile.resume),
            False,
            False,
        ),
    )
    percent = sum(check.weight for check in checks if check.done)
    return Completeness(percent=percent, checks=checks)


def current_windows(profile):
    """The date ranges that haven't ended yet: the ones that matter for matching."""
    return profile.availability.filter(ends_on__gte=timezone.localdate())


def profile_counts(profile) -> dict:
    return {
        "skill_count": profile.skills.count(),
        "interest_count": profile.interests.count(),
        "window_count": current_windows(profile).count(),
    }


def profile_completeness(profile) -> Completeness:
    return completeness(profile, **profile_counts(profile))


def step_is_done(profile, step, *, skill_count: int, interest_count: int, window_count: int) -> bool:
    if step == OnboardingStep.SCHOOL:
        return bool(profile.school and profile.school_type)
    if step == OnboardingStep.SKILLS:
        return skill_count > 0
    if step == OnboardingStep.INTERESTS:
        return interest_count > 0
    if step == OnboardingStep.AVAILABILITY:
        return profile.hours_per_week is not None and window_count > 0
    return profile.onboarding_completed_at is not None


def first_incomplete_step(profile, *, include_last: bool = True) -> str | None:
    """Where onboarding resumes: the first step still missing something, or None when all are done."""
    counts = profile_counts(profile)
    steps = list(OnboardingStep) if include_last else list(OnboardingStep)[:-1]
    for step in steps:
        if not step_is_done(profile, step, **counts):
            return step
    return None


# ---------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------


def profile_for(user) -> StudentProfile | None:
    if not user.is_authenticated:
        return None
    return StudentProfile.objects.filter(user=user).first()


def profile_with_details(profile) -> StudentProfile:
    """The profile with everything its own page shows, in a fixed number of queries."""
    return (
        StudentProfile.objects.select_related("user")
        .prefetch_related(
            Prefetch("skills", queryset=StudentSkill.objects.select_related("skill")),
            "interests",
            "availability",
        )
        .get(pk=profile.pk)
    )


def profiles_visible_to(user):
    """Staff see every profile; a business sees the students who applied to any of its projects;
    a student sees only their own."""
    if not user.is_authenticated:
        return StudentProfile.objects.none()
    if user.is_staff:
        return StudentProfile.objects.all()
    business = business_for(user)
    if business is not None:
        applied = Application.objects.filter(student=OuterRef("user"), project__business=business)
        return StudentProfile.objects.filter(Exists(applied))
    return StudentProfile.objects.filter(user=user)


def visible_profile_or_404(user, pk) -> StudentProfile:
    return get_object_or_404(
        profiles_visible_to(user)
        .select_related("user")
        .prefetch_related(Prefetch("skills", queryset=StudentSkill.objects.select_related("skill")), "interests"),
        pk=pk,
    )


def resume_or_404(user, profile_pk) -> StudentProfile:
    profile = get_object_or_404(profiles_visible_to(user), pk=profile_pk)
    if not profile.resume:
        raise Http404("No résumé uploaded.")
    return profile


def applications_seen_by(user, profile):
    """The student's applications the viewer may know about: all for staff, their own projects' for a business."""
    applications = Application.objects.filter(student=profile.user_id).select_related("project")
    if user.is_staff or user.pk == profile.user_id:
        return applications
    business = business_for(user)
    return applications.filter(project__business=business) if business else applications.none()


def public_name(user) -> str:
    """The student's name for other people: never their email address."""
    return user.full_name or "A Campus to Commerce student"


def public_profile_fields(profile) -> dict:
    """What a business sees of a student: no email, no résumé contents, no private settings.

    Prefetch `skills__skill` and `interests` when calling this for many profiles.
    """
    return {
        "name": public_name(profile.user),
        "school": profile.school,
        "school_type": profile.get_school_type_display() if profile.school_type else "",
        "programme": profile.programme,
        "graduation_year": profile.graduation_year,
        "bio": profile.bio,
        "skills": [
            {"name": item.skill.name, "level": item.level, "level_label": item.get_level_display()}
            for item in profile.skills.all()
        ],
        "interests": [interest.name for interest in profile.interests.all()],
        "hours_per_week": profile.hours_per_week,
        "location_preference": profile.get_location_preference_display(),
        "city": profile.city,
        "state": profile.state,
        "links": {
            label: url
            for label, url in [
                ("Portfolio", profile.portfolio_url),
                ("LinkedIn", profile.linkedin_url),
                ("GitHub", profile.github_url),
            ]
            if url
        },
    }


# ---------------------------------------------------------------------------
# Portfolio
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioEntry:
    project_title: str
    business_name: str
    started_at: datetime
    completed_at: datetime | None
    hours: int
    skills: list[str]
    deliverables: list[str]
    reference: Feedback | None


def portfolio_entries(student) -> list[PortfolioEntry]:
    """One entry per completed engagement, newest first, in four queries however many there are."""
    engagements = (
        Engagement.objects.filter(student=student, status=EngagementStatus.COMPLETED)
        .select_related("project", "business")
        .prefetch_related(
            Prefetch("project__required_skills", queryset=Skill.objects.only("name")),
            Prefetch(
                "submissions",
                queryset=DeliverableSubmission.objects.filter(status=SubmissionStatus.ACCEPTED)
                .select_related("deliverable")
                .order_by("deliverable__position", "pk"),
                to_attr="accepted_submissions",
            ),
            "feedback",
        )
        .order_by("-completed_at", "-pk")
    )
    now = timezone.now()
    entries = []
    for engagement in engagements:
        feedback = list(engagement.feedback.all())
        reference = next(
            (
                item
                for item in feedback
                if item.direction == FeedbackDirection.BUSINESS_TO_STUDENT and item.is_reference
            ),
            None,
        )
        if reference is not None and not feedback_revealed(engagement, now=now):
            reference = None
        titles = list(dict.fromkeys(item.deliverable.title for item in engagement.accepted_submissions))
        project = engagement.project
        entries.append(
            PortfolioEntry(
                project_title=project.title,
                business_name=engagement.business.name,
                started_at=engagement.started_at,
                completed_at=engagement.completed_at,
                hours=project.total_hours,
                skills=[skill.name for skill in project.required_skills.all()],
                deliverables=titles,
                reference=reference,
            )
        )
    return entries


def public_portfolio_or_404(token) -> StudentProfile:
    return get_object_or_404(
        StudentProfile.objects.select_related("user"), portfolio_token=token, portfolio_public=True
    )


# ---------------------------------------------------------------------------
# Data export
# ---------------------------------------------------------------------------


def export_for(user) -> dict:
    """Everything the site holds about a student, as plain JSON-ready data (the résumé by name only)."""
    profile = profile_for(user)
    data = {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": _profile_export(profile) if profile else None,
        "applications": _applications_export(user),
        "engagements": _engagements_export(user),
        "notifications": [
            {"title": item.title, "body": item.body, "url": item.url, "created_at": item.created_at}
            for item in user.notifications.order_by("created_at")
        ],
    }
    return data


def _profile_export(profile) -> dict:
    profile = profile_with_details(profile)
    return {
        "school": profile.school,
        "school_type": profile.school_type,
        "programme": profile.programme,
        "graduation_year": profile.graduation_year,
        "bio": profile.bio,
        "skills": [{"skill": item.skill.name, "level": item.level} for item in profile.skills.all()],
        "interests": [{"name": item.name, "kind": item.kind} for item in profile.interests.all()],
        "hours_per_week": profile.hours_per_week,
        "availability": [
            {"starts_on": window.starts_on, "ends_on": window.ends_on} for window in profile.availability.all()
        ],
        "location_preference": profile.location_preference,
        "city": profile.city,
        "state": profile.state,
        "portfolio_url": profile.portfolio_url,
        "linkedin_url": profile.linkedin_url,
        "github_url": profile.github_url,
        "resume_filename": profile.resume_filename if profile.resume else "",
        "resume_uploaded_at": profile.resume_uploaded_at,
        "discoverable": profile.discoverable,
        "portfolio_public": profile.portfolio_public,
        "onboarding_completed_at": profile.onboarding_completed_at,
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def _applications_export(user) -> list[dict]:
    applications = list(
        Application.objects.filter(student=user).select_related("project__business").order_by("created_at")
    )
    histories = histories_of(Application, [application.pk for application in applications])
    return [
        {
            "project": application.project.title,
            "business": application.project.business.name,
            "status": application.status,
            "cover_note": application.cover_note,
            "answers": [
                {"question": question, "answer": answer} for question, answer in application.answered_questions()
            ],
            "confirmed_availability": application.confirmed_availability,
            "status_message": application.status_message,
            "created_at": application.created_at,
            "status_changed_at": application.status_changed_at,
            "status_history": [
                {"from": change.from_state, "to": change.to_state, "reason": change.reason, "at": change.created_at}
                for change in histories[application.pk]
                if change.verb == Verb.STATUS_CHANGED
            ],
        }
        for application in applications
    ]


def _engagements_export(user) -> list[dict]:
    engagements = (
        Engagement.objects.filter(student=user)
        .select_related("project", "business")
        .prefetch_related(
            Prefetch("submissions", queryset=DeliverableSubmission.objects.select_related("deliverable")),
            Prefetch("messages", queryset=Message.objects.filter(author=user), to_attr="own_messages"),
            "feedback",
        )
        .order_by("started_at")
    )
    result = []
    for engagement in engagements:
        feedback = list(engagement.feedback.all())
        given = [item for item in feedback if item.direction == FeedbackDirection.STUDENT_TO_BUSINESS]
        received = [item for item in feedback if item.direction == FeedbackDirection.BUSINESS_TO_STUDENT]
        if not feedback_revealed(engagement):
            received = []
        result.append(
            {
                "project": engagement.project.title,
                "business": engagement.business.name,
                "status": engagement.status,
                "started_at": engagement.started_at,
                "completed_at": engagement.completed_at,
                "payment_sent_at": engagement.payment_sent_at,
                "payment_received_at": engagement.payment_received_at,
                "submissions": [
                    {
                        "deliverable": submission.deliverable.title,
                        "link": submission.link,
                        "filename": submission.filename,
                        "note": submission.note,
                        "status": submission.status,
                        "review_note": submission.review_note,
                        "submitted_at": submission.submitted_at,
                        "reviewed_at": submission.reviewed_at,
                    }
                    for submission in engagement.submissions.all()
                ],
                "messages_written": [
                    {"body": message.body, "created_at": message.created_at} for message in engagement.own_messages
                ],
                "feedback_given": [_feedback_export(item) for item in given],
                "feedback_received": [_feedback_export(item) for item in received],
            }
        )
    return result


def _feedback_export(feedback) -> dict:
    return {
        "rating": feedback.rating,
        "comment": feedback.comment,
        "is_reference": feedback.is_reference,
        "created_at": feedback.created_at,
    }


def open_work_of(user) -> dict:
    """What deleting the account would leave a business without: open applications and unfinished engagements."""
    return {
        "open_applications": Application.objects.filter(student=user, status__in=OPEN_APPLICATION_STATUSES).count(),
        "active_engagements": Engagement.objects.filter(student=user, status=EngagementStatus.ACTIVE).count(),
    }
