"""The body of ``resourceImport``, and the one way it is carried out: the API and the import page
both validate with ``ResourceImportSerializer`` and call ``import_body``."""

from django.http import QueryDict
from rest_framework import serializers

from access.models import Group
from core.api.fields import VisiblePrimaryKeyField
from workflows import sources
from workflows.resource_import import DEFAULT_CONFIG, STRATEGIES, ImportResult, resources_import

SOURCE_TYPES = {"upload_archive": "archiveFile", "upload_files": "files", "git": "gitUrl"}
FILE_FIELDS = ("archiveFile", "files")
ONE_SOURCE = "Must only provide exactly one of ('gitUrl', 'archiveFile', 'files')."
SOURCE_REQUIRED = "field required when sourceType is {source_type!r}"
NO_GROUP = "Give the group to import into (its id)."


class ResourceImportSerializer(serializers.Serializer):
    group = VisiblePrimaryKeyField(
        Group,
        help_text="The group that will own what is imported.",
        error_messages={"null": NO_GROUP, "required": NO_GROUP},
    )
    sourceType = serializers.ChoiceField(list(SOURCE_TYPES))
    gitUrl = serializers.CharField(
        required=False,
        allow_blank=True,  # an HTML form sends its empty fields
        max_length=2000,
        help_text="A repository URL (https://, or a local path or file:// URL where allowed); "
        "#REF selects a branch, tag or commit.",
    )
    archiveFile = serializers.FileField(required=False, help_text="A .tar.gz of the folder.")
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),  # an empty __init__.py
        required=False,
        max_length=10_000,
        help_text="The folder's files, each named by its path in the folder.",
        style={"base_template": "input.html", "input_type": "file"},
    )
    configPath = serializers.CharField(
        default=DEFAULT_CONFIG, allow_blank=True, max_length=1000, help_text=DEFAULT_CONFIG
    )
    resolveNameConflictsStrategy = serializers.ChoiceField(list(STRATEGIES), default="fail")

    def to_internal_value(self, data):
        # An HTML form sends an empty file input as an empty text field.
        if isinstance(data, QueryDict):
            cleaned = QueryDict(mutable=True)
            for key, values in data.lists():
                if kept := [v for v in values if not (key in FILE_FIELDS and v == "")]:
                    cleaned.setlist(key, kept)
            data = cleaned
        return super().to_internal_value(data)

    def validate(self, data):
        given = [field for field in SOURCE_TYPES.values() if data.get(field)]
        expected = SOURCE_TYPES[data["sourceType"]]
        if len(given) > 1:
            raise serializers.ValidationError({"sourceType": [ONE_SOURCE]})
        if given != [expected]:
            message = SOURCE_REQUIRED.format(source_type=data["sourceType"])
            raise serializers.ValidationError({expected: [message]})
        data["configPath"] = data["configPath"] or DEFAULT_CONFIG
        return data


class UnreadableSource(Exception):
    """The source cannot be read safely; ``field`` is the body's field that gave it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def read_source(data: dict) -> sources.Source:
    """The import's files from a validated body (``UnreadableSource`` when they cannot be read
    safely)."""
    try:
        if data["sourceType"] == "upload_archive":
            return sources.from_archive(data["archiveFile"])
        if data["sourceType"] == "upload_files":
            named = ((getattr(f, "path_in_upload", f.name), f) for f in data["files"])
            return sources.from_files(named)
        return sources.from_git(data["gitUrl"])
    except sources.SourceError as error:
        raise UnreadableSource(SOURCE_TYPES[data["sourceType"]], str(error)) from error


def import_body(*, user, data: dict, source: sources.Source | None = None) -> ImportResult:
    """Carry out the import a validated body asks for (from ``source`` if the caller has read
    it already), all or nothing: ``UnreadableSource`` or ``ImportFailed`` otherwise. The caller
    has checked ``user``'s write role in the group."""
    return resources_import(
        user=user,
        group=data["group"],
        source=source or read_source(data),
        config_path=data["configPath"],
        on_conflict=data["resolveNameConflictsStrategy"],
    )
