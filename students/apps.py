from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = "Students"

    def ready(self):
        from students import receivers  # noqa: F401  (connects them)
