// Where the API and the user pool are: `/config.json`, written by the local
// stack (infra/web.py) and by the deployment next to the client in S3.

export interface Config {
  apiBase: string;
  /** Where the session routes are, on the client's own origin ("" in AWS: CloudFront sends /session* to the API). */
  sessionBase: string;
  cognitoEndpoint: string;
  userPoolClientId: string;
}

let loaded: Config | null = null;

export async function config(): Promise<Config> {
  if (!loaded) {
    const response = await fetch("/config.json", { cache: "no-store" });
    if (!response.ok) throw new Error("The service's settings could not be loaded");
    loaded = (await response.json()) as Config;
  }
  return loaded;
}
