"""Case-file export (案卷导出): one zip per case that `sanxiang_verify` checks offline."""
