"""extractor: structured data from Chinese government budget and performance-target tables."""

__version__ = "0.1.0"
