"""Planning the shop: its name and couriers, the goods, the order times, buyers and districts."""

from __future__ import annotations

from bisect import bisect
from collections.abc import Callable
from datetime import datetime

from pdd_desktop.domain import catalogue as cat
from pdd_desktop.domain.images import demo_image_url
from pdd_desktop.domain.orders import promise_hours
from pdd_desktop.domain.privacy import mask_address, mask_name, mask_phone
from pdd_desktop.services.demo_shop.constants import (
    _BEIJING,
    _BJ,
    _BUYER_ORDER_COUNTS,
    _HOUR_WEIGHTS,
    _PEAKS,
    _SHOP_DESCRIPTION,
    _WEEKDAY_WEIGHTS,
    DAY,
    HOUR,
)


def _snap_price(fen: int) -> int:
    """A shop-style price ending in 9.90 yuan (or x.90 below 10 yuan)."""
    yuan = fen // 100
    if yuan >= 10:
        yuan = yuan - yuan % 10 + 9
    return yuan * 100 + 90


def _weighted_table(weights: list[int], size: int) -> list[int]:
    """A lookup table of ``size`` slots where index ``i`` fills about ``weights[i]/Σ`` of them."""
    total = sum(weights)
    table: list[int] = []
    acc = 0
    for i, w in enumerate(weights):
        acc += w
        table.extend([i] * (acc * size // total - len(table)))
    return table


class _PlanMixin:
    """The shop, its couriers and goods, order times, buyers and receiver districts."""

    # ------------------------------------------------------------------ shop, couriers

    def _write_shop_and_couriers(self) -> None:
        rng = self.rng
        name = cat.SHOP_NAMES[rng.randrange(len(cat.SHOP_NAMES))]
        created = self.year_start - 400 * DAY
        self.shop_name = name
        self._insert(
            "shop",
            [(1, 900_000_000 + rng.randrange(100_000_000), name, _SHOP_DESCRIPTION,
              3 if name.endswith("旗舰店") else 1, "", 1, created)],
        )  # fmt: skip
        owner = cat.SURNAMES[rng.randrange(10)][0] + "店长"
        phone = "1" + str(rng.randrange(3, 10)) + str(rng.randrange(10**9)).zfill(9)
        self._insert(
            "address",
            [
                (1, None, owner, phone, *cat.SHOP_ADDRESS, 1, 0, 1),
                (2, None, owner, phone, *cat.SHOP_RETURN_ADDRESS, 0, 1, 1),
            ],
        )
        self._insert("courier", [(c.id, c.name, c.code, 1, c.pattern, c.sort_order) for c in cat.COURIERS])
        self.track_salt = [rng.randrange(10**c.digits) for c in cat.COURIERS]
        self.track_serial = [0] * len(cat.COURIERS)
        weights = [c.weight for c in cat.COURIERS]
        acc = 0
        self.courier_cum = []
        for w in weights:
            acc += w
            self.courier_cum.append(acc)

    def _next_tracking(self, ci: int) -> str:
        """The next unused tracking number of courier ``ci`` (parcels, returns and pools share the count)."""
        serial = self.track_serial[ci]
        self.track_serial[ci] = serial + 1
        return cat.tracking_number(cat.COURIERS[ci], serial, self.track_salt[ci])

    # ------------------------------------------------------------------ goods (planned; written at the end)

    def _plan_goods(self) -> None:
        rng = self.rng
        rnd = rng.random
        cat_code = dict(cat.CATEGORIES)
        templates = cat.GOODS
        ranks = list(range(len(templates)))
        rng.shuffle(ranks)
        goods_rows = []
        skus = []  # one dict per SKU
        used_ids: set[int] = set()

        def unique_id(base: int, span: int) -> int:
            while True:
                value = base + rng.randrange(span)
                if value not in used_ids:
                    used_ids.add(value)
                    return value

        for t_idx, tpl in enumerate(templates):
            goods_id = unique_id(600_000_000_000, 99_999_999_999)
            outer_goods_id = f"{cat_code[tpl.category]}-{1001 + t_idx}"
            onsale = 0 if rnd() < 0.05 else 1
            popularity = 1.0 / (ranks[t_idx] + 3)  # Zipf-like: a few hot items
            if not onsale:
                popularity *= 0.3
            lo, hi = tpl.price_fen
            base = lo + int(rnd() * (hi - lo) * 0.6)
            variants = cat.sku_variants(tpl)
            last_dim = tpl.specs[-1][0] if tpl.specs else ""
            n_last = len(tpl.specs[-1][1]) if tpl.specs else 1
            scaled = last_dim in ("规格", "容量") and n_last > 1
            shares = [0.25 + rnd() for _ in variants]
            share_total = sum(shares)
            max_single = 0
            hours = promise_hours(tpl.promise_hours, fast_ship=False)
            for v_idx, (spec, values, suffix, pos) in enumerate(variants):
                if scaled:
                    group = _snap_price(lo + (hi - lo) * pos // (n_last - 1))
                else:
                    group = _snap_price(base + (300 if pos >= 4 and tpl.specs[-1][0] == "尺码" else 0))
                single = _snap_price(group * (115 + int(rnd() * 25)) // 100)
                if single <= group:
                    single = group + 500
                max_single = max(max_single, single)
                cost = group * (40 + int(rnd() * 31)) // 100
                threshold = (5, 5, 10, 20)[int(rnd() * 4)]
                sku_id = unique_id(1_700_000_000_000, 99_999_999_999)
                outer_id = f"{outer_goods_id}-{suffix}" if suffix else outer_goods_id
                weight = tpl.weight_g + pos * (tpl.weight_g // 12)
                sku_onsale = onsale if rnd() > 0.03 else 0
                skus.append(
                    {
                        "sku_id": sku_id,
                        "goods_id": goods_id,
                        "goods_name": tpl.name,
                        "spec": spec,
                        "values": values,
                        "outer_id": outer_id,
                        "outer_goods_id": outer_goods_id,
                        "single": single,
                        "group": group,
                        "cost": cost,
                        "threshold": threshold,
                        "weight": weight,
                        "onsale": sku_onsale,
                        "hours": hours,
                        "pop": popularity * shares[v_idx] / share_total,
                    }
                )
            market = _snap_price(max_single * (150 + int(rnd() * 100)) // 100)
            created = self.year_start - (5 + int(rnd() * 400)) * DAY
            goods_rows.append(
                (goods_id, tpl.name, tpl.short_name, outer_goods_id, tpl.category,
                 demo_image_url(goods_id), onsale, tpl.promise_hours, market, created,
                 self.now - int(rnd() * 30 * DAY), None)
            )  # fmt: skip
        self.goods_rows = goods_rows
        self.skus = skus
        acc = 0.0
        self.sku_cum = []
        for s in skus:
            acc += s["pop"]
            self.sku_cum.append(acc)
        # Compact tuples for the order loop: (sku_id, goods_id, name, values, outer_id, outer_goods_id,
        # group, single, hours)
        self.sku_tuples = [
            (s["sku_id"], s["goods_id"], s["goods_name"], s["values"], s["outer_id"], s["outer_goods_id"],
             s["group"], s["single"], s["hours"])
            for s in skus
        ]  # fmt: skip

    # ------------------------------------------------------------------ order times and buyers

    def _plan_times(self) -> list[int]:
        """Creation times of all orders, ascending: growth, weekly rhythm, peaks, daily rhythm."""
        rng = self.rng
        now = self.now
        n = self.n
        today_start = now - (now + _BJ) % DAY  # Beijing midnight of now's day
        first_day = today_start - 365 * DAY
        days = 366
        peak = {}
        now_year = datetime.fromtimestamp(now, _BEIJING).year
        for year in (now_year - 1, now_year):
            for month, day, mults in _PEAKS:
                ts = int(datetime(year, month, day, tzinfo=_BEIJING).timestamp())
                d = (ts - first_day) // DAY
                for off, m in zip((-2, -1, 0, 1), mults, strict=True):
                    if 0 <= d + off < days:
                        peak[d + off] = max(peak.get(d + off, 1.0), m)
        self.peak_days = frozenset(d for d, m in peak.items() if m >= 1.5)
        hour_total = sum(_HOUR_WEIGHTS)
        elapsed_today = now - today_start
        full_hours = elapsed_today // HOUR
        today_weight = sum(_HOUR_WEIGHTS[:full_hours]) + (
            _HOUR_WEIGHTS[full_hours] * (elapsed_today % HOUR) / HOUR if full_hours < 24 else 0.0
        )
        weights = []
        for d in range(days):
            day_ts = first_day + d * DAY
            growth = 0.55 + 0.75 * d / (days - 1)
            weekday = ((day_ts + _BJ) // DAY + 3) % 7  # 1970-01-01 was a Thursday
            w = growth * _WEEKDAY_WEIGHTS[weekday] * peak.get(d, 1.0)
            if d == days - 1:
                w *= today_weight / hour_total
            weights.append(w)
        total = sum(weights)
        raw = [w * n / total for w in weights]
        counts = [int(x) for x in raw]
        short = n - sum(counts)
        order = sorted(range(days), key=lambda d: (counts[d] - raw[d], d))
        for d in order[:short]:
            counts[d] += 1
        cum_full = []
        acc = 0.0
        for w in _HOUR_WEIGHTS:
            acc += w
            cum_full.append(acc)
        created: list[int] = []
        rnd = rng.random
        for d in range(days):
            k = counts[d]
            if not k:
                continue
            day_ts = first_day + d * DAY
            if d == days - 1:
                hours_open = min(24, full_hours + 1)
                cum = cum_full[:hours_open]
                if full_hours < 24:
                    cum[-1] = (cum[-2] if full_hours else 0.0) + _HOUR_WEIGHTS[full_hours] * (
                        elapsed_today % HOUR
                    ) / HOUR
                top = cum[-1]
                for _ in range(k):
                    h = bisect(cum, rnd() * top)
                    span = HOUR if h < full_hours else max(1, elapsed_today % HOUR)
                    created.append(day_ts + h * HOUR + int(rnd() * span))
            else:
                top = cum_full[-1]
                for _ in range(k):
                    created.append(day_ts + bisect(cum_full, rnd() * top) * HOUR + int(rnd() * HOUR))
        created.sort()
        if created and created[-1] >= now:  # the partial last hour rounds down
            created = [min(t, now - 1) for t in created]
        self.first_day = first_day
        return created

    def _plan_buyers(self) -> None:
        rng = self.rng
        rnd = rng.random
        n = self.n
        self.created = self._plan_times()
        cum = []
        acc = 0.0
        for share, _ in _BUYER_ORDER_COUNTS:
            acc += share
            cum.append(acc)
        seq: list[int] = []
        b = 0
        while len(seq) < n:
            k = _BUYER_ORDER_COUNTS[min(bisect(cum, rnd() * acc), len(cum) - 1)][1]
            seq.extend([b] * k)
            b += 1
        del seq[n:]
        rng.shuffle(seq)
        # Some buyers order twice within a short time: candidates for a merged parcel (合并发货).
        # A small shop's orders are hours apart, so it gets a minimum number of such pairs.
        created = self.created
        merge = bytearray(n)
        flagged = 0
        for i in range(1, n):
            if rnd() < 0.01 and created[i] - created[i - 1] < 3 * HOUR and not merge[i - 1]:
                merge[i] = 1
                flagged += 1
        wanted = 5 + n // 2000
        if flagged < wanted:
            spare = [
                i
                for i in range(2, n)
                if created[i] - created[i - 1] < 3 * HOUR and not merge[i - 1] | merge[i]
            ]
            for i in sorted(rng.sample(spare, min(wanted - flagged, len(spare)))):
                if not merge[i - 1]:
                    merge[i] = 1
        for i in range(1, n):
            if merge[i]:
                seq[i] = seq[i - 1]
        left = [0] * b
        for x in seq:
            left[x] += 1
        self.buyer_seq = seq
        self.buyer_left = left
        self.merge = merge
        self.buyer_hash = [rng.getrandbits(160) for _ in range(b)]
        self.buyer_salt = rng.getrandbits(40)
        self.counts["buyers"] = sum(1 for x in left if x)
        # Unpaid orders: a handful of those created in the last hour.
        recent = [i for i in range(max(0, n - 50), n) if created[i] >= self.now - HOUR]
        self.unpaid = frozenset(rng.sample(recent, min(5, len(recent))))

    def _buyer_factory(self) -> Callable[[int], tuple]:
        """A function giving a buyer's identity and receiver, decoded from the buyer's random bits.

        The tuple is (buyer_key, nickname, receiver name, phone, province, city, district, town,
        street address, masked name, masked phone, masked address, remote province?, district key).
        """
        buyer_hash = self.buyer_hash
        buyer_salt = self.buyer_salt
        provinces = cat.PROVINCES
        prov_table = _weighted_table([p[1] for p in provinces], 1000)
        surname_table = _weighted_table([w for _, w in cat.SURNAMES], 1000)
        surnames = [s for s, _ in cat.SURNAMES]
        given = cat.GIVEN_NAME_CHARS
        n_given = len(given)
        prefixes = cat.PHONE_PREFIXES
        n_prefixes = len(prefixes)
        streets, n_streets = cat.STREETS, len(cat.STREETS)
        communities, n_comm = cat.COMMUNITIES, len(cat.COMMUNITIES)
        towns, n_towns = cat.TOWNS, len(cat.TOWNS)
        villages, n_villages = cat.VILLAGES, len(cat.VILLAGES)
        heads, cores, tails = cat.NICK_HEADS, cat.NICK_CORES, cat.NICK_TAILS
        remote = frozenset(cat.REMOTE_PROVINCES)
        dk_index = self.district_index

        def make_buyer(b: int) -> tuple:
            h = buyer_hash[b]
            prov, _pop, cities = provinces[prov_table[h % 1000]]
            h //= 1000
            city, dists = cities[h % len(cities)]
            h //= len(cities)
            dist = dists[h % len(dists)]
            h //= len(dists)
            name = surnames[surname_table[h % 1000]] + given[h // 1000 % n_given]
            h //= 1000 * n_given
            if h % 4:
                name += given[h // 4 % n_given]
            h //= 4 * n_given
            phone = prefixes[h % n_prefixes] + str(h // n_prefixes % 100_000_000).zfill(8)
            h //= n_prefixes * 100_000_000
            if h % 10:
                detail = (
                    f"{streets[h // 10 % n_streets]}{1 + h // 300 % 299}号{communities[h // 90_000 % n_comm]}"
                    f"{1 + h // 1_800_000 % 28}栋{1 + h // 50_400_000 % 4}单元{1 + h // 201_600_000 % 26}0"
                    f"{1 + h // 5_241_600_000 % 4}室"
                )
            else:
                detail = f"{villages[h // 10 % n_villages]}{1 + h // 80 % 9}组{1 + h // 720 % 120}号"
            h //= 20_966_400_000
            town = towns[h % n_towns]
            h //= n_towns
            nick = heads[h % len(heads)] + cores[h // 100 % len(cores)] + tails[h // 10_000 % len(tails)]
            key = f"b{(b * 0x9E3779B97F + buyer_salt) & 0xFF_FFFF_FFFF:010x}"  # odd multiplier: unique keys
            return (
                key, nick, name, phone, prov, city, dist, town, detail, mask_name(name), mask_phone(phone),
                mask_address(detail), prov in remote, dk_index[(prov, city, dist)],
            )  # fmt: skip

        return make_buyer

    def _plan_districts(self) -> None:
        """One entry per receiver district: names, the regional hub and a 三段码-style sort code."""
        remote = frozenset(cat.REMOTE_PROVINCES)
        districts = []
        for p_idx, (prov, _pop, cities) in enumerate(cat.PROVINCES):
            hub_city = cities[0][0]
            hub = f"{hub_city.removesuffix('市')}转运中心"
            for c_idx, (city, dists) in enumerate(cities):
                for d_idx, dist in enumerate(dists):
                    sort_code = (
                        f"{300 + p_idx * 23 % 600}-{chr(65 + c_idx * 3 + d_idx)}"
                        f"{10 + (p_idx * 7 + d_idx) % 90} {d_idx + 1:02d}"
                    )
                    districts.append((prov, city, dist, hub, sort_code, prov in remote, hub_city))
        self.districts = districts
        self.district_index = {(d[0], d[1], d[2]): k for k, d in enumerate(districts)}
