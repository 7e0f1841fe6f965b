// How a batch shows its progress: a bar on a terminal, one line per brief in a
// log (CI), and a closing count either way.
import type { ManifestEntry } from '../output/manifest.ts';

/** Milliseconds since `start` (a performance.now()), to a tenth, as a stage's time is printed. */
export const msSince = (start: number): number => Math.round((performance.now() - start) * 10) / 10;

export class Progress {
  private finished = 0;
  private failed = 0;
  private reused = 0;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly tty: boolean,
    private readonly log: (line: string) => void,
  ) {}

  done(id: string, status: ManifestEntry['status'], ms: number, artifacts: ManifestEntry['artifacts'] = []): void {
    this.finished++;
    if (status === 'failed') this.failed++;
    if (status === 'reused') this.reused++;
    if (this.tty) {
      const width = 24;
      const filled = Math.round((this.finished / this.total) * width);
      const elapsed = ((performance.now() - this.started) / 1000).toFixed(1);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.finished}/${this.total} briefs, ${this.reused} reused, ${this.failed} failed, ${elapsed} s`);
    } else if (status === 'built') {
      this.log(`${id} built ${artifacts.map((a) => `${a.path} (${a.bytes} bytes)`).join(', ')} in ${Math.round(ms)} ms`);
    } else if (status === 'reused') {
      this.log(`${id} reused (inputs unchanged)`);
    }
  }

  finish(): void {
    if (this.tty) process.stderr.write('\n');
    const seconds = ((performance.now() - this.started) / 1000).toFixed(2);
    this.log(`${this.total} brief${this.total === 1 ? '' : 's'}: ${this.total - this.failed - this.reused} built, ${this.reused} reused, ${this.failed} failed in ${seconds} s`);
  }
}
