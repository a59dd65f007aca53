//! `GET /api/openapi.json`: the OpenAPI 3.1 document of the contract, generated from the
//! handlers' annotations and the request and response types (utoipa), so it cannot drift from
//! the code. `docs/openapi.json` is the same document, checked by `origin/tests/openapi.rs`, and
//! the edge serves that file.

use axum::Json;
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::admin;
use super::{engines, health, me, ready, workflows};
use crate::key_admin::{KeyUsage, KeyView};

/// An RFC 9457 problem document, as every error is answered (mirrors `noesis_core::http::problem::Problem`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProblemDocument {
    /// `https://tryambakam.space/problems/<code-in-kebab-case>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// `MALFORMED_JSON`, `UNAUTHORIZED`, `KEY_REVOKED`, `KEY_EXPIRED`, `FORBIDDEN`, `LEVEL_REQUIRED`,
    /// `ENGINE_NOT_FOUND`, `WORKFLOW_NOT_FOUND`, `NOT_FOUND`, `METHOD_NOT_ALLOWED`, `CONFLICT`,
    /// `PAYLOAD_TOO_LARGE`, `UNSUPPORTED_MEDIA_TYPE`, `VALIDATION_ERROR`, `RATE_LIMITED`,
    /// `INTERNAL`, `ORIGIN_UNAVAILABLE`, `DB_UNAVAILABLE`.
    pub code: String,
    pub request_id: Option<String>,
    pub errors: Vec<FieldProblem>,
    /// For `LEVEL_REQUIRED`: the level the engine needs.
    pub required_level: Option<u8>,
}

/// One field at fault.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// Dotted path, e.g. `birth_data.time`.
    pub field: String,
    pub message: String,
}

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Noesis API", description = "Nine self-inquiry engines and the workflows that combine them. \
        Every error is application/problem+json (ProblemDocument). Keyed routes answer with \
        RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; 429 adds Retry-After."),
    servers((url = "https://tryambakam.space", description = "Production")),
    paths(
        health::health, ready::ready,
        engines::list, engines::info, engines::calculate,
        workflows::list, workflows::info, workflows::execute,
        me::me,
        admin::keys::create, admin::keys::list, admin::keys::get, admin::keys::revoke, admin::keys::rotate,
        admin::users::create, admin::users::list, admin::usage::report,
    ),
    components(schemas(
        ProblemDocument, FieldProblem, KeyView, KeyUsage, health::Health,
    )),
    modifiers(&Security),
    tags(
        (name = "engines", description = "The nine engines"),
        (name = "workflows", description = "Engines run together on one request, with a synthesis"),
        (name = "account", description = "The calling key"),
        (name = "admin", description = "Keys, users and usage (admin scope)"),
        (name = "operations", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

/// Declares the key as bearer token or `X-API-Key`.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("nk_live_…").build()),
        );
        components.add_security_scheme(
            "api_key_header",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-API-Key"))),
        );
    }
}

/// The document as JSON.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Response {
    let mut response = Json(document()).into_response();
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}
