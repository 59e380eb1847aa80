// GraphiQL in a real browser (Debian's Chromium through playwright-core), with every request that leaves the server
// refused, as on a machine without a network: the page loads, its schema's docs appear, and a query returns data.
// Usage: node graphiql.mjs PAGE_URL QUERY EXPECTED_TEXT. Exit 0 when all three hold; otherwise says which did not.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [pageUrl, query, expected] = process.argv.slice(2);
const origin = new URL(pageUrl).origin;
const profile = mkdtempSync(join(tmpdir(), "graphiql-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const outside = [];
const problems = [];
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(20000);
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  await page.goto(pageUrl);
  await page.waitForSelector(".graphiql-container");
  console.log("page loaded");

  await page.click('[aria-label="Show Documentation Explorer"]');
  await page.waitForSelector(".graphiql-doc-explorer-root-type");
  const docs = await page.textContent(".graphiql-doc-explorer");
  if (!docs.includes("query: Query")) throw new Error(`the docs show no query type: ${docs.slice(0, 300)}`);
  console.log("docs shown");

  const headers = await page.evaluate(() =>
    [...document.querySelectorAll(".graphiql-editor-tool .CodeMirror")]
      .map((editor) => editor.CodeMirror.getValue())
      .join("\n"),
  );
  if (!headers.includes("Authorization")) throw new Error(`the Headers tab holds no credentials: ${headers}`);
  await page.evaluate((text) => {
    document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue(text);
  }, query);
  await page.click(".graphiql-execute-button");
  const response = () =>
    page.evaluate(() => document.querySelector(".graphiql-response .CodeMirror")?.CodeMirror?.getValue() ?? "");
  try {
    await page.waitForFunction(
      (text) => document.querySelector(".graphiql-response .CodeMirror")?.CodeMirror?.getValue().includes(text),
      expected,
    );
  } catch {
    throw new Error(`the response does not show ${expected}: ${(await response()).slice(0, 500)}`);
  }
  console.log("query answered");
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
if (outside.length > 0) problems.push(`requests that left the server: ${outside.join(", ")}`);
if (problems.length > 0) {
  console.log(problems.join("\n"));
  process.exit(1);
}
