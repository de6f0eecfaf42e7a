import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Writes a gzip and a brotli copy beside each text file of the built web app (dist/web), which the
 * api serves to browsers that accept them: compressed once at build time, not on every request.
 */
const root = join(__dirname, '../web');
const TEXT = /\.(js|css|html|json|svg|txt)$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

let count = 0;
for (const file of walk(root)) {
  if (!TEXT.test(file)) continue;
  const content = readFileSync(file);
  if (content.length < 256 && !file.endsWith('.js')) continue;
  writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  count++;
}
console.error(`compressed ${count} files of ${root}`);
