// Loads a dataset's report/index.html in a real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core from npm) and checks what a steward would see:
//   * the page loads with no console error or warning, no page error and no request that is
//     not the file itself (no network, no CDN);
//   * every chart named on the command line is present (<svg class="chart" data-chart=NAME>),
//     drawn (it has bars or a "none" label) and visible (non-zero size);
//   * a full-page screenshot, written to SCREENSHOT, is not blank (many distinct colours).
//
//   node .ci/check_report.mjs DATASET/report/index.html SCREENSHOT.png funnel tiers ...
//
// Exit 0 when all hold, 1 (each problem printed) otherwise.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

const [html, screenshot, ...charts] = process.argv.slice(2);
if (!html || !screenshot || charts.length === 0) {
  console.error("usage: node check_report.mjs INDEX_HTML SCREENSHOT.png CHART...");
  process.exit(2);
}
const url = "file://" + path.resolve(html);
const problems = [];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e}`));
  page.on("request", (r) => {
    if (r.url() !== url && !r.url().startsWith("data:")) problems.push(`request to ${r.url()}`);
  });
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response || !response.ok()) problems.push(`loading ${url} failed`);
  const found = await page.$$eval("svg.chart", (els) =>
    els.map((e) => {
      const box = e.getBoundingClientRect();
      return { name: e.dataset.chart, marks: e.querySelectorAll("rect,text").length, w: box.width, h: box.height };
    }),
  );
  for (const name of charts) {
    const c = found.find((f) => f.name === name);
    if (!c) problems.push(`chart ${name} is missing`);
    else if (c.marks === 0 || c.w < 100 || c.h < 20) problems.push(`chart ${name} is empty or invisible (${JSON.stringify(c)})`);
  }
  await page.screenshot({ path: screenshot, fullPage: true });
  const b64 = fs.readFileSync(screenshot).toString("base64");
  const colours = await page.evaluate(async (data) => {
    const img = new Image();
    img.src = "data:image/png;base64," + data;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const g = canvas.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 13) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return { colours: seen.size, width: img.width, height: img.height };
  }, b64);
  if (colours.colours < 50) problems.push(`the screenshot looks blank: ${colours.colours} colours`);
  console.log(
    `report ${html}: ${found.length} charts (${charts.length} checked), screenshot ${colours.width}x${colours.height} with ${colours.colours} colours -> ${screenshot}`,
  );
} finally {
  await browser.close();
}
for (const p of problems) console.log(`PROBLEM ${p}`);
process.exit(problems.length ? 1 : 0);
