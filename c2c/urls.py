from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from businesses.urls import urlpatterns as partner_pages
from c2c import views
from c2c.home import home
from reports.public_urls import urlpatterns as public_pages
from workspace.urls import urlpatterns as owner_pages

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Campus to Commerce staff"
admin.site.site_title = "Campus to Commerce staff"
admin.site.index_title = "Moderation"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/impact/", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # One namespace for everything about businesses: registration (businesses), the owner's workspace, and
    # each business's public page (reports).
    path("businesses/", include((partner_pages + owner_pages + public_pages, "businesses"))),
    path("projects/", include("projects.urls")),
    path("students/", include("students.urls")),
    path("engagements/", include("engagements.urls")),
    path("notifications/", include("notifications.urls")),
]

handler400 = "c2c.views.bad_request"
handler404 = "c2c.views.page_not_found"
handler403 = "c2c.views.permission_denied"
handler500 = "c2c.views.server_error"
