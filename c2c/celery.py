import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2c.settings")

app = Celery("c2c")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
