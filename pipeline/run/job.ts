// One brief, built in memory, and its outcome described as a manifest entry, the
// artifacts to publish and the lines to print. Runs in the CLI's own thread for a
// single brief, or in a worker thread (run/worker.ts) in a batch. It writes
// nothing: only the CLI's thread, which holds the output folder's lock, publishes.
import { buildBrief, type BuildContext, type StageTiming } from './build.ts';
import { inputKey } from './cache.ts';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { artifactRecords, sha256, thumbnailPath, type Artifact, type ExtraFile, type Format, type ManifestEntry } from '../output/manifest.ts';
import { renderThumbnail } from '../catalog/thumbnail.ts';
import { countBuilt } from './built.ts';
import { msSince } from './progress.ts';

export interface JobRequest {
  readonly dir: string;
  readonly formats: readonly Format[];
  readonly allowOverflow: boolean;
  /** The build environment and options, as cache.ts hashes them; the key adds what the build read. */
  readonly environment: string;
}

export interface JobResult {
  readonly entry: ManifestEntry;
  /** What to publish for a built brief (the entry's artifacts, as bytes). */
  readonly artifacts: readonly Artifact[];
  /** Files published with them: the thumbnail of page 1 for the catalog. */
  readonly extra: readonly ExtraFile[];
  /** Diagnostics, formatted; the failure line when the brief was not built. */
  readonly messages: readonly string[];
  readonly timings: readonly StageTiming[];
  readonly ms: number;
}

export async function runJob(
  request: JobRequest,
  context: BuildContext,
  onStage?: (id: string, timing: StageTiming) => void,
  beforeStage?: () => Promise<void>,
): Promise<JobResult> {
  const started = performance.now();
  const result = await buildBrief(request.dir, context, {
    formats: new Set(request.formats),
    allowOverflow: request.allowOverflow,
    ...(onStage ? { onStage } : {}),
    ...(beforeStage ? { beforeStage } : {}),
  });
  const messages = result.diagnostics.map(formatDiagnostic);
  if (!result.ok) {
    return {
      entry: { id: result.id, status: 'failed', artifacts: [], errors: result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic) },
      artifacts: [],
      extra: [],
      messages: [...messages, `${result.id} failed: not built`],
      timings: result.timings,
      ms: performance.now() - started,
    };
  }
  countBuilt();
  // Drawn here, where the PDF was laid out, so that a batch draws its thumbnails in its workers.
  const page = result.firstPage;
  if (page) await beforeStage?.();
  const thumbnailStart = performance.now();
  const { width: pageWidth, height: pageHeight } = context.theme.pdf.page;
  const thumbnail = page ? await renderThumbnail({ page, pageWidth, pageHeight, fonts: context.fonts }) : undefined;
  const timings = [...result.timings];
  if (page) {
    // Reported like a stage: it is part of every build with a PDF.
    const timing = { stage: 'thumbnail', ms: msSince(thumbnailStart) };
    timings.push(timing);
    onStage?.(result.id, timing);
  }
  const extra = thumbnail ? [{ path: thumbnailPath(result.id), bytes: thumbnail.bytes }] : [];
  return {
    entry: {
      id: result.id,
      version: result.version,
      updated: result.updated,
      title: result.title,
      authors: result.authors,
      ...(result.summary ? { summary: result.summary } : {}),
      status: 'built',
      inputHash: inputKey(request.environment, result.inputs),
      inputs: result.inputs,
      artifacts: artifactRecords(result.id, result.artifacts),
      ...(thumbnail ? { thumbnail: { path: thumbnailPath(result.id), bytes: thumbnail.bytes.length, sha256: sha256(thumbnail.bytes), width: thumbnail.width, height: thumbnail.height } } : {}),
      columnFill: result.columnFill,
      ...(result.tightened.length > 0 ? { tightened: result.tightened.map(({ field, line, from, to }) => ({ field, line, from, to })) } : {}),
    },
    artifacts: result.artifacts,
    extra,
    messages,
    timings,
    ms: performance.now() - started,
  };
}
