from .models import AccessLogEntry


def access_log_record(*, actor, supervisee=None, action: str, what: str, path: str = ""):
    return AccessLogEntry.objects.create(
        actor=actor, supervisee=supervisee, action=action, what=what[:200], path=path[:300]
    )
