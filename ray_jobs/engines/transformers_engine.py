"""The `transformers` engine: a local Hugging Face model directory, JSON constrained by xgrammar.

`model` is the directory (config, weights, tokenizer). Decoding is our own loop of forward
passes with a KV cache: at each step xgrammar's matcher masks every token that would break
the JSON schema, so the text is valid JSON for the schema unless `max_new_tokens` cuts it
short (then it is a failed result, "incomplete"). Temperature 0 is greedy; above 0 sampling
is seeded per request, so a replay gives the same tokens.

Requests run one after another: on a CPU, padding a batch buys little and costs a per-row
attention mask and a matcher per row; a GPU deployment would use the `vllm` engine instead.
Put a `pattern` (and a length bound) on string fields: without one the grammar allows control
characters and endless strings.

torch, transformers and xgrammar are imported when the engine is built, so the base install
works without them (they come with the `transformers` extra).
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from processors.llm.options import TransformersOptions
from processors.llm.output_parsing import parse_output
from processors.llm.protocol import EngineError, LLMRequest, LLMResult, Prompt
from processors.llm.tasks import TaskLookup

_MISSING = "install the `transformers` extra: pip install 'turing[transformers]'"


class TransformersEngine:
    name = "transformers"

    def __init__(
        self,
        model: str,
        options: TransformersOptions | None = None,
        *,
        task_lookup: TaskLookup,
    ) -> None:
        self.model = model
        self.options = options or TransformersOptions()
        self._lookup = task_lookup
        try:
            import torch
            import transformers
            import xgrammar
        except ImportError as exc:
            raise EngineError(f"the transformers engine needs {exc.name}: {_MISSING}") from exc
        if not Path(model).is_dir():
            raise EngineError(f"transformers engine: model {model!r} is not a local model directory")
        self._torch = torch
        self._xgr = xgrammar
        # Typed loosely: the transformers stubs describe the Auto classes' returns imprecisely.
        auto_tokenizer: Any = transformers.AutoTokenizer
        auto_model: Any = transformers.AutoModelForCausalLM
        self._tokenizer: Any = auto_tokenizer.from_pretrained(model)
        self._model: Any = auto_model.from_pretrained(model)
        self._model.to(self.options.device)
        self._model.eval()
        # The embedding matrix may be padded past the tokenizer's vocabulary: masks use its size.
        self._vocab_size = int(self._model.get_output_embeddings().weight.shape[0])
        info = xgrammar.TokenizerInfo.from_huggingface(self._tokenizer, vocab_size=self._vocab_size)
        self._compiler = xgrammar.GrammarCompiler(info)
        self._grammars: dict[str, Any] = {}

    def generate(self, requests: Sequence[LLMRequest]) -> list[LLMResult]:
        return [self._one(request) for request in requests]

    def close(self) -> None:
        self._grammars.clear()

    def prompt_ids(self, prompt: Prompt) -> list[int]:
        tok = self._tokenizer
        if getattr(tok, "chat_template", None):
            messages = [
                {"role": "system", "content": prompt.system},
                {"role": "user", "content": prompt.user},
            ]
            text = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
            return list(tok(text, add_special_tokens=False)["input_ids"])
        return list(tok(f"{prompt.system}\n\n{prompt.user}")["input_ids"])

    def _grammar(self, schema: dict[str, Any]) -> Any:
        key = json.dumps(schema, sort_keys=True)
        if key not in self._grammars:
            # The grammar follows the schema's property order, so compile the schema as written.
            # Compact JSON: with free whitespace a small or badly tuned model can pad forever.
            self._grammars[key] = self._compiler.compile_json_schema(json.dumps(schema), any_whitespace=False)
        return self._grammars[key]

    def _one(self, request: LLMRequest) -> LLMResult:
        start = time.perf_counter()
        prompt_ids = self.prompt_ids(request.prompt)
        try:
            grammar = self._grammar(request.json_schema)
        except Exception as exc:  # xgrammar rejects schemas it cannot express: that request fails
            return LLMResult(
                request_id=request.request_id,
                ok=False,
                error=f"schema not supported by xgrammar: {exc}",
                latency_ms=(time.perf_counter() - start) * 1000.0,
                tokens_in=len(prompt_ids),
            )
        new_ids, finished = self._decode(prompt_ids, grammar, _seed(self.options.seed, request.request_id))
        text = self._tokenizer.decode(new_ids, skip_special_tokens=True)
        parsed = parse_output(text, request.task, self._lookup)
        error = parsed.error
        if not finished:
            error = (
                f"incomplete: max_new_tokens={self.options.max_new_tokens} reached; {error or 'output cut'}"
            )
        return LLMResult(
            request_id=request.request_id,
            ok=error is None,
            output=parsed.output if error is None else None,
            raw=text,
            error=error,
            latency_ms=(time.perf_counter() - start) * 1000.0,
            tokens_in=len(prompt_ids),
            tokens_out=len(new_ids),
        )

    def _decode(self, prompt_ids: list[int], grammar: Any, seed: int) -> tuple[list[int], bool]:
        """Generate up to max_new_tokens; True when the grammar ended (a stop token or the JSON closed)."""
        torch, xgr = self._torch, self._xgr
        # Without a stop token the matcher must end by itself when the JSON closes.
        matcher = xgr.GrammarMatcher(
            grammar, terminate_without_stop_token=self._tokenizer.eos_token_id is None
        )
        bitmask = xgr.allocate_token_bitmask(1, self._vocab_size)
        generator = torch.Generator(device="cpu").manual_seed(seed)
        device = self.options.device
        new_ids: list[int] = []
        with torch.inference_mode():
            out = self._model(input_ids=torch.tensor([prompt_ids], device=device), use_cache=True)
            for _ in range(self.options.max_new_tokens):
                logits = out.logits[:, -1, :].float().cpu()
                matcher.fill_next_token_bitmask(bitmask)
                xgr.apply_token_bitmask_inplace(logits, bitmask)
                token = self._pick(logits, generator)
                if not matcher.accept_token(token):
                    # The mask allowed it, so this is an xgrammar bug; stop rather than loop.
                    return new_ids, False
                new_ids.append(token)
                if matcher.is_terminated():
                    return new_ids, True
                out = self._model(
                    input_ids=torch.tensor([[token]], device=device),
                    past_key_values=out.past_key_values,
                    use_cache=True,
                )
        return new_ids, False

    def _pick(self, logits: Any, generator: Any) -> int:
        torch = self._torch
        if self.options.temperature <= 0:
            return int(torch.argmax(logits, dim=-1).item())
        probs = torch.softmax(logits / self.options.temperature, dim=-1)
        return int(torch.multinomial(probs, num_samples=1, generator=generator).item())


def _seed(base: int, request_id: str) -> int:
    # Per request, not per batch: the same request samples the same tokens in any batch.
    return (base * 1_000_003 + zlib.crc32(request_id.encode())) % (2**63)
