"""Delivery channels beyond the inbox. A channel is a class with `send(notification)`;
settings.XY_NOTIFICATION_CHANNELS lists the ones in use, so an SMS sender plugs in
by naming its class there."""

from django.conf import settings
from django.core.mail import send_mail


class Channel:
    def send(self, notification) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class EmailChannel(Channel):
    def send(self, notification) -> None:
        email = notification.recipient.email
        if not email:
            return
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.WAGTAILADMIN_BASE_URL}{notification.url}"
        send_mail(notification.title, body, None, [email], fail_silently=False)
