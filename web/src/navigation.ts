// Moving between screens without a reload. The router registers how a screen
// is shown; screens only ask to go somewhere, so no screen imports the router.

let showScreen: () => Promise<void> = async () => {};

/** The router's way of showing whatever the address now names. */
export function onNavigate(show: () => Promise<void>): void {
  showScreen = show;
}

export function navigate(path: string): void {
  if (path !== location.pathname + location.search) history.pushState({}, "", path);
  void showScreen();
}
