from django.urls import path

from responsibilities import (
    appraisal_views,
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
    path(
        "duty/items/<int:pk>/evidence/",
        duty_views.duty_item_evidence,
        name="duty_item_evidence",
    ),
    path("duty/items/<int:pk>/<slug:step>/", duty_views.duty_item_step, name="duty_item_step"),
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
    # the year-end appraisal (述职评议, responsibilities/appraisal_views.py)
    path("appraisal/", appraisal_views.appraisal_index, name="appraisal_index"),
    path("appraisal/schemes/new/", appraisal_views.scheme_create, name="appraisal_scheme_create"),
    path("appraisal/schemes/<int:year>/", appraisal_views.scheme_detail, name="appraisal_scheme"),
    path(
        "appraisal/schemes/<int:year>/copy/",
        appraisal_views.scheme_copy,
        name="appraisal_scheme_copy",
    ),
    path(
        "appraisal/schemes/<int:year>/indicators/new/",
        appraisal_views.indicator_edit,
        name="appraisal_indicator_add",
    ),
    path(
        "appraisal/schemes/<int:year>/indicators/<int:pk>/",
        appraisal_views.indicator_edit,
        name="appraisal_indicator_edit",
    ),
    path("appraisal/schemes/<int:year>/open/", appraisal_views.round_open, name="appraisal_open"),
    path("appraisal/<int:year>/", appraisal_views.round_detail, name="appraisal_round"),
    path(
        "appraisal/<int:year>/progress/",
        appraisal_views.round_progress,
        name="appraisal_round_progress",
    ),
    path(
        "appraisal/<int:year>/recompute/",
        appraisal_views.round_recompute,
        name="appraisal_round_recompute",
    ),
    path(
        "appraisal/<int:year>/publish/",
        appraisal_views.round_publish,
        name="appraisal_round_publish",
    ),
    path(
        "appraisal/<int:year>/report/", appraisal_views.round_report, name="appraisal_round_report"
    ),
    path("appraisal/results/<int:pk>/", appraisal_views.result_detail, name="appraisal_result"),
    path(
        "appraisal/results/<int:pk>/report/",
        appraisal_views.result_report,
        name="appraisal_result_report",
    ),
    path(
        "appraisal/results/<int:pk>/progress/",
        appraisal_views.result_progress,
        name="appraisal_result_progress",
    ),
    path(
        "appraisal/results/<int:pk>/scores/<int:score_pk>/adjust/",
        appraisal_views.score_adjust,
        name="appraisal_score_adjust",
    ),
    path(
        "appraisal/results/<int:pk>/scores/<int:score_pk>/evidence/",
        appraisal_views.score_evidence,
        name="appraisal_score_evidence",
    ),
    path(
        "appraisal/results/<int:pk>/<slug:step>/",
        appraisal_views.result_step,
        name="appraisal_result_step",
    ),
]
