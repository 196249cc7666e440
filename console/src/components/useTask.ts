import { useState } from "preact/hooks";
import type { z } from "zod";
import type { Answer } from "../api/client.js";
import { fieldErrorsOf, ProblemError, type FieldErrors, type Problem } from "../api/problem.js";
import { check } from "../validation.js";

export interface Task<S extends z.ZodType> {
  errors: FieldErrors;
  problem: Problem | undefined;
  pending: boolean;
  /** Checks `input` with the gateway's schema; only valid input is sent (by `send`). */
  run(input: unknown, send: (body: z.output<S>) => Promise<Answer<unknown>>): Promise<Answer<unknown> | undefined>;
}

/**
 * One task's state: browser-side validation that stops a bad command before any request, then
 * the server's answer — its problem+json field errors land beside the same fields.
 */
export const useTask = <S extends z.ZodType>(schema: S): Task<S> => {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<Problem | undefined>();
  const [pending, setPending] = useState(false);
  return {
    errors,
    problem,
    pending,
    async run(input, send) {
      setProblem(undefined);
      const checked = check(schema, input);
      if (!checked.ok) {
        setErrors(checked.errors);
        return undefined;
      }
      setErrors({});
      setPending(true);
      try {
        return await send(checked.value);
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        setErrors(fieldErrorsOf(error.problem));
        setProblem(error.problem);
        return undefined;
      } finally {
        setPending(false);
      }
    },
  };
};
