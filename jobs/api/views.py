"""``/queues/``, ``/experiments/`` (with their entrypoints and jobs), ``/jobs/`` (status,
parameters, log, metrics) and ``/artifacts/`` (files and contents), as Dioptra 1.2 serves them.

Thin: bodies are checked by the serializers, writes go through ``jobs.services``, reads through
``jobs.selectors`` (``for_user`` scoped: other groups' objects answer 404, a reader's writes
403). Dioptra's MLflow routes (``.../mlflowRun``) are not provided: they answer 404.
"""

from urllib.parse import urlencode

from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.refs import EntrypointRefSerializer, ref_url
from core.api.related import related_ids_mixin
from core.api.search import apply_list_query, tag_search
from core.api.serializers import DeletedSerializer
from core.api.snapshots import SnapshotsMixin, snapshots_schema
from core.api.viewsets import GroupOwnedViewSet, deleted_response
from entrypoints import engine
from jobs import selectors, services
from jobs.api.serializers import (
    ArtifactContentsQuerySerializer,
    ArtifactFileSerializer,
    ArtifactQuerySerializer,
    ArtifactSerializer,
    ArtifactUpdateSerializer,
    ExperimentCreateSerializer,
    ExperimentSerializer,
    ExperimentUpdateSerializer,
    JobCreateSerializer,
    JobMetricsSerializer,
    JobQuerySerializer,
    JobSerializer,
    JobStatusRequestSerializer,
    JobStatusSerializer,
    LogQuerySerializer,
    LogRecordSerializer,
    LogRecordsSerializer,
    MetricSerializer,
    MetricValueField,
    QueueCreateSerializer,
    QueueSerializer,
    QueueUpdateSerializer,
)
from jobs.artifact_files import artifact_download
from jobs.models import Artifact, Experiment, Job, JobStatus, Queue
from tags.api.views import ResourceTagsMixin

TIMES = {"createdOn": "created_on", "lastModifiedOn": "last_modified_on"}
JOB_ID = OpenApiParameter("job_id", OpenApiTypes.INT, OpenApiParameter.PATH)
SNAPSHOT_ID = OpenApiParameter("snapshot_id", OpenApiTypes.INT, OpenApiParameter.PATH)
METRIC_NAME = OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH)
PAGE = [
    OpenApiParameter("index", OpenApiTypes.INT, OpenApiParameter.QUERY),
    OpenApiParameter("pageLength", OpenApiTypes.INT, OpenApiParameter.QUERY),
]
LIST_QUERY = [
    *PAGE,
    OpenApiParameter("search", OpenApiTypes.STR, OpenApiParameter.QUERY),
    OpenApiParameter("sortBy", OpenApiTypes.STR, OpenApiParameter.QUERY),
    OpenApiParameter("descending", OpenApiTypes.BOOL, OpenApiParameter.QUERY),
]


def page_of(serializer_class, name: str):
    """The schema of a page (Dioptra's envelope) of ``serializer_class``."""
    return inline_serializer(
        name,
        {
            "index": serializers.IntegerField(),
            "isComplete": serializers.BooleanField(),
            "totalNumResults": serializers.IntegerField(),
            "first": serializers.CharField(),
            "prev": serializers.CharField(required=False),
            "next": serializers.CharField(required=False),
            "data": serializer_class(many=True),
        },
    )


# Queues ------------------------------------------------------------------------------------------


@snapshots_schema(QueueSerializer)
class QueueViewSet(SnapshotsMixin, ResourceTagsMixin, GroupOwnedViewSet):
    """Queues ``{group, name, description}``: versioned (snapshot, ETag, If-Match)."""

    queryset = Queue.objects.select_related("group", "creator").prefetch_related("tags__group")
    serializer_class = QueueSerializer
    lookup_value_regex = "[0-9]+"
    search_fields = {"name": "name", "description": "description"}
    sort_fields = {"name": "name", **TIMES}
    body_serializers = {"create": QueueCreateSerializer, "update": QueueUpdateSerializer}

    @extend_schema(request=QueueCreateSerializer, responses=QueueSerializer)
    def create(self, request):
        data = self.validated()
        self.require(data["group"])
        queue = services.queue_create(
            user=request.user,
            group=data["group"],
            name=data["name"],
            description=data["description"],
        )
        return self.written(queue)

    @extend_schema(request=QueueUpdateSerializer, responses=QueueSerializer)
    def update(self, request, pk=None):
        queue = self.get_writable_object()
        data = self.validated()
        queue = services.queue_update(user=request.user, queue=queue, **data)
        return self.written(queue)

    def destroy(self, request, pk=None):
        queue = self.get_writable_object()
        services.queue_delete(user=request.user, queue=queue)
        return deleted_response(queue.pk)


# Jobs, wherever they are read ---------------------------------------------------------------------

JOB_SEARCH_FIELDS = {
    "description": "description",
    "status": "status",
    "timeout": "timeout",
    "tag": tag_search(Job),
}
JOB_SORT_FIELDS = {
    "id": "pk",
    "description": "description",
    "status": "status",
    "experiment": "experiment__name",
    "entrypoint": "entrypoint_snapshot__name",
    "queue": "queue__name",
    **TIMES,
}


def metric_data(metric) -> dict:
    return {
        "name": metric.name,
        "value": MetricValueField().to_representation(metric.value),
        "step": metric.step,
        "timestamp": metric.timestamp,
    }


class JobAnswersMixin:
    """Reading one job, and answering a job, for the viewsets that serve jobs."""

    def job_of(self, pk, *, experiment=None) -> Job:
        """A readable job with everything its JSON shows (404 otherwise)."""
        try:
            return selectors.job_get(user=self.request.user, pk=pk, experiment=experiment)
        except ObjectDoesNotExist:
            raise Http404 from None

    def job_response(self, job: Job) -> Response:
        """A job read with everything its JSON shows (``job_of``), and its ETag."""
        response = Response(JobSerializer(job).data)
        response["ETag"] = f'"{job.snapshot_id}"'
        return response

    def job_answer(self, job: Job) -> Response:
        """What a write of ``job`` answers: the job as a read shows it now (new snapshot)."""
        return self.job_response(self.job_of(job.pk))

    def job_page(self, jobs, *, group_lookup=None) -> Response:
        """A page of ``jobs`` after the list query (``groupId`` on ``group_lookup``)."""
        jobs = apply_list_query(
            self.request.query_params,
            jobs,
            search_fields=JOB_SEARCH_FIELDS,
            sort_fields=JOB_SORT_FIELDS,
            group_lookup=group_lookup,
        )
        page = self.paginate_queryset(jobs)
        return self.get_paginated_response(JobSerializer(page, many=True).data)

    def job_status(self, request, job: Job) -> Response:
        """``GET``: ``{id, status}``; ``PUT {status}``: reset (``queued``, ``reset``) or cancel."""
        if request.method == "PUT":
            self.require(job.group)
            wanted = self.validated()["status"]
            change = services.job_cancel if wanted == JobStatus.CANCELLED else services.job_reset
            job = change(user=request.user, job=job)
        return Response({"id": job.pk, "status": job.status})


# Experiments -------------------------------------------------------------------------------------

EXPERIMENT_FIELDS = {"name": "name", "description": "description"}

ExperimentEntrypointsMixin = related_ids_mixin(
    "entrypoints",
    item="entrypoint",
    ref_serializer=EntrypointRefSerializer,
    description="The entrypoints whose jobs the experiment holds: POST appends, PUT replaces, "
    "DELETE clears.",
)


@snapshots_schema(ExperimentSerializer)
class ExperimentViewSet(
    JobAnswersMixin,
    SnapshotsMixin,
    ResourceTagsMixin,
    ExperimentEntrypointsMixin,
    GroupOwnedViewSet,
):
    """Experiments ``{group, name, description, entrypoints}``: versioned (the entrypoints are
    not); their jobs are created here (Dioptra's ``client.experiments.jobs``)."""

    serializer_class = ExperimentSerializer
    lookup_value_regex = "[0-9]+"
    search_fields = {**EXPERIMENT_FIELDS, "tag": tag_search(Experiment)}
    sort_fields = {**EXPERIMENT_FIELDS, **TIMES}
    body_serializers = {"create": ExperimentCreateSerializer, "update": ExperimentUpdateSerializer}
    live_attributes = ("live_entrypoints",)

    def get_queryset(self):
        return selectors.experiment_list(user=self.request.user)

    @extend_schema(request=ExperimentCreateSerializer, responses=ExperimentSerializer)
    def create(self, request):
        data = self.validated()
        self.require(data["group"])
        experiment = services.experiment_create(user=request.user, **data)
        return self.written(experiment)

    @extend_schema(request=ExperimentUpdateSerializer, responses=ExperimentSerializer)
    def update(self, request, pk=None):
        experiment = self.get_writable_object()
        data = self.validated()
        experiment = services.experiment_update(user=request.user, experiment=experiment, **data)
        return self.written(experiment)

    @extend_schema(responses={200: DeletedSerializer})
    def destroy(self, request, pk=None):
        experiment = self.get_writable_object()
        services.experiment_delete(user=request.user, experiment=experiment)
        return deleted_response(experiment.pk)

    @extend_schema(
        methods=["GET"],
        request=None,
        parameters=LIST_QUERY,
        responses=page_of(JobSerializer, "ExperimentJobsPage"),
    )
    @extend_schema(methods=["POST"], request=JobCreateSerializer, responses=JobSerializer)
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="jobs",
        serializer_class=JobCreateSerializer,
        filter_backends=[],
    )
    def jobs(self, request, pk=None):
        """The experiment's jobs; POST queues a job (refused, with a message per field, when it
        could not run)."""
        experiment = self.get_object()
        if request.method == "GET":
            return self.job_page(selectors.job_list(user=request.user, experiment=experiment))
        self.require(experiment.group)
        job = services.job_create(user=request.user, experiment=experiment, **self.validated())
        return self.job_answer(job)

    @extend_schema(methods=["GET"], parameters=[JOB_ID], responses=JobSerializer)
    @extend_schema(methods=["DELETE"], parameters=[JOB_ID], responses={200: DeletedSerializer})
    @action(detail=True, methods=["get", "delete"], url_path=r"jobs/(?P<job_id>[0-9]+)")
    def job(self, request, pk=None, job_id=None):
        """One of the experiment's jobs; DELETE cancels it if it is still active."""
        job = self.job_of(job_id, experiment=self.get_object())
        if request.method == "DELETE":
            self.require(job.group)
            services.job_delete(user=request.user, job=job)
            return deleted_response(job.pk)
        return self.job_response(job)

    @extend_schema(
        parameters=LIST_QUERY,
        responses=page_of(JobMetricsSerializer, "ExperimentMetricsPage"),
    )
    @action(detail=True, methods=["get"], url_path="metrics", filter_backends=[])
    def metrics(self, request, pk=None):
        """The latest value of each metric of each of the experiment's jobs (a page of jobs,
        with the jobs' list query)."""
        jobs = apply_list_query(
            request.query_params,
            Job.objects.for_user(request.user, "read").filter(experiment=self.get_object()),
            search_fields=JOB_SEARCH_FIELDS,
            sort_fields=JOB_SORT_FIELDS,
            group_lookup=None,
        )
        page = self.paginate_queryset(jobs.only("pk"))
        latest = selectors.jobs_metrics_latest(job_ids=[job.pk for job in page])
        return self.get_paginated_response(
            [{"id": job.pk, "metrics": [metric_data(m) for m in latest[job.pk]]} for job in page]
        )

    @extend_schema(methods=["GET"], parameters=[JOB_ID], responses=JobStatusSerializer)
    @extend_schema(
        methods=["PUT"],
        parameters=[JOB_ID],
        request=JobStatusRequestSerializer,
        responses=JobStatusSerializer,
    )
    @action(
        detail=True,
        methods=["get", "put"],
        url_path=r"jobs/(?P<job_id>[0-9]+)/status",
        serializer_class=JobStatusRequestSerializer,
    )
    def job_status_of(self, request, pk=None, job_id=None):
        """``{id, status}``; PUT ``queued`` (or ``reset``) queues an ended job again,
        ``cancelled`` cancels an active one."""
        return self.job_status(request, self.job_of(job_id, experiment=self.get_object()))


# Jobs --------------------------------------------------------------------------------------------

LOG_SEARCH_FIELDS = {
    "severity": "severity",
    "message": "message",
    "loggerName": "logger_name",
    "logger_name": "logger_name",
}
LOG_SORT_FIELDS = {"createdOn": "created_on", "severity": "severity", "loggerName": "logger_name"}


def artifact_parameter_data(artifact, snapshot_id: int) -> dict:
    """Dioptra's ``/jobs/{id}/artifactParameters`` entry (snake_case, as Dioptra sends it)."""
    plugin, plugin_file, task = artifact.task_plugin, artifact.task_file, artifact.task_declaration
    types = plugin.manifest.get("types", {}) if plugin else {}
    return {
        "artifact_id": artifact.pk,
        "artifact_snapshot_id": snapshot_id,
        "artifact_uri": artifact.file.name,
        "is_dir": artifact.is_dir,
        "artifact_task": {
            "plugin_id": plugin.id if plugin else None,
            "plugin_name": plugin.name if plugin else None,
            "plugin_snapshot_id": artifact.plugin_snapshot_id,
            "file_name": plugin_file["filename"] if plugin_file else None,
            "task_name": artifact.task,
            "outputs": [
                {
                    "name": o["name"],
                    "type": (types.get(str(o["parameterType"])) or {}).get("name"),
                }
                for o in (task or {}).get("outputParams") or []
            ],
        },
    }


@snapshots_schema(JobSerializer)
class JobViewSet(JobAnswersMixin, SnapshotsMixin, ResourceTagsMixin, GroupOwnedViewSet):
    """Jobs: created under ``/experiments/{id}/jobs``; read, cancelled, reset, rerun and deleted
    here, with their log, metrics and parameters. Versioned: each status change is a snapshot."""

    serializer_class = JobSerializer
    lookup_value_regex = "[0-9]+"
    search_fields = JOB_SEARCH_FIELDS
    sort_fields = JOB_SORT_FIELDS
    live_attributes = ("step_rows", "live_artifacts")

    def get_queryset(self):
        return selectors.job_list(user=self.request.user)

    def snapshot_records(self, obj):
        return obj.history.select_related(
            "group", "creator", "queue", "experiment", "entrypoint_snapshot"
        ).order_by("history_id")

    def find(self, pk) -> Job:
        """The job alone (its log, metrics or status need nothing else), 404 otherwise."""
        try:
            return selectors.job_find(user=self.request.user, pk=pk)
        except ObjectDoesNotExist:
            raise Http404 from None

    @extend_schema(
        parameters=[
            OpenApiParameter("experiment", OpenApiTypes.INT, OpenApiParameter.QUERY),
            OpenApiParameter("entrypoint", OpenApiTypes.INT, OpenApiParameter.QUERY),
            OpenApiParameter("queue", OpenApiTypes.INT, OpenApiParameter.QUERY),
            OpenApiParameter(
                "status", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=JobStatus.values
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        """Jobs, with Dioptra's list query and our filters (``experiment``, ``entrypoint``,
        ``queue``: ids; ``status``)."""
        query = JobQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return self.job_page(self.get_queryset().filter(**query.filters()), group_lookup="group_id")

    def retrieve(self, request, pk=None):
        return self.job_response(self.job_of(pk))

    @extend_schema(responses={200: DeletedSerializer})
    def destroy(self, request, pk=None):
        job = self.get_writable_object()
        services.job_delete(user=request.user, job=job)
        return deleted_response(job.pk)

    # Status ---------------------------------------------------------------------------------------

    @extend_schema(responses=JobStatusSerializer)
    @action(detail=True, methods=["get"], url_path="status")
    def status(self, request, pk=None):
        """``{id, status}``: ``queued, started, deferred, finished, failed`` or ``cancelled``."""
        return self.job_status(request, self.find(pk))

    def _change(self, pk, service) -> Response:
        job = self.find(pk)
        self.require(job.group)
        return self.job_answer(service(user=self.request.user, job=job))

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request, pk=None):
        """Cancel a queued or running job (a running job's process is killed)."""
        return self._change(pk, services.job_cancel)

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"], url_path="reset")
    def reset(self, request, pk=None):
        """Queue a finished or failed job again (Dioptra's reset)."""
        return self._change(pk, services.job_reset)

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"], url_path="rerun")
    def rerun(self, request, pk=None):
        """A new job from this one's entrypoint snapshot, queue and values."""
        return self._change(pk, services.job_rerun)

    # What the job runs with -----------------------------------------------------------------------

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], url_path="parameters")
    def parameters(self, request, pk=None):
        """Every parameter's value as the run gets it (converted to its type)."""
        return Response(self.find(pk).parameters)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], url_path="artifactParameters")
    def artifact_parameters(self, request, pk=None):
        """The artifacts the job reads, by artifact parameter (Dioptra's snake_case shape)."""
        values = self.find(pk).artifact_values
        ids = {value["id"] for value in values.values()}
        artifacts = selectors.with_artifact_tasks(Artifact.objects.filter(pk__in=ids))
        by_id = {artifact.pk: artifact for artifact in artifacts}
        return Response(
            {
                name: artifact_parameter_data(by_id[value["id"]], value["snapshotId"])
                for name, value in values.items()
                if value["id"] in by_id
            }
        )

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], url_path="config")
    def config(self, request, pk=None):
        """The full task-graph document of the snapshot the job runs."""
        job = self.find(pk)
        return Response(engine.snapshot_document(job.entrypoint_snapshot))

    # Log ------------------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        request=None,
        parameters=[
            *LIST_QUERY,
            OpenApiParameter(
                "severity",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                many=True,
                enum=[*selectors.SEVERITIES],
            ),
        ],
        responses=page_of(LogRecordSerializer, "JobLogPage"),
    )
    @extend_schema(
        methods=["POST"], request=LogRecordsSerializer, responses=LogRecordSerializer(many=True)
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="log",
        serializer_class=LogRecordsSerializer,
        filter_backends=[],
    )
    def log(self, request, pk=None):
        """The job's log, in order (``severity`` repeated keeps those); POST appends records."""
        job = self.find(pk)
        if request.method == "POST":
            self.require(job.group)
            records = [
                (r["severity"], r["logger_name"], r["message"]) for r in self.validated()["data"]
            ]
            created = services.job_log_append(job=job, records=records)
            return Response(LogRecordSerializer(created, many=True).data)
        query = LogQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        records = apply_list_query(
            request.query_params,
            selectors.job_log(job=job, severities=query.validated_data["severity"]),
            search_fields=LOG_SEARCH_FIELDS,
            sort_fields=LOG_SORT_FIELDS,
            group_lookup=None,
        )
        page = self.paginate_queryset(records)
        return self.get_paginated_response(LogRecordSerializer(page, many=True).data)

    # Metrics --------------------------------------------------------------------------------------

    @extend_schema(methods=["GET"], request=None, responses=MetricSerializer(many=True))
    @extend_schema(methods=["POST"], request=MetricSerializer, responses=MetricSerializer)
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="metrics",
        serializer_class=MetricSerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def metrics(self, request, pk=None):
        """The latest value of each metric; POST adds a value (``step`` defaults to 0)."""
        job = self.find(pk)
        if request.method == "POST":
            self.require(job.group)
            metric = services.job_metric_append(job=job, **self.validated())
            return Response(metric_data(metric))
        return Response([metric_data(m) for m in selectors.job_metrics_latest(job=job)])

    @extend_schema(
        parameters=[METRIC_NAME, *PAGE], responses=page_of(MetricSerializer, "MetricSeriesPage")
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"metrics/(?P<name>[^/]+)/snapshots",
        filter_backends=[],
    )
    def metric_snapshots(self, request, pk=None, name=None):
        """Every value of one metric, by step."""
        series = selectors.job_metric_series(job=self.find(pk), name=name)
        page = self.paginate_queryset(series)
        return self.get_paginated_response([metric_data(m) for m in page])


# Artifacts ---------------------------------------------------------------------------------------

ARTIFACT_SEARCH_FIELDS = {
    "name": "name",
    "description": "description",
    "task": "task",
    "artifactUri": "file",
    "tag": tag_search(Artifact),
}
ARTIFACT_SORT_FIELDS = {
    "id": "pk",
    "name": "name",
    "uri": "file",
    "description": "description",
    "job": "job_id",
    **TIMES,
}


@snapshots_schema(ArtifactSerializer)
class ArtifactViewSet(SnapshotsMixin, ResourceTagsMixin, GroupOwnedViewSet):
    """Artifacts: what jobs' artifact outputs wrote, stored by the server. Versioned (only the
    description changes); ``/contents`` downloads one (a directory as an archive)."""

    serializer_class = ArtifactSerializer
    lookup_value_regex = "[0-9]+"
    search_fields = ARTIFACT_SEARCH_FIELDS
    sort_fields = ARTIFACT_SORT_FIELDS
    body_serializers = {"update": ArtifactUpdateSerializer}

    def get_queryset(self):
        return selectors.artifact_list(user=self.request.user)

    def prepare(self, objects):
        return selectors.with_artifact_tasks(objects)

    prepare_snapshots = prepare

    @extend_schema(
        parameters=[
            OpenApiParameter("outputParams", OpenApiTypes.STR, OpenApiParameter.QUERY),
            OpenApiParameter("job", OpenApiTypes.INT, OpenApiParameter.QUERY),
        ]
    )
    def list(self, request, *args, **kwargs):
        """Artifacts, with Dioptra's list query and ``outputParams`` (the ids of the types of
        the artifact task's outputs, in order: ``3,7``), and ``job``."""
        query = ArtifactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        artifacts = self.filter_queryset(self.get_queryset())
        if (types := query.validated_data.get("outputParams")) is not None:
            wanted = ",".join(part.strip() for part in types.split(","))
            artifacts = artifacts.filter(output_type_ids=wanted)
        if (job := query.validated_data.get("job")) is not None:
            artifacts = artifacts.filter(job_id=job)
        page = self.prepare(self.paginate_queryset(artifacts))
        return self.get_paginated_response(ArtifactSerializer(page, many=True).data)

    @extend_schema(request=ArtifactUpdateSerializer, responses=ArtifactSerializer)
    def update(self, request, pk=None):
        artifact = self.get_writable_object()
        data = self.validated()
        artifact = services.artifact_update(user=request.user, artifact=artifact, **data)
        return self.written(artifact)

    @extend_schema(responses=ArtifactFileSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="files", pagination_class=None)
    def files(self, request, pk=None):
        """The files of the artifact (a directory's, recursively), each with its download URL."""
        artifact = self.get_object()
        url = ref_url("artifacts", f"{artifact.pk}/contents")
        if not artifact.is_dir:
            listing = [{"relativePath": "", "isDir": False, "fileSize": artifact.file_size}]
        else:
            listing = artifact.files

        def file_url(path: str) -> str:
            return f"{url}?{urlencode({'path': path})}" if path else url

        return Response(
            [{**entry, "fileUrl": file_url(entry["relativePath"])} for entry in listing]
        )

    def _contents(self, artifact) -> FileResponse:
        query = ArtifactContentsQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        download = artifact_download(
            artifact,
            path=query.validated_data.get("path"),
            file_type=query.validated_data.get("fileType"),
        )
        return FileResponse(
            download.file,
            as_attachment=True,
            filename=download.filename,
            content_type=download.content_type,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("path", OpenApiTypes.STR, OpenApiParameter.QUERY),
            OpenApiParameter(
                "fileType", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["tar_gz", "zip"]
            ),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="contents")
    def contents(self, request, pk=None):
        """Download the artifact: a file as it is, a directory as a ``tar_gz`` (default) or
        ``zip`` archive; ``path`` picks one file or folder inside a directory."""
        return self._contents(self.get_object())

    @extend_schema(
        parameters=[
            SNAPSHOT_ID,
            OpenApiParameter("path", OpenApiTypes.STR, OpenApiParameter.QUERY),
            OpenApiParameter(
                "fileType", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["tar_gz", "zip"]
            ),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"snapshots/(?P<snapshot_id>[0-9]+)/contents")
    def snapshot_contents(self, request, pk=None, snapshot_id=None):
        """As ``/contents`` (an artifact's files are the same in every snapshot)."""
        artifact = self.get_object()
        if not artifact.history.filter(history_id=snapshot_id).exists():
            raise Http404
        return self._contents(artifact)
