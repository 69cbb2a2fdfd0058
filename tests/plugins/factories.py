"""Builders for plugin test data, over the services."""

from plugins_app import services
from plugins_app.models import PluginParameterType
from tests.api.mixins import unique_name


def builtin(group, name: str = "string") -> PluginParameterType:
    """A builtin type of ``group`` (every group has them)."""
    return PluginParameterType.objects.get(group=group, name=name, deleted_on__isnull=True)


def make_type(group, name=None, structure=None, user=None) -> PluginParameterType:
    return services.parameter_type_create(
        user=user, group=group, name=name or unique_name("type"), structure=structure
    )


def make_plugin(group, name=None, user=None):
    return services.plugin_create(user=user, group=group, name=name or unique_name("plugin"))


def function_task(name: str, *, inputs=(), outputs=()) -> dict:
    """A function task declaration from ``(name, type)`` pairs (inputs are required)."""
    return {
        "name": name,
        "inputParams": [{"name": n, "parameterType": t.pk, "required": True} for n, t in inputs],
        "outputParams": [{"name": n, "parameterType": t.pk} for n, t in outputs],
    }


def make_file(plugin, filename=None, *, contents="", tasks=None, user=None):
    return services.plugin_file_create(
        user=user,
        plugin=plugin,
        filename=filename or f"{unique_name('mod')}.py",
        contents=contents,
        tasks=tasks,
    )
