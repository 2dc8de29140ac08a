"""Importing this module registers every built-in task."""

from processors.lily import task as _lily  # noqa: F401
from processors.steps import ghost, grading, red_flags, requirements, summary  # noqa: F401
from processors.taxonomy import task as _map_skills  # noqa: F401
