from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    """Resource import and export in Dioptra's format, and the lint of entrypoint files."""

    name = "workflows"
    verbose_name = "Workflows"
