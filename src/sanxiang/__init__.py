"""Sanxiang (三项): the 三项制度 platform of a county's administrative law enforcement."""

__version__ = "0.1.0"
