/**
 * `npm run loadtest -- <scenario|file.js> [flags]` runs a k6 script with the bundled runner;
 * `npm run loadtest -- report` runs every scenario against the platform and writes the report.
 */
const [command = "help", ...args] = process.argv.slice(2);

if (command === "report") {
  const { runReport } = await import("./report/index.js");
  await runReport(args);
} else {
  const { runCli } = await import("./runner/index.js");
  process.exitCode = await runCli([command, ...args]);
}
