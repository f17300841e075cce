"""The runner inside the server: a daemon thread that runs due jobs (`services.jobs_run_due`) when a
transaction that enqueued one commits, and every `poll` seconds for retries and for jobs enqueued
by another server. Several servers each run one; `SKIP LOCKED` shares the jobs out among them."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

_runners: list[JobRunner] = []
_lock = threading.Lock()


class JobRunner(threading.Thread):
    def __init__(self, *, poll: float = 30.0) -> None:
        super().__init__(name="sanxiang-jobs", daemon=True)
        self.poll = poll
        self.woken = threading.Event()
        self.stopped = threading.Event()

    def run(self) -> None:
        from sanxiang.jobs.services import jobs_run_due

        while not self.stopped.is_set():
            self.woken.wait(self.poll)
            self.woken.clear()
            if self.stopped.is_set():
                break
            close_old_connections()
            try:
                while jobs_run_due(limit=20).done:
                    pass  # more may be due
            except Exception:  # a database that went away: logged, tried again at the next wake
                logger.exception("the job runner could not run jobs")
            finally:
                connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.woken.set()


def job_runner_start(*, poll: float = 30.0) -> JobRunner:
    """Start this process's runner (in `sanxiang serve`); it runs the jobs already due at once."""
    runner = JobRunner(poll=poll)
    with _lock:
        _runners.append(runner)
    runner.start()
    runner.woken.set()
    return runner


def job_runner_stop(runner: JobRunner, *, timeout: float = 10.0) -> None:
    runner.stop()
    runner.join(timeout)
    with _lock:
        if runner in _runners:
            _runners.remove(runner)


def job_runners_wake() -> None:
    """After a commit that enqueued a job: this process's runners look at once."""
    with _lock:
        for runner in _runners:
            runner.woken.set()
