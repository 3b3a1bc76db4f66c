from django.urls import path

from workspace import views

# Included by c2c.urls under the "businesses" namespace (the owner's pages keep their addresses and names).
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/submit/", views.project_submit, name="project_submit"),
    path("projects/<int:pk>/withdraw/", views.project_withdraw, name="project_withdraw"),
    path("projects/<int:pk>/applicants/", views.applicants, name="applicants"),
    path("projects/<int:pk>/recommended/", views.recommended_students, name="recommended"),
    path(
        "projects/<int:pk>/recommended/<int:profile_pk>/invite/",
        views.invite_student,
        name="invite_student",
    ),
    path("applications/<int:pk>/offer/", views.make_offer, name="make_offer"),
    path(
        "applications/<int:pk>/<slug:decision>/",
        views.application_decide,
        name="application_decide",
    ),
]
