from django.urls import path

from students import views

app_name = "students"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/setup/", views.onboarding, name="onboarding"),
    path("profile/export/", views.export, name="export"),
    path("profile/delete/", views.delete, name="delete"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/<slug:token>/", views.public_portfolio, name="public_portfolio"),
    path("<int:profile_pk>/", views.applicant, name="applicant"),
    path("<int:profile_pk>/resume/", views.resume, name="resume"),
]
