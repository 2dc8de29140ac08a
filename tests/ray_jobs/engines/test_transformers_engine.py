"""The `transformers` engine on a real (tiny, randomly initialised) Llama built here.

The weights are random, so the text means nothing; what is tested is the whole real path:
prompt -> tokens -> grammar-constrained generation -> parse -> validate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from processors.llm.options import TransformersOptions
from processors.llm.protocol import EngineError
from ray_jobs.engines.transformers_engine import TransformersEngine
from tests.processors.llm.sample_tasks import EchoOutput, echo_request, lookup

_CORPUS = [
    '{"label": "hello", "count": 12, "flag": true}',
    '{"label": "world", "count": 3, "flag": false}',
    "Reply with one JSON object: label, count, flag.",
    "Senior data engineer, 5 years of Python and SQL, remote in Europe.",
    'abcdefghijklmnopqrstuvwxyz 0123456789 {} [] : , " true false null',
]


def _build_tiny_model(directory: Path) -> None:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=["<eos>", "<pad>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(_CORPUS * 20, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe, eos_token="<eos>", pad_token="<pad>")
    tokenizer.save_pretrained(directory)

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=512,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    LlamaForCausalLM(config).save_pretrained(directory)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("tiny-llama")
    _build_tiny_model(directory)
    return directory


def _texts() -> list[str]:
    return [f"posting {i}: python {i * 3} years, remote" for i in range(6)]


def test_constrained_outputs_are_schema_valid(model_dir: Path) -> None:
    engine = TransformersEngine(str(model_dir), TransformersOptions(max_new_tokens=120), task_lookup=lookup)
    requests = [echo_request(t, f"r{i}") for i, t in enumerate(_texts())]
    results = engine.generate(requests)
    engine.close()
    assert [r.request_id for r in results] == [r.request_id for r in requests]
    for result in results:
        assert result.ok, (result.error, result.raw)
        assert result.output is not None
        EchoOutput.model_validate(result.output)
        assert result.tokens_in > 0 and result.tokens_out > 0
        assert result.latency_ms > 0


def test_sampling_is_seeded(model_dir: Path) -> None:
    options = TransformersOptions(max_new_tokens=120, temperature=1.0, seed=7)
    request = echo_request("seeded sampling", "s1")
    first = TransformersEngine(str(model_dir), options, task_lookup=lookup).generate([request])
    second = TransformersEngine(str(model_dir), options, task_lookup=lookup).generate([request])
    assert first[0].raw == second[0].raw
    assert first[0].ok, (first[0].error, first[0].raw)


def test_too_few_new_tokens_is_a_failed_result(model_dir: Path) -> None:
    engine = TransformersEngine(str(model_dir), TransformersOptions(max_new_tokens=3), task_lookup=lookup)
    [result] = engine.generate([echo_request("short budget", "r0")])
    assert not result.ok
    assert result.error is not None and result.error.startswith("incomplete")
    assert "malformed JSON" in result.error
    assert result.tokens_out == 3


def test_not_a_model_directory(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="not a local model directory"):
        TransformersEngine(str(tmp_path / "missing"), task_lookup=lookup)
