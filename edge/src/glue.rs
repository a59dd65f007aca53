//! The Workers runtime glue: reads a request, asks the pure modules what to do, does the I/O
//! (Cache API, KV, fetches to the origin) and writes the answer. Every decision worth testing
//! is in the other modules; this only carries values between them and the runtime.
//!
//! Isolate memory holds the allow-list copy, the rate-limit counters and the usage events waiting
//! for their batch ([`Isolate`]). A
//! `RefCell` borrow is never held across an `.await`.

use std::cell::RefCell;
use std::pin::pin;
use std::time::Duration;

use futures_util::future::{Either, select};
use jiff::Timestamp;
use noesis_core::engines::catalog::{self, EngineInfo};
use noesis_core::engines::{ApiError, ProblemCode, ServedBy, registry};
use noesis_core::http::request_id::{RequestId, X_REQUEST_ID};
use noesis_core::keys::{Allowlist, Grant, KeyHash, Scope};
use worker::{
    AbortController, Cache, Context, Date, Delay, Env, Fetch, Headers, Method, Request, RequestInit, Response, Result,
    event,
};

use crate::allowlist::{AllowlistState, Lookup, Snapshot};
use crate::config::EdgeConfig;
use crate::edge_cache::{cache_url, server_timing, stored_cache_control};
use crate::keyed::{cannot_judge, judge, presented_hash, rate_limited};
use crate::rate_limit::RateLimiter;
use crate::request_id;
use crate::routes::{self, Reply, Route};
use crate::status::{self, OriginCheck};
use crate::usage::{FLUSH_AFTER, UsageBuffer, UsageEvent};

/// The KV binding and the key the allow-list snapshot is kept under.
const KV_BINDING: &str = "ALLOWLIST";
const KV_KEY: &str = "allowlist:v1";
/// How long the edge waits for the origin's internal routes and `/ready`.
const INTERNAL_TIMEOUT: Duration = Duration::from_secs(3);
const READY_TIMEOUT: Duration = Duration::from_secs(2);
/// The largest calculation body, as at the origin.
const MAX_BODY: usize = 64 * 1024;

#[derive(Default)]
struct Isolate {
    allowlist: AllowlistState,
    limiter: RateLimiter,
    usage: UsageBuffer,
}

thread_local! {
    static ISOLATE: RefCell<Isolate> = RefCell::new(Isolate::default());
}

fn now() -> Timestamp {
    Timestamp::from_millisecond(i64::try_from(Date::now().as_millis()).unwrap_or(0)).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[event(fetch)]
async fn fetch(request: Request, env: Env, ctx: Context) -> Result<Response> {
    let started = now();
    let config = EdgeConfig::from_lookup(|name| {
        env.var(name).ok().map(|var| var.to_string()).or_else(|| env.secret(name).ok().map(|secret| secret.to_string()))
    });
    let request_id = RequestId::from_header(request.headers().get(X_REQUEST_ID)?.as_deref(), request_id::generate);
    let method = request.method().to_string();
    let path = request.path();
    let browser_origin = request.headers().get("origin")?;

    // A CORS preflight is answered here, before any key check.
    if method == "OPTIONS"
        && request.headers().has("access-control-request-method")?
        && let Some(origin) = &browser_origin
    {
        let reply =
            Reply { status: 204, headers: config.allowed_origins.preflight_headers(origin), body: String::new() };
        return into_response(reply.finish(&method, &request_id), &[]);
    }
    let cors = config.allowed_origins.response_headers(browser_origin.as_deref());

    let reply = match routes::route(&method, &path) {
        Err(no_route) => routes::refusal(&no_route, &request_id),
        Ok(Route::Health | Route::OpenApi) => {
            return into_response(routes::respond(&method, &path, &request_id), &cors);
        }
        Ok(route @ (Route::Status | Route::StatusJson)) => status_page(route, &config, started).await,
        Ok(Route::Forward) => return forward(request, &config, &request_id, &cors).await,
        Ok(route) => serve_keyed(request, route, &env, &ctx, &config, &request_id, started).await?,
    };
    into_response(reply.finish(&method, &request_id), &cors)
}

/// A [`Reply`] as a Workers response, with `extra` headers.
fn into_response(reply: Reply, extra: &[(&'static str, String)]) -> Result<Response> {
    let headers = Headers::new();
    for (name, value) in reply.headers.iter().chain(extra) {
        headers.append(name, value)?;
    }
    let response = if reply.status == 204 || reply.status == 304 {
        Response::empty()?
    } else {
        Response::from_bytes(reply.body.into_bytes())?
    };
    Ok(response.with_status(reply.status).with_headers(headers))
}

/// `fetch` bounded by `timeout`: `None` when the origin did not answer in time or at all.
async fn fetch_within(request: Request, timeout: Duration) -> Option<Response> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(request);
    let sent = pin!(fetch.send_with_signal(&signal));
    let timer = pin!(Delay::from(timeout));
    match select(sent, timer).await {
        Either::Left((answer, _)) => answer.ok(),
        Either::Right(_) => {
            controller.abort();
            None
        }
    }
}

/// A request to the origin's internal route `path` with the edge secret.
fn internal_request(config: &EdgeConfig, path: &str, method: Method, body: Option<String>) -> Option<Request> {
    let (origin, secret) = (config.origin_url.as_ref()?, config.edge_secret.as_ref()?);
    let headers = Headers::new();
    headers.set("authorization", &format!("Bearer {secret}")).ok()?;
    if body.is_some() {
        headers.set("content-type", "application/json").ok()?;
    }
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(headers).with_body(body.map(Into::into));
    Request::new_with_init(&format!("{origin}{path}"), &init).ok()
}

// ---- Status ------------------------------------------------------------------------------

async fn status_page(route: Route<'_>, config: &EdgeConfig, now: Timestamp) -> Reply {
    let check = match config
        .origin_url
        .as_ref()
        .and_then(|origin| Request::new(&format!("{origin}/ready"), Method::Get).ok())
    {
        None => OriginCheck::Unreachable,
        Some(request) => match fetch_within(request, READY_TIMEOUT).await {
            None => OriginCheck::Unreachable,
            Some(mut answer) => {
                let body = answer.bytes().await.ok().and_then(|bytes| serde_json::from_slice(&bytes).ok());
                OriginCheck::Answered { status: answer.status_code(), body }
            }
        },
    };
    let report = status::report(&check, now);
    let mut reply = if route == Route::Status {
        Reply {
            status: 200,
            headers: vec![("Content-Type", "text/html; charset=utf-8".to_owned())],
            body: status::html(&report),
        }
    } else {
        routes::json(200, &report, "application/json")
    };
    reply.headers.push(("Cache-Control", "no-store".to_owned()));
    reply
}

// ---- Forwarding --------------------------------------------------------------------------

/// Sends the request to `ORIGIN_URL` with the caller's headers and the request id, and passes the
/// answer through (copied: fetched responses have immutable headers); 503 when it cannot.
async fn forward(
    mut request: Request,
    config: &EdgeConfig,
    request_id: &RequestId,
    cors: &[(&'static str, String)],
) -> Result<Response> {
    let method = request.method();
    let unavailable = |detail: &str| {
        let error = ApiError::new(ProblemCode::OriginUnavailable, detail);
        into_response(routes::problem(&error, request_id).finish(method.as_ref(), request_id), cors)
    };
    let Some(origin) = &config.origin_url else {
        return unavailable("The service behind the edge is not configured.");
    };
    let url = request.url()?;
    let target = match url.query() {
        Some(query) => format!("{origin}{}?{query}", url.path()),
        None => format!("{origin}{}", url.path()),
    };
    let headers = Headers::new();
    for (name, value) in request.headers().entries() {
        if !matches!(name.as_str(), "host" | "content-length" | "x-request-id") {
            headers.append(&name, &value)?;
        }
    }
    headers.set(X_REQUEST_ID, request_id.as_str())?;
    let body = match method {
        Method::Get | Method::Head => None,
        _ => Some(request.bytes().await?),
    };
    let mut init = RequestInit::new();
    init.with_method(method.clone()).with_headers(headers);
    if let Some(body) = body {
        init.with_body(Some(worker::js_sys::Uint8Array::from(body.as_slice()).into()));
    }
    let outgoing = Request::new_with_init(&target, &init)?;
    let mut answer = match Fetch::Request(outgoing).send().await {
        Ok(answer) => answer,
        Err(_) => return unavailable("The service behind the edge is unreachable; engine calculations still work."),
    };
    let copied = Headers::new();
    for (name, value) in answer.headers().entries() {
        copied.append(&name, &value)?;
    }
    for (name, value) in cors {
        copied.set(name, value)?;
    }
    let status = answer.status_code();
    let body = if method == Method::Head { Vec::new() } else { answer.bytes().await? };
    let response = if body.is_empty() { Response::empty()? } else { Response::from_bytes(body)? };
    Ok(response.with_status(status).with_headers(copied))
}

// ---- Keyed routes ------------------------------------------------------------------------

/// A keyed route: the key judged against the allow-list, the rate limit, the answer, the
/// `RateLimit-*` headers, and one usage event sent after the response.
async fn serve_keyed(
    mut request: Request,
    route: Route<'_>,
    env: &Env,
    ctx: &Context,
    config: &EdgeConfig,
    request_id: &RequestId,
    started: Timestamp,
) -> Result<Reply> {
    let problem = |error: &ApiError| routes::problem(error, request_id);
    let hash = match presented_hash(
        request.headers().get("authorization")?.as_deref(),
        request.headers().get("x-api-key")?.as_deref(),
    ) {
        Ok(hash) => hash,
        Err(error) => return Ok(problem(&error)),
    };
    let grant = match find_grant(&hash, env, ctx, config, started).await {
        Ok(grant) => grant,
        Err(error) => return Ok(problem(&error)),
    };
    let grant = match judge(grant.as_ref(), started, Scope::Engines) {
        Ok(grant) => grant,
        Err(error) => return Ok(problem(&error)),
    };
    let decision =
        ISOLATE.with(|isolate| isolate.borrow_mut().limiter.check(grant.key_id, grant.rate_limit_per_minute, started));
    let (mut reply, engine_id, cache_hit) = if !decision.allowed {
        (problem(&rate_limited(decision.limit, decision.reset_after_seconds)), None, false)
    } else {
        match route {
            Route::Engines => (routes::json(200, &catalog::list(), "application/json"), None, false),
            Route::Engine(id) => match registry::find(id) {
                Some(engine) => (
                    routes::json(200, &EngineInfo::of(engine.meta()), "application/json"),
                    Some(engine.meta().id),
                    false,
                ),
                None => (problem(&ApiError::engine_not_found(id)), None, false),
            },
            Route::Calculate(id) => {
                let engine_id = registry::find(id).map(|engine| engine.meta().id);
                match calculate(&mut request, id, &grant, ctx, started).await {
                    Ok((reply, hit)) => (reply, engine_id, hit),
                    Err(error) => (problem(&error), engine_id, false),
                }
            }
            _ => (problem(&ApiError::no_route(request.method().as_ref(), &request.path())), None, false),
        }
    };
    reply.headers.extend(decision.headers());

    let latency_us = u64::try_from(now().duration_since(started).as_micros()).unwrap_or(0);
    let event = UsageEvent::of_grant(
        started,
        &grant,
        route.pattern(),
        engine_id,
        reply.status,
        latency_us,
        cache_hit,
        request_id.as_str(),
    );
    let leads = ISOLATE.with(|isolate| isolate.borrow_mut().usage.push(event, now()));
    if leads {
        // This request opened a batch: after a short wait it sends what gathered meanwhile. A
        // failure never reaches a caller: the answers are already on their way.
        let config = config.clone();
        ctx.wait_until(async move {
            Delay::from(FLUSH_AFTER).await;
            let batches = ISOLATE.with(|isolate| isolate.borrow_mut().usage.take());
            for batch in batches {
                let Some(post) = internal_request(&config, "/internal/v1/usage", Method::Post, Some(batch)) else {
                    return;
                };
                if let Err(err) = Fetch::Request(post).send().await {
                    worker::console_warn!("usage events not sent: {err}");
                }
            }
        });
    }
    Ok(reply)
}

/// The grant for `hash`: isolate memory, refreshed from KV and the origin at most once per TTL,
/// and an on-demand lookup at the origin for a key the copy does not hold.
async fn find_grant(
    hash: &KeyHash,
    env: &Env,
    ctx: &Context,
    config: &EdgeConfig,
    now: Timestamp,
) -> std::result::Result<Option<Grant>, ApiError> {
    let ttl = config.allowlist_ttl;
    refresh_allowlist(env, ctx, config, now).await;
    let lookup = ISOLATE.with(|isolate| match isolate.borrow().allowlist.lookup(hash, now, ttl) {
        Lookup::Found(grant) => Ok(Some(grant.clone())),
        Lookup::Unknown => Ok(None),
        Lookup::AskOrigin => Err(true),
        Lookup::Unavailable => Err(false),
    });
    match lookup {
        Ok(grant) => Ok(grant),
        Err(false) => Err(cannot_judge()),
        Err(true) => {
            let Some(request) = internal_request(config, &format!("/internal/v1/keys/{hash}"), Method::Get, None)
            else {
                return Ok(None);
            };
            match fetch_within(request, INTERNAL_TIMEOUT).await {
                Some(mut answer) if answer.status_code() == 200 => {
                    let grant =
                        answer.bytes().await.ok().and_then(|bytes| serde_json::from_slice::<Grant>(&bytes).ok());
                    ISOLATE.with(|isolate| isolate.borrow_mut().allowlist.looked_up(*hash, grant.clone(), now));
                    Ok(grant)
                }
                Some(answer) if answer.status_code() == 404 => {
                    ISOLATE.with(|isolate| isolate.borrow_mut().allowlist.looked_up(*hash, None, now));
                    Ok(None)
                }
                // The origin is away: the copy, still usable, does not hold the key.
                _ => Ok(None),
            }
        }
    }
}

/// Brings the isolate's copy up to date when it is older than the TTL: first from KV (another
/// isolate may have fetched it), then from the origin with `If-None-Match`. A new list is written
/// back to KV after the response (KV is written only when the list changed, not on every 304).
async fn refresh_allowlist(env: &Env, ctx: &Context, config: &EdgeConfig, now: Timestamp) {
    let ttl = config.allowlist_ttl;
    let should = || ISOLATE.with(|isolate| isolate.borrow().allowlist.should_refresh(now, ttl));
    if !should() {
        return;
    }
    let kv = env.kv(KV_BINDING).ok();
    if let Some(kv) = &kv
        && let Ok(Some(text)) = kv.get(KV_KEY).text().await
        && let Ok(snapshot) = serde_json::from_str::<Snapshot>(&text)
    {
        ISOLATE.with(|isolate| isolate.borrow_mut().allowlist.adopt(snapshot));
        if !should() {
            return;
        }
    }
    let etag = ISOLATE.with(|isolate| isolate.borrow().allowlist.etag().map(str::to_owned));
    let Some(request) = internal_request(config, "/internal/v1/allowlist", Method::Get, None) else {
        ISOLATE.with(|isolate| isolate.borrow_mut().allowlist.refresh_failed(now));
        return;
    };
    if let Some(etag) = &etag {
        let _ = request.headers().set("if-none-match", etag);
    }
    let outcome = match fetch_within(request, INTERNAL_TIMEOUT).await {
        Some(answer) if answer.status_code() == 304 => Ok(None),
        Some(mut answer) if answer.status_code() == 200 => {
            let sent_etag = answer.headers().get("etag").ok().flatten();
            match answer.bytes().await.ok().and_then(|bytes| serde_json::from_slice::<Allowlist>(&bytes).ok()) {
                Some(list) => Ok(Some((sent_etag.unwrap_or_else(|| list.etag()), list))),
                None => Err(()),
            }
        }
        _ => Err(()),
    };
    let snapshot = ISOLATE.with(|isolate| {
        let state = &mut isolate.borrow_mut().allowlist;
        match outcome {
            Ok(None) => state.confirmed(now),
            Ok(Some((etag, list))) => {
                state.refreshed(list, etag, now);
                return state.snapshot();
            }
            Err(()) => state.refresh_failed(now),
        }
        None
    });
    if let (Some(kv), Some(snapshot)) = (kv, snapshot) {
        let text = serde_json::to_string(&snapshot).unwrap_or_default();
        ctx.wait_until(async move {
            let written = match kv.put(KV_KEY, text) {
                Ok(put) => put.execute().await,
                Err(err) => Err(err),
            };
            if let Err(err) = written {
                worker::console_warn!("allow-list not written to KV: {err}");
            }
        });
    }
}

/// `POST /api/v1/engines/{id}/calculate` in WASM, behind the edge cache. The stored copy says
/// `cached: true`; the first answer says `false`. Returns the reply and whether the cache gave it.
async fn calculate(
    request: &mut Request,
    id: &str,
    grant: &Grant,
    ctx: &Context,
    now: Timestamp,
) -> std::result::Result<(Reply, bool), ApiError> {
    let internal = |err: worker::Error| {
        worker::console_error!("calculate: {err}");
        ApiError::new(ProblemCode::Internal, "The edge could not answer this request.")
    };
    if let Some(kind) = request.headers().get("content-type").map_err(internal)?
        && !kind.trim().to_ascii_lowercase().starts_with("application/json")
    {
        return Err(ApiError::new(
            ProblemCode::UnsupportedMediaType,
            "Send the request body as `Content-Type: application/json`.",
        ));
    }
    let body = request.bytes().await.map_err(internal)?;
    if body.len() > MAX_BODY {
        return Err(ApiError::new(ProblemCode::PayloadTooLarge, "The request body is larger than 64 KiB."));
    }
    let prepared = registry::prepare(id, &body, grant.consciousness_level, now)?;
    let origin = request.url().map_err(internal)?.origin().ascii_serialization();
    let url = cache_url(&origin, prepared.cache_key());
    let cache = Cache::default();
    if let Ok(Some(mut hit)) = cache.get(url.as_str(), false).await
        && let Ok(bytes) = hit.bytes().await
    {
        let total_ms = now_ms_since(now);
        return Ok((answer(String::from_utf8_lossy(&bytes).into_owned(), "HIT", server_timing(true, total_ms)), true));
    }
    let response = prepared.run(ServedBy::Edge)?.with_calculation_time_ms(now_ms_since(now));
    let fresh =
        serde_json::to_string(&response).map_err(|err| ApiError::new(ProblemCode::Internal, err.to_string()))?;
    let mut stored = response;
    stored.metadata.cached = true;
    let stored = serde_json::to_vec(&stored).unwrap_or_default();
    let cache_control = stored_cache_control(prepared.valid_until(), now);
    ctx.wait_until(async move {
        let put = async {
            let headers = Headers::new();
            headers.set("content-type", "application/json")?;
            headers.set("cache-control", &cache_control)?;
            let entry = Response::from_bytes(stored)?.with_headers(headers);
            Cache::default().put(url.as_str(), entry).await
        };
        if let Err(err) = put.await {
            worker::console_warn!("edge cache put failed: {err}");
        }
    });
    Ok((answer(fresh, "MISS", server_timing(false, now_ms_since(now))), false))
}

fn now_ms_since(start: Timestamp) -> f64 {
    now().duration_since(start).as_secs_f64() * 1e3
}

fn answer(body: String, x_cache: &str, timing: String) -> Reply {
    Reply {
        status: 200,
        headers: vec![
            ("Content-Type", "application/json".to_owned()),
            ("X-Cache", x_cache.to_owned()),
            ("Server-Timing", timing),
        ],
        body,
    }
}
