"""Other administrative acts (行政给付、确认、奖励、裁决 and the like, issue 18 item 3) as one generic
act on the engine: its basis, its decision, the legal review where the agency's catalogue lists
it, its publication and its counting in the annual data (`rules`, `procedures.OTHER_ACT`). The
decision rules (`decision_rules`) are shared with 行政征收征用 (`procedure.expropriation`). Pure
Python, no Django."""
