# Unfold for a class: the app on a server, with Graphviz's dot and torch's CPU build.
#   docker build -t unfold . && docker run -p 8501:8501 unfold      then open http://localhost:8501
# The image runs the README's own install (setup.sh) on Debian 12, so it gets what a fresh machine gets;
# bench/fresh_os.sh runs these same steps in a Debian 12 and an Ubuntu 24.04 root folder, without Docker.
FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 python3-venv graphviz ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN bash setup.sh && rm -rf /root/.cache/pip
EXPOSE 8501
# One process serves a few dozen students; deploy/ shows several processes behind nginx for a larger class
CMD [".venv/bin/python", "-m", "streamlit", "run", "app.py", \
     "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", "--server.fileWatcherType=none"]
