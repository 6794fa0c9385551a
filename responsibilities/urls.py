from django.urls import path

from responsibilities import (
    committee_views,
    duty_views,
    exports,
    interview_views,
    map_views,
    views,
)

app_name = "responsibilities"
urlpatterns = [
    path("organisations/", views.organisation_tree, name="organisations"),
    path("reminders/", views.reminder_list, name="reminders"),
    path("duty/", duty_views.duty_overview, name="duty_overview"),
    path("duty/export/", exports.duty_overview_export, name="duty_overview_export"),
    path("duty/<int:pk>/export/", exports.duty_list_export, name="duty_list_export"),
    path("interviews/export/", exports.interview_export, name="interview_export"),
    path(
        "committees/meetings/export/",
        exports.committee_meeting_export,
        name="committee_meeting_export",
    ),
    path("duty/new/", duty_views.duty_list_create, name="duty_list_create"),
    path("duty/<int:pk>/", duty_views.duty_list_detail, name="duty_list"),
    path("duty/<int:pk>/items/add/", duty_views.duty_item_add, name="duty_item_add"),
    path("duty/<int:pk>/copy/", duty_views.duty_list_copy, name="duty_list_copy"),
    path("duty/items/<int:pk>/done/", duty_views.duty_item_done, name="duty_item_done"),
    path("interviews/", interview_views.interview_list, name="interview_list"),
    path("interviews/new/", interview_views.interview_create, name="interview_create"),
    path("interviews/<int:pk>/", interview_views.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/<slug:step>/", interview_views.interview_step, name="interview_step"),
    path("committees/", committee_views.committee_index, name="committees"),
    path("committees/<int:pk>/", committee_views.committee_detail, name="committee_detail"),
    path(
        "committees/<int:pk>/meetings/",
        committee_views.committee_meeting_record,
        name="committee_meeting_record",
    ),
    path("supervision-map/", map_views.supervision_map, name="supervision_map"),
]
