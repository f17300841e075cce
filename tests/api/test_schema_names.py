"""The OpenAPI document names each response and request schema by its class name: two classes of
the same name in two API modules make one component, and one of the operations is then described
with the other's schema (the inspection detail's `items` were once described as the 抽查事项清单's
rows). Every schema class of the API has its own name."""

import importlib
import inspect
import pkgutil

from ninja import Schema

import sanxiang.api


def test_every_schema_class_of_the_api_has_a_name_of_its_own():
    defined: dict[str, list[str]] = {}
    for module_info in pkgutil.iter_modules(sanxiang.api.__path__):
        module = importlib.import_module(f"sanxiang.api.{module_info.name}")
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Schema) and value.__module__ == module.__name__:
                defined.setdefault(name, []).append(module_info.name)
    assert {name: modules for name, modules in defined.items() if len(modules) > 1} == {}
