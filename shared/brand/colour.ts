/**
 * Colours as the brand gives them (`#rrggbb`) and the WCAG 2.x contrast ratio
 * (https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio): the relative luminance of each colour,
 * then (L1 + 0.05) / (L2 + 0.05) with L1 the lighter. AA asks 4.5:1 for text.
 */

/** A colour as `#rrggbb`, lower case; anything else (names, `#rgb`, `rgb()`) is not one. */
export function parseColour(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return /^#[0-9a-f]{6}$/i.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

function channel(hex: string): number {
  const c = parseInt(hex, 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG 2.x relative luminance of a `#rrggbb` colour: 0 (black) to 1 (white). */
export function relativeLuminance(colour: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => channel(colour.slice(at, at + 2))) as [
    number,
    number,
    number,
  ];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (lighter + 0.05) / (darker + 0.05);
}

/** WCAG 2.x AA for text (1.4.3): 4.5:1. */
export const AA_TEXT_CONTRAST = 4.5;

/**
 * What a brand colour (the accent) is drawn against: the primary button's text on it, and, as
 * link text, the page's card and background (the light scheme's; the dark scheme keeps its own
 * link colour and draws only the button in the brand colour, its text the same white).
 */
export const ACCENT_COUNTERPARTS = [
  { name: 'the button text', colour: '#ffffff' },
  { name: 'the page background', colour: '#f4f5f7' },
] as const;

/** The text colour of a primary button in the brand colour. */
export const ACCENT_TEXT = ACCENT_COUNTERPARTS[0].colour;

/** Ratios are said rounded down to two decimals: 4.499 is "4.49:1", never a passing "4.5:1". */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}

/** Why `colour` cannot be the accent (the worst pair below AA), or undefined when it can. */
export function accentContrastProblem(colour: string): string | undefined {
  const worst = ACCENT_COUNTERPARTS.map((counterpart) => ({
    ...counterpart,
    ratio: contrastRatio(colour, counterpart.colour),
  })).sort((a, b) => a.ratio - b.ratio)[0];
  if (!worst || worst.ratio >= AA_TEXT_CONTRAST) return undefined;
  return `has a contrast of ${formatRatio(worst.ratio)} against ${worst.name} (${worst.colour}); WCAG AA needs ${AA_TEXT_CONTRAST}:1 (choose a darker colour)`;
}
