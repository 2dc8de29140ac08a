"""Model engines behind the `processors.llm.protocol.Engine` contract: an OpenAI-compatible client,
local transformers and in-process vLLM. The wiring (`infra/`) picks one per task."""
