"""The vocabulary of audit verbs and how each reads (translated, after the actor's name).

Verbs are namespaced ("hazard.verified"). Each app declares its own in one place, a
`VERBS` dictionary in `<app>/verbs.py`; this module collects them the first time a label
is asked for (the platform imports no app: it finds the modules, like the home cards).
`record_event` refuses a verb no app declared, so every event can say what happened in
plain words. A label that is also a button title elsewhere (开始整改, 申请延期) takes the
context "audit verb" (`pgettext_lazy`), so English can read "started rectification" after
a name. An unknown verb of an old event still renders (as itself), so it never breaks a page.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

_labels: dict[str, str] | None = None


def registered() -> dict[str, str]:
    """Every declared verb and its (lazy) label, collected from the apps' verbs.py."""
    global _labels
    if _labels is None:
        collected: dict[str, str] = {}
        for app_config in apps.get_app_configs():
            if app_config.name == __package__ or not module_has_submodule(
                app_config.module, "verbs"
            ):
                continue
            declared = import_module(f"{app_config.name}.verbs").VERBS
            for verb, label in declared.items():
                if verb in collected:
                    raise ImproperlyConfigured(f"audit verb {verb!r} is declared twice")
                collected[verb] = label
        _labels = collected
    return _labels


def is_registered(verb: str) -> bool:
    return verb in registered()


def label_for(verb: str) -> str:
    return str(registered().get(verb, verb))
