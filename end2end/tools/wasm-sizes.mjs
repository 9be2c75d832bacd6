// What the browser downloads to open each page, from the built site (target/site/pkg):
// the app's frame (kehu.js, kehu.wasm, the split loader) and the pieces of wasm the page's area
// needs (app/ui/src/routes.rs; the cutter's __wasm_split_manifest.json lists them), raw and
// compressed with brotli at the quality the release build uses (11), and how many files.
//   cd end2end && node tools/wasm-sizes.mjs          (after `./kehu.sh build --release`,
//                                                      or `./kehu.sh bench-wasm`)
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";

const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../target/site/pkg");
const manifestPath = path.join(pkg, "__wasm_split_manifest.json");
if (!existsSync(manifestPath)) {
  console.error(`no ${manifestPath}: build the site with --split first`);
  process.exit(1);
}

const sizes = new Map();
function size(file) {
  if (!sizes.has(file)) {
    const bytes = readFileSync(path.join(pkg, file));
    const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    sizes.set(file, { raw: bytes.length, brotli });
  }
  return sizes.get(file);
}
function total(files) {
  return files.reduce((sum, f) => ({ raw: sum.raw + size(f).raw, brotli: sum.brotli + size(f).brotli }), { raw: 0, brotli: 0 });
}
const kb = (n) => `${(n / 1024).toFixed(0).padStart(6)} KB`;

const files = readdirSync(pkg);
const loader = files.find((f) => f.startsWith("__wasm_split.") && f.endsWith(".js"));
const frame = ["kehu.js", "kehu.wasm", loader].filter(Boolean);
const frameSize = total(frame);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const everything = total(files.filter((f) => f.endsWith(".wasm") || f.endsWith(".js")));

console.log(`frame (${frame.join(", ")}): ${kb(frameSize.raw)} raw ${kb(frameSize.brotli)} brotli`);
console.log(`everything (${files.filter((f) => f.endsWith(".wasm")).length} wasm files): ${kb(everything.raw)} raw ${kb(everything.brotli)} brotli`);
console.log("");
console.log("area (a lazy cut)                         files      area raw   area brotli  with frame, brotli");
for (const [cut, chunks] of Object.entries(manifest).sort()) {
  const name = cut.replace(/^_+/, "").replace(/_\d+$/, "");
  const own = files.find((f) => f.startsWith("split_") && f.includes(cut));
  const area = [...chunks.map((c) => `${c}.wasm`), own].filter(Boolean);
  const t = total(area);
  console.log(`${name.padEnd(40)} ${String(area.length).padStart(6)} ${kb(t.raw)} ${kb(t.brotli)}   ${kb(frameSize.brotli + t.brotli)}`);
}
