from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """What the marketplace achieved and for whom: the impact report for staff and funders, and each
    business's public record. It reads every other app and nothing reads it."""

    name = "reports"
    verbose_name = "Impact"

    def ready(self):
        from reports import receivers  # noqa: F401  (connects them)
