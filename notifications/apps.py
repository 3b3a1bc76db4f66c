from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and emails"

    def ready(self):
        from notifications import receivers  # noqa: F401  (connects them)
