"""A light client of the Entrypoints API, with Dioptra's collections and method names.

    from entrypoints_client import Client
    client = Client("http://127.0.0.1:8000")
    client.login("alice", "alice-demo")
    client.entrypoints.get(group_id=1)

Needs only ``requests``. Every method answers the parsed JSON of the API; failures raise
``APIError`` (status, message, field errors, the engine's issues).
"""

from .base import iter_all
from .client import Client, connect_json_dioptra_client
from .errors import APIError, WaitTimeout
from .files import (
    DioptraFile,
    File,
    FileTypes,
    select_files_in_directory,
    select_one_or_more_files,
)

__version__ = "0.1.0"
__all__ = [
    "APIError",
    "Client",
    "DioptraFile",
    "File",
    "FileTypes",
    "WaitTimeout",
    "connect_json_dioptra_client",
    "iter_all",
    "select_files_in_directory",
    "select_one_or_more_files",
]
