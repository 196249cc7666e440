import { fileURLToPath } from "node:url";

/** The repository root (this file is loadtests/{src,dist}/report/repoRoot.*). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
