"""The home page: the catalogue's front door, and a signed-in student's recommendations.

Part of the site's wiring (with c2c.urls): it reads from matching, which sits above the rest of c2c.
"""

from django.shortcuts import render

from c2c.page_cache import cached_page
from matching.selectors import recommended_projects_for


@cached_page
def home(request):
    user = request.user
    context = {}
    if user.is_authenticated and user.is_student:
        profile = getattr(user, "student_profile", None)
        context = {
            "recommendations": recommended_projects_for(user),
            "profile_finished": profile is not None and profile.is_onboarded,
        }
    return render(request, "home.html", context)
