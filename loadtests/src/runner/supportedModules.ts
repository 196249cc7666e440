/** The k6 modules this runner implements; any other non-relative import fails at load. */
export const SUPPORTED_MODULES = ["k6", "k6/http", "k6/metrics", "k6/execution"] as const;
export type SupportedModule = (typeof SUPPORTED_MODULES)[number];

export const isSupportedModule = (specifier: string): specifier is SupportedModule => (SUPPORTED_MODULES as readonly string[]).includes(specifier);

/** Relative and absolute file imports are the script's own helper files, loaded as they are. */
export const isFileImport = (specifier: string): boolean =>
  specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/") || specifier.startsWith("file:");

export class UnsupportedModuleError extends Error {
  constructor(
    readonly specifier: string,
    readonly importer: string,
  ) {
    super(
      `unsupported module "${specifier}" imported by ${importer}: this runner supports only ${SUPPORTED_MODULES.join(", ")} (and the script's own relative files)`,
    );
    this.name = "UnsupportedModuleError";
  }
}
