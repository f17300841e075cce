"""Operations on a whole installation: `sanxiang backup` and `sanxiang restore`. No models; it
sits at the top of the layers (beside the HTTP edges) because a backup reads every app's data."""
