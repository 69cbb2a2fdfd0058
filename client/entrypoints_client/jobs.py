"""``/experiments`` (with their entrypoints and jobs), ``/jobs`` and ``/artifacts``."""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .base import Paged, SnapshotsSubCollection, SubCollection, Versioned, list_params, without_none
from .entrypoints import IdsSubCollection
from .errors import WaitTimeout
from .files import FileTypes
from .resources import GroupOwnedCollection

# Statuses after which a job never changes again.
FINAL_STATUSES = frozenset({"finished", "failed", "cancelled"})
WAIT_TIMEOUT = "Job {job_id} is still {status!r} after {timeout:g} s."


def _sort_params(index, page_length, sort_by, descending, search, group_id=None) -> dict:
    return list_params(
        index, page_length, sort_by=sort_by, descending=descending, search=search, group_id=group_id
    )


class ExperimentEntrypointsSubCollection(IdsSubCollection):
    name = "entrypoints"

    def get(self, experiment_id: int | str) -> Any:
        return super().get(experiment_id)

    def create(self, experiment_id: str | int, entrypoint_ids: list[int]) -> Any:
        return super().create(experiment_id, entrypoint_ids)

    def modify_by_id(self, experiment_id: str | int, entrypoint_ids: list[int]) -> Any:
        return super().modify_by_id(experiment_id, entrypoint_ids)

    def delete(self, experiment_id: str | int) -> Any:
        return super().delete(experiment_id)

    def delete_by_id(self, experiment_id: str | int, entrypoint_id: str | int) -> Any:
        return super().delete_by_id(experiment_id, entrypoint_id)


class ExperimentJobsSubCollection(Paged, SubCollection):
    """The jobs of an experiment; ``create`` runs an entrypoint on a queue."""

    name = "jobs"

    def get(
        self,
        experiment_id: str | int,
        index: int = 0,
        page_length: int = 10,
        sort_by: str | None = None,
        descending: bool | None = None,
        search: str | None = None,
    ) -> Any:
        params = _sort_params(index, page_length, sort_by, descending, search)
        return self._call("get", (experiment_id,), params=params)

    def get_by_id(self, experiment_id: str | int, job_id: str | int) -> Any:
        return self._call("get", (experiment_id,), job_id)

    def create(
        self,
        experiment_id: str | int,
        entrypoint_id: int,
        queue_id: int,
        entrypoint_snapshot_id: int | None = None,
        values: dict[str, Any] | None = None,
        artifact_values: dict[str, Any] | None = None,
        timeout: str | None = None,
        description: str | None = None,
        swaps: list[dict[str, str]] | dict[str, str] | None = None,
    ) -> Any:
        """Submit a job: ``values`` maps entrypoint parameters to strings, ``artifact_values``
        artifact parameters to ``{"id", "snapshotId"}`` of artifacts."""
        if isinstance(swaps, dict):
            swaps = [{"swap_name": name, "task_alias": alias} for name, alias in swaps.items()]
        body = {
            "entrypoint": entrypoint_id,
            "queue": queue_id,
            **without_none(
                entrypointSnapshot=entrypoint_snapshot_id,
                values=values,
                artifactValues=artifact_values,
                timeout=timeout,
                description=description,
                swaps=swaps,
            ),
        }
        return self._call("post", (experiment_id,), json=body)

    def delete_by_id(self, experiment_id: str | int, job_id: str | int) -> Any:
        return self._call("delete", (experiment_id,), job_id)

    def get_status(self, experiment_id: str | int, job_id: str | int) -> Any:
        return self._call("get", (experiment_id,), job_id, "status")

    def set_status(self, experiment_id: str | int, job_id: str | int, status: str) -> Any:
        return self._call("put", (experiment_id,), job_id, "status", json={"status": status})

    def create_artifact(
        self,
        experiment_id: str | int,
        job_id: str | int,
        uri: str,
        description: str | None = None,
    ) -> Any:
        body = {"uri": uri, **without_none(description=description)}
        return self._call("post", (experiment_id,), job_id, "artifacts", json=body)


class ExperimentsCollection(GroupOwnedCollection):
    name = "experiments"

    def __init__(self, session) -> None:
        super().__init__(session)
        self.entrypoints = ExperimentEntrypointsSubCollection(session, self.name)
        self.jobs = ExperimentJobsSubCollection(session, self.name)

    def get_by_id(self, experiment_id: str | int) -> Any:
        return self._call("get", experiment_id)

    def create(
        self,
        group_id: int,
        name: str,
        description: str | None = None,
        entrypoints: list[int] | None = None,
    ) -> Any:
        return self._create(group_id, name, description=description, entrypoints=entrypoints)

    def modify_by_id(
        self,
        experiment_id: str | int,
        name: str,
        description: str | None,
        entrypoints: list[int] | None,
    ) -> Any:
        return self._modify(experiment_id, name, description=description, entrypoints=entrypoints)

    def delete_by_id(self, experiment_id: str | int) -> Any:
        return self._delete(experiment_id)

    def get_metrics_by_id(
        self,
        experiment_id: str | int,
        index: int = 0,
        page_length: int = 10,
        sort_by: str | None = None,
        descending: bool | None = None,
        search: str | None = None,
    ) -> Any:
        params = _sort_params(index, page_length, sort_by, descending, search)
        return self._call("get", experiment_id, "metrics", params=params)


class JobsCollection(Paged, Versioned):
    """Jobs: what ran, its status, parameters, logs, metrics and artifacts."""

    name = "jobs"

    def get(
        self,
        group_id: int | None = None,
        index: int = 0,
        page_length: int = 10,
        sort_by: str | None = None,
        descending: bool | None = None,
        search: str | None = None,
    ) -> Any:
        params = _sort_params(index, page_length, sort_by, descending, search, group_id)
        return self._call("get", params=params)

    def get_by_id(self, job_id: str | int) -> Any:
        return self._call("get", job_id)

    def delete_by_id(self, job_id: str | int) -> Any:
        return self._call("delete", job_id)

    def get_parameters(self, job_id: str | int) -> Any:
        return self._call("get", job_id, "parameters")

    def get_artifact_parameters(self, job_id: str | int) -> Any:
        return self._call("get", job_id, "artifactParameters")

    def get_status(self, job_id: str | int) -> Any:
        return self._call("get", job_id, "status")

    def get_metrics_by_id(self, job_id: str | int) -> Any:
        return self._call("get", job_id, "metrics")

    def append_metric_by_id(
        self,
        job_id: str | int,
        metric_name: str,
        metric_value: float,
        metric_step: int | None = None,
        timestamp: datetime.datetime | str | None = None,
    ) -> Any:
        """Record one value of a metric (NaN and infinities are sent as Dioptra sends them)."""
        value: float | str = metric_value
        if math.isnan(metric_value):
            value = "nan"
        elif math.isinf(metric_value):
            value = "inf" if metric_value > 0 else "-inf"
        if isinstance(timestamp, datetime.datetime):
            timestamp = timestamp.isoformat()
        elif timestamp is not None:
            datetime.datetime.fromisoformat(timestamp)  # ValueError: not ISO 8601
        body = {"name": metric_name, "value": value}
        body.update(without_none(step=metric_step, timestamp=timestamp))
        return self._call("post", job_id, "metrics", json=body)

    def get_metrics_snapshots_by_id(
        self, job_id: str | int, metric_name: str | int, index: int = 0, page_length: int = 10
    ) -> Any:
        params = list_params(index, page_length)
        return self._call("get", job_id, "metrics", metric_name, "snapshots", params=params)

    def get_logs_by_id(
        self,
        job_id: str | int,
        index: int = 0,
        page_length: int = 10,
        sort_by: str | None = None,
        descending: bool | None = None,
        severity: list[str] | None = None,
    ) -> Any:
        params = _sort_params(index, page_length, sort_by, descending, None)
        if severity:
            params["severity"] = severity
        return self._call("get", job_id, "log", params=params)

    def append_logs_by_id(self, job_id: str | int, logs: Iterable[dict[str, Any]]) -> Any:
        return self._call("post", job_id, "log", json={"data": list(logs)})

    def get_config(self, job_id: int) -> Any:
        """The task-graph document the job ran (its entrypoint snapshot's, with its values)."""
        return self._call("get", job_id, "config")

    def cancel(self, job_id: str | int) -> Any:
        """Stop a queued or running job (its status becomes ``cancelled``)."""
        return self._call("post", job_id, "cancel")

    def reset(self, job_id: str | int) -> Any:
        """Queue a finished, failed or cancelled job again."""
        return self._call("post", job_id, "reset")

    def rerun(self, job_id: str | int) -> Any:
        """A new job from this one's entrypoint snapshot, queue and values."""
        return self._call("post", job_id, "rerun")

    def wait(
        self, job_id: str | int, timeout: float | None = 600.0, poll_interval: float = 1.0
    ) -> Any:
        """Wait until the job has ended (finished, failed or cancelled) and return it.

        Polls its status, first quickly, then every ``poll_interval`` seconds. Raises
        ``WaitTimeout`` (a ``TimeoutError``, carrying the last state seen) after ``timeout``
        seconds; ``None`` waits for as long as it takes.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        delay = min(0.1, poll_interval)
        while True:
            state = self.get_status(job_id)
            if state.get("status") in FINAL_STATUSES:
                return self.get_by_id(job_id)
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                message = WAIT_TIMEOUT.format(
                    job_id=job_id, status=state.get("status"), timeout=timeout
                )
                raise WaitTimeout(message, job=state)
            time.sleep(delay if remaining is None else min(delay, remaining))
            delay = min(delay * 2, poll_interval)


class ArtifactSnapshotsSubCollection(SnapshotsSubCollection):
    def get_contents(
        self,
        artifact_id: str | int,
        artifact_snapshot_id: str | int,
        file_type: FileTypes | None = None,
        artifact_path: str | None = None,
        output_dir: Path | None = None,
        file_stem: str = "contents",
    ) -> Path:
        path, params = _contents_target(file_type, artifact_path, output_dir, file_stem)
        return self._session.download(
            *self._path((artifact_id,)), artifact_snapshot_id, "contents", path=path, params=params
        )


class ArtifactsCollection(Paged, Versioned):
    """Artifacts: files a job stored; their listing and contents."""

    name = "artifacts"
    snapshots_class = ArtifactSnapshotsSubCollection
    tagged = False  # as in Dioptra's client

    def get(
        self,
        group_id: int | None = None,
        index: int = 0,
        page_length: int = 10,
        sort_by: str | None = None,
        descending: bool | None = None,
        search: str | None = None,
    ) -> Any:
        params = _sort_params(index, page_length, sort_by, descending, search, group_id)
        return self._call("get", params=params)

    def get_by_id(self, artifact_id: str | int) -> Any:
        return self._call("get", artifact_id)

    def create(
        self,
        group_id: str | int,
        job_id: str | int,
        artifact_uri: str,
        plugin_snapshot_id: str | int | None = None,
        task_id: str | int | None = None,
        description: str | None = None,
    ) -> Any:
        body = {"group": int(group_id), "job": int(job_id), "artifactUri": artifact_uri}
        body.update(_artifact_fields(plugin_snapshot_id, task_id, description))
        return self._call("post", json=body)

    def modify_by_id(
        self,
        artifact_id: str | int,
        plugin_snapshot_id: str | int | None = None,
        task_id: str | int | None = None,
        description: str | None = None,
    ) -> Any:
        body = _artifact_fields(plugin_snapshot_id, task_id, description)
        return self._call("put", artifact_id, json=body)

    def get_files(self, artifact_id: str | int) -> Any:
        """``[{relativePath, isDir, fileSize, fileUrl}]``: what the artifact holds."""
        return self._call("get", artifact_id, "files")

    def get_contents(
        self,
        artifact_id: str | int,
        file_type: FileTypes | None = None,
        artifact_path: str | None = None,
        output_dir: Path | None = None,
        file_stem: str = "contents",
    ) -> Path:
        """Download the artifact (or the file ``artifact_path`` in it) as Dioptra's client does:
        to ``output_dir/file_stem`` (plus the archive suffix of ``file_type``)."""
        path, params = _contents_target(file_type, artifact_path, output_dir, file_stem)
        return self._session.download(self.name, artifact_id, "contents", path=path, params=params)

    def download(
        self,
        artifact_id: str | int,
        path: str | Path,
        artifact_path: str | None = None,
        file_type: FileTypes | None = None,
    ) -> Path:
        """Stream the artifact's contents to ``path`` (a folder: under the server's file name);
        a directory artifact comes as an archive (``file_type``, tar.gz by default)."""
        params = without_none(path=artifact_path, fileType=file_type.value if file_type else None)
        return self._session.download(
            self.name, artifact_id, "contents", path=Path(path), params=params or None
        )


def _artifact_fields(plugin_snapshot_id, task_id, description) -> dict[str, Any]:
    return without_none(
        pluginSnapshotId=int(plugin_snapshot_id) if plugin_snapshot_id is not None else None,
        taskId=int(task_id) if task_id is not None else None,
        description=description,
    )


def _contents_target(file_type, artifact_path, output_dir, file_stem) -> tuple[Path, dict]:
    path = Path(file_stem) if output_dir is None else Path(output_dir, file_stem)
    params: dict[str, Any] = {}
    if file_type is not None:
        path = path.with_suffix(file_type.suffix)
        params["fileType"] = file_type.value
    if artifact_path is not None:
        params["path"] = artifact_path
    return path, params
