"""Printed documents rendered with ReportLab: labels, picking lists, packing slips, invoices.

Pure: frozen input records in (:mod:`pdd_desktop.printing.model`), PDF bytes or an atomically
written file out. No Qt and no database here; services fill the records, the io lane renders.
"""

from pdd_desktop.printing.amounts import chinese_capital, yuan
from pdd_desktop.printing.fonts import FontChoice, default_font, find_font
from pdd_desktop.printing.invoice import InvoiceError, render_invoices
from pdd_desktop.printing.labels import render_labels
from pdd_desktop.printing.model import (
    Invoice,
    InvoiceLine,
    InvoiceParty,
    LabelData,
    LabelItem,
    PackingItem,
    PackingSlip,
    PickingLine,
    PickingList,
)
from pdd_desktop.printing.packing import render_packing_slips
from pdd_desktop.printing.picking import aggregate, render_picking_list
from pdd_desktop.printing.template import LabelTemplate, TemplateError, available_templates, load_template

__all__ = [
    "FontChoice",
    "Invoice",
    "InvoiceError",
    "InvoiceLine",
    "InvoiceParty",
    "LabelData",
    "LabelItem",
    "LabelTemplate",
    "PackingItem",
    "PackingSlip",
    "PickingLine",
    "PickingList",
    "TemplateError",
    "aggregate",
    "available_templates",
    "chinese_capital",
    "default_font",
    "find_font",
    "load_template",
    "render_invoices",
    "render_labels",
    "render_packing_slips",
    "render_picking_list",
    "yuan",
]
