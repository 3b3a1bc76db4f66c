from django.shortcuts import get_object_or_404

from notifications.models import Notification


def notifications_for(user):
    return Notification.objects.filter(recipient=user)


def notification_for(user, pk) -> Notification:
    return get_object_or_404(notifications_for(user), pk=pk)


def unread_count(user) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()
