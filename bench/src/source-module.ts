// Which source module of this repository a profiled frame belongs to, through the packages'
// source maps: shared by the CPU profile (profile.ts) and the allocation profile (alloc-profile.ts).
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Runtime } from 'node:inspector';

const maps = new Map<string, SourceMap | undefined>();

function sourceMapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    const path = `${fileURLToPath(url)}.map`;
    maps.set(url, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : undefined);
  }
  return maps.get(url);
}

/**
 * `core/src/stages/parse.ts` for a frame of a built package (through its source map),
 * `bench <function>` for one of bench/, undefined for Node's own code and dependencies.
 */
export function ownModule(frame: Runtime.CallFrame): string | undefined {
  if (!frame.url.startsWith('file:') || frame.url.includes('/node_modules/')) return undefined;
  if (frame.url.includes('/bench/dist/')) return `bench ${frame.functionName || '(anonymous)'}`;
  const entry = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  const source = entry && 'originalSource' in entry ? entry.originalSource : frame.url;
  return source.replace(/^.*\/packages\//, '').replace(/^.*\/src\//, 'core/src/');
}
