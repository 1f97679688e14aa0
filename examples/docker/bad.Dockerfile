# The hardening checklist's bad example: a full operating-system image under a moving tag, Python installed
# with apt-get (recommended packages and package lists left in the layer), the application run as root, and no
# HEALTHCHECK.
FROM ubuntu:latest
RUN apt-get update && apt-get install -y python3
COPY app.py /app/app.py
CMD ["python3", "/app/app.py"]
