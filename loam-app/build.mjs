// Builds Loam Notes into target/classes/loam-app/ (the jar's resources): index.html, the bundle and
// Automerge's wasm under assets/ with content hashes in their names. Installs the pinned packages
// first (npm ci, from package-lock.json) when node_modules is missing or older than the lock file,
// so a second build runs offline and takes about a second.
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const out = process.argv[2] ?? join(here, "target/classes/loam-app")
const stamp = join(here, "node_modules", ".loam-lock-sha256")
const lockHash = createHash("sha256").update(readFileSync(join(here, "package-lock.json"))).digest("hex")

if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== lockHash) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm"
  const r = spawnSync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: here, stdio: "inherit" })
  if (r.status !== 0) {
    console.error("loam-app: npm ci failed (it needs the npm registry once; afterwards builds run offline)")
    process.exit(1)
  }
  writeFileSync(stamp, lockHash)
}

const esbuild = await import("esbuild")
rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, "assets"), { recursive: true })
const result = await esbuild.build({
  absWorkingDir: here,
  entryPoints: { app: "src/main.js" },
  bundle: true,
  format: "esm",
  target: "es2022",
  platform: "browser",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  outdir: join(out, "assets"),
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  loader: { ".wasm": "file" },
  metafile: true,
  logLevel: "warning",
})
const outputs = Object.keys(result.metafile.outputs).map(p => p.slice(p.lastIndexOf("assets/")))
const js = outputs.find(p => p.endsWith(".js"))
const css = outputs.find(p => p.endsWith(".css"))
let html = readFileSync(join(here, "src/index.html"), "utf8")
html = html.replace("%APP_JS%", js).replace("%APP_CSS%", css)
writeFileSync(join(out, "index.html"), html)
const version = createHash("sha256").update(outputs.join()).digest("hex").slice(0, 16)
const sw = readFileSync(join(here, "src/sw.js"), "utf8")
  .replace("%VERSION%", version).replace("%FILES%", JSON.stringify(["./", ...outputs]))
writeFileSync(join(out, "sw.js"), sw)
// The list of files, for the server (a jar cannot list a folder of resources).
writeFileSync(join(out, "files"), ["index.html", "sw.js", ...outputs].join("\n") + "\n")
const sizes = outputs.map(p => `${p} ${Math.round(statSync(join(out, p)).size / 1024)} KiB`)
console.log(`loam-app: built ${out} (${sizes.join(", ")})`)
