"""Small helpers that read settings from the environment and reject bad values.

A mistyped value must stop the server at start with a message naming the variable,
never run with a silently different configuration.
"""

from __future__ import annotations

import os
from typing import overload
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@overload
def env_str(name: str, default: str) -> str: ...
@overload
def env_str(name: str, default: None = None) -> str | None: ...
def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={value} must be at most {maximum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, *, schemes: set[str]) -> str | None:
    """Return the URL in `name`, or None when unset; reject unknown schemes."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(
            f"{name} has scheme {parsed.scheme!r}; expected one of: {allowed}."
        )
    return raw


def local_secret_key(path) -> str:
    """The key in `path`, created on first use with a fresh random key, readable by the
    owner only (mode 0600). For the demo and development, which must never run on a key
    published in the source (anyone could forge their sessions and password-reset links).
    """
    import os
    from pathlib import Path

    from django.core.management.utils import get_random_secret_key

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
        if not key:
            raise ImproperlyConfigured(
                f"{path} is empty; delete it to generate a new key."
            ) from None
        return key
    key = get_random_secret_key()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def only_loopback(hosts) -> bool:
    return all(host in LOOPBACK_HOSTS for host in hosts)


_HEADER_NAME = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from `NAME=Header-Name` or `NAME=Header-Name: value`.

    `X-Forwarded-Proto` means: a request is secure when the proxy sent
    `X-Forwarded-Proto: https`. Unset or empty: no proxy header is trusted.
    """
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    header, _, value = raw.partition(":")
    header, value = header.strip(), (value.strip() or "https")
    if not header or not set(header) <= _HEADER_NAME or any(c.isspace() for c in value):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a header name with an optional value, "
            "e.g. 'X-Forwarded-Proto' or 'X-Forwarded-Proto: https'."
        )
    return "HTTP_" + header.upper().replace("-", "_"), value
