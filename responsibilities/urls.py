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
