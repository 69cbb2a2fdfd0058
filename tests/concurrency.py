"""Helpers for tests where two writers race: threads with their own database connections."""

import threading

from django.db import connection


def in_thread(body, errors: list):
    """Run ``body`` in a thread with its own database connection; errors go to ``errors``."""

    def run():
        try:
            body()
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread
