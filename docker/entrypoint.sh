#!/bin/sh
# Production entrypoint. `migrate` runs the database migrations (once per release, from one
# container); `worker` runs the background tasks; anything else is passed on, and no argument
# serves the site with gunicorn.
set -e
cd "$(dirname "$0")/.."
case "${1:-serve}" in
  serve)
    exec gunicorn config.wsgi:application \
      --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${WEB_CONCURRENCY:-3}" \
      --access-logfile - \
      --logger-class config.logging.RedactingGunicornLogger \
      --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}"
    ;;
  worker)
    # Background tasks (the schedule-change e-mails): any number of workers, on any servers,
    # share the queue in the database. First queue again what a killed worker left unsent.
    shift
    python manage.py resume_change_emails
    exec python manage.py db_worker --no-reload "$@"
    ;;
  migrate)
    # A migration may rewrite a big table: no statement time limit for it.
    DATABASE_STATEMENT_TIMEOUT=0 exec python manage.py migrate --noinput
    ;;
  *)
    exec "$@"
    ;;
esac
