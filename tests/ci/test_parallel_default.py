"""The README's plain `pytest` runs in parallel (tests/conftest.py), and the developer's serial
switches still work."""

import os
from types import SimpleNamespace

from tests import conftest


class PluginManager:
    def __init__(self, *, xdist: bool):
        self.xdist = xdist

    def hasplugin(self, name: str) -> bool:
        return name == "xdist" and self.xdist


def config_make(*, xdist: bool = True, numprocesses=None, dist: str = "no", worker: bool = False, **options):
    option = SimpleNamespace(numprocesses=numprocesses, dist=dist, tx=[], collectonly=False, usepdb=False,
                             testrunuid=None)
    vars(option).update(options)
    config = SimpleNamespace(option=option, pluginmanager=PluginManager(xdist=xdist))
    if worker:
        config.workerinput = {}
    return config


def test_plain_pytest_runs_one_worker_more_than_the_cores_with_whole_files_per_worker(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    config = config_make()
    conftest.pytest_cmdline_main(config)
    assert (config.option.numprocesses, config.option.dist) == (3, "loadfile")
    # The run's id, which names the PostgreSQL template the workers copy, is known to the controller.
    assert len(config.option.testrunuid) == 32


def test_workers_given_by_tx_get_the_run_id_too_and_a_given_id_is_kept():
    config = config_make(tx=["2*popen"])
    conftest.pytest_cmdline_main(config)
    assert len(config.option.testrunuid) == 32
    config = config_make(numprocesses=2, testrunuid="given")
    conftest.pytest_cmdline_main(config)
    assert config.option.testrunuid == "given"


def test_an_explicit_count_keeps_it_and_distributes_by_file():
    config = config_make(numprocesses=3)
    conftest.pytest_cmdline_main(config)
    assert (config.option.numprocesses, config.option.dist) == (3, "loadfile")


def test_serial_switches_stay_serial():
    for config in (config_make(numprocesses=0), config_make(usepdb=True), config_make(collectonly=True),
                   config_make(xdist=False), config_make(worker=True)):
        conftest.pytest_cmdline_main(config)
        assert config.option.numprocesses in (0, None) and config.option.dist == "no"
        assert config.option.testrunuid is None


def test_a_chosen_distribution_mode_is_kept():
    config = config_make(numprocesses=2, dist="worksteal")
    conftest.pytest_cmdline_main(config)
    assert config.option.dist == "worksteal"
