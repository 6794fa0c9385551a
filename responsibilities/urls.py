from django.urls import path

from responsibilities import duty_views, views

app_name = "responsibilities"
urlpatterns = [
    path("organisations/", views.organisation_tree, name="organisations"),
    path("reminders/", views.reminder_list, name="reminders"),
    path("duty/", duty_views.duty_overview, name="duty_overview"),
    path("duty/new/", duty_views.duty_list_create, name="duty_list_create"),
    path("duty/<int:pk>/", duty_views.duty_list_detail, name="duty_list"),
    path("duty/<int:pk>/items/add/", duty_views.duty_item_add, name="duty_item_add"),
    path("duty/<int:pk>/copy/", duty_views.duty_list_copy, name="duty_list_copy"),
    path("duty/items/<int:pk>/done/", duty_views.duty_item_done, name="duty_item_done"),
]
