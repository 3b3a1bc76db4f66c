"""What happens to student profiles, for the apps built on top of students to react to.

Sent by students.services inside the transaction that made the change.
"""

from django.dispatch import Signal

# Something a match is computed from changed: skills, interests, availability, links or onboarding.
# Sent with `profile`.
profile_changed = Signal()
