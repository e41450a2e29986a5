"""aiviewer: a desktop reader and annotator for AI podcast transcripts."""

__version__ = "0.1.0"
