"""A FAKE OpenAI-compatible `/v1/embeddings` server, for tests only.

A real HTTP server on 127.0.0.1 (a free port) that answers with deterministic vectors
derived from a hash of each input text instead of a model: the same text always gets the
same vector, different texts get (almost surely) different ones. The vectors are
deliberately NOT unit length, so the client's normalisation is exercised. It records each
request's body and headers, and can be told to fail, delay, or answer with a wrong shape.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np


def fake_vector(text: str, dimension: int) -> list[float]:
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    return (np.random.default_rng(seed).standard_normal(dimension) * 3.0).tolist()


class FakeEmbeddingsServer:
    def __init__(self, dimension: int = 384) -> None:
        self.dimension = dimension
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.fail_status: int | None = None
        self.delay_s = 0.0
        self.wrong_dimension = False
        self.shuffle = True  # answer out of order: clients must sort by `index`
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> FakeEmbeddingsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.fail_status is not None:
            return self.fail_status, {"error": {"message": "fake server told to fail"}}
        inputs = body["input"]
        dim = self.dimension + (1 if self.wrong_dimension else 0)
        data = [
            {"object": "embedding", "index": i, "embedding": fake_vector(t, dim)}
            for i, t in enumerate(inputs)
        ]
        if self.shuffle:
            data.reverse()
        return 200, {"object": "list", "data": data, "model": body["model"], "usage": {"prompt_tokens": 1}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with fake._lock:
                    fake.requests.append(body)
                    fake.headers.append(dict(self.headers))
                if self.path != "/v1/embeddings":
                    status, payload = 404, {"error": {"message": f"no route {self.path}"}}
                else:
                    time.sleep(fake.delay_s)
                    status, payload = fake._answer(body)
                raw = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
