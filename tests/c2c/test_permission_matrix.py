"""Who gets what from every URL the site serves.

The patterns are read from the URLconf itself (allauth's and the admin's included), so a new view cannot
be left out: an undeclared pattern fails with a message naming it. Each pattern is requested by seven
people and every answer is compared with the one declared here:

- GET, as each role;
- POST without a CSRF token, as each role: always refused (403), except where declared exempt;
- for views that change something, POST with a valid CSRF token as each role, so that another user's
  object is a 404 on POST too; and views that only act refuse GET (405).

URL arguments are filled from objects owned by "the student" and "the owner" (of an approved business):
another student and the owner of another business must get 404 for them. Every request runs in a
savepoint that is rolled back, so each sees the same world and no answer depends on the order.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import connection, transaction
from django.templatetags.static import static
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from activity.services import record_status_change
from businesses.enums import BusinessStatus
from c2c.celery import app as celery_app
from c2c.models import FailedTask
from engagements.enums import FeedbackDirection
from engagements.models import DeliverableSubmission, Feedback, Message
from matching.models import Invitation, Rebuild
from matching.services import refresh_project, refresh_student
from notifications.enums import Frequency
from notifications.models import Digest
from notifications.tokens import ALL_KINDS, make_unsubscribe_token
from projects.enums import Category, FlagReason, ProjectStatus
from projects.models import ProjectFlag, ProjectTemplate
from students.models import StudentProfile
from tests.engagements.factories import EngagementFactory, SubmissionFactory, accept_all
from tests.factories import BusinessFactory, BusinessOwnerFactory, StaffFactory
from tests.helpers import signed_in_client
from tests.notifications.factories import NotificationFactory, PreferenceFactory
from tests.projects.factories import ApplicationFactory, InterestFactory, ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory, pdf_bytes

ROLES = ("anonymous", "student", "other_student", "owner", "other_owner", "pending_owner", "staff")
SIGNED_IN = ROLES[1:]
CSRF_SECRET = "matrixcsrfsecret0123456789abcdef"  # 32 characters, the length of an unmasked CSRF secret
WRITE = re.compile(r'^\s*(?:INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


# --- Outcomes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """An expected answer: a status, and for redirects where to (a URL name, or a function of the world and
    the URL's arguments)."""

    status: int
    to: str | Callable | None = None
    login: str = ""  # "site" or "admin": a redirect to that login page, with ?next= the requested URL

    def __str__(self):
        if self.login:
            return f"redirect to the {self.login} login"
        if self.to is not None:
            return f"{self.status} redirect to {self.to if isinstance(self.to, str) else 'its page'}"
        return str(self.status)


OK = Outcome(200)
LOGIN = Outcome(302, login="site")
ADMIN_LOGIN = Outcome(302, login="admin")
BAD_REQUEST = Outcome(400)
FORBIDDEN = Outcome(403)
NOT_FOUND = Outcome(404)
NOT_ALLOWED = Outcome(405)


def redirect(to, status=302) -> Outcome:
    return Outcome(status, to)


def roles(default: Outcome, **overrides: Outcome) -> dict[str, Outcome]:
    """Every role gets `default` except those named."""
    unknown = set(overrides) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: overrides.get(role, default) for role in ROLES}


def mine(*owners: str, others=NOT_FOUND, **overrides: Outcome) -> dict[str, Outcome]:
    """An object page: 200 for the roles owning it, login for anonymous, `others` for everyone else."""
    return roles(others, anonymous=LOGIN, **dict.fromkeys(owners, OK), **overrides)


# --- Declarations -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """Reads only: GET answers as declared."""

    get: dict[str, Outcome]
    kwargs: Callable | None = None


@dataclass(frozen=True)
class Form:
    """GET shows a form or a confirmation; POST changes something. `post` is for a POST with a CSRF token."""

    get: dict[str, Outcome]
    post: dict[str, Outcome]
    data: dict = field(default_factory=dict)
    kwargs: Callable | None = None
    csrf_exempt: bool = False


@dataclass(frozen=True)
class Action:
    """POST only: GET is refused (405; signing in comes first where the view needs it)."""

    post: dict[str, Outcome]
    get: dict[str, Outcome] = field(default_factory=lambda: roles(NOT_ALLOWED, anonymous=LOGIN))
    data: dict = field(default_factory=dict)
    kwargs: Callable | None = None


def landing(role) -> str:
    """Where a signed-in person is sent from pages for signed-out people (allauth's login and sign-up)."""
    return reverse("businesses:dashboard") if role.endswith("owner") else "/"


BACK_TO_ENGAGEMENT = redirect(lambda w, kw: w.engagement.get_absolute_url())


def on_engagement_refused(**overrides: Outcome) -> dict[str, Outcome]:
    """The engagement's student, owner and staff are sent back to it with a message; others get 404."""
    back = redirect(lambda w, kw: reverse("engagements:detail", args=[kw["pk"]]))
    return mine(**{"student": back, "owner": back, "staff": back, **overrides})


ON_ENGAGEMENT_REFUSED = on_engagement_refused()

# Students' own pages send business members to their dashboard (and are a 404 for staff).
OWNERS_TO_DASHBOARD = dict.fromkeys(["owner", "other_owner", "pending_owner"], redirect("businesses:dashboard"))

REAUTHENTICATE = redirect("account_reauthenticate")

SIGNED_IN_LANDING = {role: redirect(lambda w, kw, role=role: landing(role)) for role in SIGNED_IN}

EXPECTED = {
    # --- Site pages
    "home": Page(get=roles(OK)),
    # Answered before the CSRF check (load balancers call it); it changes nothing and refuses POST.
    "healthz": Form(get=roles(OK), post=roles(NOT_ALLOWED), csrf_exempt=True),
    "robots_txt": Page(get=roles(OK)),
    "favicon": Page(get=roles(redirect(lambda w, kw: static("img/favicon.svg"), status=301))),
    # --- allauth
    "account_login": Form(
        get=roles(OK, **SIGNED_IN_LANDING),
        post=roles(OK, **SIGNED_IN_LANDING),
    ),
    "account_logout": Form(
        get=roles(OK, anonymous=redirect("home")),
        post=roles(redirect("home")),
    ),
    "account_inactive": Page(get=roles(OK)),
    "account_signup": Form(get=roles(OK, **SIGNED_IN_LANDING), post=roles(OK, **SIGNED_IN_LANDING)),
    "account_reauthenticate": Page(get=mine(*SIGNED_IN)),
    # Reauthentication by an emailed code; confirming without having asked for a code goes back to asking.
    "account_request_reauthentication_code": Page(get=mine(*SIGNED_IN)),
    "account_confirm_reauthentication_code": Page(
        get=roles(redirect("account_request_reauthentication_code"), anonymous=LOGIN)
    ),
    "account_email": Page(get=mine(*SIGNED_IN)),
    "account_email_verification_sent": Page(get=roles(OK)),
    "account_change_password": Page(get=mine(*SIGNED_IN)),
    "account_set_password": Page(
        get=roles(redirect("account_change_password"), anonymous=LOGIN),
    ),
    "account_reset_password": Page(get=roles(OK)),
    "account_confirm_login_code": Page(get=roles(redirect("account_login"), **SIGNED_IN_LANDING)),
    "account_confirm_email": Page(get=roles(OK), kwargs=lambda w: {"key": w.email_key}),
    "account_reset_password_from_key": Page(
        get=roles(redirect(lambda w, kw: w.reset_url.replace(w.reset_key, "set-password"))),
        kwargs=lambda w: {"uidb36": w.reset_uid, "key": w.reset_key},
    ),
    "account_reset_password_from_key_done": Page(get=roles(OK)),
    "account_reset_password_done": Page(get=roles(OK)),
    # --- Two-factor (allauth.mfa). Changing authenticators asks for the password again first; someone with
    # an unverified email address (the student here) can't add one; nobody here has recovery codes yet.
    "mfa_index": Page(get=mine(*SIGNED_IN)),
    "mfa_authenticate": Page(get=roles(redirect("account_login"), **SIGNED_IN_LANDING)),
    "mfa_reauthenticate": Page(get=mine("staff", others=redirect("account_reauthenticate"))),
    "mfa_activate_totp": Form(
        get=mine(student=redirect("mfa_index"), others=REAUTHENTICATE),
        post=mine(student=redirect("mfa_index"), others=REAUTHENTICATE),
    ),
    "mfa_deactivate_totp": Form(get=mine(staff=REAUTHENTICATE), post=mine(staff=REAUTHENTICATE)),
    "mfa_view_recovery_codes": Page(get=mine()),
    "mfa_generate_recovery_codes": Form(get=mine(others=REAUTHENTICATE), post=mine(others=REAUTHENTICATE)),
    "mfa_download_recovery_codes": Page(get=mine()),
    # --- Businesses
    "businesses:register": Form(
        get=roles(
            OK,
            student=redirect("home"),
            other_student=redirect("home"),
            owner=redirect("businesses:dashboard"),
            other_owner=redirect("businesses:dashboard"),
            pending_owner=redirect("businesses:dashboard"),
        ),
        post=roles(
            OK,
            student=redirect("home"),
            other_student=redirect("home"),
            owner=redirect("businesses:dashboard"),
            other_owner=redirect("businesses:dashboard"),
            pending_owner=redirect("businesses:dashboard"),
        ),
    ),
    "businesses:dashboard": Page(
        get=mine(
            "owner",
            "other_owner",
            "pending_owner",
            student=redirect("home"),
            other_student=redirect("home"),
            staff=redirect("home"),
        )
    ),
    "businesses:project_new": Form(
        get=mine("owner", "other_owner", pending_owner=redirect("businesses:dashboard")),
        post=mine("owner", "other_owner", pending_owner=redirect("businesses:dashboard")),
    ),
    # Every approved business has a public page.
    "businesses:public": Page(get=roles(OK), kwargs=lambda w: {"pk": w.published.business_id}),
    "businesses:project": Page(get=mine("owner"), kwargs=lambda w: {"pk": w.draft.pk}),
    "businesses:project_edit": Form(get=mine("owner"), post=mine("owner"), kwargs=lambda w: {"pk": w.draft.pk}),
    "businesses:project_submit": Action(
        post=mine(owner=redirect(lambda w, kw: reverse("businesses:project", args=[w.draft.pk]))),
        kwargs=lambda w: {"pk": w.draft.pk},
    ),
    "businesses:project_withdraw": Form(
        get=mine("owner"),
        post=mine(owner=redirect(lambda w, kw: reverse("businesses:project", args=[w.published.pk]))),
        kwargs=lambda w: {"pk": w.published.pk},
    ),
    "businesses:applicants": Page(get=mine("owner"), kwargs=lambda w: {"pk": w.published.pk}),
    "businesses:recommended": Page(get=mine("owner"), kwargs=lambda w: {"pk": w.published.pk}),
    "businesses:invite_student": Action(
        post=mine(owner=redirect(lambda w, kw: reverse("businesses:recommended", args=[w.published.pk]))),
        kwargs=lambda w: {"pk": w.published.pk, "profile_pk": w.profile.pk},
    ),
    # The start date and the message are optional, so a bare POST sends the offer.
    "businesses:make_offer": Form(
        get=mine("owner"),
        post=mine(
            owner=redirect(
                lambda w, kw: f"{reverse('businesses:applicants', args=[w.published.pk])}#application-{kw['pk']}"
            )
        ),
        kwargs=lambda w: {"pk": w.application.pk},
    ),
    "businesses:application_decide": Action(
        post=mine(owner=redirect(lambda w, kw: reverse("businesses:applicants", args=[w.published.pk]))),
        kwargs=lambda w: {"pk": w.application.pk, "decision": "shortlist"},
    ),
    # --- Projects
    "projects:browse": Page(get=roles(OK)),
    "projects:detail": (
        Page(get=roles(OK), kwargs=lambda w: {"pk": w.published.pk}),
        Page(get=roles(NOT_FOUND, owner=OK), kwargs=lambda w: {"pk": w.draft.pk}),
    ),
    "projects:report": Form(get=mine(*SIGNED_IN), post=mine(*SIGNED_IN), kwargs=lambda w: {"pk": w.published.pk}),
    "projects:apply": (
        Form(
            get=mine(
                "other_student",
                student=redirect(lambda w, kw: w.application.get_absolute_url()),
                others=redirect(lambda w, kw: w.published.get_absolute_url()),
            ),
            post=mine(
                "other_student",
                student=redirect(lambda w, kw: w.application.get_absolute_url()),
                others=redirect(lambda w, kw: w.published.get_absolute_url()),
            ),
            kwargs=lambda w: {"pk": w.published.pk},
        ),
        # The owner may look at its own draft, but can't apply to it.
        Form(
            get=mine(owner=redirect(lambda w, kw: w.draft.get_absolute_url())),
            post=mine(owner=redirect(lambda w, kw: w.draft.get_absolute_url())),
            kwargs=lambda w: {"pk": w.draft.pk},
        ),
    ),
    "projects:my_applications": Page(get=mine(*SIGNED_IN)),
    "projects:application": Page(get=mine("student"), kwargs=lambda w: {"pk": w.application.pk}),
    "projects:application_withdraw": Form(
        get=mine("student"),
        post=mine(student=redirect(lambda w, kw: w.application.get_absolute_url())),
        kwargs=lambda w: {"pk": w.application.pk},
    ),
    "projects:offer_respond": Action(
        post=mine(student=redirect(lambda w, kw: w.application.get_absolute_url())),
        data={"answer": "accept"},
        kwargs=lambda w: {"pk": w.application.pk},
    ),
    # --- Students
    "students:profile": Page(get=mine("student", "other_student", **OWNERS_TO_DASHBOARD)),
    "students:onboarding": Form(
        get=mine("student", "other_student", **OWNERS_TO_DASHBOARD),
        post=mine("student", "other_student", **OWNERS_TO_DASHBOARD),
    ),
    "students:export": Page(get=mine("student", "other_student", **OWNERS_TO_DASHBOARD)),
    "students:delete": Form(
        get=mine("student", "other_student", **OWNERS_TO_DASHBOARD),
        post=mine("student", "other_student", **OWNERS_TO_DASHBOARD),
    ),
    "students:portfolio": Form(
        get=mine("student", "other_student", **OWNERS_TO_DASHBOARD),
        post=mine(
            student=redirect("students:portfolio"),
            other_student=redirect("students:portfolio"),
            **OWNERS_TO_DASHBOARD,
        ),
    ),
    "students:public_portfolio": (
        Page(get=roles(OK), kwargs=lambda w: {"token": w.profile.portfolio_token}),
        Page(get=roles(NOT_FOUND), kwargs=lambda w: {"token": w.other_profile.portfolio_token}),
    ),
    "students:applicant": Page(get=mine("student", "owner", "staff"), kwargs=lambda w: {"profile_pk": w.profile.pk}),
    "students:resume": Page(get=mine("student", "owner", "staff"), kwargs=lambda w: {"profile_pk": w.profile.pk}),
    # --- Engagements
    "engagements:list": Page(get=mine(*SIGNED_IN)),
    "engagements:detail": Page(get=mine("student", "owner", "staff"), kwargs=lambda w: {"pk": w.engagement.pk}),
    "engagements:hand_in": Form(
        get=mine("student", owner=BACK_TO_ENGAGEMENT, staff=BACK_TO_ENGAGEMENT),
        post=mine("student", owner=BACK_TO_ENGAGEMENT, staff=BACK_TO_ENGAGEMENT),
        kwargs=lambda w: {"pk": w.engagement.pk},
    ),
    "engagements:message": Action(
        post=mine("student", "owner", "staff"),  # an empty message comes back with the page and an error
        kwargs=lambda w: {"pk": w.engagement.pk},
    ),
    # The four confirmations: asked on GET and done on POST by the side whose turn it is, refused with a
    # message for the other side and for staff (who may look at an engagement, never act on it).
    "engagements:complete": (
        Form(get=ON_ENGAGEMENT_REFUSED, post=ON_ENGAGEMENT_REFUSED, kwargs=lambda w: {"pk": w.engagement.pk}),
        Form(
            get=on_engagement_refused(owner=OK),
            post=on_engagement_refused(owner=redirect(lambda w, kw: w.ready.get_absolute_url())),
            kwargs=lambda w: {"pk": w.ready.pk},
        ),
    ),
    "engagements:payment_sent": (
        Form(get=ON_ENGAGEMENT_REFUSED, post=ON_ENGAGEMENT_REFUSED, kwargs=lambda w: {"pk": w.engagement.pk}),
        Form(
            get=on_engagement_refused(owner=OK),
            post=on_engagement_refused(),
            kwargs=lambda w: {"pk": w.unpaid.pk},
        ),
    ),
    "engagements:payment_received": (
        Form(get=ON_ENGAGEMENT_REFUSED, post=ON_ENGAGEMENT_REFUSED, kwargs=lambda w: {"pk": w.engagement.pk}),
        Form(
            get=on_engagement_refused(student=OK),
            post=on_engagement_refused(),
            kwargs=lambda w: {"pk": w.paid.pk},
        ),
    ),
    "engagements:feedback": (
        Form(get=ON_ENGAGEMENT_REFUSED, post=ON_ENGAGEMENT_REFUSED, kwargs=lambda w: {"pk": w.engagement.pk}),
        # An empty POST comes back with the form's errors.
        Form(
            get=on_engagement_refused(student=OK, owner=OK),
            post=on_engagement_refused(student=OK, owner=OK),
            kwargs=lambda w: {"pk": w.unpaid.pk},
        ),
    ),
    "engagements:review": Form(
        get=mine("owner", student=BACK_TO_ENGAGEMENT, staff=BACK_TO_ENGAGEMENT),
        post=mine("owner", student=BACK_TO_ENGAGEMENT, staff=BACK_TO_ENGAGEMENT),
        kwargs=lambda w: {"pk": w.engagement.pk},
    ),
    "engagements:submission_file": Page(
        get=mine("student", "owner", "staff"), kwargs=lambda w: {"pk": w.submission.pk}
    ),
    # --- Notifications
    "notifications:inbox": Page(get=mine(*SIGNED_IN)),
    "notifications:open": Page(
        get=mine(student=redirect(lambda w, kw: w.notification.url)), kwargs=lambda w: {"pk": w.notification.pk}
    ),
    "notifications:mark_all_read": Action(post=mine(**dict.fromkeys(SIGNED_IN, redirect("notifications:inbox")))),
    "notifications:preferences": Form(
        get=mine(*SIGNED_IN),
        post=mine(*SIGNED_IN),  # an empty POST comes back with "nothing was saved"
    ),
    # One-click unsubscribe from an email (RFC 8058): no login and no CSRF token, the signed token is the proof.
    "notifications:unsubscribe": (
        Form(get=roles(OK), post=roles(OK), csrf_exempt=True, kwargs=lambda w: {"token": w.unsubscribe_token}),
        Form(
            get=roles(BAD_REQUEST),
            post=roles(BAD_REQUEST),
            csrf_exempt=True,
            kwargs=lambda w: {"token": w.unsubscribe_token[:-3] + "xyz"},
        ),
    ),
}

# GETs are safe: the matrix fails any GET that writes to the database (sessions aside), except these.
GET_MAY_WRITE = {
    # Opening a notification from the inbox is a plain link (so it can open in a new tab); it marks the
    # viewer's own notification read on the way to its page.
    "notifications:open": {"notifications_notification"},
}

# --- The admin, declared by rule ---------------------------------------------------------------------------
# Every admin page sends anyone who isn't staff to the admin login; staff get the page. Models whose rows
# are an audit trail or are written only by the site itself can't be added (or deleted) by hand.
ADMIN_CANNOT_ADD = {
    "c2c.failedtask",
    "mfa.authenticator",
    "activity.activitylog",
    "engagements.engagement",
    "engagements.message",
    "engagements.feedback",
    "notifications.digest",
    "projects.projectflag",
    "projects.application",
}
ADMIN_CANNOT_DELETE = {
    "activity.activitylog",
    "engagements.engagement",
    "engagements.message",
    "engagements.feedback",
    "notifications.digest",
}
ADMIN_PAGES = {
    "admin:index": Page(get=roles(ADMIN_LOGIN, staff=OK)),
    # The impact report sits inside the admin's login and two-factor rules.
    "reports:impact": Page(get=roles(ADMIN_LOGIN, staff=OK)),
    "reports:figures_csv": Page(get=roles(ADMIN_LOGIN, staff=OK)),
    "reports:monthly_csv": Page(get=roles(ADMIN_LOGIN, staff=OK)),
    # allauth's secure_admin_login: signed-out people log in on the site's page; signed-in non-staff are refused.
    "admin:login": Page(
        get=roles(FORBIDDEN, anonymous=LOGIN, staff=redirect("admin:index")),
    ),
    "admin:logout": Form(
        get=roles(redirect("admin:index"), staff=NOT_ALLOWED),
        post=roles(redirect("admin:index"), staff=OK),
    ),
    "admin:password_change": Page(get=roles(ADMIN_LOGIN, staff=OK)),
    "admin:password_change_done": Page(get=roles(ADMIN_LOGIN, staff=OK)),
    "admin:autocomplete": Page(get=roles(ADMIN_LOGIN, staff=FORBIDDEN)),
    "admin:jsi18n": Page(get=roles(ADMIN_LOGIN, staff=OK)),
    "admin:view_on_site": Page(
        get=roles(ADMIN_LOGIN, staff=redirect(lambda w, kw: w.published.get_absolute_url())),
        kwargs=lambda w: {
            "content_type_id": ContentType.objects.get_for_model(w.published).pk,
            "object_id": w.published.pk,
        },
    ),
    "admin:app_list": Page(get=roles(ADMIN_LOGIN, staff=OK), kwargs=lambda w: {"app_label": "projects"}),
    "admin:auth_user_password_change": Page(get=roles(ADMIN_LOGIN, staff=OK), kwargs=lambda w: {"id": w.student.pk}),
}


def admin_model_page(pattern) -> Page | None:
    """The declaration of a ModelAdmin's generated page, from the model and the kind of page."""
    parts = pattern.route.split("/")
    if len(parts) < 4 or pattern.route.startswith("admin/r/"):
        return None
    try:
        model = apps.get_model(parts[1], parts[2])
    except (LookupError, ValueError):
        return None
    label = model._meta.label_lower
    by_id = pattern.route.endswith(("<path:object_id>/", "<path:object_id>/change/"))
    kwargs = (lambda w: {"object_id": w.admin_object(model).pk}) if "<path:object_id>" in pattern.route else None
    if pattern.name is None and by_id:  # <object_id>/ redirects to <object_id>/change/
        return Page(
            get=roles(
                ADMIN_LOGIN,
                staff=redirect(
                    lambda w, kw: reverse(f"admin:{parts[1]}_{parts[2]}_change", args=[w.admin_object(model).pk])
                ),
            ),
            kwargs=kwargs,
        )
    staff = {
        "changelist": OK,
        "add": FORBIDDEN if label in ADMIN_CANNOT_ADD else OK,
        "change": OK,
        "history": OK,
        "delete": FORBIDDEN if label in ADMIN_CANNOT_DELETE else OK,
    }.get((pattern.name or "").rsplit("_", 1)[-1])
    if staff is None:
        return None
    return Page(get=roles(ADMIN_LOGIN, staff=staff), kwargs=kwargs)


ADMIN_CATCH_ALL = Page(get=roles(ADMIN_LOGIN, staff=NOT_FOUND), kwargs=lambda w: {"url": "no-such-page/"})


# --- The URLconf ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None

    @property
    def id(self) -> str:
        return self.name or self.route


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Pattern(prefix + str(entry.pattern), name)


PATTERNS = list(walk(get_resolver().url_patterns))


def declaration(pattern: Pattern):
    if pattern.name in EXPECTED:
        return EXPECTED[pattern.name]
    if pattern.route.startswith("admin/"):
        if pattern.name in ADMIN_PAGES:
            return ADMIN_PAGES[pattern.name]
        if pattern.route.endswith("(?P<url>.*)$"):
            return ADMIN_CATCH_ALL
        return admin_model_page(pattern)
    return None


# --- The world ---------------------------------------------------------------------------------------------


class World:
    """The people and their objects; built once for the module and rolled back at its end."""

    def admin_object(self, model):
        row = model._default_manager.order_by("pk").first()
        assert row is not None, f"The matrix's world has no {model._meta.label} row: add one in build_world()."
        return row


def build_world() -> World:
    w = World()
    skill = SkillFactory(name="Matrix skill")
    interest = InterestFactory(name="Matrix cause")
    w.profile = StudentProfileFactory(
        user__full_name="Ana Student", portfolio_public=True, discoverable=True, skills=[skill]
    )
    w.profile.resume.save("ana.pdf", ContentFile(pdf_bytes()), save=False)
    w.profile.resume_filename = "Ana CV.pdf"
    w.profile.save()
    w.student = w.profile.user
    w.other_profile = StudentProfileFactory(user__full_name="Ben Other")
    w.other_student = w.other_profile.user

    w.owner = BusinessOwnerFactory()
    business = w.owner.membership.business
    w.published = ProjectFactory(business=business, required_skills=[skill], interests=[interest])
    w.draft = ProjectFactory(business=business, status=ProjectStatus.DRAFT, indexed=False)
    w.application = ApplicationFactory(project=w.published, student=w.student)
    w.engagement = EngagementFactory(project__business=business, application__student=w.student)
    first, second, _ = w.engagement.project.deliverables.order_by("position")
    w.submission = SubmissionFactory(
        engagement=w.engagement, deliverable=first, file=ContentFile(b"plan", name="plan.txt"), filename="plan.txt"
    )
    w.open_deliverable = second
    Message.objects.create(engagement=w.engagement, author=w.student, body="Hello")
    w.ready = EngagementFactory(project__business=business, application__student=w.student)
    accept_all(w.ready)
    w.unpaid = EngagementFactory(completed=True, project__business=business, application__student=w.student)
    w.paid = EngagementFactory(
        completed=True, project__business=business, application__student=w.student, payment_sent_at=timezone.now()
    )

    w.other_owner = BusinessOwnerFactory()
    ProjectFactory(business=w.other_owner.membership.business)
    w.pending_owner = BusinessOwnerFactory(business=BusinessFactory(status=BusinessStatus.PENDING))
    w.staff = StaffFactory()

    w.notification = NotificationFactory(
        recipient=w.student, shown_at=timezone.now(), url=w.application.get_absolute_url()
    )
    w.unsubscribe_token = make_unsubscribe_token(user_id=w.student.pk, kind=ALL_KINDS)
    unverified = EmailAddress.objects.create(user=w.student, email="ana.second@example.org", verified=False)
    w.email_key = EmailConfirmationHMAC(unverified).key

    # One row for every model the admin shows, so its object pages are requested with a real object.
    Feedback.objects.create(
        engagement=EngagementFactory(completed=True, application__student=w.other_student),
        direction=FeedbackDirection.STUDENT_TO_BUSINESS,
        author=w.other_student,
        rating=5,
        comment="Great team.",
    )
    Group.objects.create(name="Moderators")
    PreferenceFactory(user=w.student)
    Digest.objects.create(recipient=w.student, frequency=Frequency.DAILY, item_count=1)
    record_status_change(actor=w.staff, target=business, from_state="pending", to_state=BusinessStatus.APPROVED)
    ProjectFlag.objects.create(
        project=w.published, reporter=w.other_student, reason=FlagReason.OTHER, note="Looks odd."
    )
    ProjectTemplate.objects.create(
        slug="matrix",
        title="Social media month",
        summary="A month of posts.",
        description="Plan and post.",
        deliverables=["Calendar"],
        category=Category.MARKETING,
        duration_weeks=4,
        hours_per_week=10,
        suggested_fee=Decimal("1200"),
    )
    refresh_student(w.profile.pk)
    refresh_project(w.published.pk)
    Invitation.objects.create(project=w.published, student=w.other_profile, invited_by=w.owner)
    Rebuild.objects.create(chunk_size=100, finished_at=timezone.now())
    FailedTask.objects.create(
        task_id="matrix-task", task_name="matching.tasks.refresh_project", error="boom", failed_at=timezone.now()
    )

    people = {
        "staff": w.staff,
        "student": w.student,
        "other_student": w.other_student,
        "owner": w.owner,
        "other_owner": w.other_owner,
        "pending_owner": w.pending_owner,
    }
    browsers = {role: signed_in_client(user) for role, user in people.items()}
    w.cookies = {"anonymous": {}} | {
        role: {name: morsel.value for name, morsel in browser.cookies.items()} for role, browser in browsers.items()
    }
    # One browser for every request (building one is slow); answer() gives it the role's cookies.
    w.browser = Client(enforce_csrf_checks=True)
    # After signing in: the reset token depends on the last login.
    w.reset_uid = user_pk_to_url_str(w.student)
    w.reset_key = default_token_generator.make_token(w.student)
    w.reset_url = reverse("account_reset_password_from_key", kwargs={"uidb36": w.reset_uid, "key": w.reset_key})
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, inside a transaction rolled back after the module; each test adds its own savepoint (`db`)."""
    private = FileSystemStorage(location=tmp_path_factory.mktemp("private"), base_url=None)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with (
        django_db_blocker.unblock(),
        override_settings(
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        ),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(StudentProfile._meta.get_field("resume"), "storage", private)
        patch.setattr(DeliverableSubmission._meta.get_field("file"), "storage", private)
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
    celery_app.conf.task_always_eager = eager


# --- Requests and answers ------------------------------------------------------------------------------------


def answer(world, role, method, path, *, csrf_token: bool, data=None):
    """One request as `role`, with only the role's cookies, in a savepoint rolled back afterwards.

    Returns the response and the tables the request wrote to (sessions aside).
    """
    client = world.browser
    client.cookies = SimpleCookie(world.cookies[role])
    data = dict(data or {})
    if csrf_token:
        client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        data["csrfmiddlewaretoken"] = CSRF_SECRET
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(path, data)
            transaction.set_rollback(True)
    finally:
        cache.clear()
    written = {match[1] for query in queries for match in [WRITE.match(query["sql"])] if match}
    return response, written - {"django_session"}


def mismatch(expected: Outcome, response, path, world, kwargs) -> str | None:
    """None when the response is what was expected, else what came instead."""
    location = response.headers.get("Location", "")
    got = f"{response.status_code}{' → ' + location if location else ''}"
    if response.status_code != expected.status:
        return got
    if expected.login:
        login_url = reverse("admin:login" if expected.login == "admin" else "account_login")
        target = urlsplit(location)
        if target.path != login_url or parse_qs(target.query).get("next") != [path]:
            return got
    elif expected.to is not None:
        target = expected.to(world, kwargs) if callable(expected.to) else reverse(expected.to)
        if urlsplit(location).path != urlsplit(target).path:
            return got
    return None


def check(world, pattern, spec) -> list[str]:
    kwargs = spec.kwargs(world) if spec.kwargs else {}
    path = reverse(pattern.name, kwargs=kwargs) if pattern.name else admin_unnamed_path(pattern, kwargs)
    failures = []

    def expect(role, method, expected, **options):
        what = f"{method.upper()}{' with CSRF token' if options.get('csrf_token') else ''} {path} as {role}"
        try:
            response, written = answer(world, role, method, path, **options)
        except Exception as error:  # reported with the role and the request, so the rest still run
            failures.append(f"{what}: expected {expected}, raised {error!r}")
            return
        problem = mismatch(expected, response, path, world, kwargs)
        if problem:
            failures.append(f"{what}: expected {expected}, got {problem}")
        if method == "get" and written - GET_MAY_WRITE.get(pattern.name, set()):
            failures.append(f"{what}: GET must not change anything, but it wrote to {sorted(written)}")

    data = getattr(spec, "data", {})
    exempt = getattr(spec, "csrf_exempt", False)
    for role in ROLES:
        expect(role, "get", spec.get[role], csrf_token=False)
        if not exempt:
            expect(role, "post", FORBIDDEN, csrf_token=False, data=data)
        if isinstance(spec, Form | Action):
            expect(role, "post", spec.post[role], csrf_token=True, data=data)
    return failures


def admin_unnamed_path(pattern, kwargs) -> str:
    """The URL of an unnamed admin pattern (a ModelAdmin's <object_id>/ redirect, or the catch-all)."""
    if "url" in kwargs:
        return reverse("admin:index") + kwargs["url"]
    return "/" + pattern.route.replace("<path:object_id>", str(kwargs["object_id"]))


@pytest.mark.parametrize("pattern", [pytest.param(p, id=p.id) for p in PATTERNS])
def test_every_url_answers_each_role_as_declared(world, db, pattern):
    spec = declaration(pattern)
    if spec is None:
        pytest.fail(
            f"URL pattern {pattern.route!r} (name {pattern.name!r}) is not declared: add it to EXPECTED in "
            f"{__name__} with what each of {', '.join(ROLES)} gets."
        )
    failures = []
    for variant in spec if isinstance(spec, tuple) else (spec,):
        failures += check(world, pattern, variant)
    assert not failures, "\n".join(failures)


def test_every_declaration_names_a_real_url():
    names = {pattern.name for pattern in PATTERNS}
    stale = (set(EXPECTED) | set(ADMIN_PAGES)) - names
    assert not stale, f"Declared but not in the URLconf (remove them): {sorted(stale)}"
