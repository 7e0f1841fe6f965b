import { describe, expect, it } from 'vitest';
import { plainText } from '../pipeline/core/text.ts';
import { linkProblem, parseInline } from '../pipeline/input/inline.ts';

describe('inline markup', () => {
  it('parses bold, italic, links and nesting into runs', () => {
    expect(parseInline('a **b *c* e** [d](https://e.f) g')).toEqual([
      { text: 'a ', bold: false, italic: false },
      { text: 'b ', bold: true, italic: false },
      { text: 'c', bold: true, italic: true },
      { text: ' e', bold: true, italic: false },
      { text: ' ', bold: false, italic: false },
      { text: 'd', bold: false, italic: false, href: 'https://e.f' },
      { text: ' g', bold: false, italic: false },
    ]);
  });

  it('keeps unmatched markers and escaped characters as typed', () => {
    expect(plainText(parseInline('5 * 3 = 15, 2*x, \\*literal\\*, [not a link]'))).toBe('5 * 3 = 15, 2*x, *literal*, [not a link]');
    expect(parseInline('\\*\\*x\\*\\*').every((r) => !r.bold && !r.italic)).toBe(true);
  });

  it('prints template syntax and markup-like characters literally', () => {
    const text = '{{constructor}} {{> x}} {{{x}}} & < > " \'';
    expect(plainText(parseInline(text))).toBe(text);
  });

  it('accepts http, https, mailto and report links only', () => {
    expect(linkProblem('https://crsreports.congress.gov')).toBeUndefined();
    expect(linkProblem('mailto:a@b.c')).toBeUndefined();
    expect(linkProblem('report:RL33436')).toBeUndefined();
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,x', 'relative/path']) expect(linkProblem(bad)).toBeTypeOf('string');
  });

  it('keeps two cross-references side by side as two, and links a bare URL without the sentence’s period', () => {
    expect(parseInline('[](#t1)[](#t2) and [](#t1)[](#t1)').filter((r) => r.href).map((r) => r.href)).toEqual(['#t1', '#t2', '#t1', '#t1']);
    expect(parseInline('at https://www.gao.gov/products/GAO-04-882R.').find((r) => r.href)?.href).toBe('https://www.gao.gov/products/GAO-04-882R');
  });
});
