import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { repoRoot } from "@bazaar/testing";
import { chromium, type Browser, type Page } from "playwright-core";

/**
 * Debian's chromium (scripts/install-chromium.sh): the binary itself, not /usr/bin's wrapper
 * script, which adds desktop flags. The Playwright browser download is not reachable here.
 */
const CHROMIUM = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find((path) => existsSync(path));

export const SCREENSHOTS = `${repoRoot}.local/console-screenshots`;

export const launchChromium = (): Promise<Browser> => {
  if (!CHROMIUM) throw new Error("chromium is not installed: run scripts/install-chromium.sh");
  // As root (CI, this machine) chromium refuses its sandbox; /dev/shm may be small in containers.
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
};

export const screenshot = async (page: Page, name: string) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
};

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core's WCAG 2 A/AA rules on the page as it is. Injected through the DevTools protocol
 * (page.evaluate), which the page's CSP does not govern, so the scan needs no policy loosened.
 */
export const axeScan = async (page: Page): Promise<{ violations: AxeViolation[]; passes: number }> => {
  await page.evaluate(axeSource);
  // Runs in the page (a string: this project's types have no DOM).
  return page.evaluate<{ violations: AxeViolation[]; passes: number }>(`axe
    .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
    .then((result) => ({
      passes: result.passes.length,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((node) => ({ target: node.target })) })),
    }))`);
};
