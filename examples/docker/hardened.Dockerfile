# The better version: a small Alpine-based Python image with a fixed version, dependencies installed without
# pip's cache, and an unprivileged user created and switched to before the application starts.
FROM python:3.12-alpine
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
RUN addgroup -S appgroup && adduser -S appuser -G appgroup
USER appuser
CMD ["python", "app.py"]
