// A button that starts work shows it is waiting until the work's answers have
// come: it is marked `aria-disabled` (announced as unavailable, and styled as
// busy) and a second press is ignored, so a double click sends nothing twice.
// "The work" is every call to the API or the evidence bucket that was in
// flight when it was pressed (a save it waits for) or begins while it waits;
// it is released once none is left and none has begun for a moment.

/** A pressed control and how many of its calls have not answered. */
interface Waiting {
  control: HTMLElement;
  pending: number;
  timer?: number;
  /** The press's own submit (a submit button's) still goes through, once. */
  ownSubmit: boolean;
}

/** How long a control stays waiting after its last answer, in case the next call follows on. */
const SETTLE_MS = 120;

const waiting = new Set<Waiting>();
/** The calls in flight, each with the controls waiting for it. */
const inFlight = new Set<Set<Waiting>>();

/** What counts as a control that starts work: buttons, and links that act as buttons. */
function controlOf(target: EventTarget | null): HTMLElement | null {
  return (target as Element | null)?.closest?.<HTMLElement>("button, a[href='#']") ?? null;
}

function entryOf(control: HTMLElement | null): Waiting | undefined {
  return control ? [...waiting].find((w) => w.control === control) : undefined;
}

function settleLater(entry: Waiting): void {
  window.clearTimeout(entry.timer);
  entry.timer = window.setTimeout(() => {
    if (entry.pending > 0) return;
    waiting.delete(entry);
    entry.control.removeAttribute("aria-disabled");
    entry.control.classList.remove("lc-waiting");
  }, SETTLE_MS);
}

function pressed(control: HTMLElement): void {
  const entry: Waiting = { control, pending: 0, ownSubmit: true };
  for (const waiters of inFlight) {
    waiters.add(entry);
    entry.pending += 1;
  }
  waiting.add(entry);
  control.setAttribute("aria-disabled", "true");
  control.classList.add("lc-waiting");
  settleLater(entry);
}

/** A call's promise, which the controls waiting now wait for too. */
export function tracked<T>(call: Promise<T>): Promise<T> {
  const waiters = new Set(waiting);
  waiters.forEach((w) => {
    w.pending += 1;
  });
  inFlight.add(waiters);
  return call.finally(() => {
    inFlight.delete(waiters);
    waiters.forEach((w) => {
      w.pending -= 1;
      settleLater(w);
    });
  });
}

/** A press of a waiting control does nothing; any other starts it waiting,
 * before its own handlers run, so the calls they make are its work. (Enter in
 * a field presses the form's button too.) */
document.addEventListener("click", (event) => {
  const control = controlOf(event.target);
  if (!control) return;
  if (entryOf(control)) {
    event.preventDefault();
    event.stopImmediatePropagation();
    return;
  }
  pressed(control);
}, true);

document.addEventListener("submit", (event) => {
  const entry = entryOf(event.submitter);
  if (!entry) return;
  if (entry.ownSubmit) {
    entry.ownSubmit = false;
    return;
  }
  event.preventDefault();
  event.stopImmediatePropagation();
}, true);
