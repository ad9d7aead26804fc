# The image behind web, worker and beat in docker-compose.yml.
# Build stage: dependencies into a virtualenv, translations compiled, static files collected.
FROM python:3.11-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext only to compile the .po files; it does not reach the final image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# A throwaway key: the settings refuse to load without one, and neither command signs anything.
# It lives only in this RUN's environment, never in an image layer's ENV.
RUN export SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    DJANGO_SETTINGS_MODULE=gvi_portal.settings.production \
    && python manage.py compilemessages --ignore=.venv \
    && python manage.py collectstatic --noinput


FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=gvi_portal.settings.production

# The code belongs to root and is read-only for the process; it runs as an unprivileged user.
RUN groupadd --system --gid 10001 gvi \
    && useradd --system --uid 10001 --gid gvi --home-dir /app --no-create-home --shell /usr/sbin/nologin gvi

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app

USER gvi
EXPOSE 8000
CMD ["gunicorn", "gvi_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
