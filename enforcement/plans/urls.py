"""Pages of this area (collected by enforcement/urls.py)."""

from django.urls import path

from enforcement import exports
from enforcement.plans import views

urlpatterns: list = [
    path("plans/", views.plan_progress, name="plan_progress"),
    path("plans/export/", exports.plan_progress_export, name="plan_progress_export"),
    path("plans/<int:pk>/export/", exports.plan_target_export, name="plan_target_export"),
    path("pairings/export/", exports.pairing_export, name="pairing_export"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/targets/", views.plan_targets_add, name="plan_targets_add"),
    path("plans/targets/<int:pk>/edit/", views.plan_target_edit, name="plan_target_edit"),
    path("plans/targets/<int:pk>/delete/", views.plan_target_delete, name="plan_target_delete"),
    path("pairings/", views.pairing_list, name="pairing_list"),
    path("pairings/new/", views.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<int:pk>/edit/", views.pairing_edit, name="pairing_edit"),
    path("pairings/<int:pk>/delete/", views.pairing_delete, name="pairing_delete"),
    path("pairings/<int:pk>/visits/", views.visit_create, name="pairing_visit_create"),
]
