"""行政许可 (administrative licensing) as law in code: the rules and periods (`rules`) and the
procedure on the engine (`procedures.PERMIT`). Pure Python, no Django."""
