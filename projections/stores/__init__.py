"""PostgreSQL implementations of the ports the services read and write through (processors/ports.py)."""
