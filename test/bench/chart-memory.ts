// Renders the sample's Figure 1 a thousand times with one ChartRenderer and
// prints the process's RSS along the way: it must stay flat.
import { ChartRenderer } from '../../pipeline/charts/charts.ts';
import { loadBrief } from '../../pipeline/input/load.ts';
import { FontBook } from '../../pipeline/core/fonts.ts';
import { defaultTheme } from '../../pipeline/core/theme.ts';
import { validateBrief } from '../../pipeline/validate/validate.ts';
import { sampleDir } from '../helpers.ts';

const { brief, figureData } = validateBrief(loadBrief(sampleDir), new FontBook(defaultTheme())).result!;
const figure = brief.figures[0]!;
const renderer = new ChartRenderer(defaultTheme());
const marks: string[] = [];
for (let i = 0; i <= 1000; i++) {
  if (i % 250 === 0) {
    (globalThis as { gc?: () => void }).gc?.();
    marks.push(`${(process.memoryUsage().rss / 2 ** 20).toFixed(0)}`);
  }
  if (i < 1000) await renderer.render(figure.id, figure.chart!, figureData.get(figure.id)!, brief.language);
}
process.stdout.write(`${marks.join(' / ')} MB\n`);
