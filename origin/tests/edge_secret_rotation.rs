//! Rotating `NOESIS_EDGE_SECRET` without a gap: while `NOESIS_EDGE_SECRET_PREVIOUS` holds the old
//! secret, the edge's internal calls succeed with either (docs/runbook.md, "Rotating secrets").

mod support;

use noesis_origin::app::Tuning;
use support::{Backend, EDGE_SECRET, TestOrigin};

const NEW_SECRET: &str = "rotated-edge-secret-0123456789abcdef-0123";

async fn allowlist_status(origin: &TestOrigin, secret: &str) -> u16 {
    let response = origin.client.get(origin.url("/internal/v1/allowlist")).bearer_auth(secret).send().await.unwrap();
    response.status().as_u16()
}

#[tokio::test]
async fn the_previous_edge_secret_is_accepted_during_a_rotation() {
    let settings = [("NOESIS_EDGE_SECRET", NEW_SECRET), ("NOESIS_EDGE_SECRET_PREVIOUS", EDGE_SECRET)];
    let origin = TestOrigin::start(Backend::Sqlite, &settings, Tuning::default()).await.unwrap();
    assert_eq!(allowlist_status(&origin, NEW_SECRET).await, 200);
    assert_eq!(allowlist_status(&origin, EDGE_SECRET).await, 200, "the old secret until the Worker has the new one");
    assert_eq!(allowlist_status(&origin, "some-other-secret-0123456789abcdef-0123").await, 401);
}

#[tokio::test]
async fn after_a_rotation_only_the_new_edge_secret_is_accepted() {
    let origin =
        TestOrigin::start(Backend::Sqlite, &[("NOESIS_EDGE_SECRET", NEW_SECRET)], Tuning::default()).await.unwrap();
    assert_eq!(allowlist_status(&origin, NEW_SECRET).await, 200);
    assert_eq!(allowlist_status(&origin, EDGE_SECRET).await, 401);
}
