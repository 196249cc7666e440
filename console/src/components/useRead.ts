import { useEffect, useState } from "preact/hooks";
import type { Answer } from "../api/client.js";
import { ProblemError, type Problem } from "../api/problem.js";

export interface Read<T> {
  answer: Answer<T> | undefined;
  problem: Problem | undefined;
  loading: boolean;
  reload: () => void;
}

/** A GET the page shows: re-read when `keys` change or on `reload()` (after a task). */
export const useRead = <T>(read: (() => Promise<Answer<T>>) | undefined, keys: unknown[]): Read<T> => {
  const [answer, setAnswer] = useState<Answer<T> | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const [loading, setLoading] = useState(false);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!read) return;
    let current = true;
    setLoading(true);
    read().then(
      (next) => {
        if (!current) return;
        setAnswer(next);
        setProblem(undefined);
        setLoading(false);
      },
      (error: unknown) => {
        if (!current) return;
        setProblem(error instanceof ProblemError ? error.problem : { type: "about:blank", title: String(error), status: 0 });
        setAnswer(undefined);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [...keys, round]);
  return { answer, problem, loading, reload: () => setRound((value) => value + 1) };
};
