from django.db import models


class IdempotentRequest(models.Model):
    """A POST to the API that carried an `Idempotency-Key`, and the answer it got, so that the
    same request sent again (a client retrying after a lost answer) gets the same answer instead of
    a second change. Written in the transaction of the change itself (api/idempotency.py)."""

    principal = models.CharField(max_length=80)  # "user:<id>" for a login session, "token:<sha256>" for a token
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of method, path, query and body
    status = models.PositiveSmallIntegerField(null=True)  # None while the first request runs
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True)
    location = models.CharField(max_length=2000, blank=True)
    etag = models.CharField(max_length=200, blank=True)
    # The answer was marked Cache-Control: no-store (it holds a one-time secret): the change is
    # remembered, so it is not made twice, but the answer is not kept and is not given again.
    withheld = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="api_idempotent_principal_key")]
        indexes = [models.Index(fields=["created_at"], name="api_idempotent_created")]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"
