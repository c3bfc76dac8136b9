# Production image: gunicorn serving the app, whitenoise serving the collected static files.
#   docker build -t schedule .
#   docker run --rm -e DATABASE_URL=... -e SECRET_KEY=... -e ALLOWED_HOSTS=... schedule migrate
#   docker run -p 8000:8000 -e DATABASE_URL=... -e REDIS_URL=... -e SECRET_KEY=... -e ALLOWED_HOSTS=... schedule
#   docker run --no-healthcheck -e DATABASE_URL=... -e SECRET_KEY=... -e ALLOWED_HOSTS=... -e EMAIL_HOST=... schedule worker
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock

COPY . .
# collectstatic needs settings but no real secret or database.
RUN DEBUG=false SECRET_KEY=collectstatic-only-not-a-secret-0123456789-abcdefghijklmnop \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app/media /app/var && chown -R app /app/media /app/var

USER app
ENV DEBUG=false PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')" || exit 1
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["serve"]
