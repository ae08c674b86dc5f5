/**
 * The one clock of the server. Tests may replace it (session timeouts, break-glass expiry)
 * with `setClock`; production code never does.
 */
let current: () => number = () => Date.now();

/** Milliseconds since the epoch, from the current clock. */
export function nowMs(): number {
  return current();
}

/** The current instant as an ISO-8601 UTC string: the one timestamp format stored. */
export function nowIso(): string {
  return new Date(current()).toISOString();
}

/** Replaces the clock (tests only); returns a function that restores the previous one. */
export function setClock(clock: () => number): () => void {
  const previous = current;
  current = clock;
  return () => {
    current = previous;
  };
}
