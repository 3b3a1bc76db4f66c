"""Where uploads people shouldn't see of each other live: résumés and hand-ins (settings.STORAGES["private"])."""

from django.core.files.storage import storages


def private_storage():
    # A callable, so the storage is looked up when a file is used: tests and deployments swap it in settings.
    return storages["private"]
