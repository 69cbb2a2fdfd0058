"""HTTP: one ``requests.Session`` per client, JSON answers, errors as ``APIError``."""

from __future__ import annotations

import os
import re
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from .errors import APIError
from .files import File

API_ROOT = "api/v1"
ENV_URL = "ENTRYPOINTS_API_URL"
ENV_TOKEN = "ENTRYPOINTS_API_TOKEN"
NO_ADDRESS = f"Give the server's address, or set {ENV_URL} (e.g. http://127.0.0.1:8000)."
DOWNLOAD_CHUNK = 64 * 1024


def api_url(address: str | None) -> str:
    """The API root for a site address (``http://host:8000`` -> ``http://host:8000/api/v1``);
    an address that already ends in ``/api/v1`` is kept."""
    address = address or os.environ.get(ENV_URL)
    if not address:
        raise ValueError(NO_ADDRESS)
    address = address.rstrip("/")
    return address if address.endswith("/" + API_ROOT) else f"{address}/{API_ROOT}"


class Session:
    """Sends requests under the API root and answers their parsed JSON.

    Authentication: the session cookie from ``auth.login``, or ``token`` (DRF's
    ``Authorization: Token <key>``), which defaults to ``$ENTRYPOINTS_API_TOKEN``.
    """

    def __init__(self, address: str | None, *, token: str | None, timeout: float) -> None:
        self.url = api_url(address)
        self.token = token if token is not None else os.environ.get(ENV_TOKEN) or None
        self.timeout = timeout
        self._http = requests.Session()
        self._http.headers["Accept"] = "application/json"

    def close(self) -> None:
        self._http.close()

    def build_url(self, *parts: Any) -> str:
        return "/".join([self.url, *(quote(str(part), safe="") for part in parts)])

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Token {self.token}"} if self.token else {}
        try:
            return self._http.request(method, url, headers=headers, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            message = f"Could not reach the server: {error}"
            raise APIError(message, method=method, url=url) from error

    def request(
        self,
        method: str,
        *parts: Any,
        params: dict[str, Any] | None = None,
        json: Any = None,
        data: dict[str, Any] | None = None,
        files: dict[str, File | list[File]] | None = None,
    ) -> Any:
        """``method`` on the path ``parts`` under the API root; the answer's JSON."""
        url = self.build_url(*parts)
        kwargs: dict[str, Any] = {"params": params}
        if data is not None or files is not None:
            kwargs["data"] = data
            kwargs["files"] = _multipart(files or {})
        elif json is not None:
            kwargs["json"] = json
        response = self._send(method, url, **kwargs)
        if not response.ok:
            raise _error(response)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as error:
            raise APIError(
                "The server's answer is not JSON.",
                status=response.status_code,
                text=response.text,
                method=method,
                url=url,
            ) from error

    def download(self, *parts: Any, path: Path, params: dict[str, Any] | None = None) -> Path:
        """Stream the answer to ``path`` (a folder: the file is named as the server names it).

        The bytes go to ``<path>.part`` first, so a failed download never leaves a partial file
        under the final name.
        """
        url = self.build_url(*parts)
        response = self._send("get", url, params=params, stream=True)
        with response:
            if not response.ok:
                raise _error(response)
            path = Path(path)
            if path.is_dir():
                path = path / _served_name(response)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".part")
            try:
                with partial.open("wb") as out:
                    for chunk in response.iter_content(chunk_size=DOWNLOAD_CHUNK):
                        out.write(chunk)
            except (OSError, requests.RequestException) as error:
                partial.unlink(missing_ok=True)
                raise APIError(f"Download failed: {error}", method="get", url=url) from error
            partial.replace(path)
        return path


def _multipart(files: dict[str, File | list[File]]) -> list[tuple[str, tuple]]:
    fields = []
    for key, value in files.items():
        for file in [value] if isinstance(value, File) else value:
            if not isinstance(file, File):
                raise TypeError(f"Uploads are File objects, not {type(file).__name__}.")
            entry = (file.filename, file.stream)
            fields.append((key, (*entry, file.content_type) if file.content_type else entry))
    return fields


def _error(response: requests.Response) -> APIError:
    try:
        body = response.json()
    except ValueError:
        body = None
    return APIError(
        response.reason or f"HTTP {response.status_code}",
        status=response.status_code,
        body=body,
        text=response.text,
        method=response.request.method or "",
        url=response.url,
    )


def _served_name(response: requests.Response) -> str:
    """The file name of ``Content-Disposition``, without any folder part (``contents`` if none)."""
    header = Message()
    header["content-disposition"] = response.headers.get("Content-Disposition", "")
    name = header.get_filename() or ""
    name = re.split(r"[\\/]", name)[-1]
    return name if name not in ("", ".", "..") else "contents"
