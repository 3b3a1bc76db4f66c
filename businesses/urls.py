from django.urls import path

from businesses import views

# Included by c2c.urls under the "businesses" namespace, with the owner's pages from workspace.urls.
urlpatterns = [
    path("register/", views.register, name="register"),
]
