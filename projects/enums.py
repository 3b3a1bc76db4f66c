from django.db import models


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for review"
    PUBLISHED = "published", "Published"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    REJECTED = "rejected", "Changes needed"
    CLOSED = "closed", "Closed"


# Badge colours (Bootstrap's text-bg-*) where a state needs the eye drawn to it.
PROJECT_STATUS_TONES = {
    ProjectStatus.PUBLISHED: "success",
    ProjectStatus.REJECTED: "warning",
    ProjectStatus.SUBMITTED: "info",
}

# The only moves a project can make. Everything goes through projects.services.transition_project.
PROJECT_TRANSITIONS = {
    ProjectStatus.DRAFT: {ProjectStatus.SUBMITTED, ProjectStatus.CLOSED},
    ProjectStatus.SUBMITTED: {ProjectStatus.PUBLISHED, ProjectStatus.REJECTED, ProjectStatus.CLOSED},
    ProjectStatus.REJECTED: {ProjectStatus.SUBMITTED, ProjectStatus.CLOSED},
    # published → submitted: a material edit sends it back to review.
    ProjectStatus.PUBLISHED: {ProjectStatus.IN_PROGRESS, ProjectStatus.CLOSED, ProjectStatus.SUBMITTED},
    ProjectStatus.IN_PROGRESS: {ProjectStatus.COMPLETED},
    ProjectStatus.COMPLETED: set(),
    ProjectStatus.CLOSED: set(),
}

# States in which the business may still edit the posting.
EDITABLE_STATUSES = {ProjectStatus.DRAFT, ProjectStatus.SUBMITTED, ProjectStatus.REJECTED, ProjectStatus.PUBLISHED}


class Category(models.TextChoices):
    MARKETING = "marketing", "Marketing and social media"
    DATA = "data", "Data and analysis"
    WEB = "web", "Web and software"
    FINANCE = "finance", "Finance and bookkeeping"
    RESEARCH = "research", "Research"
    EVENTS = "events", "Events and community"
    DESIGN = "design", "Design and content"
    OPERATIONS = "operations", "Operations and administration"


class LocationMode(models.TextChoices):
    REMOTE = "remote", "Remote"
    HYBRID = "hybrid", "Hybrid"
    ONSITE = "onsite", "On-site"


class FlagReason(models.TextChoices):
    SCAM = "scam", "Looks like a scam"
    UNPAID = "unpaid", "Asks for unpaid work"
    UNSAFE = "unsafe", "Unsafe or inappropriate"
    OTHER = "other", "Something else"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    SHORTLISTED = "shortlisted", "Shortlisted"
    OFFERED = "offered", "Offer made"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    EXPIRED = "expired", "Expired"


APPLICATION_STATUS_TONES = {
    ApplicationStatus.OFFERED: "success",
    ApplicationStatus.ACCEPTED: "primary",
    ApplicationStatus.SHORTLISTED: "info",
    ApplicationStatus.SUBMITTED: "light border",
}

# Applications that still wait for someone's decision.
OPEN_APPLICATION_STATUSES = {ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.OFFERED}

# The only moves an application can make; every one goes through projects.services.transition_application.
# "declined" covers the business turning a student down and the student turning an offer down.
APPLICATION_TRANSITIONS = {
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.OFFERED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.EXPIRED,
    },
    ApplicationStatus.SHORTLISTED: {
        ApplicationStatus.OFFERED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.EXPIRED,
    },
    ApplicationStatus.OFFERED: {
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.EXPIRED,
    },
    ApplicationStatus.ACCEPTED: set(),
    ApplicationStatus.DECLINED: set(),
    ApplicationStatus.WITHDRAWN: set(),
    ApplicationStatus.EXPIRED: set(),
}
