import { fileURLToPath } from "node:url";

/** The repository root (this file is packages/testing/{src,dist}/repoRoot.*). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
