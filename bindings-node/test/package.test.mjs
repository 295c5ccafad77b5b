// This folder's npm package with every .node built beside it (`npm pack` here, as `make pack` and
// scripts/layers/build.sh do): install the tarball into an empty folder, use it from ESM,
// CommonJS and TypeScript; check the shipped .node files, which one the loader picks on this
// machine, its glibc needs and the size budget. The registry release (a main package and one
// package per platform, scripts/release/node/pack.mjs) is release.test.mjs's.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, existsSync, writeFileSync, readFileSync, copyFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, TOKEN, packageDir, here } from './helpers/emulator.mjs'
import { STORE } from './helpers/store.mjs'

// One binary per Linux CPU (package.json napi.targets), named the way napi's loader looks for them.
const BINARIES = { x64: 'paramsecrets.linux-x64-gnu.node', arm64: 'paramsecrets.linux-arm64-gnu.node' }
const OWN = BINARIES[process.arch]
// The tarball holds this machine's binary and every other one built beside it (`make arm64` adds
// the aarch64 one to a working tree); `make test-arm64` names both (PARAMSECRETS_NODE_BINARIES=x64,arm64)
// so that both must be there.
const built = Object.keys(BINARIES).filter((a) => a === process.arch || existsSync(join(packageDir, BINARIES[a])))
const EXPECTED = (process.env.PARAMSECRETS_NODE_BINARIES?.split(',') ?? built).map((a) => BINARIES[a]).sort()
// Lambda nodejs20+ runs on Amazon Linux 2023 (glibc 2.34); the aarch64 build is linked for glibc 2.17.
const MAX_GLIBC = { x64: '2.34', arm64: '2.17' }[process.arch]
const MAX_PACKAGE_BYTES = 4 * 1024 * 1024

// PARAMSECRETS_NODE_PACK_DIR (make test-arm64): pack and install into that folder and keep it,
// or, if a run already did, use its install. Packing, installing and type-checking are the same
// on every architecture, and under qemu they take minutes: the host packs once, the emulated
// runs load the same install's arm64 binary.
const SHARED = process.env.PARAMSECRETS_NODE_PACK_DIR
const record = () => join(SHARED, 'pack.json')
let emu, work, consumer, packed, reused
before(async () => {
  emu = await startEmulator({ store: STORE })
  reused = Boolean(SHARED && existsSync(record()))
  if (reused) {
    work = SHARED
    packed = JSON.parse(readFileSync(record(), 'utf8'))
  } else {
    work = SHARED ?? mkdtempSync(join(tmpdir(), 'paramsecrets-pack-'))
    mkdirSync(work, { recursive: true })
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir, encoding: 'utf8' })
    packed = JSON.parse(out)[0]
  }
  consumer = join(work, 'consumer')
  if (reused) return
  mkdirSync(consumer, { recursive: true })
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }))
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', join(work, packed.filename)], { cwd: consumer, encoding: 'utf8' })
  if (SHARED) writeFileSync(record(), JSON.stringify(packed))
})
after(async () => {
  await emu?.stop()
  if (work && !SHARED) rmSync(work, { recursive: true, force: true })
})

const run = (file) => execFileSync(process.execPath, [file], {
  cwd: consumer,
  encoding: 'utf8',
  env: { ...process.env, EMU_URL: emu.url, TOKEN }
})

test(`the tarball holds the public layer, the loader, types and the binaries ${EXPECTED}, nothing else`, () => {
  assert.ok(OWN, `no binary is built for ${process.arch}`)
  assert.ok(EXPECTED.includes(OWN), `${OWN} in ${EXPECTED}`)
  const files = packed.files.map((f) => f.path).sort()
  for (const f of ['lib/index.js', 'lib/index.mjs', 'lib/index.d.ts', 'lib/index.d.mts', 'native.js', 'native.d.ts', 'package.json', 'README.md']) {
    assert.ok(files.includes(f), `${f} in ${files}`)
  }
  assert.deepEqual(files.filter((f) => f.endsWith('.node')), EXPECTED)
  assert.ok(files.every((f) => !f.startsWith('test/') && !f.startsWith('src/') && !f.endsWith('.rs')), String(files))
})

test(`the loader picks ${OWN} on ${process.arch}`, () => {
  writeFileSync(join(consumer, 'which.cjs'), `
require('paramsecrets')
console.log(JSON.stringify(Object.keys(require.cache).filter((f) => f.endsWith('.node'))))
`)
  const loaded = JSON.parse(run('which.cjs'))
  assert.deepEqual(loaded, [join(consumer, 'node_modules', 'paramsecrets', OWN)])
})

test(`package size: tarball <= 4 MB (packed ${''}and unpacked reported)`, (t) => {
  t.diagnostic(`tarball ${packed.size} bytes, unpacked ${packed.unpackedSize} bytes`)
  assert.ok(packed.size <= MAX_PACKAGE_BYTES, `tarball is ${packed.size} bytes`)
})

test('works from ESM (import) in a fresh install', () => {
  writeFileSync(join(consumer, 'esm.mjs'), `
import { Client, NotFoundOrDeniedError } from 'paramsecrets'
import ps from 'paramsecrets'
const c = new Client({ endpoint: process.env.EMU_URL, token: process.env.TOKEN })
const v = await c.getParameter('/app/plain')
const j = await c.getSecret('db', { transform: 'json' })
const e = await c.getParameter('/app/missing').catch((err) => err)
console.log(JSON.stringify({ v, user: j.username, mapped: e instanceof NotFoundOrDeniedError, code: e.code, same: ps.Client === Client }))
`)
  const out = JSON.parse(run('esm.mjs'))
  assert.deepEqual(out, { v: 'hello', user: 'admin', mapped: true, code: 'not_found_or_denied', same: true })
})

test('works from CommonJS (require) in a fresh install', () => {
  writeFileSync(join(consumer, 'cjs.cjs'), `
const { Client, NotFoundOrDeniedError } = require('paramsecrets')
const c = new Client({ endpoint: process.env.EMU_URL, token: process.env.TOKEN })
;(async () => {
  const v = await c.getParameter('/app/plain')
  const b = await c.getSecret('blob')
  const e = await c.getParameter('/app/missing').catch((err) => err)
  console.log(JSON.stringify({ v, bin: b.toString('base64'), mapped: e instanceof NotFoundOrDeniedError }))
})()
`)
  const out = JSON.parse(run('cjs.cjs'))
  assert.deepEqual(out, { v: 'hello', bin: 'AAEC/w==', mapped: true })
})

test('ESM and CommonJS see the same classes', () => {
  writeFileSync(join(consumer, 'both.mjs'), `
import { createRequire } from 'node:module'
import * as esm from 'paramsecrets'
const cjs = createRequire(import.meta.url)('paramsecrets')
console.log(esm.Client === cjs.Client && esm.NotFoundError === cjs.NotFoundError && esm.ParamSecretsError === cjs.ParamSecretsError)
`)
  assert.equal(run('both.mjs').trim(), 'true')
})

test('a TypeScript consumer type-checks against the packed types (tsc --noEmit)', () => {
  if (reused) {
    // The types are JavaScript-level, the same on every architecture: the run that packed this
    // install type-checked it (and recorded so only if tsc passed).
    assert.equal(packed.typeChecked, true, `the run that packed ${work} did not type-check it`)
    return
  }
  for (const f of ['consumer.mts', 'consumer.cts']) copyFileSync(join(here, '..', 'types', f), join(consumer, f))
  const cfg = JSON.parse(readFileSync(join(here, '..', 'types', 'tsconfig.json'), 'utf8'))
  // The integrations' consumers (integrations.*) need Powertools' types, which this fresh install
  // does not have: `npm run typecheck` checks them in the repository.
  cfg.files = ['consumer.mts', 'consumer.cts']
  cfg.compilerOptions.typeRoots = [join(packageDir, 'node_modules', '@types')]
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(cfg))
  const tsc = join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc')
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '-p', join(consumer, 'tsconfig.json')], { encoding: 'utf8' })
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`)
  }
  if (SHARED) writeFileSync(record(), JSON.stringify({ ...packed, typeChecked: true }))
})

test(`the shipped ${OWN} needs no glibc newer than ${MAX_GLIBC}`, (t) => {
  const dir = join(consumer, 'node_modules', 'paramsecrets')
  const nodes = readdirSync(dir).filter((f) => f.endsWith('.node')).sort()
  assert.deepEqual(nodes, EXPECTED)
  // objdump reads this machine's architecture; the other binary is checked on its own architecture.
  const dump = execFileSync('objdump', ['-T', join(dir, OWN)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const versions = [...new Set(dump.match(/GLIBC_[0-9.]+/g))].map((v) => v.slice(6))
  assert.ok(versions.length > 0, 'objdump shows GLIBC symbol versions')
  const cmp = (a, b) => {
    const pa = a.split('.').map(Number)
    const pb = b.split('.').map(Number)
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0)
    }
    return 0
  }
  const newest = versions.sort(cmp).at(-1)
  t.diagnostic(`newest GLIBC symbol version: ${newest}`)
  assert.ok(cmp(newest, MAX_GLIBC) <= 0, `needs GLIBC_${newest}`)
})
