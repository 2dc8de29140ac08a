"""The `openai` engine: any OpenAI-compatible `/v1/chat/completions` endpoint.

Works with `vllm serve`, Ray Serve LLM, Ollama and llama.cpp. The JSON schema goes in the
request either as vLLM's `structured_outputs` (vLLM >= 0.12; `guided_json` is gone) or as
OpenAI's `response_format`, which the other servers understand.

Retry policy, per request: timeouts, connection errors, HTTP 429 and 5xx are retried with
exponential backoff and full jitter (seeded by the request id, so a replay waits the same);
so is output that is malformed or schema-invalid, since another sample may differ. Other
4xx answers mean the request itself is wrong and fail at once. Tokens add up over attempts:
they are what the decision cost.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from processors.llm.chat import chat_messages
from processors.llm.options import OpenAIOptions
from processors.llm.output_parsing import parse_output
from processors.llm.protocol import EngineError, LLMRequest, LLMResult
from processors.llm.tasks import TaskLookup

_BODY_EXCERPT = 300


@dataclass(frozen=True)
class _Reply:
    """One HTTP attempt: either model text, or an error that is retryable or not."""

    text: str | None = None
    error: str | None = None
    retryable: bool = True
    tokens_in: int = 0
    tokens_out: int = 0
    retry_after_s: float | None = None


class OpenAIEngine:
    name = "openai"

    def __init__(
        self,
        model: str,
        options: OpenAIOptions | None = None,
        *,
        task_lookup: TaskLookup,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.model = model
        self.options = options or OpenAIOptions()
        self._lookup = task_lookup
        headers = {"Content-Type": "application/json"}
        if self.options.api_key_env:
            key = os.environ.get(self.options.api_key_env)
            if not key:
                raise EngineError(f"environment variable {self.options.api_key_env} (the API key) is not set")
            headers["Authorization"] = f"Bearer {key}"
        self._url = self.options.base_url.rstrip("/") + "/chat/completions"
        self._client = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(self.options.timeout_s),
            limits=httpx.Limits(max_connections=self.options.concurrency),
            transport=transport,
        )
        self._pool = ThreadPoolExecutor(
            max_workers=self.options.concurrency, thread_name_prefix="openai-engine"
        )

    def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        # map() keeps request order whatever order the answers arrive in.
        return list(self._pool.map(self._one, requests))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self._client.close()

    def request_body(self, request: LLMRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": chat_messages(request.prompt),
            "temperature": self.options.temperature,
        }
        if self.options.max_tokens is not None:
            body["max_tokens"] = self.options.max_tokens
        if self.options.schema_mode == "structured_outputs":
            body["structured_outputs"] = {"json": request.json_schema}
        else:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": request.task, "schema": request.json_schema, "strict": True},
            }
        return body

    def _one(self, request: LLMRequest) -> LLMResult:
        start = time.perf_counter()
        body = self.request_body(request)
        rng = random.Random(f"backoff:{request.request_id}")
        tokens_in = tokens_out = 0
        raw = ""
        error = "no attempt made"
        attempts = 0
        for attempt in range(1, self.options.max_retries + 2):
            attempts = attempt
            reply = self._post(body)
            tokens_in += reply.tokens_in
            tokens_out += reply.tokens_out
            if reply.text is not None:
                raw = reply.text
                parsed = parse_output(reply.text, request.task, self._lookup)
                if parsed.output is not None:
                    return LLMResult(
                        request_id=request.request_id,
                        ok=True,
                        output=parsed.output,
                        raw=raw,
                        latency_ms=(time.perf_counter() - start) * 1000.0,
                        tokens_in=tokens_in,
                        tokens_out=tokens_out,
                        attempts=attempts,
                    )
                error = parsed.error or "invalid output"
            else:
                error = reply.error or "request failed"
                if not reply.retryable:
                    break
            if attempt <= self.options.max_retries:
                time.sleep(self._backoff(attempt, rng, reply.retry_after_s))
        return LLMResult(
            request_id=request.request_id,
            ok=False,
            raw=raw,
            error=error if attempts == 1 else f"{error} (after {attempts} attempts)",
            latency_ms=(time.perf_counter() - start) * 1000.0,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
            attempts=attempts,
        )

    def _backoff(self, attempt: int, rng: random.Random, retry_after_s: float | None) -> float:
        ceiling = min(self.options.max_backoff_s, self.options.backoff_s * 2 ** (attempt - 1))
        delay = rng.uniform(0.0, ceiling)
        if retry_after_s is not None:
            # A server that says when to come back knows better than our guess, within our cap.
            delay = max(delay, min(retry_after_s, self.options.max_backoff_s))
        return delay

    def _post(self, body: dict[str, Any]) -> _Reply:
        try:
            response = self._client.post(self._url, json=body)
        except httpx.TimeoutException as exc:
            return _Reply(error=f"timeout after {self.options.timeout_s:g} s ({type(exc).__name__})")
        except httpx.TransportError as exc:
            return _Reply(error=f"connection error: {type(exc).__name__}: {exc}")
        status = response.status_code
        if status == 429 or status >= 500:
            return _Reply(
                error=f"HTTP {status}: {response.text[:_BODY_EXCERPT]}",
                retry_after_s=_retry_after(response),
            )
        if status >= 400:
            return _Reply(error=f"HTTP {status}: {response.text[:_BODY_EXCERPT]}", retryable=False)
        return _reply_from_completion(response)


def _reply_from_completion(response: httpx.Response) -> _Reply:
    try:
        data = response.json()
    except ValueError:
        return _Reply(error=f"response is not JSON: {response.text[:_BODY_EXCERPT]}")
    usage = data.get("usage") if isinstance(data, dict) else None
    if not isinstance(usage, dict):
        usage = {}
    tokens_in = int(usage.get("prompt_tokens") or 0)
    tokens_out = int(usage.get("completion_tokens") or 0)
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        return _Reply(
            error=f"response has no choices[0].message.content: {response.text[:_BODY_EXCERPT]}",
            tokens_in=tokens_in,
            tokens_out=tokens_out,
        )
    if not isinstance(content, str):
        return _Reply(error="the model returned no text content", tokens_in=tokens_in, tokens_out=tokens_out)
    return _Reply(text=content, tokens_in=tokens_in, tokens_out=tokens_out)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: rare for these servers, and our own backoff is fine
