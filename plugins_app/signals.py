"""The builtin parameter types exist in every group, from the moment it is created."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from access.models import Group


@receiver(post_save, sender=Group)
def create_builtin_types(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from plugins_app.services import ensure_builtin_types

        ensure_builtin_types(instance)
