from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "sanxiang.review"
    verbose_name = "法制审核"
