import { parseArgs, type ParseArgsConfig } from "node:util";

/** A command line the command cannot run; the message says what is wrong with it. */
export class CommandLineError extends Error {
  override name = "CommandLineError";
}

/**
 * `args` parsed by node:util's parseArgs, strictly: an unknown flag, a flag without its value or
 * a stray positional is a CommandLineError, never silently ignored.
 */
export const parseCommandLine = <Config extends Omit<ParseArgsConfig, "args" | "strict">>(args: readonly string[], config: Config) => {
  try {
    return parseArgs({ ...config, args: [...args], strict: true as const });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) throw new CommandLineError((error as Error).message, { cause: error });
    throw error;
  }
};
