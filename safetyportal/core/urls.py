from django.urls import path

from safetyportal.core import schedule_views

app_name = "core"
urlpatterns = [
    path("", schedule_views.schedule_list, name="schedules"),
    path("<int:pk>/", schedule_views.schedule_change, name="schedule_change"),
]
