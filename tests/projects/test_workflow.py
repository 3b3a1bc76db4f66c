from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from businesses.enums import BusinessStatus
from catalogue.models import Skill
from notifications.enums import Kind
from notifications.models import Notification
from projects import services
from projects.enums import FlagStatus, ProjectStatus
from projects.models import Project, ProjectFlag
from tests.factories import BusinessFactory, BusinessOwnerFactory, StaffFactory, UserFactory, sign_in
from tests.helpers import status_changes

pytestmark = pytest.mark.django_db


def terms(**overrides):
    today = timezone.localdate()
    values = {
        "title": "Instagram refresh",
        "summary": "A month of posts.",
        "description": "Plan and create posts for our bakery.",
        "category": "marketing",
        "duration_weeks": 4,
        "hours_per_week": 5,
        "fee": Decimal("400.00"),
        "earliest_start": today + timedelta(days=14),
        "apply_by": today + timedelta(days=7),
        "location_mode": "remote",
        "openings": 1,
    }
    values.update(overrides)
    return values


def make_project(business=None, status=ProjectStatus.DRAFT, **overrides) -> Project:
    business = business or BusinessFactory()
    owner = business.memberships.first().user if business.memberships.exists() else None
    project = services.create_project(
        actor=owner,
        business=business,
        data=terms(**overrides),
        deliverables=["Audit", "Calendar"],
        skills={"required_skills": [Skill.objects.get(slug="social-media-marketing")]},
    )
    if status != ProjectStatus.DRAFT:
        Project.objects.filter(pk=project.pk).update(status=status)
        project.refresh_from_db()
    return project


def form_data(**overrides):
    data = {k: str(v) for k, v in terms().items()}
    data.update(
        deliverables="Audit of current accounts\nFour-week calendar\n\nResults summary",
        required_skills=[str(Skill.objects.get(slug="social-media-marketing").pk)],
        screening_questions="Show us a post you made",
        submit_for_review="1",
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Posting -----------------------------------------------------------------------------------------------


def test_a_template_prefills_the_form(client):
    client.force_login(BusinessOwnerFactory())
    content = client.get(reverse("businesses:project_new"), {"template": "donor-database-analysis"}).content.decode()
    assert 'value="Donor database analysis"' in content
    assert "Cleaned and de-duplicated donor dataset\nAnalysis of giving patterns" in content
    assert 'value="600.00"' in content


@pytest.mark.parametrize("slug", ["no-such-template", "a" * 500, "../donor-database-analysis"])
def test_an_unknown_or_malformed_template_gives_the_blank_form(client, slug):
    client.force_login(BusinessOwnerFactory())

    response = client.get(reverse("businesses:project_new"), {"template": slug})

    assert response.status_code == 200
    assert response.context["template"] is None
    assert not response.context["form"].initial


def test_posting_from_the_form_saves_everything_and_asks_staff_to_review(client, django_capture_on_commit_callbacks):
    owner = BusinessOwnerFactory()
    staff = StaffFactory()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("businesses:project_new"), form_data())

    project = Project.objects.get()
    assert response["Location"] == reverse("businesses:project", args=[project.pk])
    assert project.status == ProjectStatus.SUBMITTED
    assert project.business == owner.membership.business
    assert list(project.deliverables.values_list("title", flat=True)) == [
        "Audit of current accounts",
        "Four-week calendar",
        "Results summary",
    ]
    assert project.screening_questions == ["Show us a post you made"]
    assert "Social media marketing" in project.search_document
    assert Notification.objects.get(recipient=staff).kind == Kind.PROJECT_REVIEW


def test_saving_a_draft_does_not_go_to_review(client):
    client.force_login(BusinessOwnerFactory())
    client.post(reverse("businesses:project_new"), form_data(submit_for_review=None, save_draft="1"))
    assert Project.objects.get().status == ProjectStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"fee": "0"}, "enter a fee above $0"),
        ({"fee": "-50"}, "enter a fee above $0"),
        ({"fee": "200", "duration_weeks": "4", "hours_per_week": "5"}, "Raise the fee to at least $300"),
        ({"duration_weeks": "9"}, "lasts 2 to 8 whole weeks"),
        ({"duration_weeks": "1"}, "lasts 2 to 8 whole weeks"),
        ({"hours_per_week": "41"}, "less than or equal to 40"),
        ({"hours_per_week": "0"}, "greater than or equal to 1"),
        ({"apply_by": "2020-01-01"}, "The apply-by date has passed"),
        ({"earliest_start": str(date.today())}, "can&#x27;t start before applications close"),
        ({"location_mode": "onsite", "city": ""}, "need a city"),
        ({"deliverables": "\n  \n"}, "Add at least one item"),
        ({"required_skills": []}, "This field is required"),
        ({"fee": "lots"}, "Enter a number"),
    ],
)
def test_each_rule_has_a_clear_message_and_the_form_keeps_what_was_typed(client, overrides, message):
    client.force_login(BusinessOwnerFactory())
    response = client.post(reverse("businesses:project_new"), form_data(**overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Instagram refresh"' in content
    assert "Plan and create posts for our bakery." in content
    assert not Project.objects.exists()


@pytest.mark.parametrize("status", [BusinessStatus.PENDING, BusinessStatus.REJECTED, BusinessStatus.SUSPENDED])
def test_a_business_that_is_not_approved_cannot_post_or_publish(client, status):
    business = BusinessFactory(status=status)
    owner = BusinessOwnerFactory(business=business)
    client.force_login(owner)

    response = client.post(reverse("businesses:project_new"), form_data(), follow=True)

    assert "once staff approve it" in response.content.decode()
    assert not Project.objects.exists()
    with pytest.raises(ValidationError, match="only approved partners"):
        make_project(business=business)


def test_a_project_of_a_business_suspended_after_submission_cannot_be_published():
    project = make_project(status=ProjectStatus.SUBMITTED)
    Project.objects.filter(pk=project.pk)
    project.business.status = BusinessStatus.SUSPENDED
    project.business.save()
    with pytest.raises(ValidationError, match="only approved partners"):
        services.transition_project(project=project, to_status=ProjectStatus.PUBLISHED, actor=StaffFactory())


# --- Transitions -------------------------------------------------------------------------------------------

# The moves a project may make, written out from the design rather than read from projects.enums.
ALLOWED_MOVES = {
    ("draft", "submitted"),
    ("draft", "closed"),
    ("submitted", "published"),
    ("submitted", "rejected"),
    ("submitted", "closed"),
    ("rejected", "submitted"),
    ("rejected", "closed"),
    ("published", "in_progress"),
    ("published", "closed"),
    ("published", "submitted"),
    ("in_progress", "completed"),
}
STATES = ["draft", "submitted", "published", "in_progress", "completed", "rejected", "closed"]
ALL_PAIRS = [(a, b) for a in STATES for b in STATES if a != b]


def test_the_states_are_the_designed_ones():
    assert sorted(ProjectStatus.values) == sorted(STATES)


# Who makes each move when it is allowed: staff decide on review, the business sends and closes, the system
# starts the work when the last opening fills.
MOVER = {
    "submitted": "owner",
    "published": "staff",
    "rejected": "staff",
    "closed": "owner",
    "in_progress": "system",
    "completed": "owner",
    "draft": "owner",
}


def mover(kind: str, project: Project):
    return {"staff": StaffFactory, "owner": lambda: BusinessOwnerFactory(business=project.business)}.get(
        kind, lambda: None
    )()


@pytest.mark.parametrize(("from_status", "to_status"), ALL_PAIRS)
def test_only_the_transitions_in_the_design_are_allowed(from_status, to_status):
    project = make_project(status=from_status)
    actor = mover(MOVER[to_status], project)
    before = status_changes(project)
    if (from_status, to_status) in ALLOWED_MOVES:
        services.transition_project(project=project, to_status=to_status, actor=actor, reason="Because")
        project.refresh_from_db()
        assert project.status == to_status
        assert status_changes(project) == [*before, (actor, from_status, to_status, "Because")]
    else:
        with pytest.raises(ValidationError):
            services.transition_project(project=project, to_status=to_status, actor=actor, reason="Because")
        project.refresh_from_db()
        assert project.status == from_status
        assert status_changes(project) == before


def test_rejecting_needs_a_reason_and_the_business_sees_it(django_capture_on_commit_callbacks):
    business = BusinessFactory()
    owner = BusinessOwnerFactory(business=business)
    project = make_project(business=business, status=ProjectStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="Give a reason"):
        services.transition_project(project=project, to_status=ProjectStatus.REJECTED, actor=StaffFactory())

    with django_capture_on_commit_callbacks(execute=True):
        services.transition_project(
            project=project, to_status=ProjectStatus.REJECTED, actor=StaffFactory(), reason="Fee is unclear"
        )
    notice = Notification.objects.get(recipient=owner, kind=Kind.PROJECT_DECISION)
    assert "Fee is unclear" in notice.body


def test_a_rejected_project_can_be_edited_and_resubmitted(client):
    business = BusinessFactory()
    owner = BusinessOwnerFactory(business=business)
    project = make_project(business=business, status=ProjectStatus.REJECTED)
    client.force_login(owner)

    client.post(reverse("businesses:project_edit", args=[project.pk]), form_data(title="Clearer title"))
    client.post(reverse("businesses:project_submit", args=[project.pk]))

    project.refresh_from_db()
    assert (project.title, project.status) == ("Clearer title", ProjectStatus.SUBMITTED)


@pytest.mark.parametrize(
    ("overrides", "back_to_review"),
    [
        ({"fee": "450"}, True),
        ({"hours_per_week": "4"}, True),
        ({"duration_weeks": "5", "fee": "500"}, True),
        ({"deliverables": "Audit of current accounts\nSomething else"}, True),
        ({"title": "A better title", "summary": "Sharper summary"}, False),
    ],
)
def test_material_edits_to_a_published_project_send_it_back_to_review(client, overrides, back_to_review):
    business = BusinessFactory()
    owner = BusinessOwnerFactory(business=business)
    client.force_login(owner)
    client.post(reverse("businesses:project_new"), form_data())
    project = Project.objects.get()
    services.transition_project(project=project, to_status=ProjectStatus.PUBLISHED, actor=StaffFactory())

    response = client.post(reverse("businesses:project_edit", args=[project.pk]), form_data(**overrides), follow=True)

    project.refresh_from_db()
    expected = ProjectStatus.SUBMITTED if back_to_review else ProjectStatus.PUBLISHED
    assert project.status == expected
    assert ("back with staff for review" in response.content.decode()) is back_to_review


def test_projects_past_apply_by_close_and_the_business_is_told(django_capture_on_commit_callbacks):
    business = BusinessFactory()
    owner = BusinessOwnerFactory(business=business)
    expiring = make_project(business=business, status=ProjectStatus.PUBLISHED)
    later = make_project(
        business=business,
        status=ProjectStatus.PUBLISHED,
        apply_by=timezone.localdate() + timedelta(days=30),
        earliest_start=timezone.localdate() + timedelta(days=40),
    )
    draft = make_project(business=business)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.close_expired_projects(today=timezone.localdate() + timedelta(days=8)) == 1

    statuses = {p.pk: p.status for p in Project.objects.all()}
    assert statuses == {
        expiring.pk: ProjectStatus.CLOSED,
        later.pk: ProjectStatus.PUBLISHED,
        draft.pk: ProjectStatus.DRAFT,
    }
    assert (
        Notification.objects.filter(recipient=owner, kind=Kind.PROJECT_DECISION, title__contains="closed").count() == 1
    )


# --- Permissions -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["businesses:project", "businesses:project_edit", "businesses:project_withdraw"])
def test_another_business_cannot_see_or_edit_my_projects(client, name):
    project = make_project()
    client.force_login(BusinessOwnerFactory())
    assert client.get(reverse(name, args=[project.pk])).status_code == 404
    assert client.post(reverse("businesses:project_submit", args=[project.pk])).status_code == 404
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT


def test_students_get_404_on_business_pages(client):
    project = make_project()
    client.force_login(UserFactory())
    assert client.get(reverse("businesses:project", args=[project.pk])).status_code == 404


def test_withdrawing_asks_first_then_closes(client):
    business = BusinessFactory()
    owner = BusinessOwnerFactory(business=business)
    project = make_project(business=business, status=ProjectStatus.PUBLISHED)
    client.force_login(owner)

    confirm = client.get(reverse("businesses:project_withdraw", args=[project.pk]))
    assert "Withdraw and close" in confirm.content.decode()
    project.refresh_from_db()
    assert project.status == ProjectStatus.PUBLISHED

    client.post(reverse("businesses:project_withdraw", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED


def test_dashboard_lists_my_projects_only(client):
    business = BusinessFactory()
    owner = BusinessOwnerFactory(business=business)
    make_project(business=business, title="Mine")
    make_project(title="Not mine")
    client.force_login(owner)
    content = client.get(reverse("businesses:dashboard")).content.decode()
    assert "Mine" in content and "Not mine" not in content


def test_dashboard_says_how_many_applicants_and_how_many_wait_in_words(client):
    from tests.projects.factories import ApplicationFactory, ProjectFactory

    owner = BusinessOwnerFactory()
    one = ProjectFactory(business=owner.membership.business, title="One applicant")
    ApplicationFactory(project=one)
    three = ProjectFactory(business=owner.membership.business, title="Three applicants")
    ApplicationFactory(project=three)
    for status in ("declined", "withdrawn"):
        ApplicationFactory(project=three, status=status)
    ProjectFactory(business=owner.membership.business, title="No applicants")
    client.force_login(owner)

    content = client.get(reverse("businesses:dashboard")).content.decode()
    assert ">1 applicant, 1 waiting</a>" in content
    assert ">3 applicants, 1 waiting</a>" in content
    assert "None yet" in content


# --- Admin review queue and reports ------------------------------------------------------------------------


def test_review_queue_is_oldest_first_and_approving_publishes(client):
    first = make_project(title="Older", status=ProjectStatus.SUBMITTED)
    second = make_project(title="Newer", status=ProjectStatus.SUBMITTED)
    Project.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    Project.objects.filter(pk=second.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    sign_in(client, StaffFactory())
    url = reverse("admin:projects_project_changelist")

    queue = client.get(url, {"queue": "review"}).content.decode()
    assert queue.index("Older") < queue.index("Newer")

    client.post(url, {"action": "action_published", "_selected_action": [first.pk], "apply": "1", "reason": ""})
    first.refresh_from_db()
    assert first.status == ProjectStatus.PUBLISHED
    assert first.published_at is not None


def test_staff_unpublish_a_reported_project_and_resolve_every_open_report(client):
    project = make_project(status=ProjectStatus.PUBLISHED)
    flags = [
        services.report_project(actor=UserFactory(), project=project, reason="scam", note="Asks for bank details")
        for _ in range(2)
    ]
    sign_in(client, StaffFactory())

    client.post(
        reverse("admin:projects_projectflag_changelist"),
        {
            "action": "action_unpublished_and_resolved",
            "_selected_action": [flags[0].pk],
            "apply": "1",
            "reason": "Asked students for bank details",
        },
    )

    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert project.status_reason == "Asked students for bank details"
    assert set(ProjectFlag.objects.values_list("status", flat=True)) == {FlagStatus.RESOLVED}


def test_only_published_projects_can_be_reported_and_only_once_per_person():
    reporter = UserFactory()
    with pytest.raises(ValidationError, match="Only published"):
        services.report_project(actor=reporter, project=make_project(), reason="scam")
    project = make_project(status=ProjectStatus.PUBLISHED)
    services.report_project(actor=reporter, project=project, reason="unpaid")
    with pytest.raises(ValidationError, match="already reported"):
        services.report_project(actor=reporter, project=project, reason="unpaid")
