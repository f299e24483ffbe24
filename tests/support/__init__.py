"""Test helpers shared between test areas (stand-ins of outside services)."""
