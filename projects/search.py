"""Browse and search of published projects: the filter form, the query it builds, and a paginator without COUNT(*)."""

import hashlib
import math
import re
from itertools import groupby

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.dateformat import format as format_date

from c2c.forms import GroupedCheckboxes
from c2c.money import usd
from catalogue.enums import MAX_HOURS, MIN_HOURS
from catalogue.models import Skill
from projects.enums import Category, LocationMode
from projects.models import MAX_WEEKS, MIN_WEEKS, Project
from projects.selectors import ordered_by_match, published_projects

PAGE_SIZE = 20
# Counting stops here: "1,000+ projects" is as useful to a student as an exact figure and far cheaper.
COUNT_CAP = 1000
# Past the capped count the last page is unknown; this bound keeps a silly ?page= from becoming a huge OFFSET.
MAX_PAGE = 1000
MAX_CARD_SKILLS = 4

# Only the columns a card shows: description, search_document and search_vector are large.
CARD_FIELDS = (
    "title",
    "summary",
    "fee",
    "duration_weeks",
    "hours_per_week",
    "location_mode",
    "city",
    "state",
    "earliest_start",
    "apply_by",
    "business",
    "business__name",
)
WORD = re.compile(r"\w+")


class Sort(models.TextChoices):
    RELEVANCE = "relevance", "Most relevant"
    MATCH = "match", "Best match"  # Signed-in students only: their stored match scores.
    NEWEST = "newest", "Newest"
    PAY = "pay", "Highest pay"
    CLOSING = "closing", "Closing soon"


ORDERINGS = {
    Sort.RELEVANCE: ("-rank", "-published_at", "-pk"),
    Sort.NEWEST: ("-published_at", "-pk"),
    Sort.PAY: ("-fee", "-published_at", "-pk"),
    Sort.CLOSING: ("apply_by", "-published_at", "-pk"),
}


# Staff add skills rarely, and a new one reaches the filter panel within this minute, like every kept page.
SKILL_CHOICES_KEY = "search-skill-choices"
SKILL_CHOICES_SECONDS = 60


def _skill_rows() -> list[tuple]:
    return list(Skill.objects.order_by("group", "name").values_list("pk", "slug", "name", "group"))


class DateInput(forms.DateInput):
    input_type = "date"


class ProjectSearchForm(forms.Form):
    """Every field is optional; a field with a bad value gets an error and is left out of the search."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Try “social media” or a business name"}),
    )
    sort = forms.ChoiceField(label="Sort by", choices=Sort.choices, required=False)
    skills = forms.MultipleChoiceField(
        label="Skills",
        required=False,
        help_text="Projects that use any of these.",
        widget=GroupedCheckboxes,
    )
    category = forms.ChoiceField(label="Category", choices=[("", "Any category"), *Category.choices], required=False)
    location_mode = forms.ChoiceField(label="Where", choices=[("", "Anywhere"), *LocationMode.choices], required=False)
    min_weeks = forms.IntegerField(label="Weeks, at least", required=False, min_value=MIN_WEEKS, max_value=MAX_WEEKS)
    max_weeks = forms.IntegerField(label="Weeks, at most", required=False, min_value=MIN_WEEKS, max_value=MAX_WEEKS)
    max_hours = forms.IntegerField(
        label="Hours per week, at most", required=False, min_value=MIN_HOURS, max_value=MAX_HOURS
    )
    min_pay = forms.DecimalField(label="Pay, at least ($)", required=False, min_value=0, max_digits=8, decimal_places=2)
    starts_after = forms.DateField(label="Starts on or after", required=False, widget=DateInput)
    starts_before = forms.DateField(label="Starts on or before", required=False, widget=DateInput)

    def __init__(self, data=None, *, user=None, **kwargs):
        self.user = user
        self.can_sort_by_match = bool(user and user.is_authenticated and user.is_student)
        if data is not None and (
            not data.get("sort") or (data.get("sort") == Sort.MATCH and not self.can_sort_by_match)
        ):
            # Show the sort actually applied: most relevant for a text search, newest otherwise
            # (also for a "best match" link followed after logging out).
            data = data.copy()
            data["sort"] = Sort.RELEVANCE if data.get("q", "").strip() else Sort.NEWEST
        super().__init__(data, **kwargs)
        if not self.can_sort_by_match:
            self.fields["sort"].choices = [choice for choice in Sort.choices if choice[0] != Sort.MATCH]
        skills = cache.get_or_set(SKILL_CHOICES_KEY, _skill_rows, SKILL_CHOICES_SECONDS)
        self.skill_ids, self.skill_names = {}, {}
        choices = []
        for group, members in groupby(skills, key=lambda row: row[3]):
            options = []
            for pk, slug, name, _ in members:
                self.skill_ids[slug], self.skill_names[slug] = pk, name
                options.append((slug, name))
            choices.append((group or "Other", options))
        self.fields["skills"].choices = choices

    # The filter panel shows only these fields' values (and their errors): pages that share them share it.
    PANEL_FIELDS = (
        "skills",
        "category",
        "location_mode",
        "min_weeks",
        "max_weeks",
        "max_hours",
        "min_pay",
        "starts_after",
        "starts_before",
    )

    def panel_key(self) -> str:
        """A name for the filter panel as these values render it, for the template's fragment cache."""
        values = [(name, self.data.getlist(name)) for name in self.PANEL_FIELDS] if self.is_bound else []
        return hashlib.sha256(repr(values).encode()).hexdigest()

    def clean_sort(self):
        sort = self.cleaned_data.get("sort") or Sort.NEWEST
        if sort == Sort.RELEVANCE and not self.data.get("q", "").strip():
            return Sort.NEWEST
        return sort

    def clean(self):
        cleaned = super().clean()
        min_weeks, max_weeks = cleaned.get("min_weeks"), cleaned.get("max_weeks")
        if min_weeks and max_weeks and min_weeks > max_weeks:
            self.add_error("max_weeks", "This can't be fewer than “Weeks, at least”.")
        after, before = cleaned.get("starts_after"), cleaned.get("starts_before")
        if after and before and after > before:
            self.add_error("starts_before", "This date is before the “starts on or after” date.")
        return cleaned


def search_projects(form: ProjectSearchForm) -> QuerySet:
    """Published projects matching the form's valid fields, ordered, with what a card needs loaded."""
    form.is_valid()  # Fields with errors are dropped from cleaned_data, so a bad filter is simply not applied.
    data = form.cleaned_data
    projects = published_projects()

    if slugs := data.get("skills"):
        skill_ids = [form.skill_ids[slug] for slug in slugs]
        projects = projects.filter(
            Exists(Project.required_skills.through.objects.filter(project_id=OuterRef("pk"), skill_id__in=skill_ids))
            | Exists(
                Project.nice_to_have_skills.through.objects.filter(project_id=OuterRef("pk"), skill_id__in=skill_ids)
            )
        )
    filters = {
        "category": data.get("category"),
        "location_mode": data.get("location_mode"),
        "duration_weeks__gte": data.get("min_weeks"),
        "duration_weeks__lte": data.get("max_weeks"),
        "hours_per_week__lte": data.get("max_hours"),
        "fee__gte": data.get("min_pay"),
        "earliest_start__gte": data.get("starts_after"),
        "earliest_start__lte": data.get("starts_before"),
    }
    projects = projects.filter(**{lookup: value for lookup, value in filters.items() if value not in (None, "")})

    sort = data.get("sort") or Sort.NEWEST
    text = data.get("q")
    ranked = False
    if text and connection.vendor == "postgresql":
        query = SearchQuery(text, config="english", search_type="websearch")
        projects = projects.filter(search_vector=query)
        if sort == Sort.RELEVANCE:
            projects = projects.annotate(rank=SearchRank(F("search_vector"), query))
            ranked = True
    elif text:
        # SQLite (the demo set-up): every word must appear somewhere in the project's text; no ranking.
        projects = projects.filter(*[Q(search_document__icontains=word) for word in WORD.findall(text)])
    if sort == Sort.RELEVANCE and not ranked:
        sort = Sort.NEWEST  # Nothing to rank by (no words, or SQLite).
    if sort == Sort.MATCH:
        # The student's scored projects first; the rest (and everything, before any are scored) newest first.
        projects = ordered_by_match(projects.order_by(*ORDERINGS[Sort.NEWEST]), form.user)
    else:
        projects = projects.order_by(*ORDERINGS[sort])

    return projects.select_related("business").only(*CARD_FIELDS)


def top_skills(project_ids: list[int]) -> dict[int, list[str]]:
    """{project id: the first MAX_CARD_SKILLS skill names a card shows}: required ones first, each kind by name.

    One plain statement for the whole page: it is built for many first readers (see c2c.page_cache), and two
    prefetches of Skill instances cost several times as much.
    """
    if not project_ids:
        return {}
    required, nice = Project.required_skills.through._meta.db_table, Project.nice_to_have_skills.through._meta.db_table
    skill = Skill._meta.db_table
    found: dict[int, list[tuple]] = {pk: [] for pk in project_ids}
    placeholders = ", ".join(["%s"] * len(project_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT l.project_id, 0, s.name FROM {required} l JOIN {skill} s ON s.id = l.skill_id
                WHERE l.project_id IN ({placeholders})
            UNION ALL SELECT l.project_id, 1, s.name FROM {nice} l JOIN {skill} s ON s.id = l.skill_id
                WHERE l.project_id IN ({placeholders})
            """,
            [*project_ids, *project_ids],
        )
        for project_id, nice_to_have, name in cursor.fetchall():
            found[project_id].append((nice_to_have, name))
    return {pk: [name for _, name in sorted(skills)[:MAX_CARD_SKILLS]] for pk, skills in found.items()}


class CappedPaginator:
    """Knows the number of results up to COUNT_CAP; past that, only that there are more."""

    def __init__(self, count: int, per_page: int = PAGE_SIZE):
        self.count = min(count, COUNT_CAP)
        self.capped = count > COUNT_CAP
        self.per_page = per_page
        self.num_pages = None if self.capped else max(1, math.ceil(count / per_page))


class CappedPage:
    """The parts of Django's Page that the templates use."""

    def __init__(self, object_list: list, number: int, paginator: CappedPaginator, has_next: bool):
        self.object_list = object_list
        self.number = number
        self.paginator = paginator
        self._has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def paginate_projects(projects: QuerySet, page: str | None) -> CappedPage:
    """One page of cards without counting the whole result: a capped count, then page_size + 1 rows."""
    try:
        number = min(max(1, int(page)), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    paginator = CappedPaginator(projects.order_by().values("pk")[: COUNT_CAP + 1].count())
    if paginator.num_pages:
        number = min(number, paginator.num_pages)
    offset = (number - 1) * PAGE_SIZE
    rows = list(projects[offset : offset + PAGE_SIZE + 1])
    shown = rows[:PAGE_SIZE]
    skills = top_skills([project.pk for project in shown])
    for project in shown:
        project.top_skills = skills[project.pk]
    return CappedPage(shown, number, paginator, has_next=len(rows) > PAGE_SIZE)


def querystring_without(params: QueryDict, key: str, value: str | None = None) -> str:
    """The query string minus the page and `key` (or just one `value` of a multi-valued key)."""
    params = params.copy()
    params.pop("page", None)
    if value is None:
        params.pop(key, None)
    else:
        params.setlist(key, [item for item in params.getlist(key) if item != value])
    return params.urlencode()


def active_filters(form: ProjectSearchForm) -> list[tuple[str, str]]:
    """(label, query string without it) for each filter in use, to offer ways to loosen a search that found nothing."""
    data = form.cleaned_data
    labels = []
    if data.get("q"):
        labels.append(("q", None, f"Search: {data['q']}"))
    labels += [("skills", slug, f"Skill: {form.skill_names[slug]}") for slug in data.get("skills") or []]
    if data.get("category"):
        labels.append(("category", None, f"Category: {Category(data['category']).label}"))
    if data.get("location_mode"):
        labels.append(("location_mode", None, LocationMode(data["location_mode"]).label))
    if data.get("min_weeks"):
        labels.append(("min_weeks", None, f"At least {data['min_weeks']} weeks"))
    if data.get("max_weeks"):
        labels.append(("max_weeks", None, f"At most {data['max_weeks']} weeks"))
    if data.get("max_hours"):
        labels.append(("max_hours", None, f"At most {data['max_hours']} hours a week"))
    if data.get("min_pay") is not None:
        labels.append(("min_pay", None, f"Pay at least {usd(data['min_pay'])}"))
    if data.get("starts_after"):
        labels.append(("starts_after", None, f"Starts on or after {format_date(data['starts_after'], 'D j M')}"))
    if data.get("starts_before"):
        labels.append(("starts_before", None, f"Starts on or before {format_date(data['starts_before'], 'D j M')}"))
    return [(label, querystring_without(form.data, key, value)) for key, value, label in labels]
