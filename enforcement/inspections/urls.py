"""Pages of this area (collected by enforcement/urls.py)."""

from django.urls import path

from enforcement import exports
from enforcement.inspections import views

urlpatterns = [
    path("inspections/export/", exports.inspection_export, name="inspection_export"),
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/unfollowed/export/", exports.unfollowed_export, name="unfollowed_export"),
    path("inspections/unfollowed/", views.unfollowed, name="inspection_unfollowed"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/<slug:step>/", views.inspection_step, name="inspection_step"),
    path(
        "inspections/findings/<int:pk>/hazard/",
        views.finding_hazard,
        name="inspection_finding_hazard",
    ),
    path("inspections/photos/<int:pk>/", views.finding_photo, name="inspection_photo"),
]
