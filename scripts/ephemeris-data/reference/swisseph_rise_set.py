#!/usr/bin/env python3
"""Reference rise/set times from the Swiss Ephemeris -> core/tests/data/swisseph_rise_set.json.

    /root/.noesis-ref/bin/python scripts/ephemeris-data/reference/swisseph_rise_set.py \
        --ephe /tmp/package/ephemeris --out core/tests/data/swisseph_rise_set.json

(see swe_common.py for obtaining the .se1 files; they are never committed; IANA zones come from
the system tz database through Python's zoneinfo).

The question asked, per place and local calendar date: the first sunrise, sunset, moonrise and
moonset at or after the start of that local date (local 00:00 in the IANA zone, converted to UT
and recorded as `day_start_ut_jd`, so a test asks SE's exact question without needing a tz
database). The answer may fall on the next local date (the Moon skips a rise or set about once
a month; `on_local_date` says so). `null` means SE found no event: swe.rise_trans returned -2
(circumpolar: polar day or polar night, or a Moon that stays up or down), see `notes`.

Swiss Ephemeris call, exactly:

    swe.rise_trans(day_start_ut_jd, body, rsmi | SE_BIT_FORCE_SLOW_METHOD, (lon, lat, 0.0),
                   1013.25, 10.0, SEFLG_SWIEPH)
    rsmi = SE_CALC_RISE or SE_CALC_SET, with no other bit than FORCE_SLOW_METHOD:
      * upper limb (no SE_BIT_DISC_CENTER / SE_BIT_DISC_BOTTOM), apparent radius from the actual
        distance (no SE_BIT_FIXED_DISC_SIZE);
      * with refraction (no SE_BIT_NO_REFRACTION), SE's refraction for 1013.25 hPa and 10 C,
        which is 34.58' at the horizon (SE's own default, pressure 0 -> 1013.25 hPa and
        temperature 0 -> 0 C, would give 36.74'; 15 C gives 33.59');
      * topocentric (SE always uses the topocentric position for rise/set: matters for the
        Moon, whose horizontal parallax is ~57'), observer at 0 m, flat horizon.
    Why SE_BIT_FORCE_SLOW_METHOD: without it, for |lat| <= 60 (Sun: <= 65) SE takes a "fast"
    path (a few Newton steps from an estimate) that can skip an event lying just after the start
    time: at Reykjavik on 2024-06-21 it returns the sunset of 06-22 00:04 UT although the Sun
    set at 06-21 00:04:03 UT. The slow path brackets the altitude over 28 hours from 2 hours
    before the start and returns the first crossing after it, or -2 if there is none. Where both
    find the same event they agree to < 0.1 s (the script prints the comparison). The time
    argument is UT (SE adds its own Delta T).

Also recorded, for the Sun only, `sun_h0`: the rise/set of the CENTRE at a true (unrefracted)
altitude of -0.8333 deg, the convention in shared/ENGINES.md (34' refraction + 16' radius):
    swe.rise_trans_true_hor(t0, SUN, rsmi | SE_BIT_DISC_CENTER | SE_BIT_NO_REFRACTION,
                            (lon, lat, 0.0), 1013.25, 10.0, -0.8333, SEFLG_SWIEPH)
(always SE's slow method: rise_trans_true_hor never takes the fast path).

UTC is treated as UT (|UT1 - UTC| < 0.9 s); ISO strings are UT rounded to the millisecond.
"""

import argparse
import datetime as dt
import sys
from zoneinfo import ZoneInfo

import swisseph as swe

import swe_common

ATPRESS_HPA = 1013.25
ATTEMP_C = 10.0
SUN_H0_DEG = -0.8333

# name, latitude, longitude (east +), IANA zone
PLACES = {
    "Bengaluru": (12.9716, 77.5946, "Asia/Kolkata"),
    "Delhi": (28.6139, 77.2090, "Asia/Kolkata"),
    "London": (51.5074, -0.1278, "Europe/London"),
    "New York": (40.7128, -74.0060, "America/New_York"),
    "Sydney": (-33.8688, 151.2093, "Australia/Sydney"),
    "Reykjavik": (64.1466, -21.9426, "Atlantic/Reykjavik"),
    "Tromso": (69.6492, 18.9553, "Europe/Oslo"),
    "McMurdo": (-77.8460, 166.6760, "Antarctica/McMurdo"),
    "Quito": (-0.1807, -78.4678, "America/Guayaquil"),
    "Singapore": (1.3521, 103.8198, "Asia/Singapore"),
    "Nairobi": (-1.2921, 36.8219, "Africa/Nairobi"),
    "Cape Town": (-33.9249, 18.4241, "Africa/Johannesburg"),
    "Buenos Aires": (-34.6037, -58.3816, "America/Argentina/Buenos_Aires"),
    "Los Angeles": (34.0522, -118.2437, "America/Los_Angeles"),
    "Tokyo": (35.6762, 139.6503, "Asia/Tokyo"),
    "Moscow": (55.7558, 37.6173, "Europe/Moscow"),
    "Helsinki": (60.1699, 24.9384, "Europe/Helsinki"),
    "Ushuaia": (-54.8019, -68.3030, "America/Argentina/Ushuaia"),
    "Auckland": (-36.8485, 174.7633, "Pacific/Auckland"),
    "Honolulu": (21.3069, -157.8583, "Pacific/Honolulu"),
    "Anchorage": (61.2181, -149.9003, "America/Anchorage"),
}

CASES = [
    ("Bengaluru", "2024-03-20"), ("Bengaluru", "1991-08-13"), ("Bengaluru", "2050-12-21"),
    ("Bengaluru", "1900-01-01"),
    ("Delhi", "2024-06-21"), ("Delhi", "1975-01-15"),
    ("London", "2024-06-21"), ("London", "2024-12-21"), ("London", "1850-06-01"),
    ("New York", "2024-03-10"), ("New York", "2024-11-03"),  # DST switch days
    ("Sydney", "2024-01-01"), ("Sydney", "2024-07-15"),
    ("Reykjavik", "2024-06-21"), ("Reykjavik", "2024-12-21"),
    ("Tromso", "2024-06-21"), ("Tromso", "2024-12-21"), ("Tromso", "2024-05-19"),
    ("McMurdo", "2024-06-21"), ("McMurdo", "2024-12-21"),
    ("Quito", "2024-09-22"),
    ("Singapore", "2030-05-05"),
    ("Nairobi", "2024-02-29"),
    ("Cape Town", "2024-06-21"),
    ("Buenos Aires", "2000-01-01"),
    ("Los Angeles", "2099-12-31"),
    ("Tokyo", "1964-10-10"),
    ("Moscow", "2024-12-21"),
    ("Helsinki", "2024-06-21"), ("Helsinki", "2024-03-20"),
    ("Ushuaia", "2024-12-21"), ("Ushuaia", "2024-06-21"),
    ("Auckland", "2024-09-29"),  # DST starts at 02:00
    ("Honolulu", "2150-07-04"),
    ("Anchorage", "2024-06-21"),
    ("Delhi", "2199-06-15"),
    ("London", "1805-10-21"),
    ("Sydney", "1988-01-26"),
    ("New York", "1969-07-20"),
    ("Cape Town", "2125-01-10"),
]

EVENTS = [
    ("sunrise", swe.SUN, swe.CALC_RISE),
    ("sunset", swe.SUN, swe.CALC_SET),
    ("moonrise", swe.MOON, swe.CALC_RISE),
    ("moonset", swe.MOON, swe.CALC_SET),
]


def jd_from_utc(t):
    return swe.julday(t.year, t.month, t.day,
                      t.hour + t.minute / 60.0 + (t.second + t.microsecond / 1e6) / 3600.0)


def utc_from_jd(jd):
    # Round to the millisecond through integer arithmetic on the day fraction.
    ms = round((jd - 2440587.5) * 86400000.0)
    return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(milliseconds=ms)


def iso(t):
    return t.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def day_start(date_str, zone):
    d = dt.date.fromisoformat(date_str)
    local = dt.datetime(d.year, d.month, d.day, tzinfo=zone)
    utc = local.astimezone(dt.timezone.utc)
    # Midnight must exist and map back to itself (no DST gap at 00:00 on the chosen dates).
    back = utc.astimezone(zone)
    if (back.date(), back.hour, back.minute) != (d, 0, 0):
        sys.exit(f"{date_str} {zone}: local midnight does not exist")
    return utc, local.utcoffset()


def event_record(jd, zone, date_str):
    t = utc_from_jd(jd)
    local = t.astimezone(zone)
    return {
        "ut_jd": round(jd, 8),
        "ut": iso(t),
        "local": local.isoformat(timespec="seconds"),
        "on_local_date": local.date().isoformat() == date_str,
    }


def case_record(place, date_str):
    lat, lon, tz = PLACES[place]
    zone = ZoneInfo(tz)
    start_utc, offset = day_start(date_str, zone)
    t0 = jd_from_utc(start_utc)
    # The files must cover this date (else SE would fall back to Moshier silently).
    for ipl in (swe.SUN, swe.MOON):
        _, ret = swe.calc_ut(t0, ipl, swe.FLG_SWIEPH)
        swe_common.check_swieph(ret, f"{place} {date_str}")
    geopos = (lon, lat, 0.0)
    rec = {
        "place": place, "lat": lat, "lon": lon, "alt_m": 0.0, "tz": tz, "local_date": date_str,
        "utc_offset_s": int(offset.total_seconds()),
        "day_start_ut": iso(start_utc), "day_start_ut_jd": round(t0, 8),
        "deltat_s": round(swe.deltat(t0) * 86400.0, 3),
    }
    notes = []
    for name, ipl, rsmi in EVENTS:
        res, tret = swe.rise_trans(t0, ipl, rsmi | swe.BIT_FORCE_SLOW_METHOD, geopos,
                                   ATPRESS_HPA, ATTEMP_C, swe.FLG_SWIEPH)
        if res == -2:
            rec[name] = None
            notes.append(f"{name}: SE returned -2 (no crossing within 26 h of day start: "
                         "polar day/night, or the Moon stays up/down)")
        elif res == 0:
            if tret[0] < t0:
                sys.exit(f"{place} {date_str} {name}: event before the day start")
            rec[name] = event_record(tret[0], zone, date_str)
            if not rec[name]["on_local_date"]:
                notes.append(f"{name}: the first one after day start falls on the next local date")
        else:
            sys.exit(f"{place} {date_str} {name}: rise_trans returned {res}")
    h0 = {}
    for key, rsmi in (("rise", swe.CALC_RISE), ("set", swe.CALC_SET)):
        res, tret = swe.rise_trans_true_hor(
            t0, swe.SUN, rsmi | swe.BIT_DISC_CENTER | swe.BIT_NO_REFRACTION, geopos,
            ATPRESS_HPA, ATTEMP_C, SUN_H0_DEG, swe.FLG_SWIEPH)
        h0[key] = event_record(tret[0], zone, date_str) if res == 0 else None
        if res not in (0, -2):
            sys.exit(f"{place} {date_str} sun_h0 {key}: returned {res}")
    rec["sun_h0"] = h0
    if notes:
        rec["notes"] = notes
    return rec


def self_consistency(records):
    """SE's fast method vs the slow one used for the fixtures (stderr, information only)."""
    worst = {}
    skipped = []
    for rec in records:
        geopos = (rec["lon"], rec["lat"], 0.0)
        for name, ipl, rsmi in EVENTS:
            if rec[name] is None:
                continue
            res, tret = swe.rise_trans(rec["day_start_ut_jd"], ipl, rsmi, geopos,
                                       ATPRESS_HPA, ATTEMP_C, swe.FLG_SWIEPH)
            if res == 0:
                d = abs(tret[0] - rec[name]["ut_jd"]) * 86400.0
                if d < 3600:
                    worst[name] = max(worst.get(name, 0.0), d)
                else:
                    skipped.append(f"{rec['place']} {rec['local_date']} {name}")
    print("SE default (fast where it applies) vs slow method, same event, max |difference| s:", {k: round(v, 2) for k, v in worst.items()}, file=sys.stderr)
    print("events where the fast method returns a later one:", skipped, file=sys.stderr)
    worst_h0 = 0.0
    for rec in records:
        for key, name in (("rise", "sunrise"), ("set", "sunset")):
            a, b = rec["sun_h0"][key], rec[name]
            if a and b and abs(rec["lat"]) <= 60:
                worst_h0 = max(worst_h0, abs(a["ut_jd"] - b["ut_jd"]) * 86400.0)
    print(f"upper limb + SE refraction vs centre at -0.8333 deg: max {worst_h0:.1f} s "
          "(|lat| <= 60)", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ephe", default=swe_common.DEFAULT_EPHE)
    ap.add_argument("--out", default="core/tests/data/swisseph_rise_set.json")
    args = ap.parse_args()
    meta = swe_common.setup(args.ephe)
    records = [case_record(place, date) for place, date in CASES]
    self_consistency(records)
    r = swe.refrac_extended(0.000001, 0.0, ATPRESS_HPA, ATTEMP_C, 0.0065, swe.APP_TO_TRUE)[1]
    meta = {
        "description": "Swiss Ephemeris rise/set reference; generated by "
                       "scripts/ephemeris-data/reference/swisseph_rise_set.py (see README.md there)",
        **meta,
        "question": "first event at or after day_start_ut_jd (local 00:00 of local_date in tz, "
                    "as UT); may fall on the next local date (on_local_date false)",
        "call": f"swe.rise_trans(day_start_ut_jd, SUN|MOON, CALC_RISE|CALC_SET | "
                f"BIT_FORCE_SLOW_METHOD, (lon, lat, 0), {ATPRESS_HPA}, {ATTEMP_C}, FLG_SWIEPH): "
                "upper limb, refraction, topocentric",
        "atmosphere": {"pressure_hpa": ATPRESS_HPA, "temperature_c": ATTEMP_C,
                       "refraction_at_horizon_arcmin": round((r[1] - r[0]) * 60.0, 3)},
        "sun_h0": f"Sun centre at true altitude {SUN_H0_DEG} deg, no refraction: "
                  "swe.rise_trans_true_hor(..., CALC_RISE|CALC_SET | BIT_DISC_CENTER | "
                  f"BIT_NO_REFRACTION, ..., horhgt={SUN_H0_DEG})",
        "null": "no event: SE returned -2 (no horizon crossing within 26 h of day start)",
        "time": "ut_jd is UT (UT1; UTC used as UT for day starts); ut/local are ISO strings",
    }
    swe_common.write_json_lines(args.out, meta, "cases", records)
    print(f"wrote {args.out}: {len(records)} cases", file=sys.stderr)


if __name__ == "__main__":
    main()
