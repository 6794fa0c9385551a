"""Django groups mirror the roles; their model permissions are kept in sync by code.

Model permissions only decide who may edit reference data in the admin. What a user may
see or do in the portal is decided by the access helpers in each app's permissions.py.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from safetyportal.accounts.models import Role

# County office staff maintain reference data in the admin.
ROLE_MODEL_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTY_OFFICE: [
        "responsibilities.add_organisation",
        "responsibilities.change_organisation",
        "responsibilities.view_organisation",
        "responsibilities.add_industry",
        "responsibilities.change_industry",
        "responsibilities.view_industry",
        "responsibilities.add_committeemembership",
        "responsibilities.change_committeemembership",
        "responsibilities.delete_committeemembership",
        "responsibilities.view_committeemembership",
        "responsibilities.add_supervisionmap",
        "responsibilities.change_supervisionmap",
        "responsibilities.view_supervisionmap",
        "responsibilities.add_supervisionassignment",
        "responsibilities.change_supervisionassignment",
        "responsibilities.delete_supervisionassignment",
        "responsibilities.view_supervisionassignment",
        "responsibilities.add_remindertopic",
        "responsibilities.change_remindertopic",
        "responsibilities.view_remindertopic",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "django_celery_beat.view_crontabschedule",
        "django_celery_beat.add_crontabschedule",
        "django_celery_beat.change_crontabschedule",
        "django_celery_beat.view_intervalschedule",
        "audit.view_auditevent",
        # unlock a user locked out by repeated wrong passwords (delete the attempt record)
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "hazards.view_riskband",
        "hazards.change_riskband",
        "enterprises.add_assessmenttemplate",
        "enterprises.change_assessmenttemplate",
        "enterprises.view_assessmenttemplate",
        "enterprises.add_templateitem",
        "enterprises.change_templateitem",
        "enterprises.delete_templateitem",
        "enterprises.view_templateitem",
        "enterprises.add_assessmentperiod",
        "enterprises.change_assessmentperiod",
        "enterprises.view_assessmentperiod",
        "enterprises.add_insurancemandate",
        "enterprises.change_insurancemandate",
        "enterprises.delete_insurancemandate",
        "enterprises.view_insurancemandate",
        "enterprises.add_gradeband",
        "enterprises.change_gradeband",
        "enterprises.delete_gradeband",
        "enterprises.view_gradeband",
    ],
}


def group_name(role: str) -> str:
    return f"role:{role}"


def sync_role_groups(**kwargs) -> None:
    """Create one group per role and set exactly the permissions listed above."""
    for role in Role:
        group, _created = Group.objects.get_or_create(name=group_name(role))
        wanted = ROLE_MODEL_PERMISSIONS.get(role, [])
        perms = []
        for dotted in wanted:
            app_label, codename = dotted.split(".")
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:  # an app's permission appears once its migrations ran
                perms.append(perm)
        group.permissions.set(perms)
