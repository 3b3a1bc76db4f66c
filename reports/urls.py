from django.contrib import admin
from django.urls import path

from reports import views

# Included by c2c.urls under /admin/impact/, inside the admin's own login and two-factor rules.
app_name = "reports"
urlpatterns = [
    path("", admin.site.admin_view(views.impact), name="impact"),
    path("figures.csv", admin.site.admin_view(views.figures_csv), name="figures_csv"),
    path("monthly.csv", admin.site.admin_view(views.monthly_csv), name="monthly_csv"),
]
