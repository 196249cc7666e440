/** An RFC 9457 problem as the gateway answers it (application/problem+json). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  sagaId?: string;
  reason?: string;
  orderId?: string;
  orderStatus?: string;
}

/** A refused or failed request: the problem the server answered, kept whole for the page. */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = "ProblemError";
  }
}

/** Field errors by dotted path ("price.amount"), as the gateway names them. */
export type FieldErrors = Record<string, string>;

export const fieldErrorsOf = (problem: Problem): FieldErrors =>
  Object.fromEntries((problem.errors ?? []).map((violation) => [violation.field, violation.message]));
