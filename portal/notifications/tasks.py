from django.utils.module_loading import import_string
from django_tasks import task


@task()
def deliver_notification(notification_id: int, channel_path: str) -> None:
    from .models import Notification

    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    import_string(channel_path)().send(notification)
