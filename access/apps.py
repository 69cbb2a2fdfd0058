from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = "Access"

    def ready(self):
        from access import signals

        post_migrate.connect(signals.ensure_default_group, sender=self)
