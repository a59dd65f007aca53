#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into fuzz/corpus/<target>/seed-*: realistic valid
requests, keys and documents, and a few hostile ones. Run from anywhere; idempotent."""
import json
import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")
ENGINES = ["panchanga", "numerology", "biorhythm", "human-design", "vimshottari", "gene-keys",
           "vedic-clock", "biofield", "face-reading"]
WORKFLOWS = ["birth-blueprint", "daily-practice", "decision-support", "self-inquiry",
             "creative-expression", "full-spectrum"]
BIRTH = {"name": "Asha Rao", "date": "1991-08-13", "time": "13:31", "timezone": "Asia/Kolkata",
         "latitude": 12.9716, "longitude": 77.5946}
LOCATION = {"latitude": 12.9716, "longitude": 77.5946, "timezone": "Asia/Kolkata"}
NOW = "2026-11-25T07:30:00Z"
FACE = {10: [0.5, 0.10], 9: [0.5, 0.25], 2: [0.5, 0.50], 152: [0.5, 0.80], 234: [0.25, 0.40],
        454: [0.75, 0.40], 172: [0.33, 0.70], 397: [0.67, 0.70], 54: [0.30, 0.15], 284: [0.70, 0.15],
        1: [0.5, 0.45], 33: [0.30, 0.30], 133: [0.37, 0.30], 362: [0.63, 0.30], 263: [0.70, 0.30],
        0: [0.5, 0.60], 17: [0.5, 0.64], 61: [0.42, 0.62], 291: [0.58, 0.62], 129: [0.45, 0.47],
        358: [0.55, 0.47]}
MESH = [[*FACE.get(i, [0.5, 0.5]), 0.01 if i in FACE else 0.0] for i in range(468)]
OPTIONS = {
    "panchanga": [{"at": "birth"}, {}],
    "numerology": [{"y_as_vowel": True}, {}],
    "biorhythm": [{"forecast_days": 30, "format": "svg"}, {"forecast_days": 7}],
    "human-design": [{"format": "svg"}, {}],
    "vimshottari": [{"year_days": 360, "pratyantardashas": True}, {}],
    "gene-keys": [{"hd_gates": {"personality": {"sun": "4.2", "venus": "7.3", "mars": "33.6", "jupiter": "29.1"},
                                "design": {"sun": "23.4", "moon": "1.1", "venus": "8.2", "mars": "45.5",
                                           "jupiter": "64.6"}}}, {}],
    "vedic-clock": [{"transitions": 5}, {}],
    "biofield": [{"house_system": "whole_sign", "measurements": {"hrv_rmssd_ms": 42.0,
                  "respiration_rate_bpm": 14.0, "self_rated_energy": 7}}, {}],
    "face-reading": [{"landmarks": MESH, "image_aspect_ratio": 0.75}, {"landmarks": MESH}],
}
HOSTILE = [
    b'{"birth_data": {"name": "\' OR 1=1 --", "date": "1991-08-13"}}',
    b'{"birth_data": {"name": "\\"; DROP TABLE users; --", "date": "1991-08-13"}}',
    b'{"birth_data": {"name": "a\\u0000b", "date": "1991-08-13"}}',
    b'{"birth_data": {"date": "1991-08-13", "date": "1991-08-14"}}',
    b'[' * 200 + b']' * 200,
    b'{"options": {"fold": "later"}, "birth_data": {"date": "2026-03-08", "time": "02:30", "timezone": "America/New_York"}}',
    b'{"birth_data": {"date": "1799-12-31", "time": "23:59:59", "timezone": "+14:00", "latitude": 90, "longitude": -180}}',
    b'\xff\xfe{"birth_data": {}}',
]

KEYS = ["nk_live_bKLaMqUiIawolD691iK8Ufvf9Ncn7q8d0b1Llq", "nk_test_RxnvOf5LFQW8jES7aPVEzqA5lO3MW8I347fWaQ",
        "nk_live_000000000000000000000000000000002Dsvs9"]
GRANTS = [
    {"key_hash": "c94d03b3e34b47fe9289be1b5d6d7f5e03b23dd4f473686e123252d503b9c690",
     "key_id": "67e55044-10b1-426f-9247-bb680e5fe0c8", "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6e",
     "tier": "free", "consciousness_level": 2, "scopes": ["engines"], "rate_limit_per_minute": 60,
     "expires_at": "2027-01-01T00:00:00Z", "revoked_at": None},
    {"key_hash": "ab" * 32, "key_id": "67e55044-10b1-426f-9247-bb680e5fe0c9",
     "user_id": "0b6c1f0e-8d1f-4c38-9d49-1f2a3b4c5d6f", "tier": "enterprise", "consciousness_level": 5,
     "scopes": ["engines", "workflows", "admin"], "rate_limit_per_minute": 1000, "expires_at": None,
     "revoked_at": "2026-11-25T07:40:30Z"},
]
ALLOWLIST = {"generated_at": "2026-11-25T07:30:00Z", "keys": GRANTS}
SNAPSHOT = {"etag": "\"0123456789abcdef0123456789abcdef\"", "fetched_at": "2026-11-25T07:30:00Z",
            "allowlist": ALLOWLIST}


def write(target, name, data):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def body(engine, options):
    request = {"birth_data": BIRTH, "current_time": NOW, "location": LOCATION, "options": options}
    if engine == "face-reading":
        request = {"options": options}
    return json.dumps(request, separators=(",", ":")).encode()


for i, engine in enumerate(ENGINES):
    for j, options in enumerate(OPTIONS[engine]):
        write("engine_request", f"{engine}-{j}", bytes([i, 5]) + body(engine, options))
    write("engine_request", f"{engine}-level0", bytes([i, 0]) + body(engine, {}))
for k, hostile in enumerate(HOSTILE):
    write("engine_request", f"hostile-{k}", bytes([k % len(ENGINES), 5]) + hostile)

for i, workflow in enumerate(WORKFLOWS):
    request = {"birth_data": BIRTH, "current_time": NOW, "location": LOCATION, "options": {}}
    write("workflow_request", workflow, bytes([i, 5]) + json.dumps(request).encode())
    write("workflow_request", workflow + "-level1", bytes([i, 1]) + json.dumps({"birth_data": BIRTH}).encode())
write("workflow_request", "full-spectrum-face", bytes([5, 5]) + json.dumps(
    {"birth_data": BIRTH, "options": {"landmarks": MESH, "transitions": 3}}).encode())
write("workflow_request", "unknown-option", bytes([0, 5]) + b'{"birth_data": {"date": "1991-08-13"}, "options": {"zzz": 1}}')

for n, key in enumerate(KEYS):
    write("key_parsing", f"key-{n}", key)
    write("key_parsing", f"bearer-{n}", "Bearer " + key)
    write("key_parsing", f"checksum-{n}", key[:-1] + ("A" if key[-1] != "A" else "B"))
write("key_parsing", "hash", GRANTS[0]["key_hash"])
write("key_parsing", "random-64", bytes(range(64)))
write("key_parsing", "basic", "Basic Zm9vOmJhcg==")
write("key_parsing", "ghp", "ghp_not_ours")
write("key_parsing", "non-ascii", "nk_live_\u00e9" + KEYS[0][9:])

write("allowlist_decode", "list", json.dumps(ALLOWLIST))
write("allowlist_decode", "empty", json.dumps({"generated_at": NOW, "keys": []}))
write("edge_allowlist", "snapshot", json.dumps(SNAPSHOT))
write("edge_allowlist", "list", json.dumps(ALLOWLIST))
write("edge_allowlist", "grant", json.dumps(GRANTS[0]))

for name, value in [("plain", b"req-42.a_b"), ("uuid", b"01234567-89ab-4def-8123-456789abcdef"),
                    ("crlf", b"abc\r\nSet-Cookie: x=1"), ("nul", b"a\x00b"), ("non-ascii", "r\u00e9q".encode()),
                    ("long", b"x" * 10240), ("max", b"y" * 128), ("invalid-utf8", b"\xc3\x28abc")]:
    write("request_id", name, value)
