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
  const chosen: MigrationTarget[] = [];
  let dryRun = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--dry-run") dryRun = true;
    else if (arg === "--context" || arg.startsWith("--context=")) {
      const name = arg === "--context" ? args[++i] : arg.slice("--context=".length);
      if (!name) throw new MigrateUsageError("--context needs a name");
      if (!isTarget(name)) throw new MigrateUsageError(`unknown context ${name}; known: ${MIGRATION_TARGETS.join(", ")}`);
      if (!chosen.includes(name)) chosen.push(name);
    } else throw new MigrateUsageError(`unknown argument ${arg}`);
  }
  return { targets: chosen.length > 0 ? MIGRATION_TARGETS.filter((target) => chosen.includes(target)) : [...MIGRATION_TARGETS], dryRun };
};
