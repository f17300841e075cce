"""行政征收征用 (expropriation and requisition, issue 18 item 2) as law in code: the rules
(`rules`), the procedure on the engine (`procedures.EXPROPRIATION`), its steps and its place in the
catalogue. Pure Python, no Django."""
