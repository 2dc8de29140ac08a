"""Ray programs (LLM engines as actors, bulk replays, batch embeddings). The pipeline issue adds them."""
