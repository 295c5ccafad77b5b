#!/usr/bin/env node
// Packs the npm release in napi-rs's layout: the main package `paramsecrets` (JavaScript, the
// loader and types, no .node) with `optionalDependencies` on one package per platform, each
// holding that platform's .node, at exactly the same version:
//
//   RELEASE_DIR/paramsecrets-<version>.tgz
//   RELEASE_DIR/paramsecrets-linux-x64-gnu-<version>.tgz
//   RELEASE_DIR/paramsecrets-linux-arm64-gnu-<version>.tgz
//
//   node scripts/release/node/pack.mjs [--platforms linux-x64-gnu,...] RELEASE_DIR
//   (make -C bindings-node release RELEASE_DIR=...; --platforms packs only those platform
//   packages, for the tests of a build without the arm64 binary)
//
// Before packing it checks, one line per problem: every version (bindings-node/package.json,
// npm/<platform>/package.json) is the Cargo workspace version; npm/<platform>/package.json is
// what `napi create-npm-dirs` makes of package.json (os, cpu, libc, engines, main, files); every
// platform's .node is built and is an ELF for its CPU. After: the main tarball holds no .node,
// each platform tarball exactly its own, and main + x64 stay within the size budget. `npm pack`
// fixes file times and modes, so the same inputs give the same bytes.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { isDeepStrictEqual } from 'node:util'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const NODE_DIR = join(REPO, 'bindings-node')
const BUDGET = 1_500_000 // bytes: main + linux-x64-gnu tarballs together
const ELF_MACHINE = { x64: 62, arm64: 183 } // e_machine: EM_X86_64, EM_AARCH64

const fail = (msg) => {
  console.error(`pack: ${msg}`)
  process.exit(1)
}

const args = process.argv.slice(2)
let only = null
if (args[0] === '--platforms') {
  only = (args[1] ?? '').split(',').filter(Boolean)
  args.splice(0, 2)
}
if (args.length !== 1) fail('usage: pack.mjs [--platforms linux-x64-gnu,...] RELEASE_DIR')
const releaseDir = resolve(args[0])

const cargo = readFileSync(join(REPO, 'Cargo.toml'), 'utf8')
const version = /^\[workspace\.package\][^[]*?^version\s*=\s*"([^"]+)"/m.exec(cargo)?.[1]
if (!version) fail('no version in Cargo.toml [workspace.package]')

const readJson = (f) => JSON.parse(readFileSync(f, 'utf8'))
const main = readJson(join(NODE_DIR, 'package.json'))
const platforms = readdirSync(join(NODE_DIR, 'npm')).sort()

// 1. Versions and platform manifests.
const problems = []
if (main.version !== version) problems.push(`bindings-node/package.json: version ${main.version}`)
for (const p of platforms) {
  const v = readJson(join(NODE_DIR, 'npm', p, 'package.json')).version
  if (v !== version) problems.push(`bindings-node/npm/${p}/package.json: version ${v}`)
}
if (problems.length) {
  for (const p of problems) console.error(`pack: ${p}, but the Cargo workspace version is ${version} (set it in package.json, then make -C bindings-node npm-dirs)`)
  process.exit(1)
}
const scratch = mkdtempSync(join(tmpdir(), 'paramsecrets-npm-release-'))
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }))
const generated = join(scratch, 'generated')
mkdirSync(generated)
writeFileSync(join(generated, 'package.json'), JSON.stringify(main))
execFileSync(join(NODE_DIR, 'node_modules', '.bin', 'napi'), ['create-npm-dirs', '--cwd', generated], { stdio: 'ignore' })
const wanted = readdirSync(join(generated, 'npm')).sort()
if (!isDeepStrictEqual(wanted, platforms)) fail(`bindings-node/npm/ has ${platforms}, napi.targets make ${wanted}: run make -C bindings-node npm-dirs`)
for (const p of platforms) {
  const want = readJson(join(generated, 'npm', p, 'package.json'))
  const have = readJson(join(NODE_DIR, 'npm', p, 'package.json'))
  const differ = [...new Set([...Object.keys(want), ...Object.keys(have)])].filter((k) => !isDeepStrictEqual(want[k], have[k]))
  if (differ.length) fail(`bindings-node/npm/${p}/package.json differs from what napi create-npm-dirs makes of package.json (${differ.join(', ')}): run make -C bindings-node npm-dirs`)
}

// 2. The binaries.
const packed = only ?? platforms
for (const p of packed) if (!platforms.includes(p)) fail(`--platforms: no bindings-node/npm/${p}`)
const nodeFile = (p) => `${main.napi.binaryName}.${p}.node`
for (const p of packed) {
  const f = join(NODE_DIR, nodeFile(p))
  if (!existsSync(f)) {
    fail(p.includes('arm64')
      ? `no bindings-node/${nodeFile(p)}: run \`make arm64\` first (it cross-builds the aarch64 binary)`
      : `no bindings-node/${nodeFile(p)}: run \`make -C bindings-node build\` first`)
  }
  const cpu = readJson(join(NODE_DIR, 'npm', p, 'package.json')).cpu[0]
  const head = Buffer.alloc(20)
  const fd = openSync(f, 'r')
  readSync(fd, head, 0, 20, 0)
  closeSync(fd)
  if (head.readUInt32BE(0) !== 0x7f454c46 || head.readUInt16LE(18) !== ELF_MACHINE[cpu]) fail(`bindings-node/${nodeFile(p)} is not an ELF for ${cpu}`)
}

// 3. Stage and pack.
const stage = join(scratch, 'stage')
const out = join(scratch, 'out')
mkdirSync(out)
for (const p of packed) {
  const dir = join(stage, p)
  mkdirSync(dir, { recursive: true })
  for (const f of ['package.json', 'README.md']) cpSync(join(NODE_DIR, 'npm', p, f), join(dir, f))
  cpSync(join(NODE_DIR, nodeFile(p)), join(dir, nodeFile(p)))
}
const mainDir = join(stage, main.name)
mkdirSync(mainDir, { recursive: true })
const files = main.files.filter((f) => !f.endsWith('.node'))
for (const f of files) {
  if (/[*?[{]/.test(f)) fail(`package.json files entry ${f}: pack.mjs copies entries literally`)
  cpSync(join(NODE_DIR, f), join(mainDir, f), { recursive: true })
}
const optionalDependencies = Object.fromEntries(platforms.map((p) => [`${main.name}-${p}`, version]))
writeFileSync(join(mainDir, 'package.json'), JSON.stringify({ ...main, files, optionalDependencies }, null, 2) + '\n')

const pack = (dir) => JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out, dir], { cwd: scratch, encoding: 'utf8' }))[0]
const results = [...packed, main.name].map((p) => ({ p, r: pack(join(stage, p)) }))

// 4. What went in.
for (const { p, r } of results) {
  const paths = r.files.map((f) => f.path).sort()
  const nodes = paths.filter((f) => f.endsWith('.node'))
  if (p === main.name) {
    if (nodes.length) fail(`${r.filename} holds ${nodes}`)
    for (const f of ['package.json', 'native.js', 'lib/index.js', 'lib/binding.js']) if (!paths.includes(f)) fail(`${r.filename} lacks ${f}`)
  } else if (!isDeepStrictEqual(paths, ['README.md', nodeFile(p), 'package.json'].sort())) {
    fail(`${r.filename} holds ${paths}`)
  }
}
const size = (p) => results.find((x) => x.p === p)?.r.size ?? 0
const total = size(main.name) + size('linux-x64-gnu')
if (packed.includes('linux-x64-gnu') && total > BUDGET) fail(`main + linux-x64-gnu tarballs are ${total} bytes, over the ${BUDGET} budget`)

mkdirSync(releaseDir, { recursive: true })
for (const f of readdirSync(releaseDir)) {
  if (/^paramsecrets(-[a-z0-9]+-[a-z0-9]+-[a-z]+)?-\d[^/]*\.tgz$/.test(f)) rmSync(join(releaseDir, f))
}
for (const { r } of results) renameSync(join(out, r.filename), join(releaseDir, r.filename))
for (const { r } of results) {
  console.log(`pack: ${join(releaseDir, r.filename)}  ${r.size} bytes (${r.unpackedSize} unpacked, ${r.entryCount} files)  ${r.integrity}`)
}
if (packed.includes('linux-x64-gnu')) console.log(`pack: main + linux-x64-gnu: ${total} bytes (budget ${BUDGET})`)
