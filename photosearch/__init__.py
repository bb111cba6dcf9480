"""photosearch: find photos on your own computer by describing them."""

__version__ = "0.1.0"
