from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Projects and applications"

    def ready(self):
        from projects import receivers  # noqa: F401  (connects them)
