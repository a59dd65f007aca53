//! The Workers runtime glue: reads a request, asks the pure modules what to do, does the I/O
//! (Cache API, KV, fetches to the origin) and writes the answer. Every decision worth testing
//! is in the other modules; this only carries values between them and the runtime.
//!
//! Isolate memory holds the allow-list copy, the rate-limit counters, and the outbox of usage
//! events, product events and counters waiting for their flush ([`Isolate`]). A `RefCell` borrow
//! is never held across an `.await`.
//!
//! Reporting: every 5xx the edge itself answers (not one it passes through from the origin, which
//! reports its own) becomes a Sentry event, POSTed inside `waitUntil` within
//! [`crate::sentry::SEND_TIMEOUT`]. A Rust panic aborts the WASM instance (`panic = "abort"`): the
//! runtime answers that request with its own error, workers-rs logs `Rust panic: …` with
//! `console.error` and re-initialises the instance for the next request; no code of ours runs
//! after the panic, so no Sentry event is sent for it (Workers Logs or a Tail Worker see it).

use std::cell::RefCell;
use std::pin::pin;
use std::time::Duration;

use futures_util::future::{Either, select};
use jiff::Timestamp;
use noesis_core::engines::catalog::{self, EngineInfo};
use noesis_core::engines::{ApiError, ProblemCode, ServedBy, registry};
use noesis_core::http::media_type;
use noesis_core::http::request_id::{RequestId, X_REQUEST_ID};
use noesis_core::keys::{Allowlist, Grant, KeyHash, Scope};
use noesis_core::observability::error_event::{ErrorTags, ServerError};
use noesis_core::observability::product::{self, Outcome, ProductEvent};
use uuid::Uuid;
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
use crate::usage::{self, EdgeCounters, FLUSH_AFTER, Outbox, UsageEvent};

/// The KV binding and the key the allow-list snapshot is kept under.
const KV_BINDING: &str = "ALLOWLIST";
const KV_KEY: &str = "allowlist:v1";
/// How long the edge waits for the origin's internal routes and `/ready`.
const INTERNAL_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one POST of product events to PostHog may take.
const POSTHOG_TIMEOUT: Duration = Duration::from_secs(3);
const READY_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a forwarded call (workflows, account and admin routes) may take at the origin: past
/// the origin's own database timeout (5 s) and a workflow's computation, so a slow origin still
/// answers with its own problem, and a hung one gets `ORIGIN_UNAVAILABLE` instead of holding the
/// caller until the platform gives up.
const FORWARD_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest calculation body, as at the origin.
const MAX_BODY: usize = 64 * 1024;

#[derive(Default)]
struct Isolate {
    allowlist: AllowlistState,
    limiter: RateLimiter,
    outbox: Outbox,
    /// The salt of hashed client addresses, drawn at the isolate's first refused key.
    client_salt: Option<[u8; 32]>,
}

/// Changes the isolate's counters.
fn count(change: impl FnOnce(&mut EdgeCounters)) {
    ISOLATE.with(|isolate| change(&mut isolate.borrow_mut().outbox.counters));
}

thread_local! {
    static ISOLATE: RefCell<Isolate> = RefCell::new(Isolate::default());
}

fn now() -> Timestamp {
    Timestamp::from_millisecond(i64::try_from(Date::now().as_millis()).unwrap_or(0)).unwrap_or(Timestamp::UNIX_EPOCH)
}

#[event(fetch)]
async fn fetch(request: Request, env: Env, ctx: Context) -> Result<Response> {
    let config = EdgeConfig::from_lookup(|name| {
        env.var(name).ok().map(|var| var.to_string()).or_else(|| env.secret(name).ok().map(|secret| secret.to_string()))
    });
    let response = serve(request, &env, &ctx, &config).await;
    // A 5xx of the runtime's (an `Err` here) is not counted: the runtime answers it after us.
    if let Ok(response) = &response {
        count(|counters| counters.answered(response.status_code()));
    }
    flush_outbox(&ctx, &config);
    response
}

/// Answers one request (everything but the counting and the flush of [`fetch`]).
async fn serve(request: Request, env: &Env, ctx: &Context, config: &EdgeConfig) -> Result<Response> {
    let started = now();
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
        Ok(route @ (Route::Status | Route::StatusJson)) => status_page(route, config, started).await,
        Ok(Route::Forward) => return forward(request, ctx, config, &request_id, &cors).await,
        Ok(route) => {
            let (reply, tags) = serve_keyed(request, route, env, ctx, config, &request_id, started).await?;
            if reply.status >= 500 {
                let code = serde_json::from_str::<serde_json::Value>(&reply.body)
                    .ok()
                    .and_then(|body| body["code"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| format!("HTTP_{}", reply.status));
                report_server_error(ctx, config, reply.status, &code, &method, &request_id, &tags);
            }
            reply
        }
    };
    into_response(reply.finish(&method, &request_id), &cors)
}

// ---- Reporting ---------------------------------------------------------------------------

/// Sends Sentry an event for a 5xx the edge answered, inside `waitUntil`, within
/// [`crate::sentry::SEND_TIMEOUT`]; counted as sent or dropped. Does nothing without `SENTRY_DSN`.
fn report_server_error(
    ctx: &Context,
    config: &EdgeConfig,
    status: u16,
    code: &str,
    method: &str,
    request_id: &RequestId,
    tags: &ErrorTags,
) {
    let Some(dsn) = config.sentry.clone() else { return };
    let error =
        ServerError { status, code, method, request_id: request_id.as_str(), tags, panicked: None, runtime: "edge" };
    let at = now();
    let event = crate::sentry::event(&error, &Uuid::new_v4().simple().to_string(), at, &config.sentry_environment);
    let body = crate::sentry::envelope(&dsn, &event, at);
    worker::console_error!("{}", error.message());
    ctx.wait_until(async move {
        let sent =
            post(dsn.envelope_url(), &[("x-sentry-auth", &dsn.auth_header())], body, crate::sentry::SEND_TIMEOUT).await;
        count(|counters| match sent {
            Ok(()) => counters.sentry_events_sent += 1,
            Err(_) => counters.sentry_events_dropped += 1,
        });
        if let Err(reason) = sent {
            worker::console_warn!("error event not sent to Sentry: {reason}");
        }
    });
}

/// POSTs `body` to `url` (JSON unless an envelope) with `headers`, within `timeout`; `Err` with a
/// reason (never the URL's credentials: the callers' URLs carry none) when it is not taken.
async fn post(url: &str, headers: &[(&str, &str)], body: String, timeout: Duration) -> std::result::Result<(), String> {
    let sent = Headers::new();
    let content_type = if url.ends_with("/envelope/") { "application/x-sentry-envelope" } else { "application/json" };
    sent.set("content-type", content_type).map_err(|err| err.to_string())?;
    for (name, value) in headers {
        sent.set(name, value).map_err(|err| err.to_string())?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(sent).with_body(Some(body.into()));
    let request = Request::new_with_init(url, &init).map_err(|err| err.to_string())?;
    match fetch_within(request, timeout).await {
        Some(answer) if (200..300).contains(&answer.status_code()) => Ok(()),
        Some(answer) => Err(format!("answered {}", answer.status_code())),
        None => Err("unreachable or timed out".to_owned()),
    }
}

/// Stamps a product event and puts it in the outbox, when PostHog is configured.
fn capture(config: &EdgeConfig, event: ProductEvent) {
    if config.posthog.is_none() {
        return;
    }
    let event = event.stamped("noesis-edge", "edge", now(), Uuid::new_v4());
    ISOLATE.with(|isolate| isolate.borrow_mut().outbox.push_product(event));
}

/// The hashed client address of a refused key (`CF-Connecting-IP`, which Cloudflare sets), salted
/// per isolate ([`product::hash_client`]).
fn hashed_client(request: &Request) -> String {
    let address = request.headers().get("cf-connecting-ip").ok().flatten().unwrap_or_else(|| "unknown".to_owned());
    let salt = ISOLATE.with(|isolate| {
        *isolate.borrow_mut().client_salt.get_or_insert_with(|| {
            let mut salt = [0u8; 32];
            salt[..16].copy_from_slice(Uuid::new_v4().as_bytes());
            salt[16..].copy_from_slice(Uuid::new_v4().as_bytes());
            salt
        })
    });
    product::hash_client(&salt, &address)
}

/// After a response: when this request leads the isolate's next flush, waits [`FLUSH_AFTER`] in
/// its `waitUntil` for others to join, then sends the usage batches (with the counters) to the
/// origin and the product events to PostHog. A failure never reaches a caller (the answers are on
/// their way); what was not taken is counted as dropped, and the counters of a batch the origin
/// did not take go back into the outbox.
fn flush_outbox(ctx: &Context, config: &EdgeConfig) {
    let leads = ISOLATE.with(|isolate| isolate.borrow_mut().outbox.schedule(now()));
    if !leads {
        return;
    }
    let config = config.clone();
    ctx.wait_until(async move {
        Delay::from(FLUSH_AFTER).await;
        let mut taken = ISOLATE.with(|isolate| isolate.borrow_mut().outbox.take());
        if !taken.product.is_empty()
            && let Some(posthog) = &config.posthog
        {
            let count_of = taken.product.len() as u64;
            let body = usage::product_batch_json(&posthog.api_key, &taken.product);
            let sent = post(&posthog.batch_url, &[], body, POSTHOG_TIMEOUT).await;
            // Into this flush's counters (PostHog is asked first), so the outcome reaches the
            // origin with this batch rather than waiting for the next request's flush.
            match sent {
                Ok(()) => taken.counters.product_events_sent += count_of,
                Err(_) => taken.counters.product_events_dropped += count_of,
            }
            if let Err(reason) = sent {
                worker::console_warn!("product events not sent to PostHog: {reason}");
            }
        }
        let counters = taken.counters.clone();
        for (index, (batch, events)) in usage::usage_batches(taken.usage, taken.counters).into_iter().enumerate() {
            let sent = match internal_request(&config, "/internal/v1/usage", Method::Post, Some(batch)) {
                Some(post) => match fetch_within(post, INTERNAL_TIMEOUT).await {
                    Some(answer) if answer.status_code() == 202 => Ok(()),
                    Some(answer) => Err(format!("the origin answered {}", answer.status_code())),
                    None => Err("the origin is unreachable or slow".to_owned()),
                },
                None => Err("no ORIGIN_URL or NOESIS_EDGE_SECRET".to_owned()),
            };
            if let Err(reason) = sent {
                worker::console_warn!("usage events not sent: {reason}");
                count(|outbox| {
                    outbox.usage_events_dropped += events as u64;
                    if index == 0 {
                        outbox.add(&counters);
                    }
                });
            }
        }
    });
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
    ctx: &Context,
    config: &EdgeConfig,
    request_id: &RequestId,
    cors: &[(&'static str, String)],
) -> Result<Response> {
    let method = request.method();
    let path = request.path();
    let unavailable = |detail: &str| {
        let error = ApiError::new(ProblemCode::OriginUnavailable, detail);
        count(|counters| counters.origin_forward_failures += 1);
        // Tagged with the workflow a workflow call names; the caller's tier is the origin's to
        // know (it checks keys of forwarded calls).
        let tags = ErrorTags {
            route: Some(Route::Forward.pattern().to_owned()),
            workflow_id: forwarded_workflow(&path),
            ..ErrorTags::default()
        };
        let status = error.code.status();
        report_server_error(ctx, config, status, error.code.as_str(), method.as_ref(), request_id, &tags);
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
    let Some(mut answer) = fetch_within(outgoing, FORWARD_TIMEOUT).await else {
        return unavailable(
            "The service behind the edge is unreachable or did not answer in time; engine calculations still work.",
        );
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

/// The workflow id of a forwarded `/api/v1/workflows/{id}[/execute]` path, when it is a known one
/// (an id from the catalogue, never text a caller typed).
fn forwarded_workflow(path: &str) -> Option<String> {
    let id = path.strip_prefix("/api/v1/workflows/")?.split('/').next()?;
    noesis_core::workflows::find(id).map(|workflow| workflow.id.to_owned())
}

// ---- Keyed routes ------------------------------------------------------------------------

/// A keyed route: the key judged against the allow-list, the rate limit, the answer, the
/// `RateLimit-*` headers, one usage event and the product events (`auth_failure`,
/// `rate_limit_hit`, `engine_calculation`) into the outbox. Returns the reply and the tags an
/// error event of it would carry.
async fn serve_keyed(
    mut request: Request,
    route: Route<'_>,
    env: &Env,
    ctx: &Context,
    config: &EdgeConfig,
    request_id: &RequestId,
    started: Timestamp,
) -> Result<(Reply, ErrorTags)> {
    let problem = |error: &ApiError| routes::problem(error, request_id);
    let mut tags = ErrorTags { route: Some(route.pattern().to_owned()), ..ErrorTags::default() };
    if let Route::Engine(id) | Route::Calculate(id) = route {
        tags.engine_id = registry::find(id).map(|engine| engine.meta().id.to_owned());
    }
    let refused = |error: &ApiError| {
        capture(config, ProductEvent::auth_failure(&hashed_client(&request), error.code.as_str()));
        problem(error)
    };
    let hash = match presented_hash(
        request.headers().get("authorization")?.as_deref(),
        request.headers().get("x-api-key")?.as_deref(),
    ) {
        Ok(hash) => hash,
        Err(error) => return Ok((refused(&error), tags)),
    };
    let grant = match find_grant(&hash, env, ctx, config, started).await {
        Ok(grant) => grant,
        // The key could not be judged (the origin is away): not the caller's failure.
        Err(error) => return Ok((problem(&error), tags)),
    };
    let grant = match judge(grant.as_ref(), started, Scope::Engines) {
        Ok(grant) => grant,
        Err(error) => return Ok((refused(&error), tags)),
    };
    tags.tier = Some(grant.tier.as_str().to_owned());
    tags.consciousness_level = Some(u8::from(grant.consciousness_level).to_string());
    let decision =
        ISOLATE.with(|isolate| isolate.borrow_mut().limiter.check(grant.key_id, grant.rate_limit_per_minute, started));
    let (mut reply, engine_id, cache_hit) = if !decision.allowed {
        capture(
            config,
            ProductEvent::rate_limit_hit(grant.user_id, grant.tier.as_str(), grant.consciousness_level.into()),
        );
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
                let (reply, hit) = match calculate(&mut request, id, &grant, ctx, started).await {
                    Ok((reply, hit)) => (reply, hit),
                    Err(error) => (problem(&error), false),
                };
                if let Some(engine_id) = engine_id {
                    let outcome = Outcome {
                        tier: grant.tier.as_str(),
                        level: grant.consciousness_level.into(),
                        status: reply.status,
                        duration_ms: now_ms_since(started),
                        cache_hit: hit,
                    };
                    capture(config, ProductEvent::engine_calculation(grant.user_id, engine_id, outcome));
                }
                (reply, engine_id, hit)
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
    ISOLATE.with(|isolate| isolate.borrow_mut().outbox.push_usage(event));
    Ok((reply, tags))
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
        count(|counters| counters.allowlist_refresh_failures += 1);
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
        let mut isolate = isolate.borrow_mut();
        let Isolate { allowlist: state, outbox, .. } = &mut *isolate;
        match outcome {
            Ok(None) => {
                outbox.counters.allowlist_refreshes += 1;
                state.confirmed(now);
            }
            Ok(Some((etag, list))) => {
                outbox.counters.allowlist_refreshes += 1;
                state.refreshed(list, etag, now);
                return state.snapshot();
            }
            Err(()) => {
                outbox.counters.allowlist_refresh_failures += 1;
                state.refresh_failed(now);
            }
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
    let content_type = request.headers().get("content-type").map_err(internal)?;
    let body = request.bytes().await.map_err(internal)?;
    if body.len() > MAX_BODY {
        return Err(ApiError::new(ProblemCode::PayloadTooLarge, "The request body is larger than 64 KiB."));
    }
    let body = media_type::json_body(content_type.as_deref(), &body)?;
    let prepared = registry::prepare(id, body, grant.consciousness_level, now)?;
    let origin = request.url().map_err(internal)?.origin().ascii_serialization();
    let url = cache_url(&origin, prepared.cache_key());
    let cache = Cache::default();
    if let Ok(Some(mut hit)) = cache.get(url.as_str(), false).await
        && let Ok(bytes) = hit.bytes().await
    {
        let total_ms = now_ms_since(now);
        count(|counters| counters.cache_hits += 1);
        return Ok((answer(String::from_utf8_lossy(&bytes).into_owned(), "HIT", server_timing(true, total_ms)), true));
    }
    count(|counters| counters.cache_misses += 1);
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
