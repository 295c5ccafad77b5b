// Calls index.handler the way the Lambda Node.js runtime does: one process, the module
// imported once (the INIT phase), then N invocations with an event and a context.
//
//   node invoke.mjs [N]          N invocations (default $INVOCATIONS, else 3)
//
// The environment must already hold what Lambda and the extension layer set
// (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, AWS_SESSION_TOKEN, ...) and the walkthrough's ENV,
// APP_CONFIG_PATH, CREDS_PATH; scripts/examples-env.sh prints them.
//
// Exit status: 0 when every invocation answered statusCode 200, 2 when one answered another
// status, 1 when the handler threw.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'

function lambdaContext (timeoutMs = 30000) {
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'demoapp-node'
  const region = process.env.AWS_REGION ?? 'us-east-1'
  const deadline = Date.now() + timeoutMs
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${name}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '512',
    awsRequestId: randomUUID(),
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${name}`,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now())
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const p90 = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.max(0, Math.ceil(s.length * 0.9) - 1)]
}

const n = Number(process.argv[2] ?? process.env.INVOCATIONS ?? 3)
for (const v of ['PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', 'AWS_SESSION_TOKEN', 'ENV', 'CREDS_PATH']) {
  if (!(v in process.env)) {
    console.error(`${v} is not set (start scripts/examples-env.sh and source its file)`)
    process.exit(1)
  }
}
const name = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'demoapp-node'
console.log(`invoking ${name} ${n} times (handler index.handler)`)

let t0 = performance.now()
const mod = await import('./index.mjs') // INIT: imports + the client
console.log(`  init (imports + client): ${(performance.now() - t0).toFixed(1)} ms`)

const latencies = []
const responses = []
for (let i = 0; i < n; i++) {
  const event = {}
  const context = lambdaContext()
  t0 = performance.now()
  const response = await mod.handler(event, context)
  latencies.push(performance.now() - t0)
  responses.push(JSON.parse(JSON.stringify(response))) // what Lambda would serialize
}

// Same spacing as Python's json.dumps, so every invoker prints the same line.
const show = (r) => JSON.stringify(r).replace(/^\{"statusCode":(\d+),"body":/, '{"statusCode": $1, "body": ')
console.log(`  response: ${show(responses[0])}`)
const codes = new Map()
for (const r of responses) codes.set(r.statusCode, (codes.get(r.statusCode) ?? 0) + 1)
console.log('  ' + [...codes].map(([s, c]) => `${c} x statusCode ${s}`).join(', '))
const warm = latencies.slice(1)
let line = `  latency: cold ${latencies[0].toFixed(2)} ms`
if (warm.length) line += ` | warm median ${median(warm).toFixed(2)} ms, p90 ${p90(warm).toFixed(2)} ms (${warm.length} invocations)`
console.log(line)
const s = mod.client.stats()
console.log(`  paramsecrets L1: hits=${s.hits} misses=${s.misses} requests=${s.requests} errors=${s.errors}`)
process.exitCode = codes.size === 1 && codes.has(200) ? 0 : 2
