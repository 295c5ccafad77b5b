// The walkthrough's Lambda function in Node.js, with paramsecrets instead of hand-written
// fetch calls to the extension. Handler: index.handler. Runtime: nodejs20.x or newer.
//
// Reads the app's configuration from Parameter Store (/$ENV/$APP_CONFIG_PATH) and the database
// credentials from Secrets Manager ($CREDS_PATH) through the AWS Parameters and Secrets Lambda
// Extension, connects with mysql2 and runs a real query.
import { Client, ParamSecretsError } from 'paramsecrets'
import mysql from 'mysql2/promise'

const { ENV, APP_CONFIG_PATH, CREDS_PATH } = process.env
const FULL_CONFIG_PATH = `/${ENV}/${APP_CONFIG_PATH}`

// Once per execution environment (INIT): port and token come from the Lambda environment
// (PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, AWS_SESSION_TOKEN). Warm invocations then read both
// values from the in-process cache.
const client = new Client()

export const handler = async (event, context) => {
  const response = await respond()
  // One line per invocation in the function's log: how many reads the in-process cache answered.
  const s = client.stats()
  console.log(`paramsecrets L1: hits=${s.hits} misses=${s.misses} requests=${s.requests} errors=${s.errors}`)
  return response
}

async function respond () {
  let config, creds
  try {
    config = await client.getParameter(FULL_CONFIG_PATH, { transform: 'json' })
    creds = await client.getSecret(CREDS_PATH, { transform: 'json' })
  } catch (err) {
    if (!(err instanceof ParamSecretsError)) throw err
    // err.code is stable (not_found_or_denied, unauthorized, ...); the message names the
    // parameter or secret, never a value.
    console.error(`reading settings failed: ${err.code}: ${err.message}`)
    return { statusCode: 500, body: `Could not read settings: ${err.code}: ${err.message}` }
  }

  let conn
  try {
    conn = await mysql.createConnection({
      host: creds.host,
      port: Number(creds.port ?? 3306),
      user: creds.username,
      password: creds.password,
      database: creds.dbname,
      connectTimeout: 5000
    })
  } catch (err) {
    console.error(`database connection failed: ${err.code ?? ''} ${err.message}`)
    return { statusCode: 500, body: `Could not connect to the database: ${err.message}` }
  }
  let version
  try {
    const [rows] = await conn.query('SELECT VERSION() AS version')
    version = rows[0].version
  } finally {
    await conn.end()
  }

  return {
    statusCode: 200,
    body: `Successfully connected to ${version} ` +
      `(database ${creds.dbname} on ${creds.host}:${creds.port ?? 3306}, ` +
      `config ${FULL_CONFIG_PATH} with ${Object.keys(config).length} settings)`
  }
}
