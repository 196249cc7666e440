import { CommandLineError, parseCommandLine } from "../commandLine.js";

/** What `bazaar migrate` provisions: a bounded context's stores, or the gateway's keyspace. */
export const MIGRATION_TARGETS = ["catalog", "inventory", "ordering", "customer", "gateway"] as const;
export type MigrationTarget = (typeof MIGRATION_TARGETS)[number];

export interface MigrateArgs {
  targets: MigrationTarget[];
  dryRun: boolean;
}

/** A command line `bazaar migrate` cannot run: says what is wrong with it. */
export class MigrateUsageError extends Error {
  override name = "MigrateUsageError";
}

const isTarget = (name: string): name is MigrationTarget => (MIGRATION_TARGETS as readonly string[]).includes(name);

/** `[--context <name>]… [--dry-run]`; no `--context`: every target, in dependency-free order. */
export const parseMigrateArgs = (args: readonly string[]): MigrateArgs => {
  let values;
  try {
    ({ values } = parseCommandLine(args, { options: { context: { type: "string", multiple: true }, "dry-run": { type: "boolean", default: false } } }));
  } catch (error) {
    if (error instanceof CommandLineError) throw new MigrateUsageError(error.message);
    throw error;
  }
  const chosen = values.context ?? [];
  for (const name of chosen) if (!isTarget(name)) throw new MigrateUsageError(`unknown context ${name}; known: ${MIGRATION_TARGETS.join(", ")}`);
  return { targets: chosen.length > 0 ? MIGRATION_TARGETS.filter((target) => chosen.includes(target)) : [...MIGRATION_TARGETS], dryRun: values["dry-run"] };
};
