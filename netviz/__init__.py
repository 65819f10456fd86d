"""netviz: a desktop application that teaches backpropagation by showing it."""

__version__ = "0.1.0"
__all__ = ["__version__"]
