// Moving between screens without a reload. The router registers how a screen
// is shown; screens only ask to go somewhere, so no screen imports the router.

let showScreen: () => Promise<void> = async () => {};

/** Counts the screens begun: an answer that comes after the next one began is not for the screen now shown. */
let screensBegun = 0;

/** The router's way of showing whatever the address now names. */
export function onNavigate(show: () => Promise<void>): void {
  showScreen = show;
}

export function navigate(path: string): void {
  if (path !== location.pathname + location.search) history.pushState({}, "", path);
  void showScreen();
}

/** The router begins a screen: answers to the calls earlier screens made go nowhere now. */
export function beginScreen(): void {
  screensBegun += 1;
}

/** `work` as the screen that asked for it sees it — never, if another screen
 * has begun by the time it settles. So a slower earlier screen (its data came
 * late) cannot draw over, or move the person on from, the screen they went to
 * next; the work itself (a save already sent) still happens. */
export function forThisScreen<T>(work: Promise<T>): Promise<T> {
  const asked = screensBegun;
  return new Promise<T>((resolve, reject) => {
    work.then(
      (value) => { if (asked === screensBegun) resolve(value); else setAside(); },
      (error: unknown) => { if (asked === screensBegun) reject(error); else setAside(); },
    );
  });
}

/** An answer that came for a screen no longer shown is counted on the page
 * (`data-answers-set-aside`), so a test can wait for it rather than for time. */
function setAside(): void {
  const body = document.body;
  body.dataset.answersSetAside = String(Number(body.dataset.answersSetAside ?? "0") + 1);
}

/** `work` after `ms`, unless another screen has begun by then (a screen's own polling stops when it goes). */
export function laterOnThisScreen(work: () => void, ms: number): number {
  const asked = screensBegun;
  return window.setTimeout(() => { if (asked === screensBegun) work(); }, ms);
}
