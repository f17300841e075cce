"""The delivery worker inside the server (`sanxiang serve`): a daemon thread that runs
`services.deliveries_run` every `poll` seconds. Several servers (and `sanxiang deliver` from cron or
systemd) may run at once: the cursors are locked rows and the deliveries are claimed with
`SKIP LOCKED` and a lease, so each delivery is sent by one worker at a time."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


class DeliveryRunner(threading.Thread):
    def __init__(self, *, poll: float = 10.0) -> None:
        super().__init__(name="sanxiang-deliver", daemon=True)
        self.poll = poll
        self.stopped = threading.Event()

    def run(self) -> None:
        from sanxiang.outbox.services import deliveries_run

        while not self.stopped.is_set():
            close_old_connections()
            try:
                while deliveries_run().busy and not self.stopped.is_set():
                    pass  # more may be due
            except Exception:  # a database that went away: logged, tried again at the next poll
                logger.exception("the delivery worker could not run")
            finally:
                connection.close()
            self.stopped.wait(self.poll)

    def stop(self) -> None:
        self.stopped.set()


def delivery_runner_start(*, poll: float = 10.0) -> DeliveryRunner:
    runner = DeliveryRunner(poll=poll)
    runner.start()
    return runner
