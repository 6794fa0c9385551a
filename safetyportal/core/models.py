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


class FigureGeneration(models.Model):
    """The current token of one topic of kept figures (safetyportal/core/figures.py, ADR
    0011): replaced, in the writing transaction, whenever data the topic counts changes."""

    topic = models.CharField(max_length=40, unique=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("首页统计版本")
        verbose_name_plural = _("首页统计版本")

    def __str__(self) -> str:
        return f"{self.topic} {self.token}"
