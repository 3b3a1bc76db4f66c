from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "engagements"
    verbose_name = "Engagements: the work, payment and feedback"

    def ready(self):
        from engagements import receivers  # noqa: F401  (connects them)
