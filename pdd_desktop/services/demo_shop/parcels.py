"""Parcels: ``package``, ``package_order`` and ``tracking_event`` rows."""

from __future__ import annotations

from collections.abc import Callable

from pdd_desktop.domain import catalogue as cat
from pdd_desktop.services.demo_shop.constants import (
    _A_EXCEPTION,
    _A_NO_PICKUP,
    _A_STALLED,
    DAY,
    EVENT_WINDOW_S,
    HOUR,
)


class _ParcelsMixin:
    """The parcel writer of the order loop."""

    def _package_writer(self) -> Callable[..., tuple[int, int | None]]:
        """A function writing one parcel, its order links and (when recent) its tracking events."""
        rnd = self.rng.random
        now = self.now
        ids = self.ids
        packages_out = self.out["package"]
        links_out = self.out["package_order"]
        events_out = self.out["tracking_event"]
        districts = self.districts
        couriers = cat.COURIERS
        courier_ids = [c.id for c in couriers]
        courier_names = [c.name for c in couriers]
        track_serial = self.track_serial
        track_salt = self.track_salt
        tracking_number = cat.tracking_number
        event_window = now - EVENT_WINDOW_S
        branch = cat.BRANCHES[0][1]
        origin = cat.SHOP_ADDRESS[1]
        tt = cat.TRACKING_TEXTS
        signers = cat.SIGNERS
        text_cache: dict[int, tuple] = {}

        def texts(ci: int, dk: int) -> tuple:
            """Event descriptions for one courier and destination, formatted once."""
            key = ci * 10_000 + dk
            got = text_cache.get(key)
            if got is None:
                _prov, city, dist, hub, _sc, _remote, hub_city = districts[dk]
                fill = {
                    "origin": origin,
                    "branch": courier_names[ci] + branch,
                    "hub": hub,
                    "dest": city,
                    "district": dist.removesuffix("区"),
                }
                got = (
                    tuple(t.format(**fill) for t in tt["pickup"]),
                    tuple(t.format(**fill) for t in tt["transit"]),
                    tuple(t.format(**fill) for t in tt["delivering"]),
                    tuple(tt["signed"][0 if w == "本人" else 1].format(who=w, **fill) for w in signers),
                    tuple(t.format(**fill) for t in tt["exception"]),
                    hub_city,
                )
                text_cache[key] = got
            return got

        def add_package(order_ids, kind, ci, ship, sign, anomaly, dk) -> tuple[int, int | None]:
            """Write a parcel shipped at ``ship`` that the buyer signs at ``sign`` unless ``anomaly``.

            Returns:
                The package id and its signed time (None while in transit or stuck).
            """
            ids["pkg"] += 1
            pid = ids["pkg"]
            serial = track_serial[ci]
            track_serial[ci] = serial + 1
            number = tracking_number(couriers[ci], serial, track_salt[ci])
            _prov, city, _dist, hub, sort_code, _remote, _hub_city = districts[dk]
            pickup = ship + HOUR + int(rnd() * 6 * HOUR)
            is_exception = 0
            if anomaly == _A_NO_PICKUP:
                first = last = signed = None
            elif ship < event_window:  # old parcel: times only, no event rows
                first, last, signed = pickup, sign, sign
            else:
                tx = texts(ci, dk)
                events = [(pickup, "pickup", origin, tx[0][int(rnd() * 2)])]
                signed = None
                if anomaly == _A_STALLED:  # scans stop more than 48 h ago
                    stop = max(pickup + HOUR, now - 2 * DAY - int(rnd() * DAY))
                    events.append(((pickup + stop) // 2, "transit", origin, tx[1][0]))
                    events.append((stop, "transit", tx[5], tx[1][1]))
                elif anomaly == _A_EXCEPTION:
                    t1 = pickup + 4 * HOUR + int(rnd() * 10 * HOUR)
                    t2 = max(t1 + 600, min(now - 600, t1 + DAY + int(rnd() * 2 * DAY)))
                    events.append((t1, "transit", origin, tx[1][0]))
                    events.append((t2, "exception", city, tx[4][int(rnd() * 4)]))
                    is_exception = 1
                else:
                    deliver = sign - HOUR - int(rnd() * 5 * HOUR)
                    # 1–3 transit scans; more on long hauls so no gap looks like a stalled parcel.
                    k = min(4, max(1 + int(rnd() * 3), (deliver - pickup) // (36 * HOUR)))
                    step = (deliver - pickup) // (k + 1)
                    for j, which in enumerate(((1,), (0, 2), (0, 1, 2), (0, 1, 2, 3))[k - 1]):
                        where = origin if which < 2 else (tx[5] if which == 2 else city)
                        events.append((pickup + step * (j + 1), "transit", where, tx[1][which]))
                    events.append((deliver, "delivering", city, tx[2][int(rnd() * 2)]))
                    events.append((sign, "signed", city, tx[3][int(rnd() * 8)]))
                    if sign <= now:
                        signed = sign
                eid = ids["event"]
                last = None
                for at, event_kind, where, text in events:
                    if at > now:
                        break
                    eid += 1
                    events_out.append((eid, pid, at, event_kind, where, text))
                    last = at
                ids["event"] = eid
                first = pickup if pickup <= now else None
            # The generated trace is complete up to the demo's now: fetched then.
            packages_out.append(
                (pid, courier_ids[ci], number, kind, ship, first, last, signed, is_exception, sort_code, hub,
                 now)
            )  # fmt: skip
            for oid in order_ids:
                links_out.append((pid, oid))
            return pid, signed

        return add_package
