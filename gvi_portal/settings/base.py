"""Settings shared by every environment. All values from the environment come through gvi_portal.env."""

from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from gvi_portal.env import env_bool, env_date, env_int, env_list, env_optional, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

# SECRET_KEY has no default here: only gvi_portal.settings.dev supplies one.
SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "guardian",
    "axes",
    "agencies",
    "retention",
    "cases",
    "outreach",
    "dashboards",
    "extracts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "agencies.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gvi_portal.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After OTPMiddleware (is the session verified?) and htmx (a whole-page redirect for htmx requests).
    "agencies.middleware.SecondFactorMiddleware",
    # axes must be last: it turns a lockout raised during authentication into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gvi_portal.urls"
WSGI_APPLICATION = "gvi_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "agencies.context_processors.acting_agency",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gvi_portal.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The development server answers requests in threads. SQLite's default deferred transactions let two writers
    # both start and then fail with "database is locked" (a 500); IMMEDIATE takes the write lock at BEGIN, so the
    # second writer waits (up to the timeout, in seconds) instead.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # axes first: it refuses a locked-out account before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the user's membership and agency in the user's own query.
    "agencies.auth_backends.MembershipBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after this many seconds without a request (inactivity, not absolute age).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: five failed logins lock that username from that address — the pair, never the address alone
# (made-up usernames from one address must not lock every real user out) and never the username alone (a
# stranger must not be able to lock a lead out from elsewhere). Agency leads lift their users' lockouts.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client address: from the proxy's X-Forwarded-For only when TRUSTED_PROXY_COUNT proxies are declared
# (gvi_portal/client_ip.py); else the connection's own address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "gvi_portal.client_ip.client_ip"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Second factor (django-otp): the name authenticator apps show, and how recent a code must be before
# identity details may be shared (agencies/second_factor.py).
OTP_TOTP_ISSUER = "GVI-portalen"
SECOND_FACTOR_STEP_UP_MINUTES = env_int("SECOND_FACTOR_STEP_UP_MINUTES", 10)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content-Security-Policy (django-csp 4): scripts and styles from the site itself only — no inline script,
# no eval, nothing from elsewhere. Templates keep no inline <script>, on* handler or style attribute; htmx
# is told not to inject its indicator styles (the meta tag in base.html; the CSS is in portal.css) and never
# to eval; the API docs use the split Swagger view, whose initialiser is a script file of its own.
# data: images: the Swagger UI's icons and the QR code of the second-factor enrolment.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False
# Anonymous users never hold object permissions; guardian need not create its anonymous user.
ANONYMOUS_USER_NAME = None

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header is what makes DRF answer 401, not 403, to anonymous callers.
        "agencies.api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["agencies.api.permissions.IsAgencyMember"],
    # Nesting depth and lone surrogates refused as 400s (agencies/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "agencies.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "agencies.api.exceptions.exception_handler",
    # The browsable API renders a related field as a <select>: never more than 100 choices (a national
    # register has 500,000 persons; the HTML forms choose them by search, agencies.forms.gated).
    "HTML_SELECT_CUTOFF": 100,
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env_str("API_THROTTLE_RATE", "600/minute")},
}

# /api/schema/ and /api/docs/ for signed-in users only (production settings turn this on).
API_DOCS_LOGIN_REQUIRED = env_bool("API_DOCS_LOGIN_REQUIRED", False)

SPECTACULAR_SETTINGS = {
    "TITLE": "GVI Portal API",
    "DESCRIPTION": "Samverkansportalen för Sluta skjut Örebro. Varje anrop går genom samma åtkomstkontroll som webbgränssnittet.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The default hook (enum names), then ours: fields a share's receiver is not sent are optional in responses.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cases.api.schema_hooks.withheld_fields_are_optional",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Several models have a `kind`, `status` or `role` with different choices; name each set once, so clients
    # get stable enum names (and the schema check stays free of collision warnings).
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "agencies.models.Agency.Kind",
        "GroupStatusEnum": "cases.models.CriminalGroup.Status",
        "GroupRelationKindEnum": "cases.models.GroupRelation.Kind",
        "GroupRelationStatusEnum": "cases.models.GroupRelation.Status",
        "MembershipRoleEnum": "cases.models.GroupMembership.Role",
        "MembershipStatusEnum": "cases.models.GroupMembership.Status",
        "IncidentKindEnum": "cases.models.Incident.Kind",
        "IncidentStatusEnum": "cases.models.Incident.Status",
        "IncidentPersonRoleEnum": "cases.models.IncidentPerson.Role",
        "ExitCasePhaseEnum": "cases.models.Phase",
        "ExitCaseOpenPhaseEnum": "cases.api.exit_case_serializers.OPEN_PHASES",
        "CaseEntryKindEnum": "cases.models.EntryKind",
        "NeedLevelEnum": "cases.models.NeedLevel",
        "LevelEnum": "agencies.models.ShareLevel",
        "TaskStatusEnum": "cases.models.Task.Status",
        "PlanGoalStatusEnum": "cases.models.PlanGoal.Status",
        "CallInStatusEnum": "outreach.models.CallIn.Status",
        "InvitationStatusEnum": "outreach.models.Invitation.Status",
        "InvitationReasonKindEnum": "outreach.models.InvitationReason.Kind",
        "EnforcementResponseStatusEnum": "outreach.models.EnforcementResponse.Status",
        "LeverKindEnum": "outreach.models.Lever.Kind",
        "LeverStatusEnum": "outreach.models.Lever.Status",
        "ReviewMeetingStatusEnum": "outreach.models.ReviewMeeting.Status",
    },
}

# Celery: with no broker configured, tasks run eagerly in-process (the embedded default for `make run`).
CELERY_BROKER_URL = env_optional("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_optional("CELERY_RESULT_BACKEND")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# The schedule lives here, in settings, never in the database.
CELERY_BEAT_SCHEDULE = {
    "expire-shares": {"task": "agencies.tasks.expire_shares", "schedule": crontab(minute="*/5")},
    "expire-memberships": {"task": "cases.tasks.expire_memberships", "schedule": crontab(hour=2, minute=15)},
    "expire-consents": {"task": "cases.tasks.expire_consents", "schedule": crontab(hour=2, minute=30)},
    # Gallring: after the consent and membership jobs, before the snapshots (docs/retention.md).
    "retention": {"task": "retention.tasks.apply_retention_rules", "schedule": crontab(hour=2, minute=45)},
    "task-reminders": {"task": "cases.tasks.send_task_reminders", "schedule": crontab(hour=6, minute=0)},
    "log-reviews": {"task": "agencies.tasks.create_log_reviews", "schedule": crontab(day_of_month=1, hour=4, minute=0)},
    "log-review-reminders": {"task": "agencies.tasks.remind_log_reviews", "schedule": crontab(hour=6, minute=30)},
    "dashboard-snapshots": {
        "task": "dashboards.tasks.compute_nightly_snapshots",
        "schedule": crontab(hour=3, minute=0),
    },
}

# Dashboards (docs/dashboards.md). Goal 1 compares the rate of violence after the programme's start with a
# baseline period the steering group sets; by default the twelve months before the start.
PROGRAMME_START_DATE = env_date("PROGRAMME_START_DATE", date(2025, 1, 1))
DASHBOARD_BASELINE_START = env_date(
    "DASHBOARD_BASELINE_START", PROGRAMME_START_DATE.replace(year=PROGRAMME_START_DATE.year - 1)
)
DASHBOARD_BASELINE_END = env_date("DASHBOARD_BASELINE_END", PROGRAMME_START_DATE)  # exclusive
# A survey file with more rows than this is imported by a worker, with a progress bar.
SURVEY_IMPORT_INLINE_ROWS = env_int("SURVEY_IMPORT_INLINE_ROWS", 500)

# The leads' monthly access-log review (docs/access-model.md, "The monthly log review"): how many reads the
# random sample holds, what counts as "many persons in a short time", the working day (local time; weekends
# are outside it) and how often an unfinished review is reminded.
LOG_REVIEW_SAMPLE_SIZE = env_int("LOG_REVIEW_SAMPLE_SIZE", 20)
LOG_REVIEW_MANY_PERSONS = env_int("LOG_REVIEW_MANY_PERSONS", 30)
LOG_REVIEW_MANY_PERSONS_MINUTES = env_int("LOG_REVIEW_MANY_PERSONS_MINUTES", 10)
LOG_REVIEW_WORKDAY_START_HOUR = env_int("LOG_REVIEW_WORKDAY_START_HOUR", 7)
LOG_REVIEW_WORKDAY_END_HOUR = env_int("LOG_REVIEW_WORKDAY_END_HOUR", 19)
LOG_REVIEW_REMIND_EVERY_DAYS = env_int("LOG_REVIEW_REMIND_EVERY_DAYS", 7)

# Where links in e-mails point (reminders are sent by a worker, which has no request to build URLs from).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "gvi-portal@orebro.invalid")

# Every record is printed once, by the root's console handler. Django's defaults give the "django" logger
# a console handler of its own (in DEBUG) that also propagates to the root, so every warning and every
# 4xx/5xx request line came out twice; here "django" has no handler and only propagates. Naming "django"
# resets its children, so runserver's request lines ("django.server") are declared again as Django
# declares them: their own timestamped handler, not propagated. No ADMINS are set, so Django's
# mail_admins handler, dropped with the rest, had nothing to send.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
