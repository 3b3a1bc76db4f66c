from django.urls import path

from engagements import views

app_name = "engagements"

urlpatterns = [
    path("", views.engagement_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/hand-in/", views.hand_in, name="hand_in"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/messages/", views.post_message, name="message"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/payment-sent/", views.payment_sent, name="payment_sent"),
    path("<int:pk>/payment-received/", views.payment_received, name="payment_received"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("submissions/<int:pk>/file/", views.submission_file, name="submission_file"),
]
