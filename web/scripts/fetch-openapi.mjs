// Saves the running server's OpenAPI document to src/lib/api/openapi.json (committed, so
// builds never need a server), then run `npm run api:types` to regenerate schema.d.ts.
//   ATENDE_DEV_API=http://127.0.0.1:8080 npm run api:fetch
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const base = (process.env.ATENDE_DEV_API || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const out = fileURLToPath(new URL('../src/lib/api/openapi.json', import.meta.url));
const res = await fetch(`${base}/api/openapi.json`);
if (!res.ok) {
  console.error(`GET ${base}/api/openapi.json answered ${res.status}`);
  process.exit(1);
}
const spec = await res.json();
await writeFile(out, `${JSON.stringify(spec, null, 2)}\n`);
console.log(`saved ${Object.keys(spec.paths ?? {}).length} paths to ${out}`);
