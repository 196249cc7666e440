/**
 * Runs `work` for each item with at most `limit` running at once, in the items' order of start.
 * The first failure stops new work; what is running is awaited, then that failure is thrown.
 */
export const forEachConcurrently = async <T>(items: Iterable<T> | AsyncIterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  if (!(limit >= 1)) throw new RangeError(`limit must be at least 1, got ${limit}`);
  const running = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  for await (const item of items) {
    if (failure) break;
    const task: Promise<void> = work(item).then(
      () => void running.delete(task),
      (error: unknown) => {
        running.delete(task);
        failure ??= { error };
      },
    );
    running.add(task);
    if (running.size >= limit) await Promise.race(running);
  }
  await Promise.all(running);
  if (failure) throw failure.error;
};

/**
 * Runs work of one key one at a time, in the order it was asked for; work of different keys side
 * by side. A failure is its caller's alone: the next work of the key runs as usual.
 */
export const createKeyedSerializer = () => {
  const tails = new Map<string, Promise<void>>();
  return <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const result = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
};
