/** The current instant as an ISO-8601 UTC string: the one timestamp format stored. */
export function nowIso(): string {
  return new Date().toISOString();
}
