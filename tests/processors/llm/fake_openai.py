"""A FAKE OpenAI-compatible chat-completions server, for tests only.

It stands in for `vllm serve` / Ray Serve LLM, which need a GPU: a real HTTP server on
127.0.0.1 (a free port) that answers from a script instead of a model. Each call takes the
next scripted reply (or the default one once the script is used up): valid JSON, malformed
or schema-invalid JSON, fenced JSON, an HTTP error, or a reply slower than the client's
timeout. It records every request body it got and the most requests it had in flight at once.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    content: str | None = None
    status: int = 200
    error_body: str = ""
    delay_s: float = 0.0
    prompt_tokens: int = 11
    completion_tokens: int = 7
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, value: Any, **kwargs: Any) -> Reply:
        return cls(content=json.dumps(value), **kwargs)

    @classmethod
    def text(cls, text: str, **kwargs: Any) -> Reply:
        return cls(content=text, **kwargs)

    @classmethod
    def error(cls, status: int, body: str = "", **kwargs: Any) -> Reply:
        return cls(status=status, error_body=body or f"scripted error {status}", **kwargs)


class FakeOpenAIServer:
    """FAKE model server: scripted replies, recorded requests, in-flight high-water mark."""

    def __init__(self, script: list[Reply] | None = None, default: Reply | None = None) -> None:
        self._script = list(script or [])
        self.default = default
        self.requests: list[dict[str, Any]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # A short poll keeps shutdown quick: the default half second adds up over many tests.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-openai", daemon=True
        )

    @property
    def base_url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}/v1"

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping through a scripted delay
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if self._script:
                return self._script.pop(0)
        if self.default is None:
            return Reply.error(500, "fake server: script exhausted and no default reply")
        return self.default

    def _done(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": f"no route {self.path}"})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                reply = fake._next_reply(body)
                try:
                    if reply.delay_s:
                        fake._stopping.wait(reply.delay_s)
                    if reply.status != 200:
                        self._send(reply.status, {"error": {"message": reply.error_body}}, reply.headers)
                    else:
                        self._send(200, _completion(body, reply), reply.headers)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): nothing to answer
                finally:
                    fake._done()

            def _send(self, status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def _completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "model": request.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }
