"""The 司法局's assessment work (issue 15): indicators and the dashboard, the plan's targets, monthly
reports, system documents, training, 总结评估 and 验收, annual statistics. Rules, formulas and periods
live in `sanxiang.procedure.evaluation`; this app stores, computes from records and renders."""
