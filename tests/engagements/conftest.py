import pytest
from django.core.files.storage import FileSystemStorage

from engagements.models import DeliverableSubmission
from tests.engagements.factories import EngagementFactory
from tests.factories import BusinessOwnerFactory, StaffFactory
from tests.students.factories import student as make_student


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Uploaded hand-ins go to a per-test directory instead of the private media root."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(DeliverableSubmission._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def engagement(db):
    return EngagementFactory()


@pytest.fixture
def student(engagement):
    return engagement.student


@pytest.fixture
def owner(engagement):
    return BusinessOwnerFactory(business=engagement.business)


@pytest.fixture
def colleague(engagement):
    """A second member of the same business."""
    return BusinessOwnerFactory(business=engagement.business)


@pytest.fixture
def other_student(db):
    return make_student()


@pytest.fixture
def other_owner(db):
    return BusinessOwnerFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()
