from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task; read by /healthz."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField(_("最近心跳"))
    hostname = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("任务进程心跳")
        verbose_name_plural = _("任务进程心跳")

    def __str__(self) -> str:
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


class FigureChange(models.Model):
    """A committed write to data a topic of kept figures counts (safetyportal/core/figures.py,
    ADR 0017): rows are only inserted (by the writing transaction) and pruned; a topic's
    token is its rows' lowest id, highest id and count."""

    id = models.BigAutoField(primary_key=True)
    topic = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("首页统计变更")
        verbose_name_plural = _("首页统计变更")
        indexes = [
            # the tokens: SELECT topic, min(id), max(id), count(*) GROUP BY topic; the prune
            models.Index(fields=["topic", "id"], name="figure_change_topic_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


class OutboxTask(models.Model):
    """A task that could not be queued because the broker was unreachable (ADR 0040).

    Written by `enqueue_on_commit` for callers that keep their work for retry; relayed to
    the broker, oldest first, once it answers again (`safetyportal.core.outbox.relay`:
    at the next successful enqueue of the process, when a worker starts, every minute
    from beat and by `manage.py relay_outbox`). Sent rows are kept a week for the record.
    """

    id = models.BigAutoField(primary_key=True)
    task = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("位置参数"), default=list)
    kwargs = models.JSONField(_("关键字参数"), default=dict)
    error = models.CharField(_("排队失败原因"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("补发时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待补发任务")
        verbose_name_plural = _("待补发任务")
        indexes = [
            # the relay reads the unsent rows in id order; sent rows are never scanned
            models.Index(
                fields=["id"], name="outbox_unsent_idx", condition=models.Q(sent_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)!r}"
