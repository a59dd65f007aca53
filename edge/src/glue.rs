//! The Workers runtime glue: a Workers request in, [`routes::respond`], a Workers response out.
//! Everything worth testing happens in `respond`; this only translates.

use worker::{Context, Env, Headers, Request, Response, Result, event};

use noesis_core::http::request_id::{RequestId, X_REQUEST_ID};

use crate::{request_id, routes};

#[event(fetch)]
async fn fetch(request: Request, _env: Env, _ctx: Context) -> Result<Response> {
    let request_id = RequestId::from_header(request.headers().get(X_REQUEST_ID)?.as_deref(), request_id::generate);
    let reply = routes::respond(request.method().as_ref(), &request.path(), &request_id);

    let headers = Headers::new();
    for (name, value) in &reply.headers {
        headers.set(name, value)?;
    }
    Ok(Response::from_bytes(reply.body.into_bytes())?.with_status(reply.status).with_headers(headers))
}
