"""Background work of operations (django-tasks)."""

from django_tasks import task


@task()
def apply_retention_task() -> int:
    """The retention rule (portal.ops.retention); schedule daily. Answers how many people
    were anonymised."""
    from .retention import retention_apply

    return len(retention_apply())
