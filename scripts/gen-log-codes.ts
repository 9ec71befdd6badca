// Writes docs/log-codes.md from the catalog in src/log/codes.ts.
import { writeFileSync } from 'node:fs';
import { renderCodesDoc } from '../src/log/codes-doc.js';

writeFileSync(new URL('../docs/log-codes.md', import.meta.url), renderCodesDoc());
