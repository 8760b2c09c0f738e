// Builds the static client into dist/: our bundle, NHS.UK frontend's compiled
// CSS and its assets (logo, icons), and index.html. No Sass chain needed.
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const frontend = "node_modules/nhsuk-frontend/dist/nhsuk";
rmSync("dist", { recursive: true, force: true });
mkdirSync("dist/assets", { recursive: true });
await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: "es2022",
  outfile: "dist/app.js",
});
cpSync(`${frontend}/nhsuk-frontend.min.css`, "dist/nhsuk-frontend.min.css");
cpSync(`${frontend}/assets`, "dist/assets", { recursive: true });
cpSync("src/app.css", "dist/app.css");
writeFileSync("dist/index.html", readFileSync("src/index.html", "utf8"));
console.log("built web/dist");
