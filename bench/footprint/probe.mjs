// One fresh Node process of the footprint benchmark (bench/footprint/footprint.py runs it).
//
//   node probe.mjs paramsecrets|sdk NAME EXPECTED [SSM_ENDPOINT]
//
// Prints one JSON line: RSS (VmRSS), thread ids and names (/proc/self/task) and open file
// descriptors and what they point to (/proc/self/fd) at three stages: `baseline` (Node started, nothing imported but
// node:fs and node:module, which are part of the binary), `client` (after import + client
// construction) and `first_read` (after the first read, a miss through the emulator or the SSM
// stub). Both packages are loaded the way a Lambda handler would: `await import(...)`.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

function sample () {
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))
  const threads = {}
  for (const tid of readdirSync('/proc/self/task')) {
    try { threads[tid] = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() } catch {}
  }
  const fds = {}
  for (const fd of readdirSync('/proc/self/fd')) {
    try { fds[fd] = readlinkSync(`/proc/self/fd/${fd}`) } catch {} // the listing's own, closed by now
  }
  return { rss_kb: Number(rss[1]), threads, fds }
}

const [which, name, expected, endpoint] = process.argv.slice(2)
const stages = { baseline: sample() }
const repo = join(fileURLToPath(import.meta.url), '..', '..', '..')
let value
if (which === 'paramsecrets') {
  const { Client } = await import(pathToFileURL(join(repo, 'bindings-node', 'lib', 'index.mjs')).href)
  const client = new Client() // port and token from the Lambda environment variables
  stages.client = sample()
  value = await client.getParameter(name)
} else if (which === 'sdk') {
  // bench/node pins @aws-sdk/client-ssm (package-lock.json); resolve it from there.
  const sdkPath = createRequire(join(repo, 'bench', 'node', 'package.json')).resolve('@aws-sdk/client-ssm')
  const { SSMClient, GetParameterCommand } = await import(pathToFileURL(sdkPath).href)
  const client = new SSMClient({ endpoint }) // region and keys from the environment
  stages.client = sample()
  value = (await client.send(new GetParameterCommand({ Name: name }))).Parameter.Value
} else {
  throw new Error(`unknown client ${which}`)
}
stages.first_read = sample()
if (value !== expected) throw new Error('the first read returned a wrong value')
console.log(JSON.stringify({ runtime: process.version, stages }))
process.exit(0)
