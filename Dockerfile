# One image for the web server (gunicorn) and the Celery worker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# libmagic: upload sniffing; pango + fonts: WeasyPrint PDFs.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libmagic1 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core libcairo2 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Group 101 is the nginx image's "nginx" group: evidence files are written 0640, readable by the
# portal and by nginx (which sends them after the permission check), by no one else.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput --verbosity 0 \
 && (getent group 101 >/dev/null || groupadd --system --gid 101 media) \
 && useradd --system --uid 1000 --gid 101 --home /app spbe \
 && mkdir -p /data/media && chown -R spbe:101 /data /app/staticfiles

USER spbe
EXPOSE 8000
# Settings (workers, timeouts) in gunicorn.conf.py.
CMD ["gunicorn", "spbe_portal.wsgi"]
