"""打单 from 发货中心: labels, picking lists and packing slips for the selected orders.

The flow, all off the UI thread except the dialogs:

1. reprint guard — orders whose document was printed before are named with when and how often,
   and the user chooses: print all again, only the new ones, or stop;
2. render on the database lane (label numbers are reserved there) with progress and Cancel;
3. preview, then print or save (:class:`~pdd_desktop.ui.dialogs.print_preview.PrintPreviewDialog`);
4. once everything went out, the print job is recorded (orders show 已打印 and the count).

Labels of platform e-waybills: the render (step 2) first asks the platform for numbers
(``pdd.waybill.get``, with progress and 取消) with the client of ``ctx.platform``
(:class:`~pdd_desktop.services.print_route.PlatformAccess`: the shop's own, or the demo sandbox
the sync worker runs); orders that got none are listed in the dialog with the reason and get no
label. The dialog then looks for the print component on the io lane and lists its printers;
printing through it runs the session (:mod:`pdd_desktop.services.cloud_print`) on the io lane with
progress and 取消, and records exactly the labels the component reported printed.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QToolBar, QToolButton

from pdd_desktop.common.task import Cancelled
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.jobs.runner import IO
from pdd_desktop.services import cloud_print, printing
from pdd_desktop.services.print_route import PlatformAccess, newest_printed
from pdd_desktop.ui.dialogs.error import ErrorDialog, user_message
from pdd_desktop.ui.dialogs.print_preview import PrintPreviewDialog
from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.ops import ReadOp, WriteOp
from pdd_desktop.ui.pages.orders.invoice_dialog import InvoiceDialog
from pdd_desktop.ui.pages.orders.selection import OrdersHost
from pdd_desktop.ui.print_settings import component_url, custom_template_url, font_path, label_template

#: Orders named one by one in the reprint question; more are summed up.
REPRINT_LISTED = 8


class PrintActions(QObject):
    """The 打印 menu of the order toolbar.

    Public: ``label_action``, ``picking_action``, ``packing_action``, ``invoice_action``, ``button``;
    ``current_dialog`` (the last dialog shown, for tests).
    """

    def __init__(self, page: OrdersHost, settings: QSettings | None = None) -> None:
        super().__init__(page)
        self.page = page
        self.ctx = page.ctx
        self.settings = settings or QSettings()
        self.current_dialog = None
        #: The last print-component session's result (tests).
        self.last_session: cloud_print.SessionResult | None = None
        self._output_dir = Path(tempfile.mkdtemp(prefix="pdd-print-"))
        self.label_action = QAction(tr("打印面单"), self)
        self.label_action.setToolTip(tr("为选中的订单打印快递面单（没有单号的订单从电子面单账号取号）"))
        self.picking_action = QAction(tr("打印拣货单"), self)
        self.picking_action.setToolTip(tr("选中订单的商品按商家编码汇总，方便配货"))
        self.packing_action = QAction(tr("打印发货单"), self)
        self.packing_action.setToolTip(tr("每个订单一张发货单，放进包裹"))
        for action, doc_type in (
            (self.label_action, "label"),
            (self.picking_action, "picking"),
            (self.packing_action, "packing"),
        ):
            action.triggered.connect(lambda _c=False, d=doc_type: self.print_selected(d))
        self.invoice_action = QAction(tr("开票…"), self)
        self.invoice_action.setToolTip(tr("记录买家的开票申请，开具发票 PDF，标记已上传（选中一个订单）"))
        self.invoice_action.triggered.connect(lambda _c=False: self.open_invoice())
        menu = QMenu(page)
        menu.addAction(self.label_action)
        menu.addAction(self.picking_action)
        menu.addAction(self.packing_action)
        menu.addSeparator()
        menu.addAction(self.invoice_action)
        #: The same actions for the table's context menu.
        self.menu_actions = (self.label_action, self.picking_action, self.packing_action, self.invoice_action)
        self.button = QToolButton()
        self.button.setText(tr("打印"))
        self.button.setToolTip(tr("打印面单、拣货单或发货单"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setMenu(menu)
        page.selection_changed.connect(lambda _selection: self.update_state())
        self.update_state()

    def install(self, toolbar: QToolBar) -> None:
        """Put the 打印 button at the front of the toolbar (printing comes before shipping)."""
        first = toolbar.actions()[0] if toolbar.actions() else None
        if first is None:
            toolbar.addWidget(self.button)
            toolbar.addSeparator()
        else:
            toolbar.insertWidget(first, self.button)
            toolbar.insertSeparator(first)

    def update_state(self) -> None:
        """Enable the actions when orders are selected."""
        count = self.page.selection.count
        for action in (self.label_action, self.picking_action, self.packing_action):
            action.setEnabled(count > 0)
        self.invoice_action.setEnabled(count == 1)
        self.button.setEnabled(count > 0)

    def open_invoice(self) -> None:
        """开票 for the one selected order."""
        row = self.page.selection.single
        if row is None:
            return
        dlg = InvoiceDialog(self.ctx.runner, row.id, row.order_sn, parent=self.page)
        dlg.changes_applied.connect(lambda changes: self.ctx.events.changes_applied.emit(changes, dlg))
        self._open(dlg)

    # --- the flow ---
    def print_selected(self, doc_type: str) -> None:
        """Start printing ``doc_type`` for the selected orders (reprint guard first)."""
        ids = self.page.selection.ids
        if not ids:
            return
        ReadOp(self, lambda: printing.prior_prints(ids, doc_type)).success(
            lambda prior: self._after_guard(doc_type, ids, prior)
        ).failure(self._show_error).run()

    def _after_guard(self, doc_type: str, ids: list[int], prior: list[printing.PriorPrint]) -> None:
        if not prior:
            self._render(doc_type, ids)
            return
        name = printing.DOC_LABELS[doc_type]
        lines = [
            tr("{order_sn}：已打印 {times} 次，最近 {time}").format(
                order_sn=p.order_sn, times=p.times, time=format_ts(p.last_printed_at, "%m-%d %H:%M")
            )
            for p in prior[:REPRINT_LISTED]
        ]
        if len(prior) > REPRINT_LISTED:
            lines.append(tr("……还有 {count} 个").format(count=len(prior) - REPRINT_LISTED))
        box = QMessageBox(self.page)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(tr("重复打印{name}").format(name=name))
        text = tr("选中的 {count:,} 个订单中，有 {count2:,} 个已经打印过{name}。").format(
            count=len(ids), count2=len(prior), name=name
        )
        if doc_type == "label":
            text += tr("\n重复贴面单可能导致同一订单发出两个包裹。")
        box.setText(text)
        box.setInformativeText("\n".join(lines))
        again = box.addButton(tr("全部重新打印"), QMessageBox.ButtonRole.AcceptRole)
        fresh = None
        if len(prior) < len(ids):
            fresh_text = tr("只打印未打印的 {count:,} 个").format(count=len(ids) - len(prior))
            fresh = box.addButton(fresh_text, QMessageBox.ButtonRole.YesRole)
        box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(fresh or again)
        printed_before = {p.order_id for p in prior}

        def chosen(button) -> None:
            if button is again:
                self._render(doc_type, ids)
            elif fresh is not None and button is fresh:
                self._render(doc_type, [i for i in ids if i not in printed_before])

        box.buttonClicked.connect(chosen)
        self._open(box)

    def platform(self) -> PlatformAccess:
        """Where labels get platform numbers and the print component (the page context's, else the shop's)."""
        given = getattr(self.ctx, "platform", None)
        if given is not None:
            return given
        settings = self.settings
        return PlatformAccess(
            self.ctx.paths.shop,
            component_url=lambda: component_url(settings),
            custom_template_url=lambda: custom_template_url(settings),
            is_demo=self.ctx.shop.is_demo,
        )

    def _render(self, doc_type: str, ids: list[int]) -> None:
        name = printing.DOC_LABELS[doc_type]
        factory = self.platform().client if doc_type == "label" else None
        op = ReadOp(
            self,
            lambda t: printing.render_documents(
                doc_type=doc_type,
                order_ids=ids,
                out=out,
                template=template,
                font_path=font,
                task=t,
                client_factory=factory,
                clear_receivers_only=True,
            ),
            with_task=True,
        )
        out = self._output_dir / f"{doc_type}-{len(ids)}-{id(op.task)}.pdf"
        template = label_template(self.settings) if doc_type == "label" else None
        font = font_path(self.settings)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):
                self.page.show_message(tr("已取消生成{name}").format(name=name))
            else:
                self._show_error(exc)

        op.progress(tr("正在生成{name}").format(name=name)).success(self._preview).failure(failed).run()

    def _preview(self, doc: printing.RenderedDocument) -> None:
        name = printing.DOC_LABELS[doc.doc_type]
        info = []
        if doc.pages or not doc.cloud:
            info.append(
                tr("{name}：{count:,} 个订单，{pages:,} 页").format(
                    name=name, count=len(doc.order_ids), pages=doc.pages
                )
            )
        if doc.skipped:
            reasons = tr("；").join(f"{s.order_sn} {s.reason}" for s in doc.skipped[:REPRINT_LISTED])
            more = (
                tr(" 等 {count:,} 个").format(count=len(doc.skipped))
                if len(doc.skipped) > REPRINT_LISTED
                else ""
            )
            info.append(
                tr("未生成 {count:,} 个：{reasons}{more}").format(
                    count=len(doc.skipped), reasons=reasons, more=more
                )
            )
        if doc.cloud:
            info.append(tr("平台电子面单 {count:,} 张，通过拼多多打印组件打印").format(count=len(doc.cloud)))
        if doc.font_warning:
            info.append(f"⚠ {doc.font_warning}")
        if not doc.order_ids and not doc.cloud:
            self._message(tr("打印{name}").format(name=name), "\n".join(info))
            return
        dlg = PrintPreviewDialog(
            doc.path,
            doc_type=doc.doc_type,
            title=name,
            page_size_mm=doc.page_size_mm,
            info="\n".join(info),
            settings=self.settings,
            parent=self.page,
            page_numbers=doc.page_numbers,
            cloud_numbers=tuple(w.waybill_code for w in doc.cloud),
        )
        dlg.add_result_lines(
            [
                tr("{order_sn}：没有生成，{reason}").format(order_sn=s.order_sn, reason=s.reason)
                for s in doc.skipped
            ]
        )
        dlg.printed.connect(lambda printer: self._record(printing.pdf_part(doc, dlg.last_pages), printer))
        dlg.component_print_requested.connect(lambda printer: self._print_component(dlg, doc, printer))
        self._open(dlg)
        if doc.cloud:
            self._detect_component(dlg)

    # --- the print component ---
    def _detect_component(self, dlg: PrintPreviewDialog) -> None:
        target = self.platform().component()

        def found(printers) -> None:
            dlg.set_component_printers([(p.name, p.online, p.is_default) for p in printers])

        def missing(exc: BaseException) -> None:
            dlg.set_component_missing(user_message(exc))

        ReadOp(dlg, lambda: cloud_print.detect_component(target.url), lane=IO).success(found).failure(
            missing
        ).run()

    def _print_component(self, dlg: PrintPreviewDialog, doc: printing.RenderedDocument, printer: str) -> None:
        target = self.platform().component()
        waybills = doc.cloud
        started = time.time()
        by_code = {w.waybill_code: w for w in waybills}

        def done(result: cloud_print.SessionResult) -> None:
            lines = [
                tr("{order_sn}（面单 {number}）：{status}{reason}").format(
                    order_sn=by_code[o.waybill_code].custom.get("order_sn", ""),
                    number=o.waybill_code,
                    status=tr(o.status_text),
                    reason=tr("，{message}").format(message=o.message) if o.message else "",
                )
                for o in result.outcomes
                if o.status != cloud_print.PRINTED
            ]
            dlg.show_result(result.summary(), lines)
            self.last_session = result
            if target.simulated:
                dlg.set_printed_files(newest_printed(target.printed_dir, started))
            printed = [by_code[o.waybill_code] for o in result.printed]
            if printed:
                part = printing.cloud_part(doc, printed)
                self._record(part, tr("拼多多打印组件：{printer}").format(printer=result.printer))

        def failed(exc: BaseException) -> None:
            dlg.show_result(user_message(exc), [])

        op = ReadOp(
            dlg,
            lambda t: cloud_print.print_waybills(
                waybills,
                printer=printer,
                custom_template_url=target.custom_template_url or None,
                task=t,
                url=target.url,
            ),
            lane=IO,
            with_task=True,
        )
        op.progress(tr("正在通过拼多多打印组件打印面单")).success(done).failure(failed).run()

    def _record(self, doc: printing.RenderedDocument, printer: str) -> None:
        name = printing.DOC_LABELS[doc.doc_type]

        def recorded(_changes) -> None:
            self.page.show_message(
                tr("已打印{name} {count:,} 个订单").format(name=name, count=len(doc.order_ids))
            )

        WriteOp(self, lambda: printing.record_print_job(doc=doc, printer=printer)).before_broadcast(
            recorded
        ).failure(self._show_error).run()

    # --- plumbing ---
    def _open(self, dlg) -> None:
        self.current_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.open()

    def _show_error(self, exc: BaseException) -> None:
        self.page.show_message(user_message(exc))
        self._open(ErrorDialog(exc, self.page))

    def _message(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self.page)
        self._open(box)
