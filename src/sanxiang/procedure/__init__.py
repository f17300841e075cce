"""The law as code. Pure Python: nothing here imports Django or any other part of Sanxiang.

Every rule returns `Violation`s that carry a stable code, a Chinese message and the legal
basis, and every check reports all of its violations, never only the first.
"""

from sanxiang.procedure.violations import Refused, Violation

__all__ = ["Refused", "Violation"]
