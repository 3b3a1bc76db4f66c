from django.apps import AppConfig


class BusinessesConfig(AppConfig):
    name = "businesses"
    verbose_name = "Business partners"

    def ready(self):
        from businesses import receivers  # noqa: F401  (connects them)
