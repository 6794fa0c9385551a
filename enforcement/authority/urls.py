"""Pages of this area (collected by enforcement/urls.py)."""

from django.urls import path

from enforcement import exports
from enforcement.authority import views

urlpatterns = [
    path("items/", views.item_list, name="authority_items"),
    path("items/export/", exports.authority_item_export, name="authority_item_export"),
    path(
        "authorisations/export/",
        exports.authorisation_export,
        name="authority_authorisation_export",
    ),
    path("officers/export/", exports.officer_export, name="authority_officer_export"),
    path("items/<int:pk>/", views.item_detail, name="authority_item"),
    path("items/import/", views.item_import, name="authority_item_import"),
    path("items/import/template/", views.item_template, name="authority_item_template"),
    path("authorisations/", views.authorisation_list, name="authority_authorisations"),
    path("authorisations/new/", views.authorisation_create, name="authority_authorisation_create"),
    path("authorisations/<int:pk>/", views.authorisation_detail, name="authority_authorisation"),
    path(
        "authorisations/<int:pk>/edit/",
        views.authorisation_edit,
        name="authority_authorisation_edit",
    ),
    path("officers/", views.officer_list, name="authority_officers"),
    path("officers/new/", views.certificate_create, name="authority_certificate_create"),
    path("officers/<int:pk>/renew/", views.certificate_renew, name="authority_certificate_renew"),
    path(
        "officers/<int:pk>/revoke/",
        views.certificate_revoke,
        name="authority_certificate_revoke",
    ),
]
