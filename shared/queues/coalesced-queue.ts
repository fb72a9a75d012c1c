/**
 * A queue producer whose sends, from jobs running concurrently, go out together: every `send` asked
 * for in the same turn of the event loop leaves as one `sendBatch` (up to the queue's 100 messages a
 * call). The flow consumers' lanes plan a batch's messages at once (shared/flows/consumer.ts), and
 * each queued one is one dispatch job. If a shared `sendBatch` fails, every send is tried again
 * alone, so only a send that fails itself reports it (a flow then leaves the row to the due scan).
 */
const MAX_PER_CALL = 100;

type Waiting<T> = {
  body: T;
  options?: QueueSendOptions;
  resolve: (response: QueueSendResponse) => void;
  reject: (e: unknown) => void;
};

export function coalescedQueue<T>(queue: Queue<T>): Queue<T> {
  let waiting: Waiting<T>[] = [];
  const flush = () => {
    const all = waiting;
    waiting = [];
    for (let at = 0; at < all.length; at += MAX_PER_CALL) {
      const part = all.slice(at, at + MAX_PER_CALL);
      const one = part.length === 1 ? part[0] : undefined;
      const sent = one
        ? queue.send(one.body, one.options)
        : queue.sendBatch(part.map((w) => ({ body: w.body, ...w.options })));
      sent.then(
        (response) => part.forEach((w) => w.resolve(response as QueueSendResponse)),
        (error: unknown) => {
          if (one) return one.reject(error);
          for (const w of part) queue.send(w.body, w.options).then(w.resolve, w.reject);
        },
      );
    }
  };
  return {
    send: (body: T, options?: QueueSendOptions) =>
      new Promise<QueueSendResponse>((resolve, reject) => {
        waiting.push({ body, options, resolve, reject });
        if (waiting.length === 1) setTimeout(flush, 0);
      }),
    sendBatch: (messages: Iterable<MessageSendRequest<T>>, options?: QueueSendBatchOptions) =>
      queue.sendBatch(messages, options),
    metrics: () => queue.metrics(),
  } as Queue<T>;
}
