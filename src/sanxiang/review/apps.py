from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "sanxiang.review"
    verbose_name = "法制审核"

    def ready(self) -> None:
        # The engine judges a case against its agency's published catalogue: cases asks through
        # its slot, the catalogues live here.
        from sanxiang.cases.selectors import review_catalogue_provided
        from sanxiang.review.selectors import review_catalogue_for_agency

        review_catalogue_provided.install(review_catalogue_for_agency)
