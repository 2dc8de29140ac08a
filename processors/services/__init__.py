"""The services: the domain's shells that load state through ports, run the pure rules and emit events."""
