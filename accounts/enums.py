from django.db import models


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    BUSINESS = "business", "Business member"
    STAFF = "staff", "Staff"


SIGNUP_ROLES = [(Role.STUDENT.value, "I'm a student"), (Role.BUSINESS.value, "I represent a business or organisation")]
