//! POST /organisations/import?commissioner=: a commissioner's administrator
//! uploads the NHS ODS practice file (epraccur.csv) and its practices are
//! added under the commissioner. Every row is reported — added, already here,
//! another commissioner's, not active, or malformed — and the same file sent
//! again (or twice at once) adds nothing more, as each ODS code is added only
//! if new. Sent again with its `Idempotency-Key` (its answer lost), the file
//! is reported as the first time: the practices it added are tagged with the
//! request, so they are "added", not "already here"; the key sent with
//! another file or commissioner is refused.

use futures::stream::{self, StreamExt};
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in};
use shared::domain::ods::OdsCode;
use shared::domain::practice_file::{self, FileRow, RowOutcome};
use shared::domain::role::Role;
use shared::edge::asked::ForCommissioner;
use shared::edge::{json, Answered, CsvFile, IdempotencyKey, Query};
use shared::store::records::OrganisationRecord;
use shared::store::requests::Keyed;
use shared::views::practice_file::{ImportedRow, PracticeFileImported};
use shared::ConflictKind;
use shared::{App, AppError, Timestamp};
use std::collections::{HashMap, HashSet};

shared::serve_http!(POST "/organisations/import" => import);

/// Practices added at once: an ICB's few hundred in a few seconds.
const WRITERS: usize = 16;

async fn import(
    app: &App, who: SignedIn, importing: Query<ForCommissioner>, key: IdempotencyKey,
    file: CsvFile<{ practice_file::MAX_BYTES }>,
) -> Answered<PracticeFileImported<'static>> {
    let caller = signed_in(app, &who).await?;
    let commissioner = importing_for(&caller, importing.read()?.commissioner.as_deref())?;
    let route = format!("POST /organisations/import?commissioner={commissioner}");
    let keyed = Keyed::new(&caller.user_id, key.key()?, &route, &file.fingerprint());
    let text = file.read()?;
    let rows = practice_file::read(&text, &commissioner).map_err(|detail| AppError::invalid_field("file", detail))?;
    let ours: Vec<OdsCode> = rows.iter().filter(|row| row.belongs_to(&commissioner)).filter_map(code_of).collect();
    let known: HashMap<OdsCode, OrganisationRecord> =
        app.store.organisation_records(&ours).await?.into_iter().map(|r| (r.code.clone(), r)).collect();

    let now = Timestamp::now();
    app.store.hold_request(&keyed, now).await?;
    let sent_as = keyed.sent_as();
    let ours_before = |record: &OrganisationRecord| sent_as.is_some() && record.imported_with == sent_as;
    let mut seen = HashSet::new();
    let judged: Vec<(&FileRow, Judgement)> =
        rows.iter().map(|row| (row, judge(row, &commissioner, &known, &mut seen, ours_before))).collect();
    let additions: Vec<_> = judged
        .iter()
        .filter(|(_, judgement)| *judgement == Judgement::ToAdd)
        .map(|(row, _)| add(app, row, &caller.user_id, sent_as.as_deref(), now))
        .collect();
    let added: HashMap<usize, RowOutcome> = stream::iter(additions)
        .buffer_unordered(WRITERS)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;

    let rows = judged
        .iter()
        .map(|(row, judgement)| {
            let (outcome, detail) = match judgement {
                Judgement::ToAdd => (added.get(&row.line()).copied().unwrap_or(RowOutcome::AlreadyHere), None),
                Judgement::Done(outcome, detail) => (*outcome, detail.clone()),
            };
            ImportedRow::of(row, outcome, detail)
        })
        .collect();
    let imported = PracticeFileImported::of(&commissioner, rows);
    tracing::info!(commissioner = %commissioner, rows = imported.rows.len(), added = imported.added, "practice file imported");
    json(&imported)
}

/// The commissioner the file is imported for: the one asked for, or the only
/// one the caller administers.
fn importing_for(caller: &shared::domain::account::Caller, asked: Option<&str>) -> Result<OdsCode, AppError> {
    let administered = caller.organisations_with(Role::CommissioningAdministrator).into_iter().cloned().collect();
    access::catalogue::chosen_organisation(
        administered,
        asked,
        "commissioner",
        "Only a commissioner's administrators import its practices",
    )
}

#[derive(Debug, PartialEq)]
enum Judgement {
    ToAdd,
    Done(RowOutcome, Option<String>),
}

fn code_of(row: &FileRow) -> Option<OdsCode> {
    match row {
        FileRow::Practice { practice, .. } => Some(practice.organisation.code.clone()),
        FileRow::Malformed { .. } => None,
    }
}

/// What a row will become, before anything is written.
/// `ours_before`: whether this very request (sent before with its key) added a practice.
fn judge(
    row: &FileRow, commissioner: &OdsCode, known: &HashMap<OdsCode, OrganisationRecord>, seen: &mut HashSet<OdsCode>,
    ours_before: impl Fn(&OrganisationRecord) -> bool,
) -> Judgement {
    let (practice, active) = match row {
        FileRow::Malformed { detail, .. } => return Judgement::Done(RowOutcome::Malformed, Some(detail.clone())),
        FileRow::Practice { practice, active, .. } => (practice, *active),
    };
    let code = &practice.organisation.code;
    if !row.belongs_to(commissioner) {
        return Judgement::Done(RowOutcome::AnotherCommissioners, None);
    }
    if !active {
        return Judgement::Done(RowOutcome::NotActive, Some("The file says this practice is closed or dormant".into()));
    }
    if !seen.insert(code.clone()) {
        return Judgement::Done(RowOutcome::AlreadyHere, Some("Named earlier in this file".into()));
    }
    match known.get(code) {
        Some(record) if ours_before(record) => Judgement::Done(RowOutcome::Added, None),
        Some(record) if record.commissioner.as_ref() == Some(commissioner) => {
            Judgement::Done(RowOutcome::AlreadyHere, None)
        }
        Some(record) => Judgement::Done(
            RowOutcome::AnotherCommissioners,
            Some(match &record.commissioner {
                Some(other) => format!("Already in Local Claims with {other}"),
                None => "Already in Local Claims as a commissioner".to_string(),
            }),
        ),
        None => Judgement::ToAdd,
    }
}

/// Adds one practice, tagged with the keyed request adding it (`sent_as`).
/// One added meanwhile (the same file sent twice at once) is already here —
/// or added, if it was this request sent twice.
async fn add(
    app: &App, row: &FileRow, actor: &str, sent_as: Option<&str>, now: Timestamp,
) -> Result<(usize, RowOutcome), AppError> {
    let FileRow::Practice { practice, .. } = row else { return Ok((row.line(), RowOutcome::Malformed)) };
    match app.store.import_organisation(practice, actor, sent_as.map(str::to_string), now).await {
        Ok(_) => Ok((row.line(), RowOutcome::Added)),
        Err(AppError::Conflict { kind: ConflictKind::OrganisationExists, .. }) => {
            let ours = match sent_as {
                Some(tag) => app
                    .store
                    .organisation_record(&practice.organisation.code)
                    .await?
                    .is_some_and(|record| record.imported_with.as_deref() == Some(tag)),
                None => false,
            };
            Ok((row.line(), if ours { RowOutcome::Added } else { RowOutcome::AlreadyHere }))
        }
        Err(other) => Err(other),
    }
}
