//! `/api/v1/admin/users`: the owners of keys.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use jiff::Timestamp;
use noesis_core::keys::Tier;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::keys::Listing;
use super::{PageQuery, check_name, invalid, query};
use crate::app::App;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::key_admin::check_email;
use crate::storage::{NewUser, User};

/// The body of `POST /api/v1/admin/users`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub email: String,
    pub name: String,
    /// Default `free`.
    #[schema(value_type = Option<String>)]
    pub tier: Option<Tier>,
}

/// A user, as the admin routes show one.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub tier: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<User> for UserView {
    fn from(user: User) -> UserView {
        UserView { id: user.id, email: user.email, name: user.name, tier: user.tier, created_at: user.created_at }
    }
}

/// `POST /api/v1/admin/users`.
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", security(("api_key" = [])),
    request_body = CreateUser,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first answer for 24 h")),
    responses((status = 201, body = UserView), (status = 409, description = "CONFLICT: the email is taken"),
              (status = 422, description = "VALIDATION_ERROR")))]
pub async fn create(State(app): State<Arc<App>>, body: JsonBody) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let request: CreateUser = body.parse()?;
    let email = check_email(&request.email).map_err(|message| invalid("email", message))?;
    let name = check_name("name", &request.name)?;
    let tier = request.tier.unwrap_or_default();
    let user = app.db.create_user(&NewUser { email, name, tier: tier.as_str().to_owned() }).await?;
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// `GET /api/v1/admin/users`.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("api_key" = [])),
    params(PageQuery), responses((status = 200, body = Listing<UserView>)))]
pub async fn list(State(app): State<Arc<App>>, uri: Uri) -> Result<Json<Listing<UserView>>, ApiError> {
    let params: PageQuery = query(&uri)?;
    let (cursor, limit) = params.read()?;
    let page = app.db.list_users(cursor, limit).await?;
    Ok(Json(Listing {
        items: page.items.into_iter().map(UserView::from).collect(),
        next_cursor: page.next_cursor.map(|cursor| cursor.to_string()),
    }))
}
