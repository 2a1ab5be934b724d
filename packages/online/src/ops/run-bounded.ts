/** How one item of a bounded run ended: its value, or not started because the run stopped first. */
export type BoundedOutcome<R> =
  { readonly started: true; readonly value: R } | { readonly started: false };

/**
 * Runs `work` over `items` with at most `concurrency` in flight, results in item order whatever
 * the completion order. After the first failure, or once `signal` is aborted, no further item is
 * started; the ones in flight finish, then the first failure is thrown (an abort is not one).
 */
export async function runBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<BoundedOutcome<R>[]> {
  const outcomes: BoundedOutcome<R>[] = items.map(() => ({ started: false }));
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < items.length && failure === undefined && signal?.aborted !== true) {
      const index = next++;
      try {
        outcomes[index] = { started: true, value: await work(items[index]!, index) };
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(concurrency, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure !== undefined) throw failure.error;
  return outcomes;
}
