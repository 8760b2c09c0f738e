// A line's evidence: the pane (guidance, files and their check), Add
// Attachment (recorded, then PUT straight to S3 with a progress bar), the
// check watched in place, and each file's Download and Delete.

import * as api from "../../api";
import { oneRequest, Problem } from "../../api";
import { fileSize } from "../../format";
import { errorsAt, fieldError, fieldId } from "../../forms";
import { html, Html } from "../../html";
import { laterOnThisScreen } from "../../navigation";
import { Attachment, ClaimScreen, Line, Upload } from "../../types";
import { tracked } from "../../waiting";
import { afterFailure, edits, Redraw } from "./screen";

export function evidencePane(line: Line, problem: Problem | null): Html {
  const evidence = line.evidence!;
  const pointer = `/lines/${line.id}/attachments`;
  const id = fieldId(pointer);
  const errors = errorsAt(problem, pointer);
  const types = evidence.accepted.map((t) => t.extension.toUpperCase()).join(", ");
  return html`<div class="nhsuk-card"><div class="nhsuk-card__content">
    <h4 class="nhsuk-card__heading nhsuk-heading-s">Evidence</h4>
    <p>${evidence.guidance}</p>
    <p class="nhsuk-hint">Needed from ${evidence.requiredFromUnits} ${evidence.requiredFromUnits === 1 ? "unit" : "units"}. ${types} files up to ${fileSize(evidence.maxBytes)}. Never include patient identifiable data.</p>
    ${line.attachments.length ? html`<ul class="nhsuk-list">${line.attachments.map((file) => attachmentItem(line, file))}</ul>` : ""}
    <div class="nhsuk-form-group ${errors.length ? "nhsuk-form-group--error" : ""}">
      <label class="nhsuk-label" for="${id}">Add Attachment</label>
      ${fieldError(id, errors)}
      <input class="nhsuk-file-upload" id="${id}" type="file" accept="${evidence.accepted.map((t) => "." + t.extension).join(",")}" data-attach="${line.id}">
    </div>
    <div id="line-${line.id}-progress" hidden>
      <label class="nhsuk-label" for="line-${line.id}-progress-bar">Uploading</label>
      <progress class="lc-upload-progress" id="line-${line.id}-progress-bar" max="100" value="0"></progress>
    </div>
  </div></div>`;
}

export function attachmentItem(line: Line, file: Attachment): Html {
  const label: Record<Attachment["status"], Html> = {
    awaiting_upload: html`<strong class="nhsuk-tag nhsuk-tag--grey">Not uploaded</strong>`,
    scanning: html`<strong class="nhsuk-tag nhsuk-tag--yellow">Being checked</strong>`,
    clean: html`<strong class="nhsuk-tag nhsuk-tag--green">Checked</strong>`,
    refused: html`<strong class="nhsuk-tag nhsuk-tag--red">Refused</strong>`,
  };
  return html`<li data-attachment="${file.id}">${file.fileName} (${fileSize(file.size)}) ${label[file.status]}
    ${file.refusal ? html`<br><span class="nhsuk-error-message">${file.fileName} was refused: ${file.refusal}</span>` : ""}
    <span class="lc-actions">
      ${file.status === "clean" ? html`<a href="#" data-download data-line="${line.id}" data-file="${file.id}">Download<span class="nhsuk-u-visually-hidden"> ${file.fileName}</span></a>` : ""}
      <a href="#" data-delete-attachment data-line="${line.id}" data-file="${file.id}">Delete<span class="nhsuk-u-visually-hidden"> ${file.fileName}</span></a>
    </span></li>`;
}

/** Download and Delete of one attachment. */
export function wireAttachment(claim: ClaimScreen, item: Element | null, redraw: Redraw): void {
  const file = (link: HTMLElement) => ({ id: claim.id, lineId: link.dataset.line!, attachmentId: link.dataset.file! });
  item?.querySelector<HTMLElement>("[data-download]")?.addEventListener("click", async (event) => {
    event.preventDefault();
    const link = event.currentTarget as HTMLElement;
    try {
      const download = await api.get("/claims/{id}/lines/{lineId}/attachments/{attachmentId}", { path: file(link) });
      window.location.assign(download.url);
    } catch (failure) {
      await afterFailure(redraw, failure);
    }
  });
  item?.querySelector<HTMLElement>("[data-delete-attachment]")?.addEventListener("click", async (event) => {
    event.preventDefault();
    const link = event.currentTarget as HTMLElement;
    try {
      await api.remove("/claims/{id}/lines/{lineId}/attachments/{attachmentId}", { path: file(link) });
      await redraw();
    } catch (failure) {
      await afterFailure(redraw, failure);
    }
  });
}

/** Add Attachment: record the file, PUT it straight to S3 with progress, then wait for the check. */
export async function attach(claim: ClaimScreen, input: HTMLInputElement, redraw: Redraw): Promise<void> {
  const file = input.files?.[0];
  const lineId = input.dataset.attach!;
  const line = claim.claimPane.lines.find((l) => l.id === lineId);
  if (!file || !line?.evidence) return;
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  const contentType = line.evidence.accepted.find((t) => t.extension.toLowerCase() === extension)?.contentType || file.type || "application/octet-stream";
  try {
    // What was typed before choosing the file is saved first (leaving a box saves it).
    if (document.activeElement instanceof HTMLInputElement && document.activeElement !== input) document.activeElement.blur();
    await edits.saving;
    const offered = await api.post("/claims/{id}/lines/{lineId}/attachments",
      { path: { id: claim.id, lineId }, body: { fileName: file.name, contentType, size: file.size }, headers: oneRequest() }) as Upload;
    edits.version = offered.version;
    await put(offered, file, lineId);
    // In place: the person keeps their focus, their scroll and what they have typed.
    const item = attachmentItem(line, { ...offered.attachment, status: "scanning" });
    const list = document.querySelector(`[data-line="${lineId}"] .nhsuk-card ul.nhsuk-list`);
    if (list) list.insertAdjacentHTML("beforeend", item.text);
    else input.closest(".nhsuk-form-group")?.insertAdjacentHTML("beforebegin", html`<ul class="nhsuk-list">${item}</ul>`.text);
    wireAttachment(claim, document.querySelector(`[data-attachment="${offered.attachment.id}"]`), redraw);
    input.value = "";
    const box = document.getElementById(`line-${lineId}-progress`);
    if (box) box.hidden = true;
    watchAttachment(claim.id, lineId, offered.attachment.id, redraw);
  } catch (failure) {
    await afterFailure(redraw, failure);
  }
}

function put(offered: Upload, file: File, lineId: string): Promise<void> {
  const box = document.getElementById(`line-${lineId}-progress`);
  const bar = document.getElementById(`line-${lineId}-progress-bar`) as HTMLProgressElement | null;
  if (box) box.hidden = false;
  return tracked(new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(offered.upload.method, offered.upload.url);
    for (const [name, value] of Object.entries(offered.upload.headers ?? {})) {
      if (!["content-length", "host"].includes(name.toLowerCase())) request.setRequestHeader(name, value);
    }
    request.upload.addEventListener("progress", (event) => {
      if (bar && event.lengthComputable) bar.value = Math.round((event.loaded / event.total) * 100);
    });
    request.addEventListener("load", () => request.status < 300 ? resolve()
      : reject(new Problem(request.status, "/problems/upload-failed", "Upload failed", "The file could not be uploaded. Try again.", [])));
    request.addEventListener("error", () =>
      reject(new Problem(0, "/problems/upload-failed", "Upload failed", "The file could not be uploaded. Check your connection and try again.", [])));
    request.send(file);
  }));
}

/** Shows the file's check as it happens (being checked → checked or refused), in place. */
function watchAttachment(claimId: number, lineId: string, attachmentId: string, redraw: Redraw, last = "", until = Date.now() + 120_000): void {
  laterOnThisScreen(async () => {
    const item = document.querySelector(`[data-attachment="${attachmentId}"]`);
    if (!item || Date.now() > until) return;
    const claim = await api.get("/claims/{id}", { path: { id: claimId } }) as ClaimScreen;
    const line = claim.claimPane.lines.find((l) => l.id === lineId);
    const file = line?.attachments.find((a) => a.id === attachmentId);
    if (!line || !file) return;
    if (file.status !== last) {
      item.outerHTML = attachmentItem(line, file).text;
      wireAttachment(claim, document.querySelector(`[data-attachment="${attachmentId}"]`), redraw);
    }
    if (file.status !== "clean" && file.status !== "refused") watchAttachment(claimId, lineId, attachmentId, redraw, file.status, until);
  }, 700);
}
