"""The kinds of notice (what a notice is about), declared by the apps that send them.

Each app that notifies people declares its kinds with their Chinese labels in one place,
a `NOTICE_KINDS` dictionary in `<app>/notice_kinds.py`; this module collects them the
first time they are asked for (the platform imports no app, as audit verbs are collected).
`notify`/`notify_bulk` refuse an undeclared kind, so the preferences page can list every
kind a person may receive and choose which reach them by e-mail (ADR 0034). A new periodic
job (the whistleblower deadlines, the bulletin, the appraisal reports) adds its kind here
the same way: one entry in its app's notice_kinds.py.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

OTHER = ""
_kinds: dict[str, str] | None = None


def registered() -> dict[str, str]:
    """Every declared kind and its (lazy) label, in the apps' order."""
    global _kinds
    if _kinds is None:
        collected: dict[str, str] = {}
        for app_config in apps.get_app_configs():
            if not module_has_submodule(app_config.module, "notice_kinds"):
                continue
            declared = import_module(f"{app_config.name}.notice_kinds").NOTICE_KINDS
            for code, label in declared.items():
                if code in collected or code == OTHER:
                    raise ImproperlyConfigured(f"notice kind {code!r} is declared twice")
                collected[code] = label
        _kinds = collected
    return _kinds


def check_kind(kind: str) -> str:
    if kind != OTHER and kind not in registered():
        raise ImproperlyConfigured(
            f"notice kind {kind!r} is not declared in any app's notice_kinds.py"
        )
    return kind


def label_for(kind: str) -> str:
    if kind == OTHER:
        return str(_("其他通知"))
    return str(registered().get(kind, kind))


def choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in registered().items()]
