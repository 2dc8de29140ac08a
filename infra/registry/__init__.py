"""Schema registry for the embedded stack: the Confluent REST subset serializers need."""

from infra.registry.router import registry_router
from infra.registry.store import (
    IncompatibleSchema,
    InvalidCompatibilityLevel,
    InvalidSchema,
    RegisteredVersion,
    RegistryError,
    RegistryStore,
    SchemaNotFound,
    SubjectNotFound,
    VersionNotFound,
)

__all__ = [
    "IncompatibleSchema",
    "InvalidCompatibilityLevel",
    "InvalidSchema",
    "RegisteredVersion",
    "RegistryError",
    "RegistryStore",
    "SchemaNotFound",
    "SubjectNotFound",
    "VersionNotFound",
    "registry_router",
]
