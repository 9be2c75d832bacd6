// Renders the app's PNG icons from public/icon.svg with Chromium (the same browser the tests
// use, with the CJK font installed), so the icons never drift from the SVG:
//   cd end2end && node tools/make-icons.mjs
// Writes public/icon-192.png and icon-512.png (rounded, transparent corners: "any"),
// icon-maskable-512.png (full bleed, the glyph inside the safe zone) and apple-touch-icon.png
// (180 px, full bleed: iOS rounds it itself).
import { chromium } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../public");
const rounded = readFileSync(path.join(publicDir, "icon.svg"), "utf8");
const fullBleed = rounded.replace(/ rx="\d+"/, "");

const icons = [
  ["icon-192.png", rounded, 192],
  ["icon-512.png", rounded, 512],
  ["icon-maskable-512.png", fullBleed, 512],
  ["apple-touch-icon.png", fullBleed, 180],
];

const browser = await chromium.launch({ executablePath: process.env.KEHU_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
for (const [name, svg, size] of icons) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const sized = svg.replace("<svg ", `<svg width="${size}" height="${size}" `);
  await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(publicDir, name), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  await page.close();
  console.log(`public/${name} (${size}×${size})`);
}
await browser.close();
