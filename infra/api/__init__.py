"""The HTTP API: reads, trace, and the schema-registry subset serializers need."""
