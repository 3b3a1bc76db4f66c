"""What happens to projects and applications, for the apps built on top of projects to react to, and the
questions the catalogue pages ask those apps.

Events are sent by projects.services inside the transaction that made the change, so a receiver's writes
commit or roll back with it; a receiver that starts work elsewhere (a worker, an email) defers it with on_commit.
"""

from django.dispatch import Signal

# A project entered the catalogue: students can find it and apply. Sent with `project`.
project_published = Signal()

# A published project's posting changed and it stays in the catalogue. Sent with `project`.
project_changed = Signal()

# A project left the catalogue: closed, filled (work started) or sent back to review. Sent with `project`
# and `to_status`.
project_unlisted = Signal()

# An application was made or moved. Sent with `application`, `from_status` ("" when it was just made),
# `to_status` and `actor` (None for the system).
application_changed = Signal()

# Asked by the catalogue pages: how well does each listed project match this person? A receiver (matching's)
# answers {project id: match} for those it has scored. Sent with `user` and `project_ids`.
matches_wanted = Signal()

# Asked when the catalogue is sorted by best match: a receiver answers `projects` (a queryset) ordered best
# match first for `user`, or None when it has nothing to order by. Sent with `user` and `projects`.
match_ordering_wanted = Signal()

# Asked by the project page: what is this business's public record? A receiver (reports') answers it.
# Sent with `business`.
business_record_wanted = Signal()
