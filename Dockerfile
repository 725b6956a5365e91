# The image behind docker-compose.yml's web, worker and beat services.
FROM python:3.11-slim

# The venv lives outside /app so that `COPY . .` can never replace it with a developer's .venv.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN pip install --no-cache-dir uv

WORKDIR /app

# Dependencies first, from the lock file only, so code changes do not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-cache

COPY . .

ENV PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.production

# Run unprivileged; collectstatic writes /app/staticfiles and the app may write /app/var.
RUN useradd --system --create-home --uid 1000 pilotdeck \
    && mkdir -p /app/staticfiles /app/var \
    && chown -R pilotdeck /app/staticfiles /app/var
USER pilotdeck

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "-b", "0.0.0.0:8000", "--workers", "3"]
