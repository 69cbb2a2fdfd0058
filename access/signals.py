"""Every user, however created, becomes a write member of the default group (as in Dioptra)."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from access.roles import Role


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def join_default_group(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from access.services import default_group, membership_set

        membership_set(group=default_group(), user=instance, role=Role.WRITE)


def ensure_default_group(sender, **kwargs):
    from access.services import default_group

    default_group()
