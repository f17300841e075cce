"""Stand-alone verifier of Sanxiang case files (案卷导出包).

Plain Python and `cryptography`: no Django, no database, no network. This folder can be copied
on its own to a court, a lawyer or an auditor and run there:

    python -m sanxiang_verify case.zip --key "<verifier key>" [--json]
"""

__version__ = "1.0.0"
