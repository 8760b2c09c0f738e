//! Adding claim windows to a service, once per `Idempotency-Key`: one window
//! (Enter a claim window) or every period's (Generate claim windows).

use crate::app::App;
use crate::domain::claim_window::ClaimWindow;
use crate::error::AppError;
use crate::store::catalogue::ServiceRecord;
use crate::store::requests::{made_before, Keyed};
use crate::store::windows::{made_by, WindowRecord};
use crate::Timestamp;

/// Adds the windows `choose` picks, given the windows the service has (it
/// refuses a clash), in one transaction. The same request sent again is
/// answered with the windows it added; the key sent with another request
/// is refused.
pub async fn add_windows_once(
    app: &App, service: &ServiceRecord, keyed: &Keyed<'_>, now: Timestamp,
    choose: impl FnOnce(&[ClaimWindow]) -> Result<Vec<ClaimWindow>, AppError>,
) -> Result<Vec<WindowRecord>, AppError> {
    app.store
        .create_once(
            keyed,
            || async {
                let records = app.store.windows_of(&service.id).await?;
                let new = choose(&WindowRecord::windows(&records))?;
                if new.is_empty() {
                    // Nothing left to add: perhaps because this very request added them.
                    return Ok(match made_before(app.store.key_use(keyed.sender, &keyed.request).await?)? {
                        Some(made) => made_by(&records, &made),
                        None => Vec::new(),
                    });
                }
                app.store.add_windows(service, &new, keyed.sender.user_id, Some(keyed), now).await
            },
            |made| async move { Ok(made_by(&app.store.windows_of(&service.id).await?, &made)) },
        )
        .await
}
