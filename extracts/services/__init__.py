from .ordering import extract_download, extract_order, may_order
from .producing import extract_produce

__all__ = ["extract_download", "extract_order", "extract_produce", "may_order"]
