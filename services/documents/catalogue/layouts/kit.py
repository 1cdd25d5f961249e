"""python-docx helpers that lay out the shipped templates (оформление на бланките).

Every piece of text, Jinja tags included, goes into a single run so Word-style run splits never
happen in the files we ship; the upload validator exists for the files people edit afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

#: Font of official school papers; Cyrillic-complete on Windows and in LibreOffice.
FONT = "Times New Roman"
SIGNATURE_LINE = "........................................"
#: How the orders and letters cite the school's rulebook („на основание чл. … от …“).
RULEBOOK = "Правилника за дейността на училището"
#: The address window of a DL envelope with the window on the left (DIN 678 / EN ISO 269), in mm
#: from the page's left and top edges: where a letter folded in three shows its addressee.
WINDOW_LEFT_MM, WINDOW_TOP_MM, WINDOW_WIDTH_MM, WINDOW_HEIGHT_MM = 20, 45, 90, 45
#: Twentieths of a point in a millimetre, the unit of Word's frame positions.
_TWIPS_PER_MM = 1440 / 25.4


def new_document(title: str) -> DocumentObject:
    """A4 page with the school letterhead in the page header, fed from the ``school`` context key."""
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = ""
    document.core_properties.language = "bg-BG"
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(4)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    header = section.header
    header.is_linked_to_previous = False
    first = header.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.add_run("{{ school.name }}").bold = True
    _centred(header.add_paragraph(), "{{ school.town }}, {{ school.address }}")
    contact = header.add_paragraph()
    _centred(contact, "тел.: {{ school.phone }}, ел. поща: {{ school.email }}, код по НЕИСПУО: {{ "
        "school.neispuo_code }}")
    _bottom_border(contact)
    return document


def _centred(paragraph: Paragraph, text: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.font.size = Pt(10)


def _bottom_border(paragraph: Paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def para(
    document: DocumentObject,
    text: str,
    *,
    bold: bool = False,
    align: str = "justify",
    indent: bool = True,
) -> Paragraph:
    """One paragraph, one run."""
    paragraph = document.add_paragraph()
    paragraph.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]
    if indent and align == "justify":
        paragraph.paragraph_format.first_line_indent = Cm(1.25)
    paragraph.add_run(text).bold = bold
    return paragraph


def tag(document: DocumentObject, statement: str) -> None:
    """A paragraph-level Jinja statement (``{%p … %}``): the paragraph itself disappears."""
    document.add_paragraph().add_run(f"{{%p {statement} %}}")


def title(document: DocumentObject, heading: str, subtitle: str | None = None) -> None:
    """Centred bold document title with an optional subtitle line."""
    para(document, heading, bold=True, align="center")
    if subtitle:
        para(document, subtitle, align="center")


def order_heading(document: DocumentObject) -> None:
    """The order skeleton's head: ЗАПОВЕД, its register number placeholder and the town."""
    title(document, "З А П О В Е Д", "№ {{ number }} г.")
    para(document, "{{ school.town }}", align="center")


def letter_heading(document: DocumentObject, heading: str, subtitle: str) -> None:
    """Outgoing number, addressee block and title of a letter to a parent."""
    para(document, "Изх. № {{ outgoing_number }}/{{ sent_on|date }} г.", align="left")
    window_address(document, "ДО {{ parent.name }}", "{{ parent.address }}")
    title(document, heading, subtitle)
    para(document, "Уважаеми родители,", indent=True)


def window_address(document: DocumentObject, name: str, address: str) -> None:
    """The addressee in a frame fixed to the page where a DL window envelope shows it.

    Both paragraphs carry the same frame properties, so Word and LibreOffice put them in one
    frame of :data:`WINDOW_WIDTH_MM` × :data:`WINDOW_HEIGHT_MM` at :data:`WINDOW_LEFT_MM`,
    :data:`WINDOW_TOP_MM` from the page's edges; the letter's text flows below it, never beside it.
    The text keeps 5 mm from the window's edges, as the letter may shift in the envelope.
    """
    for text, bold in ((name, True), (address, False)):
        paragraph = para(document, text, bold=bold, align="left")
        paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Cm(0.5)
        if bold:
            paragraph.paragraph_format.space_before = Pt(14)
        frame = OxmlElement("w:framePr")
        for key, value in (("w:w", WINDOW_WIDTH_MM), ("w:h", WINDOW_HEIGHT_MM), ("w:x", WINDOW_LEFT_MM),
                           ("w:y", WINDOW_TOP_MM)):
            frame.set(qn(key), str(round(value * _TWIPS_PER_MM)))
        for key, value in (("w:hRule", "exact"), ("w:wrap", "notBeside"), ("w:hAnchor", "page"),
                           ("w:vAnchor", "page")):
            frame.set(qn(key), value)
        # framePr comes first in a paragraph's properties (the schema's order).
        paragraph._p.get_or_add_pPr().insert(0, frame)


#: The page's text width (A4 less the margins of :func:`new_document`), what a table spans.
TEXT_WIDTH_CM = 16.5
#: A „№“ column holds a row's number, not a share of the width (with equal columns it took a sixth of it).
NUMBER_COLUMN_CM = 1.0
#: From this many columns a table is set smaller than the text (10 pt, not 12): at 12 pt five or six
#: columns on 16,5 cm broke words such as „неуважителни“ and a date in the middle.
SMALL_TABLE_COLUMNS, SMALL_TABLE_PT = 5, 10


def loop_table(
    document: DocumentObject, headers: Sequence[str], loop: str, cells: Sequence[str],
    widths_cm: Sequence[float] | None = None,
) -> None:
    """Table with a header row and one row repeated per item (docxtpl ``{%tr for %}`` rows).

    ``widths_cm``: each column's width; by default a leading „№“ column of row numbers is narrow and the
    others share the rest.
    """
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = Pt(SMALL_TABLE_PT) if len(headers) >= SMALL_TABLE_COLUMNS else None
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, size
    table.rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {loop} %}}")
    for cell, text in zip(table.rows[2].cells, cells, strict=True):
        cell.paragraphs[0].add_run(text).font.size = size
    table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    if widths_cm is None and headers[0] == "№" and cells[0] == "{{ loop.index }}":
        rest = (TEXT_WIDTH_CM - NUMBER_COLUMN_CM) / (len(headers) - 1)
        widths_cm = (NUMBER_COLUMN_CM, *([rest] * (len(headers) - 1)))
    if widths_cm is not None:
        column_widths(document, widths_cm)


def column_widths(doc: DocumentObject, widths_cm: Sequence[float]) -> None:
    """Give the last table its columns' widths (Word and LibreOffice read the grid, the cells both)."""
    table = doc.tables[-1]
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm, strict=True):
        column.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def fixed_table(document: DocumentObject, rows: Sequence[Sequence[str]]) -> None:
    """Table with fixed rows; the first row is bold."""
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, values in enumerate(rows):
        for cell, text in zip(table.rows[index].cells, values, strict=True):
            cell.paragraphs[0].add_run(text).bold = index == 0


def signature(document: DocumentObject, role: str, name: str, *, with_text: bool = False) -> None:
    """Signature line: role, dotted line, name in slashes.

    ``with_text``: kept on the page of the paragraph above it (for a text that ends near a page's foot,
    where the signature went alone to a page of its own); that paragraph must be text, not a template tag.
    """
    if with_text:  # only then: a False would be written into every template as an explicit „no“
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    blank = document.add_paragraph()
    if with_text:
        blank.paragraph_format.keep_with_next = True
    para(document, f"{role}: {SIGNATURE_LINE} / {name} /", align="left")


def director_signature(document: DocumentObject, *, with_text: bool = False) -> None:
    """The director's signature, the only one an order carries."""
    signature(document, "Директор", "{{ school.director_name }}", with_text=with_text)


def to_bytes(document: DocumentObject) -> bytes:
    """Serialise a document to .docx bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
