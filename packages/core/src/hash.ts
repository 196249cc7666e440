/**
 * A stable 32-bit hash of a string, for spreading keys over a fixed number of partitions: h·31
 * plus each code point's first UTF-16 unit, from 7. Stored rows are placed by it (the saga log's
 * index shards are recomputed from the saga id to delete an entry), so it must never change.
 */
export const hashString = (text: string): number => {
  let hash = 7;
  for (const codePoint of text) hash = (hash * 31 + codePoint.charCodeAt(0)) >>> 0;
  return hash;
};
