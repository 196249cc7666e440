/** The k6-compatible runner (placeholder until it lands). */
export const runCli = async (_args: string[]): Promise<number> => {
  throw new Error("the load-test runner is not built yet");
};
