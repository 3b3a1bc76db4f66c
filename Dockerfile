# Two stages: the first installs the pinned, hashed dependencies (requirements.lock, see `make lock`)
# into a virtualenv and collects the static files; the second holds only that virtualenv and the
# app, owned by root and run as an unprivileged user. .dockerignore keeps secrets, databases and
# uploads out of the build context.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
COPY requirements.lock /tmp/requirements.lock
RUN /venv/bin/pip install --require-hashes --no-deps -r /tmp/requirements.lock
WORKDIR /app
COPY . .
RUN DEBUG=false SECRET_KEY=build-time-only-collectstatic-key /venv/bin/python manage.py collectstatic --noinput --verbosity 0

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH
RUN groupadd --system c2c \
    && useradd --system --gid c2c --home-dir /app --no-create-home --shell /usr/sbin/nologin c2c \
    && mkdir -p /data/private-media \
    && chown c2c:c2c /data/private-media
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app
USER c2c
EXPOSE 8000
# The Procfile's web line (docker-compose.yml runs each Procfile line as a service).
CMD ["sh", "-c", "gunicorn c2c.wsgi:application --bind ${HOST:-0.0.0.0}:${PORT:-8000} --workers ${WEB_CONCURRENCY:-2} --threads 4"]
