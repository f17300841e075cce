"""The ledger's tables. Entries, nodes and checkpoints are append-only (database triggers refuse
UPDATE and DELETE, see migrations 0002 and 0003); the head rows are the one mutable part, a cache
that `sanxiang verify` recomputes and never trusts.

One database holds several ledgers (one per county, see `sanxiang.ledger.services`): every entry,
node and checkpoint carries the `ledger_id` of the ledger it belongs to, each ledger has its own
head row (`Head.id` is the ledger's id) and its own gapless seq from 0. Ledger 1 is the default
ledger: everything written before there were several ledgers is in it, unchanged."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

HEAD_ID = 1
DEFAULT_LEDGER = HEAD_ID  # the ledger of entries without an agency, and of every agency not mapped


class Ledger(models.Model):
    """One Merkle log with its own head, entries, nodes and checkpoints (a county's ledger), or the
    log of heads (`is_log_of_heads`) that records every other ledger's signed checkpoints.
    Append-only: a ledger, once named, keeps its name (its origin line depends on it)."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.SlugField(_("账本名"), max_length=64, unique=True)
    title = models.CharField(_("账本名称"), max_length=200, blank=True)
    is_log_of_heads = models.BooleanField(_("账本头日志"), default=False)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("账本")
        verbose_name_plural = _("账本")

    def __str__(self) -> str:
        return self.name


class LedgerAgency(models.Model):
    """Which ledger an agency's entries go to (agencies not listed: the default ledger).
    Append-only: an agency's entries never move between ledgers."""

    agency_id = models.BigIntegerField(_("执法主体"), primary_key=True)
    ledger = models.ForeignKey(Ledger, verbose_name=_("账本"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("执法主体所属账本")
        verbose_name_plural = _("执法主体所属账本")

    def __str__(self) -> str:
        return f"agency {self.agency_id} -> ledger {self.ledger_id}"


class Head(models.Model):
    """The tip of one ledger (id = the ledger's id): the row that appends lock and move forward."""

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

    def __str__(self) -> str:
        return f"{self.algorithm} ledger of {self.size} entries"


class Entry(models.Model):
    """One leaf: the canonical JSON `body` is what is hashed; the other columns copy fields of the
    body so that they can be queried, and `sanxiang verify` checks that they agree with it."""

    pk = models.CompositePrimaryKey("ledger_id", "seq")
    ledger_id = models.PositiveSmallIntegerField(_("账本"), default=DEFAULT_LEDGER)
    seq = models.BigIntegerField(_("序号"))  # gapless from 0 within its ledger = leaf index
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
            models.Index(fields=["case_id", "ledger_id", "seq"], name="ledger_entry_case_seq"),
            models.Index(fields=["subject", "ledger_id", "seq"], name="ledger_entry_subject_seq"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class Node(models.Model):
    """The hash of a complete (perfect) subtree of 2**level leaves, level >= 1; leaves (level 0)
    are `Entry.leaf_hash`. With these, a proof reads O(log n) rows."""

    pk = models.CompositePrimaryKey("ledger_id", "level", "index")
    ledger_id = models.PositiveSmallIntegerField(default=DEFAULT_LEDGER)
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

    ledger_id = models.PositiveSmallIntegerField(_("账本"), default=DEFAULT_LEDGER)
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
        indexes = [
            models.Index(fields=["size"], name="ledger_checkpoint_size"),
            models.Index(fields=["ledger_id", "size"], name="ledger_checkpoint_ledger_size"),
        ]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"
