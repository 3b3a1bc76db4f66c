"""Stored matches: what refreshes and rebuilds write, who gets told, and that nothing runs twice."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.core.management import call_command
from django.utils import timezone

from matching import rebuild as full_rebuild
from matching import scheduling, services, tasks
from matching.enums import RebuildSide
from matching.facts import load_projects, load_students
from matching.models import PendingRefresh, RebuildChunk, RecommendedProject, RecommendedStudent, StrongMatchNotice
from matching.scoring import Weights, score_pair
from notifications.enums import Kind
from notifications.models import Notification
from projects.enums import ProjectStatus
from projects.models import Project
from projects.services import transition_project
from students import services as student_services
from students.models import StudentProfile
from tests.factories import StaffFactory
from tests.notifications.broker import broker_down
from tests.projects.factories import ProjectFactory, SkillFactory
from tests.students.factories import StudentProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def design():
    return SkillFactory(name="Graphic design")


def stored(model=RecommendedProject, **filters):
    return list(
        model.objects.filter(**filters).order_by("-score", "pk").values_list("project_id", "student_id", "score")
    )


def test_a_students_refresh_stores_their_recommended_projects_with_the_reasons_of_the_score(design):
    profile = StudentProfileFactory(skills=[(design, "advanced")], hours_per_week=15)
    fits = ProjectFactory(required_skills=[design], hours_per_week=10)
    too_many_hours = ProjectFactory(required_skills=[design], hours_per_week=20)
    draft = ProjectFactory(status=ProjectStatus.DRAFT)

    services.refresh_student(profile.pk)

    [row] = RecommendedProject.objects.filter(student=profile)
    assert row.project == fits
    [student_facts] = load_students(StudentProfile.objects.filter(pk=profile.pk))
    [project_facts] = load_projects(Project.objects.filter(pk=fits.pk))
    expected = score_pair(student_facts, project_facts, Weights.from_settings())
    assert (row.score, row.reasons) == (expected.score, expected.reasons)
    assert row.reasons["met"] == [[design.pk, "advanced"]]
    assert not RecommendedProject.objects.filter(project__in=[too_many_hours, draft]).exists()


def test_running_a_refresh_twice_changes_nothing(design):
    profile = StudentProfileFactory(skills=[design], discoverable=True)
    ProjectFactory.create_batch(3, required_skills=[design])
    services.refresh_student(profile.pk)
    before = list(RecommendedProject.objects.values_list("pk", "score", "reasons", "computed_at").order_by("pk"))
    their_lists = list(RecommendedStudent.objects.values_list("pk", "score", "computed_at").order_by("pk"))

    services.refresh_student(profile.pk)

    assert (
        list(RecommendedProject.objects.values_list("pk", "score", "reasons", "computed_at").order_by("pk")) == before
    )
    assert list(RecommendedStudent.objects.values_list("pk", "score", "computed_at").order_by("pk")) == their_lists
    assert len(before) == 3


def test_only_discoverable_students_reach_a_projects_list(design):
    shy = StudentProfileFactory(skills=[design], discoverable=False)
    open_to_offers = StudentProfileFactory(skills=[design], discoverable=True)
    project = ProjectFactory(required_skills=[design])

    services.refresh_project(project.pk)

    assert [row[1] for row in stored(RecommendedStudent, project=project)] == [open_to_offers.pk]
    # The shy student still gets the project recommended to them.
    assert RecommendedProject.objects.filter(student=shy, project=project).exists()


def test_lists_keep_the_top_n_with_ties_going_to_the_newer_project(settings, design):
    settings.C2C_MATCH_TOP_N = 2
    profile = StudentProfileFactory(skills=[design])
    _older, middle, newer = ProjectFactory.create_batch(3, required_skills=[design])
    weaker = ProjectFactory(required_skills=[design, SkillFactory(name="Photography")])

    services.refresh_student(profile.pk)

    assert [row[0] for row in stored(student=profile)] == [newer.pk, middle.pk]
    assert weaker.pk not in [row[0] for row in stored(student=profile)]


def test_a_newly_published_project_joins_full_lists_only_when_it_reaches_their_cutoff(settings, design):
    settings.C2C_MATCH_TOP_N = 1
    photo = SkillFactory(name="Photography")
    profile = StudentProfileFactory(skills=[design])
    ProjectFactory(required_skills=[design])
    services.refresh_student(profile.pk)  # the list is full at 100
    worse = ProjectFactory(required_skills=[design, photo])
    as_good = ProjectFactory(required_skills=[design])

    services.refresh_project(worse.pk)
    services.refresh_project(as_good.pk)

    listed = [row[0] for row in stored(student=profile)]
    assert as_good.pk in listed
    assert worse.pk not in listed


def test_a_project_that_closes_leaves_every_list_at_once(design):
    profile = StudentProfileFactory(skills=[design], discoverable=True)
    project = ProjectFactory(required_skills=[design])
    services.refresh_project(project.pk)
    assert RecommendedProject.objects.filter(project=project).exists()

    transition_project(project=project, to_status=ProjectStatus.CLOSED, actor=StaffFactory(), reason="Filled offline")

    assert not RecommendedProject.objects.filter(project=project).exists()
    assert not RecommendedStudent.objects.filter(project=project).exists()
    assert not RecommendedProject.objects.filter(student=profile).exists()


def test_a_strong_match_is_told_once_per_pair_ever(settings, design, django_capture_on_commit_callbacks):
    settings.C2C_MATCH_NOTIFY_THRESHOLD = 75
    strong = StudentProfileFactory(skills=[(design, "advanced")])
    weak = StudentProfileFactory(skills=[], interests=[])
    project = ProjectFactory(required_skills=[design])

    assert services.refresh_project(project.pk) == 1
    assert services.refresh_project(project.pk) == 0
    services.forget_project(project.pk)
    assert services.refresh_project(project.pk) == 0

    [notice] = Notification.objects.filter(kind=Kind.NEW_MATCH)
    assert notice.recipient == strong.user
    assert project.title in notice.title
    assert notice.url == project.get_absolute_url()
    assert StrongMatchNotice.objects.filter(project=project).count() == 1
    assert not Notification.objects.filter(recipient=weak.user, kind=Kind.NEW_MATCH).exists()


def test_a_student_who_is_no_longer_matchable_loses_their_lists(design):
    profile = StudentProfileFactory(skills=[design], discoverable=True)
    ProjectFactory(required_skills=[design])
    services.refresh_student(profile.pk)
    profile.user.is_active = False
    profile.user.save()

    services.refresh_student(profile.pk)

    assert not RecommendedProject.objects.filter(student=profile).exists()
    assert not RecommendedStudent.objects.filter(student=profile).exists()


# ---------------------------------------------------------------------------
# Scheduling and tasks
# ---------------------------------------------------------------------------


def test_ten_quick_edits_queue_one_refresh(django_capture_on_commit_callbacks, design):
    profile = StudentProfileFactory()
    with mock.patch.object(tasks.refresh_student_matches, "apply_async") as apply_async:
        for hours in range(5, 15):
            with django_capture_on_commit_callbacks(execute=True):
                student_services.save_availability(
                    actor=profile.user, profile=profile, data={"hours_per_week": hours}, windows=[]
                )

    apply_async.assert_called_once_with((profile.pk,), countdown=pytest.approx(3), retry=False)


def test_an_edit_after_the_refresh_started_queues_another(django_capture_on_commit_callbacks, design):
    profile = StudentProfileFactory()
    with mock.patch.object(tasks.refresh_student_matches, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            student_services.save_skills(actor=profile.user, profile=profile, skills=[(design, "advanced")])
        tasks.refresh_student_matches.run(profile.pk)  # the worker picks it up
        with django_capture_on_commit_callbacks(execute=True):
            student_services.save_skills(actor=profile.user, profile=profile, skills=[])

    assert apply_async.call_count == 2


def test_profile_changes_reach_the_stored_recommendations(django_capture_on_commit_callbacks, design):
    profile = StudentProfileFactory(skills=[], interests=[])
    project = ProjectFactory(required_skills=[design])
    with django_capture_on_commit_callbacks(execute=True):
        student_services.save_skills(actor=profile.user, profile=profile, skills=[(design, "advanced")])

    row = RecommendedProject.objects.get(student=profile, project=project)
    assert row.reasons["met"] == [[design.pk, "advanced"]]


def test_a_refresh_that_hits_a_database_error_asks_for_a_retry_and_other_errors_do_not():
    from django.db import OperationalError

    PendingRefresh.objects.create(side=RebuildSide.STUDENT, owner_id=5, requested_at=timezone.now())
    with (
        mock.patch.object(services, "refresh_student", side_effect=OperationalError("connection reset")),
        pytest.raises(Retry) as retry,
    ):
        tasks.refresh_student_matches.apply(args=(5,))
    assert retry.value.when is not None

    with mock.patch.object(services, "refresh_student", side_effect=ValueError("a bug")), pytest.raises(ValueError):
        tasks.refresh_student_matches.apply(args=(5,))


def test_a_broker_outage_leaves_the_edit_saved_and_the_next_edit_tries_again(django_capture_on_commit_callbacks):
    profile = StudentProfileFactory()
    with (
        mock.patch.object(tasks.refresh_student_matches, "apply_async", side_effect=OSError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        student_services.save_availability(actor=profile.user, profile=profile, data={"hours_per_week": 9}, windows=[])
    profile.refresh_from_db()
    assert profile.hours_per_week == 9

    with (
        mock.patch.object(tasks.refresh_student_matches, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        student_services.save_availability(actor=profile.user, profile=profile, data={"hours_per_week": 8}, windows=[])
    apply_async.assert_called_once()


def test_a_failure_after_commit_is_logged_and_never_undoes_or_fails_the_edit(
    django_capture_on_commit_callbacks, caplog
):
    from django.db import OperationalError

    profile = StudentProfileFactory()
    with (
        mock.patch.object(scheduling, "enqueue_refresh", side_effect=OperationalError("connection lost after commit")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        student_services.save_availability(actor=profile.user, profile=profile, data={"hours_per_week": 9}, windows=[])

    profile.refresh_from_db()
    assert profile.hours_per_week == 9
    assert PendingRefresh.objects.filter(side=RebuildSide.STUDENT, owner_id=profile.pk).exists()  # for the sweep
    assert "connection lost after commit" in caplog.text


def test_a_refresh_the_broker_never_got_is_sent_by_the_sweep_and_done_once(django_capture_on_commit_callbacks, design):
    profile = StudentProfileFactory(skills=[])
    project = ProjectFactory(required_skills=[design])
    with (
        mock.patch.object(tasks.refresh_student_matches, "apply_async", side_effect=OSError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        student_services.save_skills(actor=profile.user, profile=profile, skills=[(design, "advanced")])
    assert not RecommendedProject.objects.filter(student=profile).exists()
    assert PendingRefresh.objects.filter(side=RebuildSide.STUDENT, owner_id=profile.pk, enqueued_at=None).exists()

    # Too recent for the sweep: the broker may yet deliver a task queued a moment ago.
    assert scheduling.requeue_pending_refreshes() == 0
    with (
        time_machine.travel(timezone.now() + timedelta(minutes=5), tick=False),
        mock.patch.object(tasks.refresh_student_matches, "apply_async") as apply_async,
    ):
        assert scheduling.requeue_pending_refreshes() == 1
        assert scheduling.requeue_pending_refreshes() == 0  # queued a moment ago now
    apply_async.assert_called_once_with((profile.pk,), countdown=0, retry=False)

    tasks.refresh_student_matches.run(profile.pk)  # the worker runs it
    assert list(RecommendedProject.objects.filter(student=profile).values_list("project_id", flat=True)) == [project.pk]
    assert not PendingRefresh.objects.exists()

    with mock.patch.object(services, "refresh_student") as refresh:
        tasks.refresh_student_matches.run(profile.pk)  # delivered twice: nothing left to do
    refresh.assert_not_called()


def test_an_edit_saved_while_the_refresh_runs_keeps_its_request(django_capture_on_commit_callbacks, design):
    profile = StudentProfileFactory()
    with mock.patch.object(tasks.refresh_student_matches, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            student_services.save_skills(actor=profile.user, profile=profile, skills=[(design, "advanced")])
        real_refresh = services.refresh_student

        def edited_meanwhile(profile_id, **kwargs):
            real_refresh(profile_id, **kwargs)
            PendingRefresh.objects.filter(owner_id=profile_id).update(requested_at=timezone.now())

        with mock.patch.object(services, "refresh_student", side_effect=edited_meanwhile):
            tasks.refresh_student_matches.run(profile.pk)

    assert PendingRefresh.objects.filter(side=RebuildSide.STUDENT, owner_id=profile.pk).exists()
    assert apply_async.call_count == 1


# ---------------------------------------------------------------------------
# Full rebuild
# ---------------------------------------------------------------------------


def _everything():
    return (
        sorted(RecommendedProject.objects.values_list("student_id", "project_id", "score", "reasons")),
        sorted(RecommendedStudent.objects.values_list("project_id", "student_id", "score", "reasons")),
    )


def test_a_rebuild_stores_what_refreshes_would(design):
    photo = SkillFactory(name="Photography")
    students = [
        StudentProfileFactory(skills=skills, discoverable=True)
        for skills in ([design], [photo], [(design, "advanced"), photo], [])
    ]
    projects = [ProjectFactory(required_skills=skills) for skills in ([design], [photo], [design, photo])]
    for profile in students:
        services.refresh_student(profile.pk)
    for project in projects:
        services.refresh_project(project.pk)
    by_refresh = _everything()
    RecommendedProject.objects.all().delete()
    RecommendedStudent.objects.all().delete()

    call_command("rebuild_matches", chunk_size=2, stdout=mock.Mock(), stderr=mock.Mock())

    assert _everything() == by_refresh
    assert len(by_refresh[0]) > 4


def test_an_interrupted_rebuild_resumes_where_it_stopped(design, capsys):
    for _ in range(3):
        StudentProfileFactory(skills=[design])
    ProjectFactory(required_skills=[design])
    rebuild = full_rebuild.plan_rebuild(chunk_size=1)
    first, *_rest = rebuild.chunks.filter(side=RebuildSide.STUDENT)
    assert full_rebuild.run_chunk(first.pk) is True
    assert full_rebuild.run_chunk(first.pk) is False  # done chunks are not redone

    call_command("rebuild_matches", resume=True)

    rebuild.refresh_from_db()
    assert rebuild.finished_at is not None
    assert not RebuildChunk.objects.filter(rebuild=rebuild, done_at__isnull=True).exists()
    assert RecommendedProject.objects.count() == 3
    assert "Rebuilt matches" in capsys.readouterr().out


def test_a_rebuild_chunk_keeps_rows_a_newer_refresh_wrote(design):
    profile = StudentProfileFactory(skills=[design])
    project = ProjectFactory(required_skills=[design])
    rebuild = full_rebuild.plan_rebuild()
    later = timezone.now() + timedelta(minutes=5)
    RecommendedProject.objects.create(student=profile, project=project, score=1, reasons={}, computed_at=later)

    for chunk in rebuild.chunks.all():
        full_rebuild.run_chunk(chunk.pk)

    assert RecommendedProject.objects.get(student=profile, project=project).score == 1


def test_the_nightly_task_fans_the_rebuild_out_as_chunk_tasks(design):
    StudentProfileFactory.create_batch(3, skills=[design])
    ProjectFactory(required_skills=[design])

    with mock.patch("matching.tasks.group") as fan_out:
        chunk_count = tasks.rebuild_all_matches()

    [signatures] = fan_out.call_args.args
    assert len(list(signatures)) == chunk_count == RebuildChunk.objects.count()
    fan_out.return_value.apply_async.assert_called_once()


# ---------------------------------------------------------------------------
# Who may be recommended, and invitations
# ---------------------------------------------------------------------------


def test_a_suspended_business_leaves_recommendations_and_returns_when_reinstated(
    design, django_capture_on_commit_callbacks
):
    from businesses.enums import BusinessStatus
    from businesses.services import transition_business
    from matching.selectors import recommended_projects_for

    profile = StudentProfileFactory(skills=[design])
    project = ProjectFactory(required_skills=[design])
    services.refresh_project(project.pk)
    assert [row.project for row in recommended_projects_for(profile.user)] == [project]
    staff = StaffFactory()

    with django_capture_on_commit_callbacks(execute=True):
        transition_business(business=project.business, to_status=BusinessStatus.SUSPENDED, actor=staff, reason="Spam")
    assert recommended_projects_for(profile.user) == []
    assert not RecommendedProject.objects.filter(project=project).exists()

    with django_capture_on_commit_callbacks(execute=True):
        transition_business(business=project.business, to_status=BusinessStatus.APPROVED, actor=staff)
    assert [row.project for row in recommended_projects_for(profile.user)] == [project]


def test_invitations_need_an_open_project_and_never_show_the_students_email(design):
    from django.core.exceptions import ValidationError

    from tests.factories import BusinessOwnerFactory

    profile = StudentProfileFactory(skills=[design], discoverable=True, user__full_name="")
    project = ProjectFactory(required_skills=[design])
    owner = BusinessOwnerFactory(business=project.business)
    services.refresh_project(project.pk)
    services.invite_student(actor=owner, project=project, student=profile)

    with pytest.raises(ValidationError) as again:
        services.invite_student(actor=owner, project=project, student=profile)
    assert profile.user.email not in str(again.value)
    assert "already invited" in str(again.value)

    Project.objects.filter(pk=project.pk).update(apply_by=timezone.localdate() - timedelta(days=1))
    other = StudentProfileFactory(skills=[design], discoverable=True)
    with pytest.raises(ValidationError, match="isn't taking applications"):
        services.invite_student(actor=owner, project=project, student=other)


def test_a_rebuild_on_the_workers_fans_out_and_follows_the_chunks_to_the_end(design, capsys):
    StudentProfileFactory.create_batch(3, skills=[design])
    ProjectFactory(required_skills=[design])

    call_command("rebuild_matches", on_workers=True, chunk_size=1)

    assert not RebuildChunk.objects.filter(done_at__isnull=True).exists()
    assert RecommendedProject.objects.count() == 3
    assert "Rebuilt matches" in capsys.readouterr().out


def test_a_rebuild_on_workers_that_never_finish_a_chunk_gives_up_with_a_clear_error(design):
    from django.core.management.base import CommandError

    StudentProfileFactory(skills=[design])
    never_run = mock.Mock()  # sent, but no worker ever takes the chunks
    with (
        mock.patch("matching.management.commands.rebuild_matches.group", return_value=never_run),
        pytest.raises(CommandError, match=r"No chunk finished in 1 s \(0 of \d+ done\)\. Is a worker consuming"),
    ):
        call_command("rebuild_matches", on_workers=True, give_up_after=1, stdout=mock.Mock(), stderr=mock.Mock())
    never_run.apply_async.assert_called_once()
    assert full_rebuild.unfinished_rebuild() is not None  # kept for --resume


def test_a_rebuild_on_workers_with_the_broker_down_says_so(design):
    from django.core.management.base import CommandError

    StudentProfileFactory(skills=[design])
    with broker_down(), pytest.raises(CommandError, match="Couldn't reach the task queue"):
        call_command("rebuild_matches", on_workers=True, stdout=mock.Mock(), stderr=mock.Mock())


def test_a_rebuild_whose_chunks_are_held_elsewhere_says_so_instead_of_claiming_success(design):
    from django.core.management.base import CommandError

    StudentProfileFactory(skills=[design])
    with (
        mock.patch.object(full_rebuild, "run_chunk", return_value=False),
        pytest.raises(CommandError, match="--resume"),
    ):
        call_command("rebuild_matches", stdout=mock.Mock(), stderr=mock.Mock())
    assert full_rebuild.unfinished_rebuild() is not None


def test_the_workers_cached_projects_never_hide_a_project_change(design):
    photo = SkillFactory(name="Photography")
    profile = StudentProfileFactory(skills=[design])
    first = ProjectFactory(required_skills=[design])
    services.refresh_student(profile.pk)  # fills the worker's project cache
    assert stored(student=profile) == [(first.pk, profile.pk, stored(student=profile)[0][2])]

    second = ProjectFactory(required_skills=[design])  # a newly published project
    services.refresh_student(profile.pk)
    assert {row[0] for row in stored(student=profile)} == {first.pk, second.pk}

    first.required_skills.set([photo])  # an edit: the project's services save it, moving updated_at
    first.save()
    services.refresh_student(profile.pk)
    [row] = RecommendedProject.objects.filter(student=profile, project=first)
    assert row.reasons["missing"] == [photo.pk]
