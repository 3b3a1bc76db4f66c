from django.urls import path

from reports import views

# Included by c2c.urls under the "businesses" namespace: /businesses/<id>/ is the business's public page.
urlpatterns = [
    path("<int:pk>/", views.business_page, name="public"),
]
