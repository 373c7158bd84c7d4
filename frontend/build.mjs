// Builds the site's stylesheets from Digdir's Designsystemet (npm packages pinned in
// package-lock.json): one file per theme in frontend/build/static/designsystemet/, which
// Django serves as static files (STATICFILES_DIRS) and collectstatic fingerprints.
//
// A theme is made from the region's colours in designsystemet.config.json with the
// design system's own CLI; the components are the design system's CSS for the parts the
// templates use, in its cascade layers, so the site's own stylesheet (unlayered) wins.
//
// Run by `make install` (npm run build) and in the Dockerfile's asset stage.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, "..", "node_modules", "@digdir");
const cssRoot = join(packages, "designsystemet-css");
const cli = join(packages, "designsystemet", "dist", "bin", "designsystemet.js");
const tokensDir = join(here, "build", "tokens");
const themesDir = join(here, "build", "themes");
const outDir = join(here, "build", "static", "designsystemet");

// The design system's base and the components the templates use, in the order of the
// package's own index.css.
const BASE = ["base", "paragraph"];
const COMPONENTS = [
  "link", "data-size-workaround", "button", "input", "field", "label", "heading",
  "alert", "skip-link", "list", "card", "divider", "pagination", "tag", "table",
  "breadcrumbs",
];
// The site is light only: the dark colour scheme and the secondary typeface are left out
// (a quarter of the theme's bytes). A region that wants them removes them from this list.
const LEFT_OUT = ["ds.theme.color-scheme.dark", "ds.theme.typography.secondary"];

function step(message) {
  process.stdout.write(`designsystemet: ${message}\n`);
}

function component(name) {
  return readFileSync(join(cssRoot, "dist", "src", `${name}.css`), "utf8").trim();
}

// The theme's top-level rules ("@layer name { ... }"), written out by the CLI one per block.
function rules(css) {
  const found = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < css.length; i++) {
    if (css[i] === "{") depth++;
    else if (css[i] === "}" && --depth === 0) {
      found.push(css.slice(start, i + 1).trim());
      start = i + 1;
    }
  }
  return found;
}

function theme(file) {
  // @charset may only open a stylesheet; the bundle is UTF-8 and served as such.
  const css = readFileSync(file, "utf8").replace(/^@charset[^;]*;/, "").replace(/\/\*[^]*?\*\//g, "");
  return rules(css)
    .filter((rule) => !LEFT_OUT.some((layer) => rule.startsWith(`@layer ${layer} `)))
    // Line breaks and indentation only; a space stays where there was one (calc() needs it).
    .map((rule) => rule.replace(/\s*\n\s*/g, " "))
    .join("\n");
}

function run(...args) {
  execFileSync(process.execPath, [cli, ...args], { cwd: here, stdio: ["ignore", "ignore", "inherit"] });
}

rmSync(join(here, "build"), { recursive: true, force: true });
step("making the themes' tokens from designsystemet.config.json");
run("tokens", "create", "--config", "designsystemet.config.json");
step("building the themes");
run("tokens", "build", "--tokens", tokensDir, "--out-dir", themesDir, "--config", "designsystemet.config.json");

const base = BASE.map(component).join("\n");
const components = COMPONENTS.map(component).join("\n");
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(themesDir).filter((name) => name.endsWith(".css"))) {
  const css = [
    "/* Designsystemet (Digdir, MIT): theme built from designsystemet.config.json, base and components. */",
    "@layer ds.theme, ds.base, ds.components;",
    theme(join(themesDir, file)),
    `@layer ds.base{${base}}`,
    `@layer ds.components{${components}}`,
    "",
  ].join("\n");
  writeFileSync(join(outDir, file), css);
  step(`${join("frontend/build/static/designsystemet", file)}: ${Math.round(css.length / 1024)} KB`);
}
rmSync(tokensDir, { recursive: true, force: true });

// Leaflet (BSD 2-Clause), for the maps: its script (and the source map it names, which
// collectstatic's manifest requires), stylesheet and images as the package ships them,
// with its licence, served from our own static files.
const leaflet = join(here, "..", "node_modules", "leaflet");
const leafletOut = join(here, "build", "static", "leaflet");
mkdirSync(leafletOut, { recursive: true });
for (const name of ["leaflet.js", "leaflet.js.map", "leaflet.css", "images"]) {
  cpSync(join(leaflet, "dist", name), join(leafletOut, name), { recursive: true });
}
cpSync(join(leaflet, "LICENSE"), join(leafletOut, "LICENSE"));
step("frontend/build/static/leaflet: Leaflet " + JSON.parse(readFileSync(join(leaflet, "package.json"))).version);
