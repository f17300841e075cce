"""The ledger's tables. Entries, nodes and checkpoints are append-only (database triggers refuse
UPDATE and DELETE, see migration 0002); the head is the one mutable row, a cache that
`sanxiang verify` recomputes and never trusts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

HEAD_ID = 1


class Head(models.Model):
    """The tip of the ledger: a single row (id 1) that appends lock and move forward."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=HEAD_ID)
    algorithm = models.CharField(_("哈希算法"), max_length=16)
    size = models.BigIntegerField(_("条目数"), default=0)
    root = models.BinaryField(_("根哈希"))
    # Hashes of the perfect subtrees making up the tree, largest first, concatenated
    # (popcount(size) digests): all an append needs, so it never reads other nodes.
    compact_range = models.BinaryField(default=b"")
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("账本头")
        verbose_name_plural = _("账本头")
        constraints = [models.CheckConstraint(condition=models.Q(id=HEAD_ID), name="ledger_head_single_row")]

    def __str__(self) -> str:
        return f"{self.algorithm} ledger of {self.size} entries"


class Entry(models.Model):
    """One leaf: the canonical JSON `body` is what is hashed; the other columns copy fields of the
    body so that they can be queried, and `sanxiang verify` checks that they agree with it."""

    seq = models.BigIntegerField(_("序号"), primary_key=True)  # gapless from 0 = leaf index
    kind = models.CharField(_("类型"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Plain ids, not foreign keys: the ledger outlives and must not constrain the rows it records.
    agency_id = models.BigIntegerField(_("执法主体"), null=True, blank=True)
    case_id = models.BigIntegerField(_("案件"), null=True, blank=True)
    subject = models.CharField(_("对象"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("记录时间"))
    body = models.BinaryField(_("规范化内容"))
    leaf_hash = models.BinaryField(_("叶哈希"), max_length=64)

    class Meta:
        verbose_name = _("账本条目")
        verbose_name_plural = _("账本条目")
        indexes = [
            models.Index(fields=["case_id", "seq"], name="ledger_entry_case"),
            models.Index(fields=["subject", "seq"], name="ledger_entry_subject"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class Node(models.Model):
    """The hash of a complete (perfect) subtree of 2**level leaves, level >= 1; leaves (level 0)
    are `Entry.leaf_hash`. With these, a proof reads O(log n) rows."""

    pk = models.CompositePrimaryKey("level", "index")
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField(max_length=64)

    class Meta:
        verbose_name = _("子树哈希")
        verbose_name_plural = _("子树哈希")

    def __str__(self) -> str:
        return f"node({self.level}, {self.index})"


class Checkpoint(models.Model):
    """A signed tree head: a C2SP tlog-checkpoint note over (origin, size, root)."""

    size = models.BigIntegerField(_("条目数"))
    root = models.BinaryField(_("根哈希"))
    note = models.TextField(_("签名检查点"))
    key_name = models.CharField(_("密钥名"), max_length=200)
    key_id = models.BinaryField(_("密钥标识"), max_length=4)
    signature = models.BinaryField(_("签名"))
    created_at = models.DateTimeField(_("签发时间"))

    class Meta:
        verbose_name = _("签名检查点")
        verbose_name_plural = _("签名检查点")
        indexes = [models.Index(fields=["size"], name="ledger_checkpoint_size")]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"
