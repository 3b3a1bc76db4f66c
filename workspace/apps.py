from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """A business owner's pages: the dashboard, their projects, applicants, offers and recommended students.

    They compose projects, students and matching, so they sit above all three; the organisation itself
    (registration, moderation) stays in businesses, below them.
    """

    name = "workspace"
    verbose_name = "Business workspace"
