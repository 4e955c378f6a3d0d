"""At release, a person who consented gets their volunteer-service certificates."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from portal.people.models import Supervisee


@receiver(pre_save, sender=Supervisee, dispatch_uid="volunteering_release_before")
def _remember_status(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._xy_status_before = None
        return
    instance._xy_status_before = (
        Supervisee.objects.filter(pk=instance.pk).values_list("status", flat=True).first())


@receiver(post_save, sender=Supervisee, dispatch_uid="volunteering_release_after")
def _certificates_at_release(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return
    before = getattr(instance, "_xy_status_before", None)
    if before == Supervisee.Status.IN_CORRECTION and instance.status == Supervisee.Status.RELEASED:
        from .services import certificates_on_release

        certificates_on_release(instance, issued_by=instance.caseworker or instance.user)


def _connect_filter_form_cache():
    """The activity list's cached filter form lists every theme, district and skill."""
    from django.db.models.signals import post_delete

    from portal.taxonomy.models import District, Skill

    from .filters import forget_filter_form
    from .models import Theme

    for model in (Theme, District, Skill):
        for signal in (post_save, post_delete):
            signal.connect(forget_filter_form, sender=model,
                           dispatch_uid=f"volunteering_filter_form_{signal is post_save}_"
                                        f"{model._meta.label_lower}")


_connect_filter_form_cache()
