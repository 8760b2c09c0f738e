//! Moving a payment run on: collecting approved claims into it, then paying
//! them, a batch at a time until done or until the time given runs out; the
//! caller queues the rest (`continue_later`). Every step is safe to repeat: a
//! claim joins one run only, and is paid once.

use crate::app::App;
use crate::domain::payment_run::RunStatus;
use crate::error::{dependency, persistently, AppError};
use crate::mail::templates::{self, Payment};
use crate::store::payments::PaymentRunRecord;
use crate::Timestamp;
use std::time::Instant;

/// Claims read or paid side by side in one batch.
const BATCH: i32 = 25;

/// Takes the run as far as it goes before `deadline`; the run as it then is.
pub async fn advance(app: &App, run_id: &str, actor: &str, deadline: Instant) -> Result<PaymentRunRecord, AppError> {
    loop {
        let run = app
            .store
            .payment_run(run_id)
            .await?
            .ok_or_else(|| AppError::NotFound("There is no payment run with this ID".into()))?;
        let finished_batch = match run.status {
            RunStatus::Collecting => collect_batch(app, &run).await?,
            RunStatus::Confirming => pay_batch(app, &run, actor).await?,
            RunStatus::Ready | RunStatus::Confirmed => return Ok(run),
        };
        if finished_batch {
            let moved = match run.status {
                RunStatus::Collecting => app.store.finish_collecting(&run).await?,
                _ => {
                    app.store.write_remittances(&run).await?;
                    app.store.finish_confirming(&run).await?
                }
            };
            if let Some(moved) = &moved {
                tracing::info!(run_id, status = ?moved.status, claims = moved.claims, "payment run moved on");
                if moved.status == RunStatus::Confirmed {
                    tell_the_practices(app, moved).await;
                }
            }
            continue;
        }
        if Instant::now() >= deadline {
            return Ok(run);
        }
    }
}

/// One batch of payable claims into the run; true when none are left.
async fn collect_batch(app: &App, run: &PaymentRunRecord) -> Result<bool, AppError> {
    let ids = app.store.payable_claims(&run.commissioner, BATCH).await?;
    if ids.is_empty() {
        return Ok(true);
    }
    let mut joins = tokio::task::JoinSet::new();
    for id in ids {
        let (store, run) = (app.store.clone(), run.clone());
        joins.spawn(async move {
            match store.claim(id).await? {
                Some(document) => store.add_to_run(&run, &document).await,
                None => Ok(false),
            }
        });
    }
    while let Some(joined) = joins.join_next().await {
        joined.map_err(|e| AppError::Internal(format!("collecting a claim: {e}")))??;
    }
    Ok(false)
}

/// One batch of the run's unpaid claims paid; true when none are left.
async fn pay_batch(app: &App, run: &PaymentRunRecord, actor: &str) -> Result<bool, AppError> {
    let unpaid = app.store.unpaid_claims(&run.id, BATCH).await?;
    if unpaid.is_empty() {
        return Ok(true);
    }
    let now = Timestamp::now();
    let mut pays = tokio::task::JoinSet::new();
    for claim in unpaid {
        let (store, run, actor) = (app.store.clone(), run.clone(), actor.to_string());
        pays.spawn(async move { store.pay_claim(&run, &claim, &actor, now).await });
    }
    while let Some(joined) = pays.join_next().await {
        joined.map_err(|e| AppError::Internal(format!("paying a claim: {e}")))??;
    }
    Ok(false)
}

/// Every user of each practice paid hears of its payment, with a link to the
/// remittance advice; the practices' people found together, the emails queued
/// ten to a call. The run is confirmed already: a failure is logged. Each
/// email's id is fixed per run and person, so a resumed confirmation emails no
/// one twice.
async fn tell_the_practices(app: &App, run: &PaymentRunRecord) {
    let date = uk_date(run.payment_date);
    let codes: Vec<_> = run.providers.iter().map(|paid| paid.provider.clone()).collect();
    let people = crate::access::catalogue::people_of_providers(&app.store, &codes).await;
    let mut letters = Vec::new();
    for (paid, (_, found)) in run.providers.iter().zip(people) {
        let people = match found {
            Ok(people) => people,
            Err(error) => {
                tracing::error!(run_id = run.id, error = %error, "practice not told of its payment");
                continue;
            }
        };
        let link = format!("{}/remittances/{}/{}", app.config.app_url, paid.provider, run.id);
        let total = paid.total.to_string();
        let payment = Payment {
            run_id: &run.id,
            provider: &paid.name,
            commissioner: &run.commissioner_name,
            payment_date: &date,
            claims: paid.claims,
            total: &total,
            link: &link,
        };
        letters.extend(
            people.iter().map(|person| templates::remittance_issued(&person.names(), &person.user_id, payment)),
        );
    }
    app.mail().notify_all(&letters).await;
}

/// "15 December 2026".
fn uk_date(day: jiff::civil::Date) -> String {
    day.strftime("%-d %B %Y").to_string()
}

/// A run's next steps, for the payment run queue's worker.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Continuation {
    pub run_id: String,
    /// Who started the step (the history of each paid claim names them).
    pub actor: String,
    /// Steps in a row that ended in a failure (each is queued again a little
    /// later, up to `Continuation::GIVE_UP_AFTER`).
    #[serde(default)]
    pub failures: u32,
}

impl Continuation {
    /// Failed steps in a row after which the worker leaves the message to the
    /// queue's own redelivery, and so in the end to its dead-letter queue.
    pub const GIVE_UP_AFTER: u32 = 5;

    pub fn of(run: &PaymentRunRecord, actor: &str) -> Self {
        Continuation { run_id: run.id.clone(), actor: actor.to_string(), failures: 0 }
    }

    /// The same step, after one more failure.
    pub fn after_failure(&self) -> Self {
        Continuation { failures: self.failures + 1, ..self.clone() }
    }

    /// How long the queue holds it: none at first, then 2, 4, 8… seconds.
    fn delay_seconds(&self) -> i32 {
        if self.failures == 0 {
            0
        } else {
            1 << self.failures.min(6)
        }
    }
}

/// Takes a run on within a request, as far as `deadline`, and queues the
/// rest. The run exists whatever happens here: a failure partway (AWS
/// refusing a call) leaves the rest to the queue rather than stranding the
/// run, and the run is answered as it last stood. Only a run that could not
/// be queued is an error (the same request sent again takes it on).
pub async fn take_on(
    app: &App, run: PaymentRunRecord, actor: &str, deadline: Instant,
) -> Result<PaymentRunRecord, AppError> {
    let next = Continuation::of(&run, actor);
    match Box::pin(advance(app, &run.id, actor, deadline)).await {
        Ok(moved) => {
            if moved.status.in_progress() {
                continue_later(app, &next).await?;
            }
            Ok(moved)
        }
        Err(error) => {
            tracing::warn!(run_id = run.id, error = %error, "payment run left to the queue after a failure");
            continue_later(app, &next.after_failure()).await?;
            Ok(run)
        }
    }
}

/// Queues a run's next step for the worker (a lost message would strand the
/// run, so the send is tried again).
pub async fn continue_later(app: &App, next: &Continuation) -> Result<(), AppError> {
    let url = app
        .config
        .payment_run_queue_url
        .clone()
        .ok_or_else(|| AppError::Internal("PAYMENT_RUN_QUEUE_URL is not set".into()))?;
    let body = serde_json::to_string(next).map_err(|e| AppError::Internal(e.to_string()))?;
    persistently(|| async {
        app.sqs()
            .send_message()
            .queue_url(&url)
            .message_body(&body)
            .delay_seconds(next.delay_seconds())
            .send()
            .await
            .map(|_| ())
            .map_err(dependency("queueing the run"))
    })
    .await?;
    tracing::info!(run_id = next.run_id, failures = next.failures, "payment run continues from the queue");
    Ok(())
}
