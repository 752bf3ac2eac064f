/** Import boundaries of the rooms in docs/architecture.md. */
const rooms = (names) => `^src/(${names.join('|')})/`;

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'lib-is-a-leaf',
      comment: 'lib/ may import only node built-ins and itself',
      severity: 'error',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/lib/' },
    },
    {
      name: 'protocol-rooms-stand-alone',
      comment: 'sip/, sdp/ and media/ import only lib/ (and their npm libraries)',
      severity: 'error',
      from: { path: '^src/(sip|sdp|media)/' },
      to: { path: '^src/', pathNot: ['^src/lib/', '^src/$1/'] },
    },
    {
      name: 'speech-store-below-core',
      severity: 'error',
      from: { path: '^src/(speech|store)/' },
      to: { path: rooms(['core', 'endpoints', 'api', 'sip', 'sdp', 'config']) },
    },
    {
      name: 'core-knows-no-protocol',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: [rooms(['sip', 'sdp', 'endpoints', 'api', 'config']), 'node_modules/werift/'] },
    },
    {
      name: 'endpoints-below-api',
      severity: 'error',
      from: { path: '^src/endpoints/([^/]+)/' },
      to: { path: ['^src/api/', '^src/endpoints/'], pathNot: '^src/endpoints/$1/' },
    },
    {
      name: 'werift-only-in-webrtc-endpoint',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/endpoints/webrtc/' },
      to: { path: 'node_modules/werift/' },
    },
    {
      name: 'api-over-core-only',
      severity: 'error',
      from: { path: '^src/api/([^/]+)/' },
      to: { path: [rooms(['sip', 'sdp', 'media', 'endpoints']), '^src/api/'], pathNot: '^src/api/$1/' },
    },
    {
      name: 'only-main-composes',
      comment: 'nothing imports the composition root except the CLI',
      severity: 'error',
      from: { pathNot: '^src/cli\\.ts$' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'room-index-only',
      comment: 'outside a room, import only its index.ts',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'subroom-index-only',
      comment: 'inside a room, a sub-folder is reached through its index.ts',
      severity: 'error',
      from: { path: '^src/([^/]+)/([^/]+)/' },
      to: { path: '^src/$1/[^/]+/.', pathNot: ['^src/$1/$2/', '^src/$1/[^/]+/index\\.ts$'] },
    },
    {
      name: 'top-level-reaches-index-only',
      comment: 'main.ts and cli.ts import rooms through their index.ts',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: '^src/[^/]+/.', pathNot: '^src/[^/]+/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
