from django.urls import path

from responsibilities import views

app_name = "responsibilities"
urlpatterns = [
    path("organisations/", views.organisation_tree, name="organisations"),
    path("reminders/", views.reminder_list, name="reminders"),
]
