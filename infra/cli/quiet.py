"""Keep third-party libraries from writing to the user's terminal: the CLI has its own
progress (rich) and its own one-line errors. TURING_DEBUG=1 leaves library warnings on."""

from __future__ import annotations

import os
import sys
import warnings

DEBUG_ENV = "TURING_DEBUG"


def debugging() -> bool:
    """TURING_DEBUG=1: tracebacks and library warnings are shown, for developers."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


def quiet_third_party() -> None:
    """Switch off model libraries' progress bars and library warnings meant for developers.

    The environment covers libraries imported later (the hub reads it at import); the calls
    cover ones already imported, as in a test process.
    """
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if "huggingface_hub" in sys.modules:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    if "transformers" in sys.modules:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    if not debugging():
        # e.g. the schema-registry client's auth library announcing its next major version
        for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
            warnings.filterwarnings("ignore", category=category)
    # A library asks for a per-user runtime dir it never uses; its warning is noise here.
    warnings.filterwarnings("ignore", category=UserWarning, module="platformdirs")
