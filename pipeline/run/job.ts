// One brief, start to finish: build in memory, publish, and describe the outcome
// as a manifest entry and the lines to print. Runs in the CLI's own process for a
// single brief, or in a worker process (pipeline/worker.ts) in a batch.
import { buildBrief, type BuildContext, type StageTiming } from './build.ts';
import { inputKey } from './cache.ts';
import { formatDiagnostic } from '../core/diagnostics.ts';
import { publishArtifacts, type Format, type ManifestEntry } from '../output/manifest.ts';

export interface JobRequest {
  readonly dir: string;
  readonly outDir: string;
  readonly formats: readonly Format[];
  readonly allowOverflow: boolean;
  /** The build environment and options, as cache.ts hashes them; the key adds what the build read. */
  readonly environment: string;
}

export interface JobResult {
  readonly entry: ManifestEntry;
  /** Diagnostics, formatted; the failure line when the brief was not built. */
  readonly messages: readonly string[];
  readonly timings: readonly StageTiming[];
  readonly ms: number;
}

export async function runJob(request: JobRequest, context: BuildContext, onStage?: (id: string, timing: StageTiming) => void): Promise<JobResult> {
  const started = performance.now();
  const result = await buildBrief(request.dir, context, {
    formats: new Set(request.formats),
    allowOverflow: request.allowOverflow,
    ...(onStage ? { onStage } : {}),
  });
  const messages = result.diagnostics.map(formatDiagnostic);
  if (!result.ok) {
    return {
      entry: { id: result.id, status: 'failed', artifacts: [], errors: result.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic) },
      messages: [...messages, `${result.id} failed: not built`],
      timings: result.timings,
      ms: performance.now() - started,
    };
  }
  const publishStart = performance.now();
  const artifacts = publishArtifacts(request.outDir, result.id, result.artifacts);
  const timings = [...result.timings, { stage: 'publish', ms: Math.round((performance.now() - publishStart) * 10) / 10 }];
  onStage?.(result.id, timings[timings.length - 1]!);
  return {
    entry: { id: result.id, version: result.version, updated: result.updated, status: 'built', inputHash: inputKey(request.environment, result.inputs), inputs: result.inputs, artifacts, columnFill: result.columnFill, ...(result.tightened.length > 0 ? { tightened: result.tightened.map(({ field, line, from, to }) => ({ field, line, from, to })) } : {}) },
    messages,
    timings,
    ms: performance.now() - started,
  };
}
