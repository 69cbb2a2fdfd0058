from django.apps import AppConfig


class EntrypointsConfig(AppConfig):
    name = "entrypoints"
    verbose_name = "Entrypoints"
