// The arithmetic of at-least-once delivery, pure (time and randomness are parameters):
// where a subscription's cursor goes after an acknowledged batch, and how long to wait after a
// failure. docs/specs/subscriptions.md explains both.

/**
 * The cursor after the receiver acknowledged a batch (or after a search that found nothing to
 * send). `leafIndexes`: the batch's leaf indexes in log order, all above `cursor`, from a search
 * limited to `batchSize` events that started after `head` had been read. A full batch may have
 * more matches right after it: the cursor moves to its last leaf. A batch that is not full holds
 * every match above `cursor` that was committed when the search ran, and every leaf up to `head`
 * was committed before it ran (leaves commit in index order, ADR 0006): the cursor moves past
 * `head` too, so later searches skip the leaves that did not match. Never moves back.
 */
export const cursorAfterBatch = (
  cursor: number,
  head: number,
  leafIndexes: readonly number[],
  batchSize: number,
): number => {
  const last = leafIndexes.at(-1) ?? -1;
  if (leafIndexes.length >= batchSize) return Math.max(cursor, last);
  return Math.max(cursor, head, last);
};

/**
 * The delay before the next attempt after `failures` consecutive failed ones (≥ 1): exponential
 * from `baseMs` (base, 2·base, 4·base, …), capped at `maxMs`, with "equal jitter" — a uniformly
 * random point in the upper half of the step — so receivers that failed together do not get
 * their retries together. `random` returns a number in [0, 1).
 */
export const retryDelayMs = (
  failures: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number => {
  const exponent = Math.min(Math.max(failures, 1) - 1, 40);
  const step = Math.min(maxMs, baseMs * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
};
