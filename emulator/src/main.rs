//! `paramsecrets-emulator`: a local stand-in for the AWS Parameters and Secrets Lambda
//! Extension (and the Secrets Manager Agent's dialect), serving values from a JSON file.
//!
//! Start-up order matters to the test harnesses: everything that can fail (arguments, token,
//! store, bind) happens before the single stdout line `listening on 127.0.0.1:<port>
//! dialect=<dialect>`, so a harness that sees that line knows the server is accepting.

mod agent;
mod app;
mod cache;
mod config;
mod extension;
mod knobs;
mod lambda_extension;
mod logger;
mod model;
mod query;
mod readiness;
mod reload;
mod server;
mod stats;
mod store;

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};

use crate::app::App;
use crate::cache::Cache;
use crate::config::Config;
use crate::readiness::Readiness;
use crate::reload::StoreHandle;

const HELP: &str = "\
paramsecrets-emulator: a local AWS Parameters and Secrets Lambda Extension (and Secrets Manager
Agent) serving values from a JSON store file.

USAGE:
    paramsecrets-emulator --store FILE [--port P] [--dialect extension|agent] [--token T]
                          [--not-ready-for MS] [--upstream-latency-ms MS] [--upstream-down]
                          [--not-found-status 400|404] [--connection-lifetime SECS]
                          [--verbose] [--help]
    paramsecrets-emulator [--lambda-extension] [--store FILE] [...]   (inside Lambda / RIE)

FLAGS:
    --store FILE          JSON store to serve (required). Reloaded when its mtime changes
                          (checked every 200 ms) and on SIGHUP; a broken file keeps the old
                          store and logs an error.
    --port P              Port on 127.0.0.1 (only). Default: $PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
                          else 2773. 0 picks a free port.
    --dialect D           extension (default): the AWS-managed Lambda extension.
                          agent: the open-source aws-secretsmanager-agent.
    --token T             The expected token (a value file://PATH is read from PATH and trimmed).
                          Default: the first set of $PARAMSECRETS_TOKEN, $AWS_TOKEN,
                          $AWS_SESSION_TOKEN, $AWS_CONTAINER_AUTHORIZATION_TOKEN (same file://
                          rule). None set: exit status 1.
    --not-ready-for MS    For MS milliseconds after start, behave like an extension in the
                          Lambda INIT phase: extension dialect answers the API routes with 400
                          \"not ready to serve traffic, please wait\"; agent dialect resets every
                          connection (as if not listening yet).
    --upstream-latency-ms MS
                          Every upstream call (cache miss, bypass, refreshNow) takes MS ms,
                          retries included; cache hits are not slowed. Default 0.
    --upstream-down       The upstream services are unreachable: an upstream call fails after
                          the latency. agent: 502 {\"__type\":\"ConnectionError\",\"message\":
                          \"Read Error\"}, or the expired cached value if there is one (not after
                          refreshNow). extension: its generic 400, no stale value (assumed).
    --not-found-status S  Status of ResourceNotFoundException in the agent dialect: 400 (default,
                          as AWS) or another 4xx such as 404 (as some local fakes).
    --connection-lifetime SECS
                          Close every connection SECS seconds (fractions allowed) after accepting
                          it, idle or busy, like the Agent (61 s). 0 = never. Default: 61 in the
                          agent dialect, 0 in the extension dialect.
    --lambda-extension    Run as a Lambda external extension (see LAMBDA EXTENSION). Implied
                          when no --store is given and $AWS_LAMBDA_RUNTIME_API is set.
    --verbose, -v         One line per request on stderr (method, path, names, status, cache
                          hit/miss). Values and tokens are never logged.
    --help, -h            This text.
    Flags also accept --flag=value.

LAMBDA EXTENSION:
    Mode rule: --lambda-extension, or no --store with $AWS_LAMBDA_RUNTIME_API set (Lambda starts
    /opt/extensions/paramsecrets-emulator with no arguments). In this mode the emulator:
      1. binds 127.0.0.1:$PARAMETERS_SECRETS_EXTENSION_HTTP_PORT (default 2773) and serves,
         answering not-ready (extension dialect: 400 \"not ready to serve traffic, please
         wait\"; agent dialect: connection reset) until INIT is over;
      2. registers with the Extensions API at $AWS_LAMBDA_RUNTIME_API (Lambda-Extension-Name =
         its file name; events INVOKE, SHUTDOWN); failure: a message on stderr, exit status 1;
      3. serves normally from the first INVOKE event on. A not-ready request waits up to 50 ms
         for that INVOKE first (the runtime's first request can beat it by a few ms;
         $PARAMSECRETS_EMULATOR_INVOKE_HOLD_MS sets another wait, 0-60000);
      4. exits 0 on SHUTDOWN (and on SIGTERM/SIGINT).
    Store: --store, else $PARAMSECRETS_EMULATOR_STORE, else /opt/paramsecrets/store.json.
    Token: the usual chain (empty variables count as unset). Dialect: --dialect, else
    $PARAMSECRETS_EMULATOR_DIALECT. --not-ready-for is refused (readiness follows INVOKE).
    Layer: `make layers` -> dist/layers/paramsecrets-emulator-extension-<arch>.zip.

OUTPUT:
    stdout gets exactly one line once the socket is bound, then nothing else:
        listening on 127.0.0.1:<port> dialect=<extension|agent>
    Everything else goes to stderr.

ENVIRONMENT:
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT       default port (2773)
    PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED   TRUE/FALSE, any case (default TRUE)
    PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE      entries, 0-1000 (default 1000; 0 = no cache)
    SSM_PARAMETER_STORE_TTL                      seconds (default 300; 0 = no cache)
    SECRETS_MANAGER_TTL                          seconds (default 300; 0 = no cache)
                                                 TTLs are capped at 300 (extension, with a
                                                 warning) or 3600 (agent).
    PARAMSECRETS_TOKEN, AWS_TOKEN, AWS_SESSION_TOKEN, AWS_CONTAINER_AUTHORIZATION_TOKEN
                                                 token chain (see --token)
    PARAMSECRETS_EMULATOR_DIALECT                extension|agent: the default for --dialect
    PARAMSECRETS_EMULATOR_UPSTREAM_LATENCY_MS    default for --upstream-latency-ms
    PARAMSECRETS_EMULATOR_UPSTREAM_DOWN          true|false|1|0: default for --upstream-down
    PARAMSECRETS_EMULATOR_NOT_FOUND_STATUS       default for --not-found-status
    PARAMSECRETS_EMULATOR_CONNECTION_LIFETIME    default for --connection-lifetime (seconds)
    AWS_LAMBDA_RUNTIME_API, PARAMSECRETS_EMULATOR_STORE, PARAMSECRETS_EMULATOR_INVOKE_HOLD_MS
                                                 see LAMBDA EXTENSION
    PARAMSECRETS_EMULATOR_LOG                    debug|info|warn|error|off (default info;
                                                 debug = --verbose). Falls back to
                                                 PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL.

ROUTES:
    extension: GET /systemsmanager/parameters/get[/]?name=N[&withDecryption=true][&version=V|&label=L]
               GET /secretsmanager/get?secretId=S[&versionId=I][&versionStage=T]
               bad token 401; upstream errors 400 (generic text); unknown path 404; non-GET 405.
    agent:     GET /secretsmanager/get?secretId=S[&versionId=I][&versionStage=T][&refreshNow=B]
               GET /v1/<secretId>[?...]   GET /ping
               X-Forwarded-For 400; bad token 403; AWS errors as {\"__type\",\"message\"} JSON.
               refreshNow: true/false/1/0, any case, else 400 \"invalid refreshNow value\";
               true skips the cache (an upstream call) and refills it.
    extension: refreshNow is not known: ignored like any unknown key (counted in stats).
    both:      GET  /_emulator/stats   counters, no token needed, never values:
                    {\"requests\":N,\"upstream_calls\":N,\"cache_hits\":N,\"errors\":N,
                     \"refresh_now\":N,\"stale_served\":N,\"not_ready\":N,
                     \"keys\":{\"parameter:/app/x\":{\"requests\":N,\"upstream_calls\":N,
                                                   \"refresh_now\":N,\"stale_served\":N},
                             \"secret:dev/db\":{...}}}
                    refresh_now: requests carrying refreshNow=true|1; stale_served: failed
                    refreshes answered with the expired cached value; not_ready: requests
                    answered \"not ready\" (also in errors).
               GET  /_emulator/knobs   the runtime knobs:
                    {\"upstream_latency_ms\":0,\"upstream_down\":false,\"not_found_status\":400,
                     \"connection_lifetime_secs\":0.0}
               POST /_emulator/knobs   a JSON object with any of those fields: changes them
                    now (all or nothing; 400 with the reason otherwise); answers the new state.
                    connection_lifetime_secs applies to connections accepted afterwards.
               POST /_emulator/reset   zero the counters, empty the cache, and put the knobs
                    back to their start-up values.

STORE FORMAT (JSON; full description in emulator/README.md):
    {\"parameters\": [
       {\"name\": \"/app/short\", \"value\": \"hello\"},
       {\"name\": \"/app/full\", \"type\": \"SecureString\", \"versions\": [
          {\"version\": 1, \"value\": \"v1\", \"labels\": [\"old\"], \"last_modified\": \"2024-01-02T03:04:05.678Z\"},
          {\"version\": 2, \"value\": \"v2\", \"labels\": [\"Prod\"]}]}],
     \"secrets\": [
       {\"name\": \"dev/db\", \"string\": \"{\\\"username\\\":\\\"u\\\"}\"},
       {\"name\": \"bin\", \"binary_base64\": \"AAEC/w==\"},
       {\"name\": \"rotated\", \"versions\": [
          {\"version_id\": \"1111...\", \"stages\": [\"AWSPREVIOUS\"], \"string\": \"old\"},
          {\"version_id\": \"2222...\", \"stages\": [\"AWSCURRENT\"], \"string\": \"new\"}]}]}
    type: String (default) | StringList | SecureString; data_type default text.
    Default dates 2024-01-01T00:00:00.000Z; ARNs and secret version ids are generated
    deterministically when not given.

TEST KNOBS (per parameter or secret entry, both dialects):
    \"error\": \"AccessDeniedException\"   the emulated AWS call fails with this type
    \"error_status\": 429                  its HTTP status (default 400; 500 for
                                         InternalServerError, InternalFailure, ServiceUnavailable)
    \"error_message\": \"...\"               its message (default names the entry)
    \"respond\": {\"status\": 200, \"body\": \"...\", \"content_type\": \"text/plain\", \"headers\": {}}
                                         answer verbatim instead (after the token check)
    \"delay_ms\": 1500                     sleep before answering (every request for that name)
    \"null_value\": true                   answer with the value null (parameter Value; secret
                                         SecretString and SecretBinary): a malformed answer
    \"byte_buffer_padding\": 3             (binary secret) 3 extra bytes after the value in the
                                         Java ByteBuffer of /aws/reference/secretsmanager/ answers
    --not-ready-for MS, --upstream-*, --not-found-status, --connection-lifetime: see above

SIGNALS:
    SIGTERM, SIGINT: exit 0.   SIGHUP: reload the store now.
";

fn main() -> ExitCode {
    let args = match config::parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("paramsecrets-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    if args.help {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    }
    let env = |name: &str| std::env::var(name).ok();
    let config = match config::resolve(args, &env) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("paramsecrets-emulator: {e}");
            return ExitCode::from(1);
        }
    };
    logger::init(config.log_level);
    for warning in &config.warnings {
        log::warn!("{warning}");
    }
    let store = match StoreHandle::open(&config.store) {
        Ok(s) => s,
        Err(e) => {
            log::error!("{e}");
            return ExitCode::from(1);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            log::error!("cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(run(config, store))
}

async fn run(config: Config, store: StoreHandle) -> ExitCode {
    let listener = match TcpListener::bind(("127.0.0.1", config.port)).await {
        Ok(l) => l,
        Err(e) => {
            log::error!("cannot listen on 127.0.0.1:{}: {e}", config.port);
            return ExitCode::from(1);
        }
    };
    let port = match listener.local_addr() {
        Ok(a) => a.port(),
        Err(e) => {
            log::error!("cannot read the bound address: {e}");
            return ExitCode::from(1);
        }
    };
    let (mut term, mut int, mut hup) = match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
        signal(SignalKind::hangup()),
    ) {
        (Ok(t), Ok(i), Ok(h)) => (t, i, h),
        _ => {
            log::error!("cannot install signal handlers");
            return ExitCode::from(1);
        }
    };

    let (params, secrets) = {
        let s = store.current();
        (s.parameter_count(), s.secret_count())
    };
    let c = &config.cache;
    log::info!(
        "serving {} ({params} parameters, {secrets} secrets); cache {} (size {}, parameter TTL {}s, secret TTL {}s){}",
        store.path().display(),
        if c.enabled { "enabled" } else { "disabled" },
        c.size,
        c.parameter_ttl.as_secs(),
        c.secret_ttl.as_secs(),
        if config.lambda_runtime_api.is_some() {
            "; as a Lambda extension".to_string()
        } else if config.not_ready_for.is_zero() {
            String::new()
        } else {
            format!("; not ready for {} ms", config.not_ready_for.as_millis())
        }
    );

    let readiness = if config.lambda_runtime_api.is_some() {
        Readiness::gate(config.invoke_hold)
    } else {
        Readiness::after(config.not_ready_for)
    };
    let app = Arc::new(App::new(
        config.dialect,
        config.token,
        readiness,
        store,
        Cache::new(config.cache),
        knobs::Knobs::new(config.knobs),
    ));

    // Store watcher: a stat every 200 ms is negligible, and keeps the request path free of it.
    let watcher = app.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(200));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            watcher.store.check();
        }
    });
    let reloader = app.clone();
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            log::info!("SIGHUP: reloading the store");
            reloader.store.reload_now();
        }
    });

    // The one stdout line; harnesses parse the port from it.
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "listening on 127.0.0.1:{port} dialect={}",
            config.dialect.as_str()
        );
        let _ = out.flush();
    }

    // The port is bound and served before registering, so it is listening (answering
    // not-ready) by the time Lambda starts the function's init code.
    let lifecycle = {
        let app = app.clone();
        async move {
            match &config.lambda_runtime_api {
                Some(api) => lambda_extension::run(api, &app).await,
                None => std::future::pending().await,
            }
        }
    };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(server::run(app, listener, async move {
        let _ = stop_rx.await;
    }));
    let code = tokio::select! {
        _ = term.recv() => { log::info!("SIGTERM: exiting"); ExitCode::SUCCESS }
        _ = int.recv() => { log::info!("SIGINT: exiting"); ExitCode::SUCCESS }
        code = lifecycle => code,
    };
    let _ = stop_tx.send(());
    let _ = server.await;
    code
}
