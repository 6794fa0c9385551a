"""The portal's one settings module, driven by the environment.

Defaults give the embedded demo (SQLite, Celery on a filesystem transport); production
and the test suite set DATABASE_URL (PostgreSQL) and REDIS_URL. See README.md.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from safetyportal.env import (
    env_bool,
    env_int,
    env_list,
    env_proxy_ssl_header,
    env_str,
    env_url,
    local_secret_key,
    only_loopback,
)

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the running portal writes (SQLite file, uploads, the embedded broker's
# queue folders, generated PDFs) lives under one directory that is easy to back up.
DATA_DIR = Path(env_str("PORTAL_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("PORTAL_DEMO", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or DEMO_MODE:
        # never a key published in the source: one generated for this installation on first
        # run, kept in the data directory with mode 0600 (docs/decisions/0010-demo-secret-key.md)
        SECRET_KEY = local_secret_key(DATA_DIR / "secret_key")
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for the demo, run `make run`)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.forms",  # its widget templates, for FORM_RENDERER below
    # the admin, limited to the county office and superusers (ADR 0045)
    "safetyportal.accounts.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    # core apps (depend on nothing of the domain except through string model references)
    "safetyportal.accounts",
    "safetyportal.audit",
    "safetyportal.notifications",
    "safetyportal.core",
    "safetyportal.workflow",
    # domain apps
    "responsibilities",
    "enterprises",
    "hazards",
    "enforcement",
    # composition layer: pages that combine several domain apps (ADR 0008)
    "safetyportal.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and JSON answers gzip-compressed (static files are, by collectstatic)
    "safetyportal.core.compression.PageCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "safetyportal.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # control characters never reach a form or a view (safetyportal/core/text.py)
    "safetyportal.core.middleware.CleanInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Private by default: every view needs a login unless it opts out with
    # @login_not_required (see safetyportal/core/public.py and tests/test_url_policy.py).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "safetyportal.urls"
WSGI_APPLICATION = "safetyportal.wsgi.application"
ASGI_APPLICATION = "safetyportal.asgi.application"

# widgets render through the project's templates, so templates/django/forms/ can override
# one (the blank choice "---------" reads 请选择); the <select> and <input> ones are written
# out in Python to the same bytes (safetyportal/core/renderers.py)
FORM_RENDERER = "safetyportal.core.renderers.PortalRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safetyportal.core.context_processors.portal",
            ],
        },
    },
]

# Database: SQLite file for the demo; PostgreSQL (postgres://...) for tests and production.
DATABASE_URL = env_url("DATABASE_URL", schemes={"postgres", "postgresql", "sqlite"})
if DATABASE_URL is None:
    # the embedded demo database: its folder is created on first use, like the file
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "portal.sqlite3"}
    }
else:
    DATABASES = {
        "default": dict(
            # a kept connection is checked before a request uses it, so a database restart
            # costs no failed request once it is back (tests/faults/test_postgres_restart.py)
            dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
        )
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # however SQLite is configured: a writer waits up to 20 s for another instead of failing
    # with "database is locked", and takes the write lock when its transaction begins (a
    # deferred transaction that upgrades to writing fails at once, whatever the timeout)
    configured = DATABASES["default"].get("OPTIONS")
    sqlite_options: dict[str, object] = dict(configured) if isinstance(configured, dict) else {}
    sqlite_options.update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    DATABASES["default"]["OPTIONS"] = sqlite_options
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # first: refuses every attempt while a username is locked out (see AXES_* below)
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: nothing is granted to the public

# Repeated wrong passwords lock that username from that address for a while; the county
# office can unlock early in the admin (Axes > access attempts).
AXES_ENABLED = env_bool("LOGIN_LOCKOUT_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=3)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: uploads go through access-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # production serves hashed, compressed files collected by `collectstatic`
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or DEMO_MODE)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO_MODE)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "安全生产监管门户 <noreply@localhost>")
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
# Cookies may travel over plain HTTP only for a development or demo server that answers on
# this machine alone; one reachable by other hosts gets secure cookies unless told otherwise.
SESSION_COOKIE_SECURE = env_bool(
    "SECURE_COOKIES", not ((DEBUG or DEMO_MODE) and only_loopback(ALLOWED_HOSTS))
)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# --- Caches -----------------------------------------------------------------------------
# default: each process's memory (throttle counters). figures: the home pages' kept
# figures (safetyportal/core/figures.py, ADR 0017), kept apart so that many scopes never
# push the throttle counters out. Per process is enough: a figure's key carries its
# topics' tokens from the database, so no process can serve one older than a write.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "figures",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# --- Celery -----------------------------------------------------------------------------
# REDIS_URL set: a real Redis broker (production, tests). Unset: kombu's filesystem
# transport under DATA_DIR, so the demo runs a real worker and beat with nothing installed.
REDIS_URL = env_url("REDIS_URL", schemes={"redis", "rediss"})
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {"visibility_timeout": 2 * 60 * 60}
else:
    _broker_dir = DATA_DIR / "celery-broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # the exchange tables; kombu's default is ./control, i.e. wherever the worker starts
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Long jobs (PDF reports) must finish well inside the broker's visibility timeout,
# or Redis hands them to a second worker.
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# A worker that has not written a heartbeat for this long is reported as down by /healthz.
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env_int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", 300, minimum=60)

# --- REST API ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "safetyportal.workflow.drf.StrictPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # one translation of the error vocabulary to HTTP (docs/decisions/0007-workflow-kit.md)
    "EXCEPTION_HANDLER": "safetyportal.workflow.drf.exception_handler",
    # depth-limited JSON; control characters stripped from every body (safetyportal/core/api_parsers.py)
    "DEFAULT_PARSER_CLASSES": [
        "safetyportal.core.api_parsers.JSONParser",
        "safetyportal.core.api_parsers.FormParser",
        "safetyportal.core.api_parsers.MultiPartParser",
    ],
    # The browsable API (HTML forms with drop-downs) is a developer's tool: production
    # answers JSON only. Its forms are scoped anyway (safetyportal/core/scoping.py).
    "DEFAULT_RENDERER_CLASSES": (
        [
            "rest_framework.renderers.JSONRenderer",
            "rest_framework.renderers.BrowsableAPIRenderer",
        ]
        if env_bool("PORTAL_BROWSABLE_API", DEBUG or DEMO_MODE)
        else ["rest_framework.renderers.JSONRenderer"]
    ),
}
# The deepest nesting of lists and objects a JSON request body may have (the API's
# bodies need 3; a deeper one is refused with 400 before anything recurses over it).
API_JSON_MAX_DEPTH = env_int("PORTAL_API_JSON_MAX_DEPTH", 20, minimum=3, maximum=200)
# Plausible dates (safetyportal/core/dates.py): nothing typed before this year, nothing
# planned further ahead than this many years (deadlines, expiry dates).
PORTAL_EARLIEST_YEAR = env_int("PORTAL_EARLIEST_YEAR", 2000, minimum=1900, maximum=2100)
PORTAL_MAX_YEARS_AHEAD = env_int("PORTAL_MAX_YEARS_AHEAD", 10, minimum=1, maximum=100)
# Reference data every signed-in user may read and pick in a form: models without a
# visible_to(user) door that related fields may offer unscoped (safetyportal/core/scoping.py).
PORTAL_REFERENCE_MODELS = [
    "responsibilities.Organisation",
    "responsibilities.Industry",
    "hazards.RiskBand",
    "enterprises.AssessmentTemplate",
    "enterprises.AssessmentPeriod",
    # the county's list of delegated enforcement items (who may act on which: rules.py)
    "enforcement.DelegatedItem",
]
SPECTACULAR_SETTINGS = {
    "TITLE": "安全生产监管门户 API",
    "DESCRIPTION": "澧县安全生产监管门户的 REST API。权限与页面一致：每个用户只能看到其职责范围内的数据。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # DRF views opt out of LoginRequiredMiddleware, so the schema and docs need their own check
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # enterprises' duty records share a field name ("kind") over different choice sets
    "ENUM_NAME_OVERRIDES": {
        "DutyDocumentKindEnum": "enterprises.duties.models.DocumentKind",
        "EmergencyPlanKindEnum": "enterprises.duties.models.PlanKind",
        "AccidentKindEnum": "enforcement.accidents.models.AccidentKind",
        "InspectionStatusEnum": "enforcement.inspections.models.InspectionStatus",
        "InspectionAnswerEnum": "enforcement.inspections.models.Answer",
        "ProcedureEnum": "enforcement.authority.models.Procedure",
        # the year-end appraisal (responsibilities/appraisal_api.py)
        "AppraisalResultStatusEnum": "responsibilities.appraisal_models.ResultStatus",
        "AppraisalGradeEnum": "responsibilities.appraisal_models.Grade",
        "AppraisalRoundStatusEnum": "responsibilities.appraisal_models.RoundStatus",
        "AccidentGradeEnum": "enforcement.accidents.models.AccidentGrade",
    },
    # every operation lists the errors it can answer, with their bodies
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "safetyportal.workflow.schema.document_errors",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Portal rules that may change (domain-notes marks them uncertain or local) ------------
PAGE_SIZE = env_int("PORTAL_PAGE_SIZE", 25, minimum=5)
UPLOAD_MAX_BYTES = env_int("PORTAL_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# a photo may arrive larger (a phone's full-size picture): it is shrunk to keep, not refused
PHOTO_UPLOAD_MAX_BYTES = env_int("PORTAL_PHOTO_UPLOAD_MAX_BYTES", 40 * 1024 * 1024, minimum=1024)
# Hazard escalation (mission.md §3): reminder N days before the deadline, then one level
# at a time once these many days overdue: town, supervising department, county office.
HAZARD_REMINDER_DAYS_BEFORE = env_int("HAZARD_REMINDER_DAYS_BEFORE", 3, minimum=0)
HAZARD_ESCALATE_TOWN_DAYS = env_int("HAZARD_ESCALATE_TOWN_DAYS", 1, minimum=1)
HAZARD_ESCALATE_DEPARTMENT_DAYS = env_int("HAZARD_ESCALATE_DEPARTMENT_DAYS", 7, minimum=1)
HAZARD_ESCALATE_COUNTY_DAYS = env_int("HAZARD_ESCALATE_COUNTY_DAYS", 15, minimum=1)
# Enterprise duties and self-assessment (domain-notes §5, §7; enterprises/duties/compliance.py)
DUTY_DUE_SOON_DAYS = env_int("PORTAL_DUTY_DUE_SOON_DAYS", 30, minimum=1)
STAFFING_EMPLOYEE_THRESHOLD = env_int("PORTAL_STAFFING_EMPLOYEE_THRESHOLD", 100, minimum=1)
# "Medium-size or larger" for the emergency-plan duties (总局令88号 Art. 21, 35; domain-notes
# §7.5): from this many employees a unit must keep a comprehensive plan and evaluate its
# plans every 3 years. 300 is the lower bound of a medium industrial enterprise in
# 《统计上大中小微型企业划分办法（2017）》; other sectors start lower, so the county sets it.
# 特种作业操作证复审 (domain-notes §7.2 [S]): every 3 years; every 6 years for an operator
# with 10+ continuous years in the trade and a clean record.
CERTIFICATE_REVIEW_YEARS = env_int("PORTAL_CERTIFICATE_REVIEW_YEARS", 3, minimum=1)
CERTIFICATE_REVIEW_YEARS_LONG_SERVICE = env_int(
    "PORTAL_CERTIFICATE_REVIEW_YEARS_LONG_SERVICE", 6, minimum=1
)
EMERGENCY_PLAN_MEDIUM_EMPLOYEES = env_int("PORTAL_EMERGENCY_PLAN_MEDIUM_EMPLOYEES", 300, minimum=1)
SELF_ASSESSMENT_DUE_MONTH = env_int("PORTAL_SELF_ASSESSMENT_DUE_MONTH", 11, minimum=1)
SELF_ASSESSMENT_REMIND_DAYS = env_int("PORTAL_SELF_ASSESSMENT_REMIND_DAYS", 14, minimum=1)
# Flag: a self-assessment total at least this high while others (inspections, reports: not
# the enterprise's own 自查自报) found at least this many hazards at the enterprise within
# the window (hazards/assessment_selectors.py)
SELF_ASSESSMENT_FLAG_MIN_TOTAL = env_int("PORTAL_SELF_ASSESSMENT_FLAG_MIN_TOTAL", 90, minimum=0)
SELF_ASSESSMENT_FLAG_MIN_HAZARDS = env_int("PORTAL_SELF_ASSESSMENT_FLAG_MIN_HAZARDS", 3, minimum=1)
SELF_ASSESSMENT_FLAG_WINDOW_DAYS = env_int(
    "PORTAL_SELF_ASSESSMENT_FLAG_WINDOW_DAYS", 365, minimum=1
)
# The most rows one registry import file may hold (imports run in the Celery worker).
REGISTRY_IMPORT_MAX_ROWS = env_int("PORTAL_REGISTRY_IMPORT_MAX_ROWS", 100_000, minimum=1)
# Checked before an uploaded .xlsx is parsed (safetyportal/core/excel.py check_xlsx_limits):
# its total size once unpacked, and the columns of a sheet (the rows: the importer's limit).
EXCEL_IMPORT_MAX_UNCOMPRESSED_BYTES = (
    env_int("PORTAL_EXCEL_IMPORT_MAX_UNCOMPRESSED_MB", 100, minimum=1) * 1024 * 1024
)
EXCEL_IMPORT_MAX_COLUMNS = env_int("PORTAL_EXCEL_IMPORT_MAX_COLUMNS", 50, minimum=1)

# Every handler masks mobile numbers and identity numbers in what it writes, message,
# arguments and traceback alike (safetyportal/core/log_filters.py, ADR 0045); Django's own
# loggers are routed through these handlers instead of its unfiltered defaults.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "mask_personal_data": {"()": "safetyportal.core.log_filters.MaskPersonalData"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["mask_personal_data"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "mask_personal_data"],
        },
    },
    "loggers": {
        # replaces Django's default handlers (DEFAULT_LOGGING) on its loggers: the records
        # reach the root's masked console, errors also the (masked) mail to ADMINS
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# A self-assessment whose applicable items carry less than this share of the template's
# points gets no grade above 不合格 (marking items 不适用 must not buy a grade).
ASSESSMENT_MIN_APPLICABLE_SHARE = (
    env_int("PORTAL_ASSESSMENT_MIN_APPLICABLE_PERCENT", 60, minimum=0, maximum=100) / 100
)

# --- Whistleblower reports (enforcement/reports, ADR 0029-0031) ----------------------------
# The reporter's identity is encrypted with MultiFernet: a comma list of Fernet keys, the
# first encrypts, all decrypt (add a new key in front, run `manage.py rotate_report_keys`,
# then drop the old one). The phone lookup uses an HMAC key of its own. Unset (the demo,
# tests): both are derived from SECRET_KEY; a deployment sets its own.
REPORT_IDENTITY_KEYS = [
    key.strip() for key in env_str("PORTAL_REPORT_IDENTITY_KEYS", "").split(",") if key.strip()
]
REPORT_LOOKUP_HASH_KEY = env_str("PORTAL_REPORT_LOOKUP_HASH_KEY", "")
# handling deadlines in days (domain-notes §6.2): accept, verify after acceptance (once
# extendable), feed back after verification
REPORT_ACCEPT_DAYS = env_int("PORTAL_REPORT_ACCEPT_DAYS", 7, minimum=1)
REPORT_VERIFY_DAYS = env_int("PORTAL_REPORT_VERIFY_DAYS", 60, minimum=1)
REPORT_EXTENSION_MAX_DAYS = env_int("PORTAL_REPORT_EXTENSION_MAX_DAYS", 30, minimum=1)
REPORT_FEEDBACK_DAYS = env_int("PORTAL_REPORT_FEEDBACK_DAYS", 10, minimum=1)
REPORT_REMIND_DAYS = env_int("PORTAL_REPORT_REMIND_DAYS", 5, minimum=0)
# per client (address) and window: public submissions, receipt lookups, enterprise searches
REPORT_SUBMIT_LIMIT = env_int("PORTAL_REPORT_SUBMIT_LIMIT", 5, minimum=1)  # per hour
REPORT_LOOKUP_LIMIT = env_int("PORTAL_REPORT_LOOKUP_LIMIT", 20, minimum=1)  # per 10 minutes
REPORT_SEARCH_LIMIT = env_int("PORTAL_REPORT_SEARCH_LIMIT", 60, minimum=1)  # per 10 minutes
REPORT_MAX_FILES = env_int("PORTAL_REPORT_MAX_FILES", 5, minimum=1)

# --- Hardening: HTTPS, headers, cookies, Content Security Policy (ADR 0045) ----------------
# A portal reachable by other hosts, outside DEBUG and the demo, is served over HTTPS only:
# redirect, HSTS and secure cookies by default; each can be set (README "Production").
# Behind a proxy that terminates TLS, SECURE_PROXY_SSL_HEADER names the header it sets
# (X-Forwarded-Proto), or every request looks like plain HTTP and the redirect never ends.
_HTTPS_EXPECTED = not (DEBUG or DEMO_MODE) and not only_loopback(ALLOWED_HOSTS)
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS_EXPECTED)
# the load balancer's health check may come over plain HTTP from inside
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 365 * 24 * 3600 if _HTTPS_EXPECTED else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# no script reads the CSRF cookie: pages carry the token (forms, hx-headers on <body>)
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content Security Policy (django-csp 4): scripts, styles, fonts, fetches and frames from
# the portal itself only; no inline script, style element or style attribute, no eval.
# Bootstrap's CSS draws its small icons from data: SVGs; photo previews are blob: URLs.
# tests/test_content_security_policy.py keeps every template free of inline code and
# tests/browser/test_csp_violations.py loads the main pages in Chromium: zero violations.
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Swagger UI (/api/docs/) loads its script as a file (SpectacularSwaggerSplitView) and
# never calls the public validator
SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"] = {"deepLinking": True, "validatorUrl": None}
