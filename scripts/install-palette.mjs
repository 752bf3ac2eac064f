// Installs the Node-RED palette's own dependencies (packages/node-red-contrib-switchboard) after the
// root install, so `npm install && npm test` works from a fresh clone. Skipped when the package folder
// is absent (an installed copy of the server) or SWITCHBOARD_SKIP_PALETTE is set.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'packages', 'node-red-contrib-switchboard');
if (process.env['SWITCHBOARD_SKIP_PALETTE'] || !existsSync(join(dir, 'package.json'))) process.exit(0);
if (existsSync(join(dir, 'node_modules', 'node-red'))) process.exit(0);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['ci', '--prefix', dir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
