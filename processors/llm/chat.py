"""Request shapes shared by the engines that speak chat messages (OpenAI API, vLLM, Ray Data)."""

from __future__ import annotations

import json
from typing import Any

from processors.llm.protocol import LLMRequest, Prompt


def chat_messages(prompt: Prompt) -> list[dict[str, str]]:
    """System and user turns; an empty system prompt is left out rather than sent blank."""
    messages = [{"role": "system", "content": prompt.system}] if prompt.system else []
    messages.append({"role": "user", "content": prompt.user})
    return messages


def vllm_sampling_params(
    request: LLMRequest, *, max_tokens: int, temperature: float, seed: int | None
) -> dict[str, Any]:
    """Keyword arguments for vLLM's `SamplingParams`, schema-constrained (vLLM >= 0.12 API).

    The schema travels as a JSON string: `StructuredOutputsParams(json=...)` accepts one, and a
    string column survives Ray Data's Arrow blocks where per-task nested schemas would not unify.
    """
    params: dict[str, Any] = {
        "max_tokens": max_tokens,
        "temperature": temperature,
        "structured_outputs": {"json": json.dumps(request.json_schema, sort_keys=True)},
    }
    if seed is not None:
        params["seed"] = seed
    return params
