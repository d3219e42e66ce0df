"""The observability HTTP server: /metrics (Prometheus), /healthz (liveness) and /readyz (readiness)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.enricher.metrics import EnricherMetrics

# The event loop ticks every second; this long without a tick means it is wedged, so restart the pod.
STALL_AFTER_S = 30.0


class Health:
    """Readiness = partitions assigned and pipeline warm; liveness = the event loop still ticks."""

    def __init__(self, metrics: EnricherMetrics) -> None:
        self._metrics = metrics
        self._lock = threading.Lock()
        self.assigned = False
        self.warm = False
        self._last_tick = time.monotonic()
        metrics.worker_ready.set(0)

    def tick(self) -> None:
        self._last_tick = time.monotonic()

    def set_assigned(self, assigned: bool) -> None:
        with self._lock:
            self.assigned = assigned
            self._publish()

    def set_warm(self) -> None:
        with self._lock:
            self.warm = True
            self._publish()

    @property
    def ready(self) -> bool:
        return self.assigned and self.warm

    @property
    def alive(self) -> bool:
        return time.monotonic() - self._last_tick < STALL_AFTER_S

    def _publish(self) -> None:
        self._metrics.worker_ready.set(1 if self.ready else 0)


class ObservabilityServer:
    """A small threaded HTTP server; runs beside the event loop so scrapes never wait on it."""

    def __init__(self, metrics: EnricherMetrics, health: Health, host: str, port: int) -> None:
        handler = _handler_for(metrics, health)
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="metrics-http", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> ObservabilityServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler_for(metrics: EnricherMetrics, health: Health) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._reply(200, generate_latest(metrics.registry), CONTENT_TYPE_LATEST)
            elif path == "/healthz":
                self._reply(
                    200 if health.alive else 503, b"ok\n" if health.alive else b"event loop stalled\n"
                )
            elif path == "/readyz":
                state = f"assigned={health.assigned} warm={health.warm}\n".encode()
                self._reply(200 if health.ready else 503, state)
            else:
                self._reply(404, b"not found\n")

        def _reply(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler
