/**
 * shared/brand/colour.ts: the WCAG 2.x contrast ratio, checked against pairs whose ratios are
 * published (WebAIM's contrast checker gives the same figures), and the AA rule for the accent.
 */
import {
  accentContrastProblem,
  contrastRatio,
  formatRatio,
  parseColour,
  relativeLuminance,
} from '../../../shared/brand/colour';

describe('contrastRatio', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    // The well-known boundary: #767676 is the lightest grey that passes AA on white.
    ['#767676', '#ffffff', 4.542],
    ['#777777', '#ffffff', 4.478],
    ['#0000ff', '#ffffff', 8.592],
    ['#ff0000', '#ffffff', 4.0],
    ['#2f5bea', '#ffffff', 5.52],
  ])('%s on %s is %s:1', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 2);
    expect(contrastRatio(b, a)).toBeCloseTo(ratio, 2);
  });

  it('weighs the channels as WCAG does: green is the lightest, blue the darkest', () => {
    expect(relativeLuminance('#00ff00')).toBeCloseTo(0.7152, 4);
    expect(relativeLuminance('#0000ff')).toBeCloseTo(0.0722, 4);
  });
});

describe('accentContrastProblem', () => {
  it('accepts a colour with AA contrast against the button text and the page background', () => {
    expect(accentContrastProblem('#1d4ed8')).toBeUndefined();
    expect(accentContrastProblem('#2f5bea')).toBeUndefined();
  });

  it('refuses a light colour, saying the ratio and against what', () => {
    expect(accentContrastProblem('#ff0000')).toBe(
      'has a contrast of 3.66:1 against the page background (#f4f5f7); WCAG AA needs 4.5:1 (choose a darker colour)',
    );
  });

  it('refuses a grey that passes on white but not on the page background', () => {
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThan(4.5);
    expect(accentContrastProblem('#767676')).toMatch(
      /^has a contrast of 4\.\d\d:1 against the page background/,
    );
  });

  it('never rounds a failing ratio up to a passing one', () => {
    expect(formatRatio(4.4999)).toBe('4.49:1');
    expect(formatRatio(21)).toBe('21.00:1');
  });
});

describe('parseColour', () => {
  it.each(['#1D4ED8', ' #1d4ed8 '])('reads %p as #1d4ed8', (value) => {
    expect(parseColour(value)).toBe('#1d4ed8');
  });

  it.each(['1d4ed8', '#1d4', 'blue', 'rgb(0,0,255)', '#1d4ed8;}', '#1d4ed8ff', 7])(
    'refuses %p',
    (value) => {
      expect(parseColour(value)).toBeUndefined();
    },
  );
});
