/** Maps a failed request to k6's `error` text and `error_code` (see k6's error-codes docs). */
export const describeRequestError = (error: unknown, timedOut: boolean, timeoutMs: number): { message: string; code: number } => {
  if (timedOut) return { message: `request timeout (${timeoutMs} ms)`, code: 1050 };
  const cause = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = cause.code ?? cause.cause?.code;
  const message = cause.cause?.message ?? cause.message ?? String(error);
  switch (code) {
    case "ECONNREFUSED":
      return { message: `connection refused: ${message}`, code: 1212 };
    case "ECONNRESET":
    case "UND_ERR_SOCKET":
      return { message: `connection reset by peer: ${message}`, code: 1220 };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { message: `lookup failed: ${message}`, code: 1100 };
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return { message: `dial timeout: ${message}`, code: 1211 };
    case "ERR_INVALID_URL":
      return { message: `invalid URL: ${message}`, code: 1020 };
    default:
      return { message, code: 1000 };
  }
};
