from .extracts import extract_base

__all__ = ["extract_base"]
