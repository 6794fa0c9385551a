from django.urls import path

from responsibilities import views

app_name = "responsibilities"
urlpatterns = [
    path("organisations/", views.organisation_tree, name="organisations"),
    path("reminders/", views.reminder_list, name="reminders"),
]

from responsibilities import interview_views  # noqa: E402

urlpatterns += [
    path("interviews/", interview_views.interview_list, name="interview_list"),
    path("interviews/new/", interview_views.interview_create, name="interview_create"),
    path("interviews/<int:pk>/", interview_views.interview_detail, name="interview_detail"),
    path("interviews/<int:pk>/<slug:step>/", interview_views.interview_step, name="interview_step"),
]
