"""Everything the site holds about a student, as one JSON-ready dict for their data export."""

from django.db.models import Prefetch
from django.utils import timezone

from activity.enums import Verb
from activity.selectors import histories_of
from engagements.enums import FeedbackDirection
from engagements.models import DeliverableSubmission, Engagement, Message
from engagements.selectors import feedback_revealed
from projects.models import Application
from students.selectors import profile_for, profile_with_details


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
