"""The side navigation, in product.md's order. A module is listed here only when it works."""

from pdd_desktop.ui.pages.ads.page import AdsPage
from pdd_desktop.ui.pages.after_sales.page import AfterSalesPage
from pdd_desktop.ui.pages.base import Page
from pdd_desktop.ui.pages.cs.page import CsPage
from pdd_desktop.ui.pages.data.page import DataPage
from pdd_desktop.ui.pages.funds.page import FundsPage
from pdd_desktop.ui.pages.goods.page import GoodsPage
from pdd_desktop.ui.pages.home.page import HomePage
from pdd_desktop.ui.pages.marketing.page import MarketingPage
from pdd_desktop.ui.pages.messages.page import MessagesPage
from pdd_desktop.ui.pages.orders.page import OrdersPage
from pdd_desktop.ui.pages.settings.page import SettingsPage

#: Ordered page classes; a new module is one folder plus one line here.
PAGES: tuple[type[Page], ...] = (
    HomePage,
    MessagesPage,
    CsPage,
    OrdersPage,
    AfterSalesPage,
    GoodsPage,
    MarketingPage,
    AdsPage,
    FundsPage,
    DataPage,
    SettingsPage,
)
