"""Random and malicious input against every public form and query string, with Hypothesis.

Each test starts from values a real person would send and lets Hypothesis replace any of them with
something hostile: huge strings, control characters (NUL included), right-to-left marks, emoji, NaN,
infinities, negative and enormous numbers, impossible dates, repeated parameters, extra fields. Whatever
arrives, the answer is a page or a form with errors, never a 500; and the database holds either nothing
new or exactly what one successful submission makes, never part of it.

Every example runs in its own savepoint, rolled back at its end (`isolated_example`), so the counts taken
before a request belong to that example alone. The tests' function-scoped fixtures are built once and
shared by the examples, which is safe because no example outlives its savepoint.
"""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from urllib.parse import quote, urlencode

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.enums import Role
from accounts.models import User
from businesses.enums import BusinessStatus
from businesses.models import Business, Membership
from c2c.money import usd
from catalogue.models import Skill
from engagements.enums import SubmissionStatus
from engagements.models import DeliverableSubmission, Feedback, Message
from notifications.enums import Frequency
from notifications.models import NotificationPreference
from projects.enums import FlagReason
from projects.models import Application, Deliverable, Project, ProjectFlag
from students.models import AvailabilityWindow, StudentProfile, StudentSkill
from tests.engagements.factories import EngagementFactory, SubmissionFactory
from tests.factories import PASSWORD, BusinessOwnerFactory
from tests.helpers import availability_data, isolated_example, registration_data, signed_in_client
from tests.projects.factories import ApplicationFactory, ProjectFactory
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db

# The fixtures (a signed-in client, its user) are shared by the examples on purpose: see the module docstring.
per_example = hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TODAY = timezone.localdate()

# --- Strategies ------------------------------------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    "\u202eevil.exe",  # right-to-left override
    "\u200f\u200e",  # right-to-left and left-to-right marks
    "\ufeff",
    "Z\u0351\u0358\u0319a\u0336\u035d\u031bl\u0337\u0313g\u0338o",
    "👩🏽‍💻🚀",
    "NaN",
    "nan",
    "sNaN",
    "Infinity",
    "-inf",
    "1e309",
    "-1",
    "-0",
    "0",
    "0.000001",
    "9" * 400,
    "0x1F",
    "1_000",
    "٣",  # an Arabic-Indic digit
    "１２",  # full-width digits
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "%00",
    "../../etc/passwd",
    "\r\n\t",
]

hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),
    st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=4), st.integers(500, 20_000)),
)
hostile_number = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
hostile_date = st.one_of(st.dates().map(date.isoformat), st.dates().map(lambda d: d.strftime("%d/%m/%Y")))
hostile_value = st.one_of(hostile_text, hostile_number, hostile_date)
# A list is sent as the same parameter repeated.
hostile_param = st.one_of(hostile_value, st.lists(hostile_value, min_size=2, max_size=3))

# Fields nobody should be able to set, sent anyway.
EXTRA_FIELDS = ["is_staff", "is_superuser", "status", "role", "business", "user", "student", "pk", "id"]


def changes(fields) -> st.SearchStrategy:
    """Some of `fields` (and extra ones) replaced by hostile values, or dropped (None)."""
    return st.dictionaries(
        st.sampled_from([*fields, *EXTRA_FIELDS]), st.one_of(st.none(), hostile_param), max_size=len(fields)
    )


def apply(data: dict, changed: dict) -> dict:
    data = data | changed
    return {key: value for key, value in data.items() if value is not None}


def last(value):
    """What a form field reads from a parameter sent more than once: the last value."""
    return value[-1] if isinstance(value, list) else value


def submit(client, url, data):
    """POST as a browser does: every form on the site sends its CSRF token field (checks are off in these tests)."""
    return client.post(url, {**data, "csrfmiddlewaretoken": "not-checked"})


@pytest.fixture
def fast_hashing(settings):
    """Password hashing at full strength costs half a second an example; its strength isn't under test here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- What the answers must be ----------------------------------------------------------------------------


def answers_for(query: dict, ok: set[int]) -> set[int]:
    """What a GET with `query` may answer: no real link carries a NUL, so one that does gets the 400 page."""
    return {400} if "%00" in urlencode(query, doseq=True) else ok


def counts(*models) -> tuple:
    return tuple(model.objects.count() for model in models)


def assert_form_with_errors(response):
    assert response.status_code == 200
    form, formset = response.context["form"], response.context.get("formset")
    has_errors = bool(form.errors) or bool(formset and (formset.non_form_errors() or any(formset.errors)))
    assert has_errors, "a 200 answer to a POST must be the form with its errors"


def clean_text(value: str) -> bool:
    """What a text column may hold after validation: no NUL (Postgres refuses it)."""
    return "\x00" not in value


# --- Partner registration ----------------------------------------------------------------------------------

REGISTRATION = registration_data(description="A family bakery.")


@per_example
@given(changed=changes(REGISTRATION))
def test_partner_registration_answers_a_page_and_saves_all_or_nothing(client, fast_hashing, changed):
    with isolated_example():
        before = counts(User, Business, Membership)

        response = submit(client, reverse("businesses:register"), apply(REGISTRATION, changed))

        if response.status_code == 302:
            assert counts(User, Business, Membership) == tuple(n + 1 for n in before)
            business = Business.objects.latest("pk")
            owner = business.memberships.get().user
            assert business.status == BusinessStatus.PENDING
            assert business.agreed_to_pay_students and business.agreed_to_terms
            assert owner.role == Role.BUSINESS and not owner.is_staff and not owner.is_superuser
            assert all(clean_text(getattr(business, name)) for name in ["name", "city", "description"])
        else:
            assert_form_with_errors(response)
            assert counts(User, Business, Membership) == before


# --- Sign-up (allauth with our form) -----------------------------------------------------------------------

SIGNUP = {"full_name": "Ana Lopez", "email": "ana@example.org", "role": "student", "password1": PASSWORD}
signup_changes = changes([*SIGNUP, "password2"]) | st.fixed_dictionaries(
    {"role": st.sampled_from(["staff", "business", "STUDENT", "admin"])}
)


@per_example
@given(changed=signup_changes)
def test_signup_answers_a_page_and_never_makes_staff(client, fast_hashing, changed):
    data = apply(SIGNUP | {"password2": PASSWORD}, changed)
    with isolated_example():
        before = counts(User, EmailAddress)

        response = submit(client, reverse("account_signup"), data)

        if response.status_code == 302:
            assert counts(User, EmailAddress) == tuple(n + 1 for n in before)
            user = User.objects.latest("pk")
            assert user.role in {Role.STUDENT, Role.BUSINESS}
            assert not user.is_staff and not user.is_superuser
            assert clean_text(user.full_name) and clean_text(user.email)
        else:
            assert_form_with_errors(response)
            assert counts(User, EmailAddress) == before


# --- The student's profile steps ---------------------------------------------------------------------------


@pytest.fixture
def student_client(client):
    profile = StudentProfileFactory(user__full_name="Ana Lopez")
    client.force_login(profile.user)
    client.profile = profile
    return client


def profile_state(profile) -> tuple:
    """Everything the profile steps can change, to compare before and after."""
    row = StudentProfile.objects.filter(pk=profile.pk).values().get()
    row.pop("updated_at")
    return (
        row,
        sorted(StudentSkill.objects.filter(profile=profile).values_list("skill_id", "level")),
        sorted(profile.interests.values_list("pk", flat=True)),
        sorted(AvailabilityWindow.objects.filter(profile=profile).values_list("starts_on", "ends_on")),
    )


def post_step(client, step, data):
    return submit(client, f"{reverse('students:onboarding')}?step={step}", data)


def assert_saved_or_unchanged(response, profile, before):
    if response.status_code == 302:
        return True
    assert_form_with_errors(response)
    assert profile_state(profile) == before
    return False


SCHOOL = {
    "school": "Sinclair Community College",
    "school_type": "community_college",
    "programme": "Accounting",
    "graduation_year": str(TODAY.year + 1),
    "bio": "I work weekends.",
}


@per_example
@given(changed=changes(SCHOOL))
def test_school_step_answers_a_page_and_saves_all_or_nothing(student_client, changed):
    profile = student_client.profile
    with isolated_example():
        before = profile_state(profile)

        response = post_step(student_client, "school", apply(SCHOOL, changed))

        if assert_saved_or_unchanged(response, profile, before):
            profile.refresh_from_db()
            assert profile.school.strip() and profile.school_type
            assert profile.graduation_year is None or TODAY.year - 2 <= profile.graduation_year <= TODAY.year + 8
            assert all(clean_text(value) for value in (profile.school, profile.programme, profile.bio))


@per_example
@given(step=st.sampled_from(["skills", "interests"]), data=st.data())
def test_skills_and_interests_steps_answer_a_page_and_save_all_or_nothing(student_client, step, data):
    profile = student_client.profile
    skill_ids = list(Skill.objects.values_list("pk", flat=True)[:5])
    if step == "skills":
        fields = [f"skill_{pk}" for pk in skill_ids]
        posted = data.draw(
            st.dictionaries(
                st.sampled_from([*fields, "skill_0", "skill_-1", "skill_x"]),
                st.one_of(st.sampled_from(["beginner", "intermediate", "advanced", ""]), hostile_param),
            )
        )
    else:
        posted = data.draw(
            st.dictionaries(
                st.sampled_from(["industries", "causes"]),
                st.lists(st.one_of(st.integers(-5, 10**20).map(str), hostile_value), max_size=4),
            )
        )
    with isolated_example():
        before = profile_state(profile)

        response = post_step(student_client, step, posted)

        if assert_saved_or_unchanged(response, profile, before):
            after = profile_state(profile)
            assert after[1] if step == "skills" else after[2], "a saved step lists at least one choice"


AVAILABILITY_FIELDS = [
    "hours_per_week",
    "location_preference",
    "city",
    "state",
    "windows-TOTAL_FORMS",
    "windows-INITIAL_FORMS",
    "windows-MAX_NUM_FORMS",
    "windows-0-starts_on",
    "windows-0-ends_on",
    "windows-0-DELETE",
    "windows-1-starts_on",
    "windows-1-ends_on",
    "add_window",
]


@per_example
@given(
    windows=st.lists(st.tuples(hostile_date, hostile_date), max_size=3),
    changed=changes(AVAILABILITY_FIELDS),
)
@example(windows=[], changed={"windows-TOTAL_FORMS": " ", "add_window": ""})  # was a 500: int(" ")
def test_availability_step_answers_a_page_and_saves_all_or_nothing(student_client, windows, changed):
    profile = student_client.profile
    usual = [(TODAY.isoformat(), (TODAY + timedelta(days=90)).isoformat())]
    with isolated_example():
        before = profile_state(profile)

        response = post_step(student_client, "availability", apply(availability_data(windows or usual), changed))

        if response.status_code == 200 and "add_window" in changed and changed["add_window"] is not None:
            assert profile_state(profile) == before  # "add dates" only shows one more row
        elif assert_saved_or_unchanged(response, profile, before):
            profile.refresh_from_db()
            assert 1 <= profile.hours_per_week <= 40
            saved = list(profile.availability.order_by("starts_on"))
            assert saved and all(window.starts_on <= window.ends_on for window in saved)
            assert all(earlier.ends_on < later.starts_on for earlier, later in pairwise(saved))


LINKS = {"portfolio_url": "https://ana.example.org", "linkedin_url": "", "github_url": "https://github.com/ana"}


@per_example
@given(changed=changes([*LINKS, "discoverable", "portfolio_public"]))
def test_links_step_answers_a_page_and_saves_all_or_nothing(student_client, changed):
    profile = student_client.profile
    with isolated_example():
        before = profile_state(profile)

        response = post_step(student_client, "links", apply(LINKS, changed))

        if assert_saved_or_unchanged(response, profile, before):
            profile.refresh_from_db()
            for url in (profile.portfolio_url, profile.linkedin_url, profile.github_url):
                assert url == "" or (url.startswith(("http://", "https://")) and clean_text(url))


@per_example
@given(step=hostile_param)
def test_the_step_parameter_answers_a_page(student_client, step):
    with isolated_example():
        response = student_client.get(reverse("students:onboarding"), {"step": step})

        assert response.status_code in answers_for({"step": step}, {200, 302})


# --- The project form --------------------------------------------------------------------------------------


@pytest.fixture
def owner_client(client):
    client.force_login(BusinessOwnerFactory())
    return client


def project_form():
    return {
        "title": "Instagram refresh",
        "summary": "A month of posts.",
        "description": "Plan and create posts for our bakery.",
        "category": "marketing",
        "deliverables": "Audit\nCalendar",
        "required_skills": [str(Skill.objects.get(slug="social-media-marketing").pk)],
        "duration_weeks": "4",
        "hours_per_week": "5",
        "fee": "400.00",
        "earliest_start": (TODAY + timedelta(days=14)).isoformat(),
        "apply_by": (TODAY + timedelta(days=7)).isoformat(),
        "location_mode": "remote",
        "openings": "1",
        "screening_questions": "Show us a post you made",
    }


PROJECT_FIELDS = [
    "title",
    "summary",
    "description",
    "category",
    "deliverables",
    "required_skills",
    "nice_to_have_skills",
    "interests",
    "duration_weeks",
    "hours_per_week",
    "fee",
    "earliest_start",
    "apply_by",
    "location_mode",
    "city",
    "state",
    "openings",
    "screening_questions",
    "submit_for_review",
]


@per_example
@given(changed=changes(PROJECT_FIELDS), template=st.one_of(st.none(), hostile_text))
@example(changed={}, template="\x00")  # was a 500: the NUL reached Postgres
def test_project_form_answers_a_page_and_saves_all_or_nothing(owner_client, changed, template):
    url = reverse("businesses:project_new")
    if template is not None:
        url += "?" + urlencode({"template": template})
    with isolated_example():
        before = counts(Project, Deliverable)

        if answers_for({"template": template or ""}, {200}) == {400}:
            assert owner_client.get(url).status_code == 400
            return
        assert owner_client.get(url).status_code == 200
        response = submit(owner_client, url, apply(project_form(), changed))

        if response.status_code == 302:
            assert counts(Project, Deliverable)[0] == before[0] + 1
            project = Project.objects.latest("pk")
            assert project.fee.is_finite() and project.fee > 0
            assert 2 <= project.duration_weeks <= 8 and 1 <= project.hours_per_week <= 40
            assert project.hourly_rate >= settings.C2C_MIN_HOURLY_RATE
            assert 1 <= project.openings <= 20
            assert 1 <= project.deliverables.count() <= 12
            assert clean_text(project.title) and clean_text(project.description)
        else:
            assert_form_with_errors(response)
            assert counts(Project, Deliverable) == before


# --- Search and filters, and every other query string -------------------------------------------------------

SEARCH_KEYS = [
    "q",
    "sort",
    "skills",
    "category",
    "location_mode",
    "min_weeks",
    "max_weeks",
    "max_hours",
    "min_pay",
    "starts_after",
    "starts_before",
    "page",
]


@pytest.fixture
def browsers(client):
    """Someone signed out, and a student (who may also sort by best match)."""
    ProjectFactory(title="Instagram launch", fee=Decimal("900"))
    ProjectFactory(title="Donor list clean-up", duration_weeks=6)
    return {"anonymous": client, "student": signed_in_client(StudentProfileFactory().user)}


@per_example
@given(
    query=st.dictionaries(st.sampled_from([*SEARCH_KEYS, "utm_source", "page[]"]), hostile_param, max_size=8),
    who=st.sampled_from(["anonymous", "student"]),
)
def test_browse_answers_a_page_for_any_query_string(browsers, query, who):
    with isolated_example():
        response = browsers[who].get(reverse("projects:browse"), query)

        assert response.status_code in answers_for(query, {200})
        assert response.content.count(b"<h1") == 1


@per_example
@given(
    name=st.sampled_from(["projects:my_applications", "engagements:list", "notifications:inbox"]), page=hostile_param
)
def test_list_pages_answer_a_page_for_any_page_number(student_client, name, page):
    with isolated_example():
        assert student_client.get(reverse(name), {"page": page}).status_code in answers_for({"page": page}, {200})


# --- Apply -------------------------------------------------------------------------------------------------


@pytest.fixture
def applicant(client):
    project = ProjectFactory(screening_questions=["Why this project?", "Which tools do you use?"])
    student = StudentProfileFactory().user
    client.force_login(student)
    return client, project


APPLICATION = {
    "cover_note": "I ran our club's Instagram.",
    "confirmed_availability": "on",
    "answer_0": "It fits my week.",
    "answer_1": "Canva.",
}


@per_example
@given(changed=changes([*APPLICATION, "answer_2"]))
def test_apply_answers_a_page_and_saves_all_or_nothing(applicant, changed):
    client, project = applicant
    data = apply(APPLICATION, changed)
    with isolated_example():
        response = submit(client, reverse("projects:apply", args=[project.pk]), data)

        if response.status_code == 302:
            application = Application.objects.get(project=project)
            assert application.cover_note == last(data["cover_note"]).strip()
            assert len(application.answers) == 2 and all(clean_text(answer) for answer in application.answers)
        else:
            assert_form_with_errors(response)
            assert not Application.objects.filter(project=project).exists()


# --- Engagement messages and feedback ----------------------------------------------------------------------


@pytest.fixture
def on_engagement(client):
    """The student's browser on an engagement in progress."""
    engagement = EngagementFactory()
    client.force_login(engagement.student)
    return client, engagement


@pytest.fixture
def after_engagement(client):
    """The student's browser on a completed engagement."""
    engagement = EngagementFactory(completed=True)
    client.force_login(engagement.student)
    return client, engagement


@per_example
@given(body=st.one_of(st.none(), hostile_param), extra=changes(["author", "engagement"]))
def test_a_message_is_sent_whole_or_not_at_all(on_engagement, body, extra):
    client, engagement = on_engagement
    data = apply({"body": body} if body is not None else {}, extra)
    with isolated_example():
        response = submit(client, reverse("engagements:message", args=[engagement.pk]), data)

        if response.status_code == 302:
            message = Message.objects.get(engagement=engagement)
            assert message.body == last(data["body"]).strip() and message.author == engagement.student
        else:
            assert response.status_code == 200
            assert response.context["message_form"].errors
            assert not Message.objects.filter(engagement=engagement).exists()


FEEDBACK = {"rating": "4", "comment": "Clear brief, kind team."}


@per_example
@given(changed=changes([*FEEDBACK, "is_reference", "direction"]))
def test_feedback_is_saved_whole_or_not_at_all(after_engagement, changed):
    client, engagement = after_engagement
    with isolated_example():
        response = submit(client, reverse("engagements:feedback", args=[engagement.pk]), apply(FEEDBACK, changed))

        if response.status_code == 302:
            feedback = Feedback.objects.get(engagement=engagement)
            assert 1 <= feedback.rating <= 5
            assert not feedback.is_reference, "only the business offers a reference"
            assert clean_text(feedback.comment)
        else:
            assert_form_with_errors(response)
            assert not Feedback.objects.filter(engagement=engagement).exists()


# --- Hand-ins, reviews, decisions and reports ---------------------------------------------------------------


@pytest.fixture
def owner_of(client):
    """The business owner's browser on an engagement with one hand-in waiting for review."""
    engagement = EngagementFactory()
    submission = SubmissionFactory(engagement=engagement)
    client.force_login(BusinessOwnerFactory(business=engagement.business))
    return client, submission


@per_example
@given(changed=changes(["link", "note"]))
def test_a_hand_in_is_saved_whole_or_not_at_all(on_engagement, changed):
    client, engagement = on_engagement
    deliverable = engagement.project.deliverables.order_by("position").first()
    url = reverse("engagements:hand_in", args=[engagement.pk])
    fields = {f"link_{deliverable.pk}": "https://docs.example.org/plan", f"note_{deliverable.pk}": "Done."}
    changed = {f"{name}_{deliverable.pk}": value for name, value in changed.items()}
    with isolated_example():
        before = counts(DeliverableSubmission)

        response = submit(client, url, apply(fields, changed))

        if response.status_code == 302:
            handed_in = DeliverableSubmission.objects.get(engagement=engagement)
            assert handed_in.link.startswith(("http://", "https://")) and clean_text(handed_in.link)
            assert clean_text(handed_in.note)
        else:
            assert_form_with_errors(response)
            assert counts(DeliverableSubmission) == before


@per_example
@given(changed=changes(["decision", "note"]))
def test_a_review_is_saved_whole_or_not_at_all(owner_of, changed):
    client, submission = owner_of
    fields = {f"decision_{submission.pk}": "changes", f"note_{submission.pk}": "Add the March figures."}
    data = apply(fields, {f"{name}_{submission.pk}": value for name, value in changed.items()})
    with isolated_example():
        response = submit(client, reverse("engagements:review", args=[submission.engagement_id]), data)

        submission.refresh_from_db()
        if response.status_code == 302:
            assert submission.status in {SubmissionStatus.ACCEPTED, SubmissionStatus.CHANGES_REQUESTED}
            assert submission.reviewed_at is not None and clean_text(submission.review_note)
        else:
            assert_form_with_errors(response)
            assert submission.status == SubmissionStatus.SUBMITTED and submission.reviewed_at is None


@pytest.fixture
def applied(client):
    """The business owner's browser, and an application waiting for its answer."""
    application = ApplicationFactory()
    client.force_login(BusinessOwnerFactory(business=application.project.business))
    return client, application


@per_example
@given(decision=st.one_of(st.sampled_from(["shortlist", "decline"]), hostile_text), message=hostile_param)
def test_a_decision_on_an_application_is_taken_whole_or_not_at_all(applied, decision, message):
    owner_client, application = applied
    url = f"/businesses/applications/{application.pk}/{quote(decision, safe='')}/"
    with isolated_example():
        response = submit(owner_client, url, {"message": message})

        application.refresh_from_db()
        if response.status_code == 302:
            assert application.status in {"submitted", "shortlisted", "declined", "offered"}
            assert clean_text(application.status_message)
        else:
            assert response.status_code == (400 if "\x00" in decision else 404)  # not a decision
            assert application.status == "submitted"


@per_example
@given(changed=changes(["message", "proposed_start"]))
def test_an_offer_is_made_whole_or_not_at_all(applied, changed):
    owner_client, application = applied
    url = reverse("businesses:make_offer", args=[application.pk])
    with isolated_example():
        response = submit(owner_client, url, apply({"message": "We'd love to have you."}, changed))

        application.refresh_from_db()
        if response.status_code == 302:
            assert application.status == "offered" and application.offer_expires_at is not None
            assert clean_text(application.status_message)
        else:
            assert_form_with_errors(response)
            assert application.status == "submitted" and application.offer_expires_at is None


@per_example
@given(changed=changes(["reason", "note"]))
def test_a_report_is_saved_whole_or_not_at_all(applicant, changed):
    client, project = applicant
    with isolated_example():
        response = submit(client, reverse("projects:report", args=[project.pk]), apply({"reason": "scam"}, changed))

        if response.status_code == 302:
            flag = ProjectFlag.objects.get(project=project)
            assert flag.reason in FlagReason.values and clean_text(flag.note)
        else:
            assert_form_with_errors(response)
            assert not ProjectFlag.objects.filter(project=project).exists()


# --- Signing in and notification preferences -----------------------------------------------------------------


@per_example
@given(changed=changes(["login", "password", "remember", "email"]))
def test_login_and_password_reset_answer_a_page(client, fast_hashing, changed):
    with isolated_example():
        login = submit(client, reverse("account_login"), apply({"login": "ana@example.org", "password": "x"}, changed))
        reset = submit(client, reverse("account_reset_password"), apply({"email": "ana@example.org"}, changed))

        assert login.status_code in {200, 302}
        assert reset.status_code in {200, 302}
        assert "_auth_user_id" not in client.session


@per_example
@given(
    posted=st.dictionaries(
        st.sampled_from(["new_match__email", "new_match__in_app", "account__in_app", "x__y"]), hostile_param
    )
)
def test_notification_preferences_are_saved_whole_or_not_at_all(student_client, posted):
    user = student_client.profile.user
    with isolated_example():
        before = sorted(NotificationPreference.objects.filter(user=user).values_list("kind", "channel", "frequency"))

        response = submit(student_client, reverse("notifications:preferences"), posted)

        after = sorted(NotificationPreference.objects.filter(user=user).values_list("kind", "channel", "frequency"))
        if response.status_code == 302:
            assert all(frequency in Frequency.values for _, _, frequency in after)
        else:
            assert_form_with_errors(response)
            assert after == before


# --- Links with tokens -------------------------------------------------------------------------------------


@per_example
@given(token=hostile_text)
@example(token="\x00")  # the public portfolio link was a 500: the NUL reached Postgres
def test_links_with_tokens_answer_a_page_whatever_the_token(client, token):
    segment = quote(token, safe="")
    links = [
        f"/students/portfolio/{segment}/",
        f"/notifications/unsubscribe/{segment}/",
        f"/accounts/confirm-email/{segment}/",
        f"/accounts/password/reset/key/1-{segment}/",
    ]
    with isolated_example():
        for link in links:
            assert client.get(link).status_code in {200, 302, 400, 404}, link
        assert client.post(links[1]).status_code in {200, 400, 404}, "one-click unsubscribe"


# --- Money --------------------------------------------------------------------------------------------------


@given(value=st.one_of(st.decimals(allow_nan=True, allow_infinity=True), st.floats(), st.integers(), hostile_text))
def test_usd_always_answers_text(value):
    shown = usd(value)

    assert isinstance(shown, str)
    if isinstance(value, int | float | Decimal) and Decimal(value).is_finite() and abs(value) < 10**90:
        assert shown.lstrip("-").startswith("$")
