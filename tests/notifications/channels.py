"""A stand-in SMS channel for the tests: records what it was asked to send."""

SENT = []


class RecordingSmsChannel:
    def send(self, notification):
        SENT.append((notification.recipient_id, notification.title))
