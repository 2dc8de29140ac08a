"""Ray programs and model adapters: LLM engines (`engines/`), engines hosted as Ray actors,
bulk replays on Ray Data."""
