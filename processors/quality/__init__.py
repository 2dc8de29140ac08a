"""The quality loop: feedback classification, QA sampling and the eval report, as pure functions."""
