// The end of this turn of the event loop: Node's setImmediate (after the I/O callbacks at hand,
// before any timer); a zero timeout where there is none (PGlite in a browser).
const afterThisTurn: (run: () => void) => void =
  typeof setImmediate === 'function' ? (run) => void setImmediate(run) : (run) => void setTimeout(run, 0);

interface Waiting<Item, Answer> {
  readonly item: Item;
  resolve(answer: Answer): void;
  reject(error: unknown): void;
}

/**
 * Group commit: turns `write`, which stores several items in one statement (one round trip, one
 * commit, one WAL flush), into a function of one item. When nothing is in flight, a call is
 * written at the end of the current turn of the event loop (no timer), together with the calls
 * of that turn: the requests whose bytes one I/O poll delivered. The calls that arrive while a
 * batch is in flight queue up and form the next one; at most `maxBatch` items a batch. Each caller
 * gets its own answer (`write` returns them in the items' order) once the whole batch is done; when
 * `write` throws, every caller of that batch gets the error, and the next batch runs as usual,
 * unless `retryAlone(error)` says the error belongs to one item (bad data, not a lost
 * connection): then each item of that batch is written again alone, in order, and answered (or
 * rejected) once its own write is done, so that one bad item fails only its own caller.
 *
 * @example
 * ```ts
 * const insert = groupCommit((rows) => insertRows(rows), 100);
 * const [a, b] = await Promise.all([insert(row1), insert(row2)]); // one statement for both
 * ```
 */
export function groupCommit<Item, Answer>(
  write: (items: readonly Item[]) => Promise<readonly Answer[]>,
  maxBatch: number,
  retryAlone: (error: unknown) => boolean = () => false,
): (item: Item) => Promise<Answer> {
  const queue: Waiting<Item, Answer>[] = [];
  let writing = false;
  const drain = async () => {
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const answers = await write(batch.map((waiting) => waiting.item));
        batch.forEach((waiting, i) => waiting.resolve(answers[i]!));
      } catch (error) {
        if (batch.length > 1 && retryAlone(error)) await writeAlone(write, batch);
        else for (const waiting of batch) waiting.reject(error);
      }
    }
    writing = false;
  };
  return (item) =>
    new Promise<Answer>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (writing) return;
      writing = true;
      // Not at once: a driver that answers without waiting for I/O (PGlite runs in this process)
      // would otherwise write every call alone, each before the next request is even read.
      afterThisTurn(() => void drain());
    });
}

// One write per item, one after the other (in the batch's order, so that of two copies of one item
// the first is written first): each caller hears its own write's answer or error. Only after an
// error that one item caused, so the extra statements come only with such an item.
async function writeAlone<Item, Answer>(
  write: (items: readonly Item[]) => Promise<readonly Answer[]>,
  batch: readonly Waiting<Item, Answer>[],
): Promise<void> {
  for (const waiting of batch) {
    try {
      waiting.resolve((await write([waiting.item]))[0]!);
    } catch (error) {
      waiting.reject(error);
    }
  }
}
