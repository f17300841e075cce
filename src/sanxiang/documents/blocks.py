"""A small layout vocabulary shared by the PDF and DOCX writers.

Each document is written once, as a list of blocks, and both writers lay out the same blocks: the
PDF and the DOCX of a document then say the same thing word for word, which matters because the
DOCX is what an office edits and the PDF is what is issued and hashed into the ledger.
"""

from dataclasses import dataclass
from typing import Literal

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Heading:
    """The agency's name and the document's title, centred, at the top of the first page."""

    agency: str
    title: str


@dataclass(frozen=True)
class NumberLine:
    """The 文号 (or 案件编号) line under the title, right-aligned."""

    text: str


@dataclass(frozen=True)
class Para:
    """A body paragraph. `indent` gives the two-character first-line indent of Chinese prose;
    labelled lines (当事人：…) and 笔录 turns have none."""

    text: str
    indent: bool = True
    align: Align = "justify"
    small: bool = False


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1
    label: bool = False  # a field name: centred
    # A signature line printed right-aligned under the text (签名：…　日期), as on approval forms.
    sign: str = ""


@dataclass(frozen=True)
class Table:
    """A ruled form. Every row spans the same number of columns (`widths`, fractions of the text
    width); `heights` gives rows a minimum height in millimetres (opinion boxes)."""

    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    heights: tuple[float, ...] = ()
    ruled: bool = True  # False: no lines, only alignment (signature lines of a 笔录)


@dataclass(frozen=True)
class Signature:
    """The closing block, right-aligned: （印章）, the agency's name, the date; or officers' names."""

    lines: tuple[str, ...]
    # Small print under the block (本文书一式两份…), kept on the same page as the seal.
    note: str = ""


@dataclass(frozen=True)
class Space:
    mm: float = 4.0


@dataclass(frozen=True)
class Group:
    """Blocks that belong on one page: the party's comment line and the signatures under it."""

    blocks: tuple["Heading | NumberLine | Para | Table | Signature | Space", ...]


Block = Heading | NumberLine | Para | Table | Signature | Space | Group


@dataclass(frozen=True)
class Layout:
    """A document ready for the writers: its blocks and what every page carries."""

    blocks: tuple[Block, ...]
    body_size: float  # points: 14 (四号) for letters, 12 (小四) for forms and records
    # Printed at the foot of every page: the signatures a 笔录 needs on each page.
    footer: str = ""
    # 第 x 页 共 y 页 on every page (笔录 and long reports; an evaluator checks for missing pages).
    page_numbers: bool = False

    @property
    def leading(self) -> float:
        """Line height as a multiple of the body size: airy letters, denser forms and records (an
        on-the-spot decision must fit on the one sheet handed over)."""
        return 1.7 if self.body_size >= 14 else 1.5
