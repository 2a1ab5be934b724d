let segmenter: Intl.Segmenter | undefined;

/**
 * The text's graphemes, the characters as the operator sees them. The segmenter is made on
 * first use: making one loads ICU data, milliseconds every start-up would pay otherwise.
 */
export function graphemesOf(text: string): string[] {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(segmenter.segment(text), (part) => part.segment);
}
