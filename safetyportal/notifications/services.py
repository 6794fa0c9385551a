"""The one function other apps call to tell someone something: `notify`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safetyportal.accounts.models import EmailFrequency, User
from safetyportal.audit.services import record_event
from safetyportal.core.queue import enqueue_on_commit, keep_for_retry
from safetyportal.notifications.kinds import check_kind, registered
from safetyportal.notifications.models import Notification, NotificationPreference


def _emails_at_once(recipient, urgent: bool) -> bool:
    """Whether a notice's e-mail goes now (a task) rather than in the daily digest: the
    recipient chose immediate e-mails, or the notice is urgent (ADR 0034)."""
    return urgent or recipient.email_frequency == EmailFrequency.IMMEDIATE


def notify(
    *,
    recipient,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    kind: str = "",
    urgent: bool = False,
) -> Notification | None:
    """Create an in-portal notification and schedule its e-mail per the user's preference.

    With a `dedupe_key`, a second call for the same recipient and key does nothing and
    returns None: reminders and escalations are sent once, however often a task runs.
    `kind` is declared in an app's notice_kinds.py; an `urgent` notice is e-mailed at
    once to everyone whose e-mail channel is on, digest or not.
    """
    check_kind(kind)
    if not recipient.is_active:
        return None
    skip_email = not recipient.email or recipient.email_frequency == EmailFrequency.NEVER
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                # one line: the title is the e-mail's subject, and a line break from user
                # input (a hazard's location) made send_mail raise BadHeaderError
                title=" ".join(title.split())[:200],
                body=body,
                url=url,
                dedupe_key=dedupe_key,
                email_skipped=skip_email,
                kind=kind,
                urgent=urgent,
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if not skip_email and _emails_at_once(recipient, urgent):
        from safetyportal.notifications.tasks import send_notification_email

        # unreachable broker: the task waits in the outbox (ADR 0040); send_unsent_emails
        # remains the sweep for an e-mail whose task was lost anyway
        enqueue_on_commit(send_notification_email, notification.pk, on_unreachable=keep_for_retry)
    return notification


def notify_many(
    *,
    recipients: Iterable,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    kind: str = "",
    urgent: bool = False,
) -> int:
    """Notify each recipient (in bulk); returns how many new notifications were created."""
    return notify_bulk(
        Notice(
            recipient=recipient,
            title=title,
            body=body,
            url=url,
            dedupe_key=dedupe_key,
            kind=kind,
            urgent=urgent,
        )
        for recipient in recipients
    )


# immediate e-mails queued per task by notify_bulk: a task stays well inside the worker's
# time limit, and thousands of notices queue tens of tasks, not thousands
EMAILS_PER_TASK = 100


class Notice(NamedTuple):
    """One notification to create with `notify_bulk` (the arguments of `notify`). A named
    tuple: a sweep builds hundreds of thousands, at half a frozen dataclass's cost."""

    recipient: Any  # an accounts.User
    title: str
    body: str = ""
    url: str = ""
    dedupe_key: str = ""
    kind: str = ""  # declared in an app's notice_kinds.py
    urgent: bool = False  # e-mailed at once, digest or not (ADR 0034)


def notify_bulk(notices: Iterable[Notice], *, batch_size: int = 20000) -> int:
    """`notify` for many notices at once, in a constant number of queries: what a sweep
    over thousands of objects calls instead of `notify` per recipient. The same rules:
    inactive recipients get nothing; a (recipient, dedupe key) already notified (before,
    by a concurrent run, or twice in `notices`) gets nothing new; the e-mail follows each
    recipient's preference. The immediate e-mails of the whole call go in a few tasks
    queued after the commit (unreachable broker: send_unsent_emails sends them later).
    Call it inside the caller's transaction. Returns how many notifications were new.
    """
    rows: list[tuple[int, str, str, str, str, bool, str, bool]] = []
    seen: set[tuple[int, str]] = set()
    immediate: set[int] = set()
    kinds: set[str] = set()
    one_line: dict[str, str] = {}  # a sweep sends each title to several recipients
    for notice in notices:
        recipient = notice.recipient
        if not recipient.is_active:
            continue
        pk = recipient.pk
        if notice.dedupe_key:
            pair = (pk, notice.dedupe_key)
            if pair in seen:
                continue
            seen.add(pair)
        if notice.kind not in kinds:
            kinds.add(check_kind(notice.kind))
        skip_email = not recipient.email or recipient.email_frequency == EmailFrequency.NEVER
        if not skip_email and recipient.email_frequency == EmailFrequency.IMMEDIATE:
            immediate.add(pk)
        # one line: the title is the e-mail's subject (see notify)
        title = one_line.get(notice.title)
        if title is None:
            title = one_line[notice.title] = " ".join(notice.title.split())[:200]
        rows.append(
            (
                pk,
                title,
                notice.body,
                notice.url,
                notice.dedupe_key,
                skip_email,
                notice.kind,
                notice.urgent,
            )
        )
    if not rows:
        return 0
    insert = _insert_returning if connection.vendor == "postgresql" else _insert_with_orm
    created = 0
    ids: list[int] = []
    for start in range(0, len(rows), batch_size):
        count, emailed = insert(rows[start : start + batch_size], immediate)
        created += count
        ids += emailed
    ids.sort()
    if ids:
        from safetyportal.notifications.tasks import send_notification_emails

        for start in range(0, len(ids), EMAILS_PER_TASK):
            enqueue_on_commit(
                send_notification_emails,
                ids[start : start + EMAILS_PER_TASK],
                on_unreachable=keep_for_retry,
            )
    return created


def _text_array(values: Iterable[str]) -> str:
    """A PostgreSQL array literal ('{"a","b"}') passed as one text parameter: the server
    reads it in one pass, where psycopg2's ARRAY[...] of thousands of quoted constants is
    parsed as as many expressions (tens of ms a batch)."""
    return (
        '{"'
        + '","'.join(value.replace("\\", "\\\\").replace('"', '\\"') for value in values)
        + '"}'
    )


def _number_array(values: Iterable[int]) -> str:
    return "{" + ",".join(map(str, values)) + "}"


def _bool_array(values: Iterable[bool]) -> str:
    return "{" + ",".join("t" if value else "f" for value in values) + "}"


def _insert_returning(rows: list, immediate: set[int]) -> tuple[int, list[int]]:
    """PostgreSQL: one INSERT ... SELECT per batch, skipping the (recipient, key) pairs the
    unique constraint already holds (ON CONFLICT DO NOTHING: also those a concurrent run
    inserted a moment ago). Returns how many rows were new and the ids of the new rows to
    e-mail at once (their recipients want every e-mail at once, or the notice is urgent).

    No model instances, and each distinct message (title, body, link, key, kind, urgency)
    is sent once with the recipients pointing at it: a sweep tells the same thing to
    several people (a county-level escalation, to every county officer), so the batch's
    payload is the messages, not messages times recipients. Only the ids wanted back are
    returned."""
    quote = connection.ops.quote_name
    column = {field.name: str(field.column) for field in Notification._meta.concrete_fields}
    names = [
        "recipient",
        "title",
        "body",
        "url",
        "dedupe_key",
        "kind",
        "urgent",
        "email_skipped",
        "created_at",
    ]
    columns = ", ".join(quote(column[name]) for name in names)
    messages: dict[tuple[str, str, str, str, str, bool], int] = {}
    refs: list[int] = []
    for _recipient, title, body, url, key, _skip, kind, urgent in rows:
        refs.append(messages.setdefault((title, body, url, key, kind, urgent), len(messages) + 1))
    titles, bodies, urls, keys, kinds, urgents = zip(*messages, strict=True)
    pk, recipient_id = quote(column["id"]), quote(column["recipient"])
    urgent_col, skipped_col = quote(column["urgent"]), quote(column["email_skipped"])
    sql = (
        "WITH m AS (SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], "
        "%s::text[], %s::boolean[]) WITH ORDINALITY AS m (t, b, u, k, c, g, i)), "
        f"new AS (INSERT INTO {quote(Notification._meta.db_table)} ({columns}) "
        "SELECT x.r, m.t, m.b, m.u, m.k, m.c, m.g, x.s, %s "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::boolean[]) WITH ORDINALITY AS x (i, r, s, n) "
        "JOIN m ON m.i = x.i ORDER BY x.n "
        f"ON CONFLICT DO NOTHING RETURNING {pk}, {recipient_id}, {urgent_col}, {skipped_col}) "
        f"SELECT count(*), array_agg({pk}) FILTER (WHERE {recipient_id} = ANY(%s::bigint[]) "
        f"OR ({urgent_col} AND NOT {skipped_col})) FROM new"
    )
    params: list[Any] = [
        _text_array(titles),
        _text_array(bodies),
        _text_array(urls),
        _text_array(keys),
        _text_array(kinds),
        _bool_array(urgents),
        timezone.now(),
        _number_array(refs),
        _number_array(row[0] for row in rows),
        _bool_array(row[5] for row in rows),
        _number_array(sorted(immediate)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count, emailed = cursor.fetchone()
    return count, list(emailed or ())


def _insert_with_orm(rows: list, immediate: set[int]) -> tuple[int, list[int]]:
    """Other databases (SQLite, the demo): skip the pairs already notified, then
    bulk_create (ignore_conflicts guards a concurrent insert; its rows then have no id
    and are found again by their key). Returns what _insert_returning returns."""
    keys = {row[4] for row in rows if row[4]}
    already = set(
        Notification.objects.filter(
            recipient_id__in={row[0] for row in rows}, dedupe_key__in=keys
        ).values_list("recipient_id", "dedupe_key")
        if keys
        else ()
    )
    new = [
        Notification(
            recipient_id=recipient_id,
            title=title,
            body=body,
            url=url,
            dedupe_key=key,
            email_skipped=skip_email,
            kind=kind,
            urgent=urgent,
        )
        for recipient_id, title, body, url, key, skip_email, kind, urgent in rows
        if not key or (recipient_id, key) not in already
    ]
    unkeyed = [row for row in new if not row.dedupe_key]
    keyed = [row for row in new if row.dedupe_key]
    Notification.objects.bulk_create(unkeyed)  # ids set where the database returns them
    Notification.objects.bulk_create(keyed, ignore_conflicts=True)  # no ids: found below
    found = {
        (recipient_id, key): pk
        for pk, recipient_id, key in (
            Notification.objects.filter(
                recipient_id__in={row.recipient_id for row in keyed},
                dedupe_key__in={row.dedupe_key for row in keyed},
            ).values_list("pk", "recipient_id", "dedupe_key")
            if keyed
            else ()
        )
    }
    created = [(row.pk, row) for row in unkeyed] + [
        (found[(row.recipient_id, row.dedupe_key)], row)
        for row in keyed
        if (row.recipient_id, row.dedupe_key) in found
    ]
    return len(created), [
        pk
        for pk, row in created
        if row.recipient_id in immediate or (row.urgent and not row.email_skipped)
    ]


def mark_read(*, user, notification_id: int) -> bool:
    """Mark one of the user's own notifications read; False if it is not theirs."""
    updated = (
        Notification.objects.for_user(user)
        .filter(pk=notification_id, read_at__isnull=True)
        .update(read_at=timezone.now())
    )
    return bool(updated) or Notification.objects.for_user(user).filter(pk=notification_id).exists()


def mark_all_read(*, user) -> int:
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def mark_handled(*, key_prefixes: Iterable[str]) -> int:
    """Mark read, for every recipient, the unread notifications whose dedupe key starts with
    one of `key_prefixes`: the work they asked for has been done (by anyone), so they no
    longer wait in 待阅通知. Returns how many were marked."""
    query = Q()
    for prefix in key_prefixes:
        if prefix:
            query |= Q(dedupe_key__startswith=prefix)
    if not query:
        return 0
    return Notification.objects.unread().filter(query).update(read_at=timezone.now())


def preferences_of(user) -> NotificationPreference:
    """The person's preferences (the defaults, unsaved, if they never set any)."""
    try:
        return NotificationPreference.objects.get(user=user)
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def set_preferences(
    *, user, email_frequency: str, digest_time: datetime.time, emailed_kinds: Iterable[str]
) -> NotificationPreference:
    """Save how `user` wants to be told: the e-mail channel's mode, the time of the daily
    digest and the kinds of notice e-mailed (the others stay in the portal's list only).
    Audited; bad input (no e-mail address for an e-mail mode, an unknown kind) raises
    ValidationError and changes nothing."""
    if email_frequency not in EmailFrequency.values:
        raise ValidationError({"email_frequency": _("请选择有效的邮件通知方式。")})
    if email_frequency != EmailFrequency.NEVER and not user.email:
        raise ValidationError(
            {
                "email_frequency": _(
                    "您还没有填写电子邮箱：请先在“个人设置”中填写，或选择不发送邮件。"
                )
            }
        )
    known = registered()
    emailed = set(emailed_kinds)
    unknown = emailed - set(known)
    if unknown:
        raise ValidationError({"emailed_kinds": _("通知类别无效，请刷新页面后重新选择。")})
    muted = [code for code in known if code not in emailed]
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = preferences_of(locked)
        old = {
            "email_frequency": locked.email_frequency,
            "digest_time": before.digest_time.strftime("%H:%M"),
            "muted_kinds": list(before.muted_kinds),
        }
        preference, _created = NotificationPreference.objects.update_or_create(
            user=locked, defaults={"digest_time": digest_time, "muted_kinds": muted}
        )
        locked.email_frequency = email_frequency
        locked.save(update_fields=["email_frequency"])
        user.email_frequency = email_frequency
        record_event(
            actor=user,
            verb="notification.preferences_changed",
            target=locked,
            payload={
                "before": old,
                "after": {
                    "email_frequency": email_frequency,
                    "digest_time": digest_time.strftime("%H:%M"),
                    "muted_kinds": muted,
                },
            },
        )
    return preference
