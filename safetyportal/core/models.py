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
