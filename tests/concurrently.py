"""Run several writers at the same moment, each on its own database connection, as the
PostgreSQL concurrency tests do."""

import threading

from django.db import connections


def run_at_once(*calls) -> list:
    """Start every call in its own thread, released together; the errors they raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors
