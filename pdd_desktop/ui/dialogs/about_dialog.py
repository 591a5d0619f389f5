"""关于/诊断: the app's version, its folders, the libraries it runs on, and the diagnostics package.

The only screen that names files, folders and libraries: the rest of the app speaks the
merchant's language. Reached from 设置 and from the menu bar (帮助 → 关于/诊断).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pdd_desktop.common import clock
from pdd_desktop.common.paths import ShopPaths
from pdd_desktop.common.task import Cancelled
from pdd_desktop.common.timefmt import format_ts
from pdd_desktop.jobs.runner import IO
from pdd_desktop.services import diagnostics
from pdd_desktop.ui.dialogs.error import user_message
from pdd_desktop.ui.i18n import tr
from pdd_desktop.ui.ops import ReadOp

#: (organization, application) of the app's QSettings, for callers without the app's QApplication.
APP_SETTINGS = ("PDDDesktop", "PDD Desktop")


def machine_settings(settings: QSettings) -> dict[str, object]:
    """This computer's settings as plain values (binary window state is left out)."""
    values: dict[str, object] = {}
    for key in settings.allKeys():
        value = settings.value(key)
        if isinstance(value, QByteArray):
            continue
        values[key] = (
            value if isinstance(value, str | int | float | bool | list) or value is None else str(value)
        )
    return values


def _selectable(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


class AboutDialog(QDialog):
    """Version, folders, schema version, library versions; open the folders; export the package.

    Public children (for tests): ``version_label``, ``shop_label``, ``data_dir_label``,
    ``db_file_label``, ``schema_label``, ``log_dir_label``, ``version_labels`` (library name →
    label), ``open_data_button``, ``open_logs_button``, ``export_button``, ``status_label``.
    """

    def __init__(self, paths: ShopPaths, parent: QWidget | None = None, *, runner=None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.runner = runner
        self.setWindowTitle(tr("关于 / 诊断"))
        self.setMinimumWidth(560)
        #: The last diagnostics package written (tests read it).
        self.package: diagnostics.DiagnosticsPackage | None = None
        layout = QVBoxLayout(self)

        title = QLabel(tr("拼多多商家桌面助手"))
        title.setObjectName("SectionTitle")
        layout.addWidget(title)
        app_box = QGroupBox(tr("程序与数据"))
        form = QFormLayout(app_box)
        self.version_label = _selectable(tr("正在读取…"))
        self.shop_label = _selectable()
        self.data_dir_label = _selectable(str(paths.shop_dir))
        self.db_file_label = _selectable(str(paths.db_file))
        self.schema_label = _selectable()
        self.log_dir_label = _selectable(str(paths.log_dir))
        form.addRow(tr("版本"), self.version_label)
        form.addRow(tr("店铺"), self.shop_label)
        form.addRow(tr("数据文件夹"), self.data_dir_label)
        form.addRow(tr("数据文件"), self.db_file_label)
        form.addRow(tr("数据库版本"), self.schema_label)
        form.addRow(tr("日志文件夹"), self.log_dir_label)
        layout.addWidget(app_box)

        lib_box = QGroupBox(tr("运行环境"))
        self.lib_form = QFormLayout(lib_box)
        self.version_labels: dict[str, QLabel] = {}
        self._add_version("Qt", qVersion())
        layout.addWidget(lib_box)

        buttons = QHBoxLayout()
        self.open_data_button = QPushButton(tr("打开数据文件夹"))
        self.open_logs_button = QPushButton(tr("打开日志文件夹"))
        self.export_button = QPushButton(tr("导出诊断包…"))
        self.export_button.setToolTip(
            tr("日志、设置和数据概况打包成一个 zip 文件，发给客服排查问题；已去除个人信息和密钥")
        )
        for button in (self.open_data_button, self.open_logs_button, self.export_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status_label = _selectable()
        layout.addWidget(self.status_label)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self.open_data_button.clicked.connect(lambda: self.open_folder(paths.shop_dir))
        self.open_logs_button.clicked.connect(lambda: self.open_folder(paths.log_dir))
        self.export_button.clicked.connect(self.export_package)
        ReadOp(self, lambda: diagnostics.about_info(paths), lane=IO, runner=runner).success(
            self._show_info
        ).failure(lambda exc: self.status_label.setText(user_message(exc))).run()

    def _add_version(self, name: str, version: str) -> None:
        label = self.version_labels.get(name)
        if label is None:
            label = self.version_labels[name] = _selectable()
            self.lib_form.addRow(name, label)
        label.setText(version)

    def _show_info(self, info: diagnostics.AboutInfo) -> None:
        self.version_label.setText(info.version)
        self.shop_label.setText(info.shop_name or tr("（未命名）"))
        schema = f"{info.schema_version}"
        if info.schema_version != info.latest_schema_version:
            schema += tr("（本程序使用 {version}）").format(version=info.latest_schema_version)
        self.schema_label.setText(schema)
        for name, version in info.versions:
            self._add_version(name, version)

    def open_folder(self, folder: Path) -> bool:
        """Show ``folder`` in the file manager (created first when missing)."""
        folder.mkdir(parents=True, exist_ok=True)
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def choose_zip_path(self) -> str:
        """Ask where to save the package (tests replace this)."""
        name = tr("诊断包-{time}.zip").format(time=format_ts(clock.now(), "%Y%m%d-%H%M"))
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("导出诊断包"), str(Path.home() / name), tr("诊断包 (*.zip)")
        )
        return path

    def export_package(self) -> None:
        """Ask for a file, then write the package on the io lane with progress and 取消."""
        path = self.choose_zip_path()
        if not path:
            return
        out = Path(path) if path.lower().endswith(".zip") else Path(path + ".zip")
        settings = machine_settings(QSettings())
        paths = self.paths
        self.export_button.setEnabled(False)
        self.status_label.setText(tr("正在导出诊断包…"))
        op = ReadOp(
            self,
            lambda task: diagnostics.export_diagnostics(
                paths, out, machine_settings=settings, extra_versions={"Qt": qVersion()}, task=task
            ),
            lane=IO,
            with_task=True,
            runner=self.runner,
        )
        op.progress(tr("正在导出诊断包")).success(self._exported).failure(self._export_failed).run()

    def _exported(self, package: diagnostics.DiagnosticsPackage) -> None:
        self.package = package
        self.export_button.setEnabled(True)
        self.status_label.setText(
            tr("诊断包已保存：{path}\n已去除手机号、姓名、地址、密钥和令牌，可以发给客服。").format(
                path=package.path
            )
        )

    def _export_failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.status_label.setText(tr("已取消，没有保存诊断包。"))
        else:
            self.status_label.setText(tr("诊断包没有导出：{reason}").format(reason=user_message(exc)))


def open_about_dialog(host: QWidget, paths: ShopPaths, runner) -> AboutDialog:
    """Open 关于/诊断 over ``host`` (window or page), kept in ``host.about_dialog`` while open."""
    dlg = AboutDialog(paths, host, runner=runner)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.finished.connect(lambda _r: setattr(host, "about_dialog", None))
    host.about_dialog = dlg
    dlg.open()
    return dlg
