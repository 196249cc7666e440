/** The load-test report (placeholder until it lands). */
export const runReport = async (_args: string[]): Promise<void> => {
  throw new Error("the load-test report is not built yet");
};
