"""Pages of this area (collected by enforcement/urls.py). The two public pages are listed
with their reason in safetyportal/core/public.py."""

from django.urls import path

from enforcement import exports
from enforcement.exposure import views

urlpatterns: list = [
    path("exposure/", views.public_list, name="exposure_public"),
    path("exposure/<int:pk>/", views.public_detail, name="exposure_public_detail"),
    path("exposure/manage/export/", exports.exposure_manage_export, name="exposure_export"),
    path("repeat-offenders/export/", exports.repeat_offender_export, name="repeat_offender_export"),
    path("exposure/manage/", views.manage, name="exposure_manage"),
    path("exposure/manage/publish/<int:case_pk>/", views.publish, name="exposure_publish"),
    path("exposure/manage/<int:pk>/withdraw/", views.withdraw, name="exposure_withdraw"),
    path("repeat-offenders/", views.repeat_offender_list, name="repeat_offenders"),
]
