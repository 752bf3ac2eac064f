/** Build step: writes `dist/src/nodes/<file>.html` next to each compiled node file. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORM_FILES } from './forms';
import { renderFile } from './render-html';

const outDir = join(__dirname, '..', 'nodes');
for (const [name, forms] of Object.entries(FORM_FILES)) {
  writeFileSync(join(outDir, `${name}.html`), renderFile(forms));
}
