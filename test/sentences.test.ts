// Sentence splitting for the deck's key points, on the hard cases of the samples:
// initialisms inside words and before numbers, Latin abbreviations in brackets,
// quotes, report numbers, and an abbreviation that does end its sentence.
import { describe, expect, it } from 'vitest';
import { sentenceTexts, sentences } from '../pipeline/deck/sentences.ts';

const split = (text: string) => sentenceTexts(text, 'en-US');

describe('sentences', () => {
  it('keeps an initialism inside a word whole: “U.S.-Japan”, “U.S.-Mexico-Canada”', () => {
    expect(split('The U.S.-Japan military alliance was formed in 1952. It grants basing rights.')).toEqual([
      'The U.S.-Japan military alliance was formed in 1952.',
      'It grants basing rights.',
    ]);
    expect(split('Trade under the U.S.-Mexico-Canada Agreement (USMCA) grew. Mexico is first.')).toHaveLength(2);
  });

  it('keeps a public law number with its sentence: “P.L. 87-856”, “P.L. 106-102”', () => {
    expect(split('The Bank Service Company Act (P.L. 87-856) covers vendors. Examiners use it.')).toEqual([
      'The Bank Service Company Act (P.L. 87-856) covers vendors.',
      'Examiners use it.',
    ]);
    expect(split('Under P.L. 106-102 the rules changed. Banks adapted.')).toEqual(['Under P.L. 106-102 the rules changed.', 'Banks adapted.']);
    expect(split('The rules changed under P.L. 106-102. Banks adapted.')).toEqual(['The rules changed under P.L. 106-102.', 'Banks adapted.']);
  });

  it('keeps Latin abbreviations in brackets: “(i.e., run on bank)”, “(e.g., private institutions)”', () => {
    expect(split('Depositors may withdraw at once (i.e., run on bank). Regulators watch liquidity.')).toEqual([
      'Depositors may withdraw at once (i.e., run on bank).',
      'Regulators watch liquidity.',
    ]);
    expect(split('This includes entities designated as “private” (e.g., private institutions of higher learning). Public schools do not.')).toHaveLength(2);
    expect(split('Some priorities (e.g. Currency provisions) could prove contentious. Talks go on.')).toHaveLength(2);
  });

  it('ends a sentence at a closing quote, and keeps a quoted term inside one', () => {
    expect(split('Such places are known as “soft targets” and draw attention. The NSGP funds them.')).toEqual([
      'Such places are known as “soft targets” and draw attention.',
      'The NSGP funds them.',
    ]);
    expect(split('The answer was “No.” Then the talks resumed.')).toEqual(['The answer was “No.”', 'Then the talks resumed.']);
    expect(split('He asked, “Will it pass?” Nobody knew.')).toEqual(['He asked, “Will it pass?”', 'Nobody knew.']);
  });

  it('keeps a report number and a title with what follows: “Report No. EVAL-17-004”, “Dr. Smith”', () => {
    expect(split('Office of Inspector General, Report No. EVAL-17-004, February 2017. See also the guidance.')).toEqual([
      'Office of Inspector General, Report No. EVAL-17-004, February 2017.',
      'See also the guidance.',
    ]);
    expect(split('Testimony of Dr. Smith was heard. It was brief.')).toEqual(['Testimony of Dr. Smith was heard.', 'It was brief.']);
    expect(split('See Sec. 5 of the act. It applies.')).toEqual(['See Sec. 5 of the act.', 'It applies.']);
  });

  it('ends a sentence at an abbreviation that ends it: “… with the U.S. The …”, “… Treasuries held in the U.S.”', () => {
    expect(split('Japan trades more with China than with the U.S. The gap is growing.')).toEqual(['Japan trades more with China than with the U.S.', 'The gap is growing.']);
    expect(split('Japanese investors hold U.S. Treasuries. Second.')).toEqual(['Japanese investors hold U.S. Treasuries.', 'Second.']);
    expect(split('Most of the debt is held in the U.S.')).toEqual(['Most of the debt is held in the U.S.']);
    expect(split('The pact covers U.S. and Japanese firms. In 2019, talks began.')).toEqual(['The pact covers U.S. and Japanese firms.', 'In 2019, talks began.']);
  });

  it('keeps a middle initial: “M. Angeles Villarreal”', () => {
    expect(split('The report by M. Angeles Villarreal was updated. It covers trade.')).toEqual(['The report by M. Angeles Villarreal was updated.', 'It covers trade.']);
  });

  it('gives offsets into the text that cover it, spaces between sentences left out', () => {
    const text = '  First one.  Second one (i.e., this). Third.';
    const found = sentences(text, 'en-US');
    expect(found.map((s) => text.slice(s.start, s.end))).toEqual(found.map((s) => s.text));
    expect(found.map((s) => s.text)).toEqual(['First one.', 'Second one (i.e., this).', 'Third.']);
  });

  it('uses ICU’s boundaries for other languages', () => {
    expect(sentenceTexts('Le Japon est un partenaire. Les échanges croissent.', 'fr-FR')).toEqual(['Le Japon est un partenaire.', 'Les échanges croissent.']);
  });
});
