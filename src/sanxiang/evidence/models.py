"""Evidence (证据材料) of the whole-process record.

A file is stored once, addressed by its SHA-256 (`StoredFile`); every upload of it is its own
`EvidenceRecord` with its own ledger entry, because each upload is a separate act (who, when,
for which case and step) even when the bytes are the same. Blobs are never overwritten or
deleted by the application.

Resumable uploads (tus) keep their state in `UploadSession` and `UploadChunk`, so that an upload
survives a restart of the server: the offset and the digest of every accepted chunk are
committed together, after the chunk's bytes are on disk.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    AUDIO = "audio", _("录音")
    VIDEO = "video", _("录像")
    DOCUMENT = "document", _("书证文档")
    ELECTRONIC_DATA = "electronic_data", _("电子数据")
    # A signature drawn on the screen (PNG) by the party, the person questioned or a witness.
    SIGNATURE = "signature", _("签名")


class SignerRole(models.TextChoices):
    PARTY = "party", _("当事人")
    INTERVIEWEE = "interviewee", _("被询问人")
    WITNESS = "witness", _("见证人")


class StoredFile(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    sm3 = models.CharField(_("SM3"), max_length=64, blank=True)
    size = models.BigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("内容类型"), max_length=100)
    storage_name = models.CharField(_("存储名"), max_length=255)
    created_at = models.DateTimeField(_("首次存储时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("存储文件")
        verbose_name_plural = _("存储文件")
        constraints = [models.CheckConstraint(condition=models.Q(size__gte=0), name="evidence_storedfile_size")]

    def __str__(self) -> str:
        return self.sha256


class EvidenceRecord(models.Model):
    # The agency is the case's, or the uploader's when the record belongs to no case yet: every
    # read is scoped by it.
    agency = models.ForeignKey("registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="evidence_records",
    )
    step = models.CharField(_("程序环节"), max_length=64, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=EvidenceKind.choices)
    captured_at = models.DateTimeField(_("拍摄（采集）时间"), null=True, blank=True)
    device_number = models.CharField(_("执法记录仪编号"), max_length=64, blank=True)
    officer = models.ForeignKey(
        "registry.Officer", verbose_name=_("采集人员"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField(_("采集地点"), max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))
    stored_file = models.ForeignKey(
        StoredFile, verbose_name=_("存储文件"), on_delete=models.PROTECT, related_name="records"
    )
    ledger_seq = models.BigIntegerField(_("账本序号"), null=True, blank=True)
    # Captured from inside a record being written (询问笔录, 现场检查笔录): the record's draft key,
    # given by the page, and once the record is submitted the seq of its step's ledger entry
    # (the entry names this file in turn).
    draft_key = models.CharField(_("记录草稿标识"), max_length=40, blank=True)
    record_seq = models.BigIntegerField(_("所属记录的账本序号"), null=True, blank=True)
    signer_role = models.CharField(_("签名人身份"), max_length=20, choices=SignerRole.choices, blank=True)
    signer_name = models.CharField(_("签名人"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("证据记录")
        verbose_name_plural = _("证据记录")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["case", "step"], name="evidence_record_case_step"),
            models.Index(fields=["agency", "uploaded_at"], name="evidence_record_agency"),
            models.Index(fields=["case", "draft_key"], name="evidence_record_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"


class UploadStatus(models.TextChoices):
    ACTIVE = "active", _("上传中")
    DONE = "done", _("已完成")
    TERMINATED = "terminated", _("已取消")
    EXPIRED = "expired", _("已过期")
    FAILED = "failed", _("已拒收")


class UploadSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    # The record's metadata, validated at creation (kind, step, filename, device, ...).
    metadata = models.JSONField(default=dict)
    # Upload-Metadata as the client sent it, echoed on HEAD as the protocol asks.
    raw_metadata = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=UploadStatus.choices, default=UploadStatus.ACTIVE)
    error = models.CharField(max_length=500, blank=True)
    record = models.ForeignKey(EvidenceRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("上传会话")
        verbose_name_plural = _("上传会话")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(offset__gte=0) & models.Q(offset__lte=models.F("length")),
                name="evidence_upload_offset_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.offset}/{self.length}"


class UploadChunk(models.Model):
    """One accepted PATCH: where it starts, how long it is and its SHA-256. On completion the
    staging file is re-read and each chunk compared, so bytes changed on disk between PATCH and
    completion (or a torn write) are caught before they reach the store."""

    session = models.ForeignKey(UploadSession, on_delete=models.CASCADE, related_name="chunks")
    offset = models.BigIntegerField()
    length = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["session", "offset"]
        constraints = [models.UniqueConstraint(fields=["session", "offset"], name="evidence_chunk_unique_offset")]

    def __str__(self) -> str:
        return f"{self.session_id}@{self.offset}+{self.length}"
