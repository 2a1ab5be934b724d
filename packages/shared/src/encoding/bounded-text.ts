/**
 * Text from a hostile input shortened for an error message or a log line: at most `max`
 * UTF-16 code units, never splitting a surrogate pair, with `…` where it was cut.
 */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last < 0xdc00) end--;
  return `${text.slice(0, end)}…`;
}

/** A value from the input, JSON-quoted and shortened, for naming it in a message. */
export function quoteForMessage(text: string, max = 64): string {
  return JSON.stringify(boundText(text, max));
}
