import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from businesses.enums import BusinessStatus
from c2c.money import usd
from projects import search
from projects.enums import Category, LocationMode, ProjectStatus
from tests.factories import BusinessFactory, UserFactory
from tests.projects.factories import ProjectFactory, SkillFactory

pytestmark = pytest.mark.django_db

BROWSE = reverse("projects:browse")


def browse(client, query=""):
    response = client.get(f"{BROWSE}?{query}" if query else BROWSE)
    assert response.status_code == 200
    return response.content.decode()


def cards(content):
    """The project cards of a browse page, without the filter form (which lists every skill)."""
    return re.findall(r'<article class="card card-project.*?</article>', content, flags=re.DOTALL)


def test_anonymous_sees_only_published_projects_of_approved_businesses(client):
    ProjectFactory(title="Open bakery project")
    ProjectFactory(title="Draft project", status=ProjectStatus.DRAFT)
    ProjectFactory(title="Submitted project", status=ProjectStatus.SUBMITTED)
    ProjectFactory(title="Closed project", status=ProjectStatus.CLOSED)
    ProjectFactory(title="Suspended partner project", business=BusinessFactory(status=BusinessStatus.SUSPENDED))
    ProjectFactory(title="Pending partner project", business=BusinessFactory(status=BusinessStatus.PENDING))

    content = browse(client)

    assert "Open bakery project" in content
    for hidden in ["Draft project", "Submitted project", "Closed project", "Suspended partner", "Pending partner"]:
        assert hidden not in content
    assert "1 project" in content
    assert content.count("<h1") == 1
    assert "<title>Browse projects" in content


def test_card_shows_pay_rate_time_place_dates_and_top_skills_required_first(client):
    required = [SkillFactory(name=name) for name in ["Bookkeeping basics", "Cash flow", "Data entry"]]
    nice = [SkillFactory(name=name) for name in ["Accounts payable", "Zoho books"]]
    start, apply_by = date(2031, 3, 3), date(2031, 2, 24)
    ProjectFactory(
        title="Quarterly reconciliation",
        business=BusinessFactory(name="Riverside Bakery"),
        fee=Decimal("1500"),
        duration_weeks=5,
        hours_per_week=8,
        location_mode=LocationMode.HYBRID,
        city="Dayton",
        state="OH",
        earliest_start=start,
        apply_by=apply_by,
        required_skills=required,
        nice_to_have_skills=nice,
    )

    page = browse(client)
    (content,) = cards(page)

    assert "Riverside Bakery" in content
    assert "$1,500" in content
    assert "$37.50/hour" in content
    assert "5 weeks · 8 hours a week" in content
    assert "Hybrid · Dayton, OH" in content
    assert format_date(start, "D j M") in content
    assert format_date(apply_by, "D j M") in content
    skills = re.findall(r'<span class="badge[^"]*">([^<]+)</span>', content)
    assert skills == ["Bookkeeping basics", "Cash flow", "Data entry", "Accounts payable"]  # Four fit on a card.


@pytest.mark.parametrize(
    ("value", "shown"),
    [(Decimal("1200"), "$1,200"), (Decimal("1200.5"), "$1,200.50"), (Decimal("37.50"), "$37.50"), (None, "")],
)
def test_money_is_shown_in_dollars_with_cents_only_when_there_are_any(value, shown):
    assert usd(value) == shown


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("sNaN"), float("nan"), Decimal("Infinity"), float("-inf"), "NaN", "12abc"]
)
def test_money_that_is_not_a_finite_amount_shows_nothing(value):
    assert usd(value) == ""


def test_search_finds_projects_by_title_skill_and_business_name(client):
    ProjectFactory(title="Instagram launch campaign")
    ProjectFactory(title="Donor list clean-up", required_skills=[SkillFactory(name="Spreadsheet wrangling")])
    ProjectFactory(title="Menu redesign", business=BusinessFactory(name="Blue Heron Diner"))

    by_title = browse(client, "q=instagram")
    by_skill = browse(client, "q=spreadsheet")
    by_business = browse(client, "q=heron+diner")

    assert "Instagram launch campaign" in by_title
    assert "Donor list" not in by_title
    assert "Donor list clean-up" in by_skill
    assert "Instagram" not in by_skill
    assert "Menu redesign" in by_business
    assert "Donor list" not in by_business
    assert "1 project for “heron diner”" in by_business


def test_every_word_of_a_search_must_match(client):
    ProjectFactory(title="Social media calendar")
    ProjectFactory(title="Social history research")

    content = browse(client, "q=social+media")

    assert "Social media calendar" in content
    assert "Social history research" not in content


TODAY = timezone.localdate()
FILTER_CASES = {
    "category": ("category=data", {"category": Category.DATA}, {"category": Category.EVENTS}),
    "location": ("location_mode=onsite", {"location_mode": LocationMode.ONSITE}, {}),
    "min weeks": ("min_weeks=6", {"duration_weeks": 6, "fee": 3000}, {"duration_weeks": 5}),
    "max weeks": ("max_weeks=3", {"duration_weeks": 3}, {"duration_weeks": 4}),
    "max hours": ("max_hours=10", {"hours_per_week": 10}, {"hours_per_week": 11, "fee": 2000}),
    "min pay": ("min_pay=2000", {"fee": 2000}, {"fee": Decimal("1999.99")}),
    "starts after": (
        f"starts_after={TODAY + timedelta(days=30)}",
        {"earliest_start": TODAY + timedelta(days=30)},
        {"earliest_start": TODAY + timedelta(days=29)},
    ),
    "starts before": (
        f"starts_before={TODAY + timedelta(days=30)}",
        {"earliest_start": TODAY + timedelta(days=30)},
        {"earliest_start": TODAY + timedelta(days=31)},
    ),
}


@pytest.mark.parametrize("case", FILTER_CASES.values(), ids=FILTER_CASES.keys())
def test_each_filter_narrows_the_results(client, case):
    query, inside, outside = case
    ProjectFactory(title="Inside the filter", **inside)
    ProjectFactory(title="Outside the filter", **outside)

    content = browse(client, query)

    assert "Inside the filter" in content
    assert "Outside the filter" not in content
    assert "couldn't be used" not in content


def test_skills_filter_matches_required_or_nice_to_have_skills(client):
    excel, canva, python = (SkillFactory(name=name) for name in ["Excel wizardry", "Canva posters", "Python scripts"])
    ProjectFactory(title="Needs Excel", required_skills=[excel])
    ProjectFactory(title="Canva would help", nice_to_have_skills=[canva])
    ProjectFactory(title="Python only", required_skills=[python])

    one = browse(client, f"skills={excel.slug}")
    either = browse(client, f"skills={excel.slug}&skills={canva.slug}")

    assert "Needs Excel" in one
    assert "Canva would help" not in one
    assert "Needs Excel" in either
    assert "Canva would help" in either
    assert "Python only" not in either


def test_filters_combine(client):
    ProjectFactory(title="Short data gig", category=Category.DATA, duration_weeks=2, fee=900)
    ProjectFactory(title="Long data gig", category=Category.DATA, duration_weeks=8, fee=3200)
    ProjectFactory(title="Short events gig", category=Category.EVENTS, duration_weeks=2, fee=900)

    content = browse(client, "category=data&max_weeks=4&max_hours=10")

    assert "Short data gig" in content
    assert "Long data gig" not in content
    assert "Short events gig" not in content


@pytest.mark.parametrize(
    "bad",
    [
        "max_hours=abc",
        "min_pay=-5",
        "starts_after=notadate",
        "min_weeks=99",
        "category=space-travel",
        "skills=no-such-skill",
        "location_mode=moon",
        "min_weeks=6&max_weeks=3",
        f"starts_after={TODAY + timedelta(days=60)}&starts_before={TODAY}",
        "q=" + "x" * 300,
    ],
)
def test_a_bad_filter_value_is_reported_and_ignored_never_an_error_page(client, bad):
    ProjectFactory(title="Still listed", duration_weeks=6, fee=3000, earliest_start=TODAY + timedelta(days=60))

    content = browse(client, bad)

    assert "Some filters couldn't be used" in content
    assert "Still listed" in content


def test_good_filters_still_apply_beside_a_bad_one(client):
    ProjectFactory(title="Data project", category=Category.DATA)
    ProjectFactory(title="Events project", category=Category.EVENTS)

    content = browse(client, "category=data&max_hours=abc")

    assert "Hours per week, at most: Enter a whole number." in content
    assert "Data project" in content
    assert "Events project" not in content


@pytest.mark.parametrize("junk", ["sort=sideways", "page=abc", "page=-3", "page=999", "page=" + "9" * 30])
def test_junk_sort_or_page_falls_back_quietly(client, junk):
    ProjectFactory(title="Only project")
    assert "Only project" in browse(client, junk)


def test_sorting_by_newest_pay_and_closing_soon(client):
    now = timezone.now()
    ProjectFactory(title="Alpha", published_at=now - timedelta(days=3), fee=2000, apply_by=TODAY + timedelta(days=5))
    ProjectFactory(title="Bravo", published_at=now - timedelta(days=1), fee=1000, apply_by=TODAY + timedelta(days=9))
    ProjectFactory(title="Charlie", published_at=now - timedelta(days=2), fee=3000, apply_by=TODAY + timedelta(days=2))

    def order(query):
        content = browse(client, query)
        return sorted(["Alpha", "Bravo", "Charlie"], key=lambda title: content.index(f">{title}</a>"))

    assert order("") == ["Bravo", "Charlie", "Alpha"]
    assert order("sort=newest") == ["Bravo", "Charlie", "Alpha"]
    assert order("sort=pay") == ["Charlie", "Alpha", "Bravo"]
    assert order("sort=closing") == ["Charlie", "Alpha", "Bravo"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Ranking needs Postgres full-text search")
def test_a_text_search_ranks_title_matches_first_by_default(client):
    now = timezone.now()
    ProjectFactory(title="Brand refresh", description="Includes a newsletter template.", published_at=now)
    ProjectFactory(title="Monthly newsletter", published_at=now - timedelta(days=5))

    content = browse(client, "q=newsletter")

    assert content.index("Monthly newsletter") < content.index("Brand refresh")
    assert '<option value="relevance" selected>' in content


def test_pagination_shows_twenty_a_page_and_keeps_the_filters(client):
    business = BusinessFactory()
    ProjectFactory.create_batch(45, business=business, category=Category.DATA)
    ProjectFactory(title="Other category", business=business, category=Category.EVENTS)

    first = browse(client, "category=data")
    last = browse(client, "category=data&page=3")
    past_the_end = browse(client, "category=data&page=99")

    assert len(cards(first)) == 20
    assert "45 projects" in first
    assert "Page 1 of 3" in first
    assert 'href="?category=data&amp;sort=newest&amp;page=2"' in first
    assert len(cards(last)) == 5
    assert "Page 3 of 3" in last
    assert "Other category" not in first + last
    assert "Page 3 of 3" in past_the_end


def test_a_large_result_shows_a_capped_count_and_no_last_page(client, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 10)
    ProjectFactory.create_batch(25, business=BusinessFactory())

    content = browse(client)

    assert "10+ projects" in content
    assert "Page 1</span>" in content
    assert "Page 1 of" not in content
    assert 'rel="next"' in content
    assert "There are no more projects past this page." in browse(client, "page=" + "9" * 30)


def test_an_empty_result_says_so_and_offers_to_remove_each_filter(client):
    ProjectFactory(title="Garden volunteers rota", category=Category.EVENTS)

    content = browse(client, "q=zeppelin&category=events")

    assert "No projects match your search." in content
    assert 'href="?category=events&amp;sort=relevance">Remove “Search: zeppelin”' in content
    assert 'href="?q=zeppelin&amp;sort=relevance">Remove “Category: Events and community”' in content
    assert "Garden volunteers rota" not in content


def test_with_nothing_published_the_page_says_to_check_back(client):
    assert "No projects are open right now." in browse(client)


def _projects_with_skills(count):
    skills = [SkillFactory(name=f"Counting skill {n}") for n in range(3)]
    business = BusinessFactory()
    for _ in range(count):
        ProjectFactory(business=business, required_skills=skills[:2], nice_to_have_skills=skills[2:])
    return skills


# Capped count, page rows, the cards' skills; the filter form's skill choices are read once, then kept a minute.
ANONYMOUS_BROWSE_QUERIES = 3
# Plus the session, the user and the unread-notification count, and for a student their profile, to
# look up their match scores (none here: UserFactory has no profile).
SIGNED_IN_BROWSE_QUERIES = ANONYMOUS_BROWSE_QUERIES + 4


@pytest.mark.parametrize("size", [2, 30])
def test_browse_makes_the_same_few_queries_whatever_the_number_of_results(client, django_assert_num_queries, size):
    skills = _projects_with_skills(size)
    filtered = f"q=project&skills={skills[0].slug}&max_hours=20&sort=pay"

    with django_assert_num_queries(ANONYMOUS_BROWSE_QUERIES + 1):
        browse(client)
    with django_assert_num_queries(ANONYMOUS_BROWSE_QUERIES):
        browse(client, filtered)
    client.force_login(UserFactory())
    with django_assert_num_queries(SIGNED_IN_BROWSE_QUERIES):
        content = browse(client, filtered)
    assert len(cards(content)) == min(size, search.PAGE_SIZE)


def test_a_card_is_drawn_once_for_every_search_that_shows_it(client):
    ProjectFactory(title="Café menu photos", category=Category.MARKETING)
    ProjectFactory(title="Bakery ledger", category=Category.OPERATIONS)

    first = client.get(BROWSE)
    filtered = client.get(BROWSE, {"category": Category.MARKETING})

    def cards_drawn(response):
        return [template.name for template in response.templates].count("projects/_card.html")

    assert cards_drawn(first) == 2 and cards_drawn(filtered) == 0
    [menu_card] = cards(filtered.content.decode())
    assert "Café menu photos" in menu_card and menu_card in cards(first.content.decode())
