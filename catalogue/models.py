"""The words projects and students are matched on: a curated list of skills, and interests."""

from django.db import models
from django.utils.text import slugify

from catalogue.enums import InterestKind


class Skill(models.Model):
    """The curated skill list shared by projects and student profiles; staff can add to it."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    group = models.CharField(max_length=60, blank=True)

    class Meta:
        # The table was created by projects before the catalogue had its own app.
        db_table = "projects_skill"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class Interest(models.Model):
    """An industry or a cause a project serves and a student cares about."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=16, choices=InterestKind.choices)

    class Meta:
        db_table = "projects_interest"
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)
