from django.apps import AppConfig


class C2CConfig(AppConfig):
    """The project package is an app too, so project-wide commands (seed_demo) live here."""

    name = "c2c"
    verbose_name = "Background tasks"
