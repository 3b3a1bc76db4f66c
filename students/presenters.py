"""A student as other people see them: a public name and the profile fields a business may read."""


def public_name(user) -> str:
    """The student's name for other people: never their email address."""
    return user.full_name or "A Campus to Commerce student"


def public_profile_fields(profile) -> dict:
    """What a business sees of a student: no email, no résumé contents, no private settings.

    Prefetch `skills__skill` and `interests` when calling this for many profiles.
    """
    return {
        "name": public_name(profile.user),
        "school": profile.school,
        "school_type": profile.get_school_type_display() if profile.school_type else "",
        "programme": profile.programme,
        "graduation_year": profile.graduation_year,
        "bio": profile.bio,
        "skills": [
            {"name": item.skill.name, "level": item.level, "level_label": item.get_level_display()}
            for item in profile.skills.all()
        ],
        "interests": [interest.name for interest in profile.interests.all()],
        "hours_per_week": profile.hours_per_week,
        "location_preference": profile.get_location_preference_display(),
        "city": profile.city,
        "state": profile.state,
        "links": {
            label: url
            for label, url in [
                ("Portfolio", profile.portfolio_url),
                ("LinkedIn", profile.linkedin_url),
                ("GitHub", profile.github_url),
            ]
            if url
        },
    }
