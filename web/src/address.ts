// The address of what is on screen, shared by the router and the steps that
// give themselves an address of their own (a confirmation), so the browser's
// Back takes the person one step back.

/** The path and query of the screen or step now shown. */
export const onScreen = { path: "" };

/** Gives the step now shown its own address (a new history entry). */
export function stepTo(address: string): void {
  if (address !== location.pathname + location.search) history.pushState({}, "", address);
  onScreen.path = address;
}

/** Back to the screen's own address, the step done (no new history entry). */
export function stepDone(): void {
  history.replaceState({}, "", location.pathname);
  onScreen.path = location.pathname;
}

/** The screen now shown is at this address instead (no new history entry). */
export function replaceAddress(address: string): void {
  history.replaceState({}, "", address);
  onScreen.path = address;
}
