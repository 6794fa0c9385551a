"""The legal frame of enforcement: the delegated items (委托执法事项), each town's written
delegation (委托书) with its procedure level, officers' enforcement certificates, and the
per-unit document counters that number 决定书 and the other procedural documents."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Procedure(models.TextChoices):
    SIMPLE = "simple", _("简易程序")
    GENERAL = "general", _("一般程序")


class PartyKind(models.TextChoices):
    # 行政处罚法 Art. 51: the simple procedure's cap differs for a person and an organisation
    PERSON = "person", _("公民")
    ORGANISATION = "organisation", _("法人或其他组织")


class DelegatedItemQuerySet(models.QuerySet):
    def active(self) -> DelegatedItemQuerySet:
        return self.filter(is_active=True)


class DelegatedItem(models.Model):
    """One power a county department entrusts to the towns (行政处罚法 Art. 20): what, on
    which legal basis, within which fine range, under which procedures."""

    code = models.CharField(_("事项编码"), max_length=30, unique=True)
    name = models.CharField(_("事项名称"), max_length=300)
    delegating_department = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("委托机关"),
        on_delete=models.PROTECT,
        related_name="delegated_items",
    )
    legal_basis = models.TextField(_("法律依据"))
    penalty_basis = models.TextField(_("处罚依据"), blank=True)
    allows_warning = models.BooleanField(_("可予警告"), default=False)
    min_fine = models.DecimalField(
        _("罚款下限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_fine = models.DecimalField(
        _("罚款上限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    allows_simple = models.BooleanField(_("可适用简易程序"), default=True)
    allows_general = models.BooleanField(_("可适用一般程序"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = DelegatedItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("委托执法事项")
        verbose_name_plural = _("委托执法事项")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_fine__isnull=True)
                | Q(max_fine__isnull=True)
                | Q(min_fine__lte=models.F("max_fine")),
                name="delegated_item_fine_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def allows_fine(self) -> bool:
        return self.max_fine is not None


class TownAuthorisation(models.Model):
    """A town's written delegation (委托书): its number, validity, procedure level and the
    items it covers. A town may hold several over the years; the one in force on a date is
    the one that counts (`enforcement.rules.authorisation_in_force`)."""

    town = models.ForeignKey(
        "responsibilities.Organisation",
        verbose_name=_("镇街"),
        on_delete=models.PROTECT,
        related_name="enforcement_authorisations",
    )
    document_number = models.CharField(_("委托书文号"), max_length=100)
    procedure_level = models.CharField(
        _("可适用程序"),
        max_length=10,
        choices=Procedure.choices,
        help_text=_("一般程序：可适用简易程序和一般程序；简易程序：仅可当场处罚。"),
    )
    valid_from = models.DateField(_("委托起始日"))
    valid_until = models.DateField(_("委托截止日"))
    items = models.ManyToManyField(
        DelegatedItem, verbose_name=_("委托事项"), related_name="authorisations", blank=True
    )
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("镇街委托授权")
        verbose_name_plural = _("镇街委托授权")
        ordering = ["town__sort_order", "-valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "document_number"], name="town_authorisation_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__lte=models.F("valid_until")),
                name="town_authorisation_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["town", "valid_until"], name="authorisation_town_until")]

    def __str__(self) -> str:
        return f"{self.town} {self.document_number}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day <= self.valid_until

    @property
    def allows_general(self) -> bool:
        return self.procedure_level == Procedure.GENERAL


class OfficerCertificate(models.Model):
    """An enforcement certificate (执法证): only its holder, while it is valid, may be named
    on an inspection or a case."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("执法人员"),
        on_delete=models.PROTECT,
        related_name="enforcement_certificates",
    )
    number = models.CharField(_("执法证号"), max_length=50, unique=True)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    revoked_on = models.DateField(_("注销日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("执法证")
        verbose_name_plural = _("执法证")
        ordering = ["officer_id", "-expires_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_on__lte=models.F("expires_on")),
                name="officer_certificate_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["officer", "expires_on"], name="certificate_officer_exp")]

    def __str__(self) -> str:
        return self.number

    def valid_on(self, day: datetime.date) -> bool:
        if self.revoked_on is not None and self.revoked_on <= day:
            return False
        return self.issued_on <= day <= self.expires_on


class DocumentCounter(models.Model):
    """The last number issued per unit, year and kind of document: a 决定书 number is taken
    under this row's lock in the transaction that issues the document, so numbers have no
    gaps (a rolled-back document rolls its number back) and no duplicates."""

    unit = models.ForeignKey(
        "responsibilities.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=30)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文书编号")
        verbose_name_plural = _("文书编号")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind"], name="document_counter_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}/{self.kind}: {self.last_number}"
