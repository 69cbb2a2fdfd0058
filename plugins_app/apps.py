from django.apps import AppConfig


class PluginsAppConfig(AppConfig):
    name = "plugins_app"
    verbose_name = "Plugins"

    def ready(self):
        from plugins_app import signals  # noqa: F401  (connects the receivers)
