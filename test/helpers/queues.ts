/** A queue that only records what is sent to it, for tests that call a worker's code directly. */
export function recorder<T>() {
  const sent: T[] = [];
  const queue = {
    async send(body: T) {
      sent.push(body);
    },
    async sendBatch(batch: Iterable<MessageSendRequest<T>>) {
      for (const m of batch) sent.push(m.body);
    },
  };
  return Object.assign(queue as unknown as Queue<T>, { sent });
}
