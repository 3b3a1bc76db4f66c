import secrets
from datetime import timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from activity.services import record_status_change
from businesses.enums import BusinessStatus, Industry, OrganisationSize, OrganisationType
from businesses.models import Business, Membership
from catalogue.models import Interest, Skill
from matching import lists as matching_lists
from matching import services as matching
from matching.facts import matchable_projects, matchable_students
from projects import services as project_services
from projects.enums import Category, LocationMode, ProjectStatus
from projects.models import Application, Project
from students.enums import LocationPreference, SchoolType, SkillLevel
from students.models import AvailabilityWindow, StudentProfile, StudentSkill

# Only for the local demo (DEBUG=true): printed in the README, so known to everyone.
DEMO_PASSWORD = "demo-pass-2026"
RANDOM_PASSWORDS_FLAG = "--random-passwords"

DEMO_USERS = [
    # (email, full name, role, is staff): the logins printed at the end. Other demo owners can't log in.
    ("staff@demo.c2c.local", "Sam Staff", Role.STAFF, True),
    ("student@demo.c2c.local", "Maya Student", Role.STUDENT, False),
    ("owner@demo.c2c.local", "Omar Owner", Role.BUSINESS, False),
]

# (domain, name, type, industry, city, status, owner email, owner name)
DEMO_BUSINESSES = [
    (
        "riverside-books.example",
        "Riverside Community Books",
        OrganisationType.SMALL_BUSINESS,
        Industry.RETAIL,
        "Dayton",
        BusinessStatus.APPROVED,
        "owner@demo.c2c.local",
        "Omar Owner",
    ),
    (
        "eastside-food-bank.example",
        "Eastside Food Bank",
        OrganisationType.NONPROFIT,
        Industry.SOCIAL,
        "Columbus",
        BusinessStatus.APPROVED,
        "director@foodbank.demo.c2c.local",
        "Dana Director",
    ),
    (
        "greenline-bikes.example",
        "Greenline Bike Co-op",
        OrganisationType.SOCIAL_ENTERPRISE,
        Industry.ENVIRONMENT,
        "Cincinnati",
        BusinessStatus.APPROVED,
        "coop@greenline.demo.c2c.local",
        "Chris Cooper",
    ),
    (
        "mainstreet-alliance.example",
        "Main Street Merchants Alliance",
        OrganisationType.COMMUNITY,
        Industry.PROFESSIONAL,
        "Toledo",
        BusinessStatus.APPROVED,
        "alliance@mainstreet.demo.c2c.local",
        "Ali Khan",
    ),
    (
        "sunrise-bakery.example",
        "Sunrise Bakery",
        OrganisationType.SMALL_BUSINESS,
        Industry.FOOD,
        "Akron",
        BusinessStatus.PENDING,
        "rosa@sunrise.demo.c2c.local",
        "Rosa Diaz",
    ),
]

# (business domain, title, category, weeks, hours, fee, mode, required skills, nice skills, interests, status)
DEMO_PROJECTS = [
    (
        "riverside-books.example",
        "Instagram campaign for our reading clubs",
        Category.MARKETING,
        4,
        6,
        "480",
        LocationMode.REMOTE,
        ["Social media marketing", "Content writing"],
        ["Canva"],
        ["Arts and culture"],
        ProjectStatus.PUBLISHED,
    ),
    (
        "riverside-books.example",
        "Quarterly bookkeeping reconciliation",
        Category.FINANCE,
        2,
        10,
        "400",
        LocationMode.HYBRID,
        ["Bookkeeping", "Reconciliation"],
        ["QuickBooks"],
        ["Retail"],
        ProjectStatus.PUBLISHED,
    ),
    (
        "eastside-food-bank.example",
        "Donor database analysis",
        Category.DATA,
        3,
        10,
        "600",
        LocationMode.REMOTE,
        ["Excel", "Data analysis"],
        ["Data visualization"],
        ["Food security", "Social services"],
        ProjectStatus.PUBLISHED,
    ),
    (
        "eastside-food-bank.example",
        "Volunteer fair event support",
        Category.EVENTS,
        5,
        6,
        "540",
        LocationMode.ONSITE,
        ["Event planning", "Volunteer coordination"],
        ["Spanish"],
        ["Food security"],
        ProjectStatus.PUBLISHED,
    ),
    (
        "greenline-bikes.example",
        "Online booking page for repair clinics",
        Category.WEB,
        6,
        8,
        "1200",
        LocationMode.REMOTE,
        ["HTML and CSS", "JavaScript"],
        ["Accessibility testing"],
        ["Climate action"],
        ProjectStatus.PUBLISHED,
    ),
    (
        "greenline-bikes.example",
        "Market research: e-bike rentals",
        Category.RESEARCH,
        4,
        6,
        "480",
        LocationMode.HYBRID,
        ["Market research", "Business writing"],
        ["Customer interviews"],
        ["Environment"],
        ProjectStatus.PUBLISHED,
    ),
    (
        "mainstreet-alliance.example",
        "Shop-local social media toolkit",
        Category.DESIGN,
        3,
        8,
        "480",
        LocationMode.REMOTE,
        ["Graphic design", "Canva"],
        ["Copywriting"],
        ["Small business growth"],
        ProjectStatus.SUBMITTED,
    ),
]


class Command(BaseCommand):
    help = (
        "Load demo accounts and data. Idempotent: running it again creates nothing new. With DEBUG=true the "
        f"demo logins share a published password; with DEBUG=false it refuses unless given {RANDOM_PASSWORDS_FLAG}, "
        "and then each login gets a random password, printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            RANDOM_PASSWORDS_FLAG,
            action="store_true",
            help="Give each demo login a random password, printed once (needed when DEBUG is false).",
        )

    def handle(self, *args, random_passwords, **options):
        if not settings.DEBUG and not random_passwords:
            raise CommandError(
                "DEBUG is false, so this looks like a real deployment, where the demo's published password would "
                f"let anyone in. Run `manage.py seed_demo {RANDOM_PASSWORDS_FLAG}` to load the demo with random "
                "passwords, printed once."
            )
        self.random_passwords = random_passwords
        self.new_passwords = {}
        # Demo events notify staff and owners; their emails would only bury the logins printed below.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            created = sum(self._user(email, name, role, is_staff)[1] for email, name, role, is_staff in DEMO_USERS)
            staff = User.objects.get(email=DEMO_USERS[0][0])
            for spec in DEMO_BUSINESSES:
                created += self._business(staff, *spec)
            for spec in DEMO_PROJECTS:
                created += self._project(staff, *spec)
            created += self._student_profile(User.objects.get(email=DEMO_USERS[1][0]))
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self._matches()
        self.stdout.write(f"Demo data ready ({created} new rows). Log in at /accounts/login/ with:")
        for email, _, role, _ in DEMO_USERS:
            if not random_passwords:
                password = DEMO_PASSWORD
            else:
                password = self.new_passwords.get(email, "(unchanged: it was shown when the login was created)")
            self.stdout.write(f"  {role.label:<16} {email}  password: {password}")
        if random_passwords and self.new_passwords:
            self.stdout.write("These passwords are shown only now. Keep them, or use “Forgot password?” later.")
        self.stdout.write("Staff set up an authenticator app (two-factor) the first time they open /admin/.")

    def _matches(self):
        """Score the demo now, so recommendations show at once (the worker keeps them fresh afterwards).

        Only the demo's own students and projects: other data in the database waits for `rebuild_matches`.
        """
        context = matching_lists.Context()
        demo_students = matchable_students().filter(user__email__in=[email for email, *_ in DEMO_USERS])
        for profile_id in demo_students.values_list("pk", flat=True):
            matching.refresh_student(profile_id, context=context)
        demo_projects = matchable_projects().filter(business__website_domain__in=[spec[0] for spec in DEMO_BUSINESSES])
        for project_id in demo_projects.values_list("pk", flat=True):
            matching.refresh_project(project_id, context=context)
        self.stdout.write("  matches scored for the demo students and projects")

    def _user(self, email, full_name, role, is_staff=False):
        user, was_created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": full_name, "role": role, "is_staff": is_staff, "is_superuser": is_staff},
        )
        if was_created:
            user.set_password(self._password_for(email))
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user, int(was_created)

    def _password_for(self, email) -> str | None:
        """The local demo's shared password; otherwise a random one for the printed logins and none for others."""
        if not self.random_passwords:
            return DEMO_PASSWORD
        if email not in {login[0] for login in DEMO_USERS}:
            return None  # set_password(None) makes the password unusable.
        self.new_passwords[email] = secrets.token_urlsafe(18)
        return self.new_passwords[email]

    def _business(self, staff, domain, name, org_type, industry, city, status, owner_email, owner_name) -> int:
        owner, created = self._user(owner_email, owner_name, Role.BUSINESS)
        business, was_created = Business.objects.get_or_create(
            website_domain=domain,
            defaults={
                "name": name,
                "org_type": org_type,
                "industry": industry,
                "size": OrganisationSize.MICRO,
                "website": f"https://{domain}",
                "city": city,
                "state": "OH",
                "description": f"{name} is a {org_type.label.lower()} in {city}, Ohio.",
                "contact_name": owner_name,
                "contact_email": owner_email,
                "agreed_to_pay_students": True,
                "agreed_to_terms": True,
                "status": status,
            },
        )
        if not was_created:
            return created
        self.stdout.write(f"  business {name} ({status.label.lower()})")
        Membership.objects.get_or_create(user=owner, defaults={"business": business, "title": "Owner"})
        record_status_change(
            actor=owner, target=business, from_state="", to_state=BusinessStatus.PENDING, reason="Registered"
        )
        if status != BusinessStatus.PENDING:
            record_status_change(
                actor=staff, target=business, from_state=BusinessStatus.PENDING, to_state=status, reason="Demo"
            )
        return created + 1

    def _project(self, staff, domain, title, category, weeks, hours, fee, mode, required, nice, interests, status):
        business = Business.objects.get(website_domain=domain)
        if Project.objects.filter(business=business, title=title).exists():
            return 0
        owner = business.memberships.first().user
        today = timezone.localdate()
        project = project_services.create_project(
            actor=owner,
            business=business,
            data={
                "title": title,
                "summary": f"{title}: a {weeks}-week paid project with {business.name}.",
                "description": (
                    f"{business.name} needs help with {title.lower()}. You'll work with our team, "
                    "share progress weekly and hand over clear deliverables at the end."
                ),
                "category": category,
                "duration_weeks": weeks,
                "hours_per_week": hours,
                "fee": Decimal(fee),
                "earliest_start": today + timedelta(days=21),
                "apply_by": today + timedelta(days=14),
                "location_mode": mode,
                "city": "" if mode == LocationMode.REMOTE else business.city,
                "state": "" if mode == LocationMode.REMOTE else "OH",
                "openings": 1,
                "screening_questions": ["Tell us about a similar project you have done."],
            },
            deliverables=["Kick-off notes and plan", "Main deliverable", "Hand-over summary"],
            skills={
                "required_skills": list(Skill.objects.filter(name__in=required)),
                "nice_to_have_skills": list(Skill.objects.filter(name__in=nice)),
                "interests": list(Interest.objects.filter(name__in=interests)),
            },
            submit=True,
        )
        if status == ProjectStatus.PUBLISHED:
            project_services.transition_project(project=project, to_status=ProjectStatus.PUBLISHED, actor=staff)
        self.stdout.write(f"  project {title} ({status.label.lower()})")
        return 1

    def _student_profile(self, user) -> int:
        """Maya: a finished profile and one application waiting for Riverside Community Books' answer."""
        profile, was_created = StudentProfile.objects.get_or_create(
            user=user,
            defaults={
                "school": "Sinclair Community College",
                "school_type": SchoolType.COMMUNITY_COLLEGE,
                "programme": "Marketing (A.A.S.)",
                "graduation_year": timezone.localdate().year + 1,
                "bio": "I work 20 hours a week at a grocery store and run my church's Instagram.",
                "hours_per_week": 12,
                "location_preference": LocationPreference.HYBRID,
                "city": "Dayton",
                "state": "OH",
                "discoverable": True,
                "onboarding_completed_at": timezone.now(),
            },
        )
        if not was_created:
            return 0
        levels = {"Social media marketing": SkillLevel.ADVANCED, "Copywriting": SkillLevel.INTERMEDIATE, "Canva": None}
        for skill in Skill.objects.filter(name__in=levels):
            StudentSkill.objects.create(profile=profile, skill=skill, level=levels[skill.name] or SkillLevel.BEGINNER)
        profile.interests.set(Interest.objects.filter(name__in=["Retail", "Education", "Small business growth"]))
        today = timezone.localdate()
        AvailabilityWindow.objects.create(profile=profile, starts_on=today, ends_on=today + timedelta(days=120))
        project = Project.objects.filter(
            business__website_domain="riverside-books.example", status=ProjectStatus.PUBLISHED
        ).first()
        if project and not Application.objects.filter(project=project, student=user).exists():
            project_services.apply_to_project(
                actor=user,
                project=project,
                cover_note="I run my church's Instagram and would love to grow your reading clubs.",
                answers=["I planned a month of posts for our youth group's food drive."][
                    : len(project.screening_questions)
                ],
                confirmed_availability=True,
            )
        self.stdout.write(f"  student profile and an application for {user.get_full_name()}")
        return 1
