"""The RQ task backend for Dioptra's queues, which users create at run time."""

from django_tasks_rq import RQBackend as BaseRQBackend


class RQBackend(BaseRQBackend):
    """django-tasks-rq's backend, accepting any queue name: ``RQ_QUEUES`` configures them all
    (``config.settings.AnyRQQueues``), so its list of known names says nothing."""

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.queues = set()
