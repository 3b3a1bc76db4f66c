from django.db import models


class BusinessStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SUSPENDED = "suspended", "Suspended"


# Which moves staff may make, from each state.
BUSINESS_TRANSITIONS = {
    BusinessStatus.PENDING: {BusinessStatus.APPROVED, BusinessStatus.REJECTED, BusinessStatus.SUSPENDED},
    BusinessStatus.APPROVED: {BusinessStatus.SUSPENDED},
    BusinessStatus.REJECTED: {BusinessStatus.APPROVED},
    BusinessStatus.SUSPENDED: {BusinessStatus.APPROVED},
}


class OrganisationType(models.TextChoices):
    SMALL_BUSINESS = "small_business", "Small business"
    NONPROFIT = "nonprofit", "Nonprofit"
    COMMUNITY = "community", "Community organisation"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
    RETAIL = "retail", "Retail"
    OTHER = "other", "Other"


class OrganisationSize(models.TextChoices):
    SOLO = "1", "Just me"
    MICRO = "2-9", "2–9 people"
    SMALL = "10-49", "10–49 people"
    MEDIUM = "50-249", "50–249 people"
    LARGE = "250+", "250 or more"


class Industry(models.TextChoices):
    ARTS = "arts", "Arts and culture"
    EDUCATION = "education", "Education"
    ENVIRONMENT = "environment", "Environment and sustainability"
    FINANCE = "finance", "Finance and accounting"
    FOOD = "food", "Food and hospitality"
    HEALTH = "health", "Health and wellness"
    HOUSING = "housing", "Housing and community development"
    MEDIA = "media", "Media and marketing"
    PROFESSIONAL = "professional", "Professional services"
    RETAIL = "retail", "Retail and e-commerce"
    SOCIAL = "social", "Social services"
    TECHNOLOGY = "technology", "Technology"
    TRADES = "trades", "Construction and trades"
    OTHER = "other", "Other"


class HeardAbout(models.TextChoices):
    COLLEGE = "college", "A college or career centre"
    PARTNER = "partner", "Another partner organisation"
    EVENT = "event", "An event"
    SEARCH = "search", "Web search"
    SOCIAL = "social", "Social media"
    OTHER = "other", "Other"
