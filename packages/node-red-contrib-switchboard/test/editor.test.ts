/**
 * The built editor files: every node type a runtime file registers has a form and a help page
 * in the HTML next to it, and the package manifest points at those files.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { PACKAGE_ROOT } from './support/runtime';

interface Manifest {
  keywords: string[];
  'node-red': { version: string; nodes: Record<string, string> };
}

const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Manifest;

function registeredTypes(file: string): string[] {
  const types: string[] = [];
  const fakeRed = {
    nodes: { registerType: (t: string) => types.push(t), createNode: () => undefined, getNode: () => null },
    util: {},
    httpNode: {},
    settings: {},
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const register = require(file) as (red: unknown) => void;
  register(fakeRed);
  return types;
}

describe('editor files', () => {
  it('declares a Node-RED 4 package', () => {
    assert.ok(manifest.keywords.includes('node-red'));
    assert.match(manifest['node-red'].version, />=\s*4/);
  });

  const all: string[] = [];
  for (const [name, rel] of Object.entries(manifest['node-red'].nodes)) {
    it(`${name}: every registered node has a form and help`, () => {
      const js = join(PACKAGE_ROOT, rel);
      const html = join(dirname(js), `${rel.split('/').pop()!.replace(/\.js$/, '')}.html`);
      assert.ok(existsSync(js), js);
      assert.ok(existsSync(html), html);
      const text = readFileSync(html, 'utf8');
      const types = registeredTypes(js);
      assert.ok(types.length > 0);
      for (const t of types) {
        all.push(t);
        assert.ok(text.includes(`RED.nodes.registerType(${JSON.stringify(t)}`), `${t} registered in editor`);
        assert.ok(text.includes(`data-template-name="${t}"`), `${t} form`);
        const help = text.split(`data-help-name="${t}">`)[1]?.split('</script>')[0] ?? '';
        assert.ok(help.replace(/<[^>]+>/g, '').trim().length > 40, `${t} help`);
      }
    });
  }

  it('covers the whole palette', () => {
    const wanted = [
      'webhook in', 'webhook out', 'user auth', 'answer', 'conference', 'cfg', 'dequeue', 'dial', 'dialogflow', 'dtmf', 'enqueue', 'gather',
      'hangup', 'leave', 'listen', 'pause', 'play', 'redirect', 'say', 'sip:decline', 'sip:refer', 'sip:request', 'tag', 'generic',
      'switchboard-server', 'create-call', 'lcc', 'get_call', 'get_calls',
    ];
    for (const t of wanted) assert.ok(all.includes(t), `${t} missing`);
  });

  it('ships the IVR example where the editor looks for examples', () => {
    const flow = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'examples', 'IVR menu.json'), 'utf8')) as Array<{ type: string }>;
    const types = new Set(flow.map((n) => n.type));
    for (const t of ['webhook in', 'gather', 'switch', 'say', 'webhook out']) assert.ok(types.has(t), t);
  });
});
