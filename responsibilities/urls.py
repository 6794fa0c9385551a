from django.urls import path

from responsibilities import duty_views, views

app_name = "responsibilities"
urlpatterns = [
    path("organisations/", views.organisation_tree, name="organisations"),
    path("reminders/", views.reminder_list, name="reminders"),
    path("duty/", duty_views.duty_overview, name="duty_overview"),
    path("duty/<int:pk>/", duty_views.duty_list_detail, name="duty_list"),
    path("duty/items/<int:pk>/done/", duty_views.duty_item_done, name="duty_item_done"),
]

from responsibilities import interview_views  # noqa: E402

urlpatterns += [
    path("interviews/", interview_views.interview_list, name="interview_list"),
    path("interviews/new/", interview_views.interview_create, name="interview_create"),
    path("interviews/<int:pk>/", interview_views.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/<slug:step>/", interview_views.interview_step, name="interview_step"),
]

from responsibilities import map_views  # noqa: E402

urlpatterns += [
    path("supervision-map/", map_views.supervision_map, name="supervision_map"),
]
