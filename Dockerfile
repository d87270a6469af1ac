# The image docs/compose.yaml builds: hocbac on Python 3.11.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot bot
COPY handlers handlers
COPY db db
COPY content content
# Editable, so bot/catalog.py finds content/ beside the code.
RUN pip install --no-cache-dir -e .
USER nobody
CMD ["hocbac", "run", "--no-migrate"]
