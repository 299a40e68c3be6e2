// Fails when src/lib/api/schema.d.ts is not what openapi-typescript generates from the
// committed openapi.json (which a Rust test keeps equal to the server's document), so
// the web app's API and socket types never drift from the server. Fix: npm run api:types.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), 'atende-schema-')), 'schema.d.ts');
execFileSync(join(root, 'node_modules/.bin/openapi-typescript'), [join(root, 'src/lib/api/openapi.json'), '-o', out], {
  stdio: 'pipe',
});
if (readFileSync(out, 'utf8') !== readFileSync(join(root, 'src/lib/api/schema.d.ts'), 'utf8')) {
  console.error('src/lib/api/schema.d.ts is stale: run `npm run api:types` and commit it.');
  process.exit(1);
}
console.log('schema.d.ts matches openapi.json');
