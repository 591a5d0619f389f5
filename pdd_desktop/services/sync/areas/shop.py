"""The shop's other platform APIs: no stream or op, only declarations.

What non-sync code calls: shop info, decryption, permits (bills: ``funds.py``; e-waybills: ``waybills.py``).
"""

from __future__ import annotations

from pdd_desktop.platform.apis import ApiSpec
from pdd_desktop.services.sync.plugin import Area

APIS = (
    ApiSpec("pdd.mall.info.get", "mall_info_get_response", read_only=True, rate_limit=(450, 1)),  # §9 NODE
    ApiSpec("pdd.open.decrypt.batch", "open_decrypt_batch_response", read_only=False),
    ApiSpec("pdd.pmc.user.permit", "pmc_user_permit_response", read_only=False),
)

AREA = Area("shop", apis=APIS)
