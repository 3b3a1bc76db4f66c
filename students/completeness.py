"""How complete a student's profile is, what is still missing, and where set-up resumes: the one
place that says what a finished profile needs."""

from dataclasses import dataclass

from students.enums import LocationPreference, OnboardingStep
from students.selectors import current_windows


@dataclass(frozen=True)
class ProfileCheck:
    key: str
    label: str
    prompt: str
    step: str
    weight: int
    done: bool
    for_matching: bool
    # Asked for by the set-up steps; everything else is an optional extra.
    required: bool


@dataclass(frozen=True)
class Completeness:
    percent: int
    checks: tuple[ProfileCheck, ...]

    @property
    def missing(self) -> list[ProfileCheck]:
        return [check for check in self.checks if not check.done]

    @property
    def missing_for_matching(self) -> list[ProfileCheck]:
        return [check for check in self.missing if check.for_matching]

    @property
    def missing_required(self) -> list[ProfileCheck]:
        return [check for check in self.missing if check.required]

    @property
    def missing_extras(self) -> list[ProfileCheck]:
        return [check for check in self.missing if not check.required]

    @property
    def extras(self) -> list[ProfileCheck]:
        return [check for check in self.checks if not check.required]

    @property
    def is_complete(self) -> bool:
        return self.percent == 100


def completeness(profile, *, skill_count: int, interest_count: int, window_count: int) -> Completeness:
    """How much of the profile is filled in, as a percentage, and what is still missing.

    A pure function of the profile's own fields and three counts (skills, interests, and date
    ranges that haven't ended yet), so it is cheap to test and to call from anywhere. Weights
    favour what matching uses: skills, hours, dates, interests and location make up 65%.
    """
    # Students who can work in person must give their city (the availability step asks for it).
    in_person = profile.location_preference != LocationPreference.REMOTE
    checks = (
        ProfileCheck(
            "school",
            "School",
            "Tell us where you study and what kind of school it is.",
            OnboardingStep.SCHOOL,
            10,
            bool(profile.school and profile.school_type),
            False,
            True,
        ),
        ProfileCheck(
            "studies",
            "Programme and graduation year",
            "Add your programme or major and when you expect to finish.",
            OnboardingStep.SCHOOL,
            10,
            bool(profile.programme and profile.graduation_year),
            False,
            False,
        ),
        ProfileCheck(
            "bio",
            "Short bio",
            "Write a few sentences about yourself: businesses read this first.",
            OnboardingStep.SCHOOL,
            5,
            bool(profile.bio.strip()),
            False,
            False,
        ),
        ProfileCheck(
            "skills",
            "Skills",
            "Pick the skills you have, even as a beginner, so we can match you to projects.",
            OnboardingStep.SKILLS,
            20,
            skill_count > 0,
            True,
            True,
        ),
        ProfileCheck(
            "interests",
            "Interests",
            "Choose the industries and causes you care about.",
            OnboardingStep.INTERESTS,
            10,
            interest_count > 0,
            True,
            True,
        ),
        ProfileCheck(
            "hours",
            "Hours a week",
            "Say how many hours a week you can give, so we never suggest more than that.",
            OnboardingStep.AVAILABILITY,
            15,
            profile.hours_per_week is not None,
            True,
            True,
        ),
        ProfileCheck(
            "windows",
            "Dates you can work",
            "Add the dates you can work (your earlier dates may have passed).",
            OnboardingStep.AVAILABILITY,
            15,
            window_count > 0,
            True,
            True,
        ),
        ProfileCheck(
            "location",
            "City and state",
            "Add your city and state so we can also show you local and hybrid projects."
            if in_person
            else "Add your city and state: if you can ever work in person, we can show you local projects too.",
            OnboardingStep.AVAILABILITY,
            5,
            bool(profile.city and (profile.state or in_person)),
            in_person,
            in_person,
        ),
        ProfileCheck(
            "links",
            "Links",
            "Add a portfolio, LinkedIn or GitHub link if you have one.",
            OnboardingStep.LINKS,
            5,
            bool(profile.portfolio_url or profile.linkedin_url or profile.github_url),
            False,
            False,
        ),
        ProfileCheck(
            "resume",
            "Résumé",
            "Upload your résumé as a PDF.",
            OnboardingStep.LINKS,
            5,
            bool(profile.resume),
            False,
            False,
        ),
    )
    percent = sum(check.weight for check in checks if check.done)
    return Completeness(percent=percent, checks=checks)


def profile_counts(profile) -> dict:
    return {
        "skill_count": profile.skills.count(),
        "interest_count": profile.interests.count(),
        "window_count": current_windows(profile).count(),
    }


def profile_completeness(profile) -> Completeness:
    return completeness(profile, **profile_counts(profile))


def step_is_done(profile, step, checks: tuple[ProfileCheck, ...]) -> bool:
    """A set-up step is done when every check it asks for is; the last step, when the student finished set-up."""
    if step == OnboardingStep.LINKS:
        return profile.is_onboarded
    return all(check.done for check in checks if check.step == step and check.required)


def first_incomplete_step(profile, *, include_last: bool = True) -> str | None:
    """Where onboarding resumes: the first step still missing something, or None when all are done."""
    checks = profile_completeness(profile).checks
    steps = list(OnboardingStep) if include_last else list(OnboardingStep)[:-1]
    for step in steps:
        if not step_is_done(profile, step, checks):
            return step
    return None
