/** Polls `read` until `done` holds, or fails naming what it last saw. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out; last saw ${JSON.stringify(value).slice(0, 2000)}`,
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }
}
