//! Process-level behaviour: start-up, token chain, signals, store reloads, logging hygiene.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;
use std::time::Duration;

use common::{ENV_VARS, Emulator, Opts, STORE, TOKEN_HEADER, TempDir};

fn get_with(emu: &Emulator, token: &str) -> u16 {
    emu.request(
        "GET",
        "/systemsmanager/parameters/get?name=/app/short",
        &[(TOKEN_HEADER, token)],
    )
    .status
}

#[test]
fn token_chain_order() {
    let emu = Emulator::start_with(
        Opts::new(STORE)
            .no_token_flag()
            .env("AWS_SESSION_TOKEN", "session")
            .env("AWS_TOKEN", "aws-token")
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container"),
    );
    assert_eq!(get_with(&emu, "aws-token"), 200);
    assert_eq!(get_with(&emu, "session"), 401);

    let emu = Emulator::start_with(
        Opts::new(STORE)
            .no_token_flag()
            .env("PARAMSECRETS_TOKEN", "mine")
            .env("AWS_TOKEN", "aws-token"),
    );
    assert_eq!(get_with(&emu, "mine"), 200);
    assert_eq!(get_with(&emu, "aws-token"), 401);

    let emu = Emulator::start_with(
        Opts::new(STORE)
            .no_token_flag()
            .env("AWS_SESSION_TOKEN", "session")
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container"),
    );
    assert_eq!(get_with(&emu, "session"), 200);

    let emu = Emulator::start_with(
        Opts::new(STORE)
            .no_token_flag()
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", "container"),
    );
    assert_eq!(get_with(&emu, "container"), 200);

    // --token beats the environment.
    let emu = Emulator::start_with(Opts::new(STORE).env("PARAMSECRETS_TOKEN", "mine"));
    assert_eq!(get_with(&emu, common::TOKEN), 200);
    assert_eq!(get_with(&emu, "mine"), 401);
}

#[test]
fn token_from_file() {
    let dir = TempDir::new();
    let path = dir.path().join("token");
    std::fs::write(&path, "  file-token-42\n").unwrap();
    let file_ref = format!("file://{}", path.display());
    let emu = Emulator::start_with(Opts::new(STORE).no_token_flag().env("AWS_TOKEN", &file_ref));
    assert_eq!(get_with(&emu, "file-token-42"), 200);
    assert_eq!(get_with(&emu, &file_ref), 401);
    let emu = Emulator::start_with(
        Opts::new(STORE)
            .no_token_flag()
            .arg("--token")
            .arg(&file_ref),
    );
    assert_eq!(get_with(&emu, "file-token-42"), 200);
}

fn run_to_exit(opts: Opts<'_>) -> (Option<i32>, String, String) {
    let dir = TempDir::new();
    let (mut cmd, _, stderr_path) = common::command(dir.path(), &opts);
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        std::fs::read_to_string(stderr_path).unwrap(),
    )
}

#[test]
fn no_token_exits_1_naming_the_variables() {
    let (code, stdout, stderr) = run_to_exit(Opts::new(STORE).no_token_flag());
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty());
    for var in [
        "PARAMSECRETS_TOKEN",
        "AWS_TOKEN",
        "AWS_SESSION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    ] {
        assert!(stderr.contains(var), "{stderr}");
    }
    // An unreadable token file is an error too.
    let (code, _, stderr) = run_to_exit(
        Opts::new(STORE)
            .no_token_flag()
            .env("AWS_SESSION_TOKEN", "file:///nonexistent/token"),
    );
    assert_eq!(code, Some(1));
    assert!(stderr.contains("/nonexistent/token"), "{stderr}");
}

#[test]
fn bad_store_or_arguments_fail_fast() {
    let (code, stdout, stderr) = run_to_exit(Opts::new("{\"parameters\": [{\"name\": \"/a\"}]}"));
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty());
    assert!(stderr.contains("\"/a\""), "{stderr}");
    let (code, _, stderr) = run_to_exit(Opts::new(STORE).arg("--dialect").arg("lambda"));
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--dialect"), "{stderr}");
    let (code, _, _) = run_to_exit(Opts::new(STORE).arg("--frobnicate"));
    assert_eq!(code, Some(2));
}

#[test]
fn starts_in_milliseconds() {
    // DESIGN: "Starts in milliseconds"; 2 s is a generous bound for a loaded CI box (natively
    // a start takes a few ms, under qemu a few hundred).
    for _ in 0..5 {
        let emu = Emulator::start(STORE);
        assert!(
            emu.started_in < Duration::from_secs(2),
            "slow start: {:?}",
            emu.started_in
        );
    }
}

#[test]
fn help_documents_everything() {
    let out = Command::new(common::BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--store",
        "--port",
        "--dialect",
        "--token",
        "--not-ready-for",
        "--verbose",
        "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT",
        "PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED",
        "PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE",
        "SSM_PARAMETER_STORE_TTL",
        "SECRETS_MANAGER_TTL",
        "PARAMSECRETS_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "PARAMSECRETS_EMULATOR_LOG",
        "PARAMSECRETS_EMULATOR_INVOKE_HOLD_MS",
        "/_emulator/stats",
        "/_emulator/reset",
        "delay_ms",
        "respond",
        "error_status",
        "SIGHUP",
        "listening on 127.0.0.1:<port> dialect=",
        "--lambda-extension",
        "AWS_LAMBDA_RUNTIME_API",
        "PARAMSECRETS_EMULATOR_STORE",
        "/opt/paramsecrets/store.json",
        "PARAMSECRETS_EMULATOR_DIALECT",
        "SHUTDOWN",
        "50 ms",
        "--upstream-latency-ms",
        "--upstream-down",
        "--not-found-status",
        "--connection-lifetime",
        "PARAMSECRETS_EMULATOR_UPSTREAM_LATENCY_MS",
        "PARAMSECRETS_EMULATOR_UPSTREAM_DOWN",
        "PARAMSECRETS_EMULATOR_NOT_FOUND_STATUS",
        "PARAMSECRETS_EMULATOR_CONNECTION_LIFETIME",
        "/_emulator/knobs",
        "ConnectionError",
        "refresh_now",
        "stale_served",
        "null_value",
        "byte_buffer_padding",
        "invalid refreshNow value",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}");
    }
}

#[test]
fn port_comes_from_the_environment() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = TempDir::new();
    let store = dir.path().join("store.json");
    std::fs::write(&store, STORE).unwrap();
    let mut cmd = Command::new(common::BIN);
    for var in ENV_VARS {
        cmd.env_remove(var);
    }
    let mut child = cmd
        .arg("--store")
        .arg(&store)
        .env("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", port.to_string())
        .env("AWS_SESSION_TOKEN", "t")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        line,
        format!("listening on 127.0.0.1:{port} dialect=extension\n")
    );
}

#[test]
fn sigterm_and_sigint_exit_cleanly_and_stdout_has_one_line() {
    for sig in ["TERM", "INT"] {
        let mut emu = Emulator::start(STORE);
        assert_eq!(emu.get_param("name=/app/short").status, 200);
        emu.signal(sig);
        let status = emu.wait_exit(Duration::from_secs(5));
        assert!(status.success(), "{sig}: {status}");
        assert_eq!(
            emu.rest_of_stdout(),
            "",
            "stdout must hold only the first line"
        );
    }
}

#[test]
fn store_reloads_when_the_file_changes() {
    let emu = Emulator::start(STORE);
    assert_eq!(emu.get_param("name=/app/new").status, 400);
    let updated = STORE.replacen(
        "\"parameters\": [",
        "\"parameters\": [\n    {\"name\": \"/app/new\", \"value\": \"fresh\"},",
        1,
    );
    emu.rewrite_store(&updated);
    assert!(common::eventually(Duration::from_secs(6), || {
        emu.get_param("name=/app/new").status == 200
    }));
    assert_eq!(
        emu.get_param("name=/app/new").json()["Parameter"]["Value"],
        "fresh"
    );

    // A broken file keeps the previous store and logs an error.
    emu.rewrite_store("{ this is not json");
    assert!(common::eventually(Duration::from_secs(6), || {
        emu.stderr().contains("not reloaded")
    }));
    assert_eq!(emu.get_param("name=/app/new").status, 200);
    assert_eq!(emu.get_secret("secretId=dev/db").status, 200);

    // In-place rewrite (truncate + write, no rename) is noticed as well.
    let again = STORE.replacen(
        "\"parameters\": [",
        "\"parameters\": [\n    {\"name\": \"/app/newer\", \"value\": \"x\"},",
        1,
    );
    std::fs::write(&emu.store_path, again).unwrap();
    assert!(common::eventually(Duration::from_secs(6), || {
        emu.get_param("name=/app/newer").status == 200
    }));
}

#[test]
fn sighup_reloads() {
    let emu = Emulator::start(STORE);
    emu.signal("HUP");
    assert!(common::eventually(Duration::from_secs(6), || {
        emu.stderr().contains("SIGHUP")
    }));
    assert!(common::eventually(Duration::from_secs(6), || {
        emu.stderr().contains("reloaded store")
    }));
    assert_eq!(emu.get_param("name=/app/short").status, 200);
}

#[test]
fn verbose_logs_requests_but_never_values_or_tokens() {
    let emu = Emulator::start_with(Opts::new(STORE).arg("--verbose"));
    assert_eq!(
        emu.get_param("name=/app/full&withDecryption=true").status,
        200
    );
    assert_eq!(
        emu.get_param("name=/app/full&withDecryption=true").status,
        200
    );
    assert_eq!(
        emu.get_secret("secretId=dev/db&extra=hidden-value").status,
        200
    );
    assert_eq!(emu.get_secret("secretId=denied").status, 400);
    assert_eq!(get_with(&emu, "wrong-token-attempt"), 401);
    assert!(common::eventually(Duration::from_secs(2), || {
        emu.stderr().matches(" -> ").count() >= 5
    }));
    let log = emu.stderr();
    assert!(log.contains("/systemsmanager/parameters/get"), "{log}");
    assert!(log.contains("/app/full"), "{log}");
    assert!(log.contains("-> 200"), "{log}");
    assert!(log.contains("-> 401"), "{log}");
    assert!(log.contains("cache=hit"), "{log}");
    assert!(log.contains("cache=miss"), "{log}");
    for secret in [
        common::TOKEN,
        "wrong-token-attempt",
        "\"v2\"",
        "username",
        "hidden-value",
    ] {
        assert!(!log.contains(secret), "log leaks {secret}: {log}");
    }

    // Quiet by default: no per-request lines.
    let quiet = Emulator::start(STORE);
    assert_eq!(quiet.get_param("name=/app/short").status, 200);
    std::thread::sleep(Duration::from_millis(100));
    assert!(!quiet.stderr().contains(" -> "), "{}", quiet.stderr());

    // The environment variable turns it on too.
    let env_debug =
        Emulator::start_with(Opts::new(STORE).env("PARAMSECRETS_EMULATOR_LOG", "debug"));
    assert_eq!(env_debug.get_param("name=/app/short").status, 200);
    assert!(common::eventually(Duration::from_secs(2), || {
        env_debug.stderr().contains(" -> 200")
    }));
}

#[test]
fn the_example_store_loads() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/store.json");
    let text = std::fs::read_to_string(example).unwrap();
    let emu = Emulator::start(&text);
    let p = emu.get_param("name=%2Fdev%2Fdemoapp%2Fconfig&withDecryption=true");
    assert_eq!(p.status, 200, "{}", p.text());
    let config: serde_json::Value =
        serde_json::from_str(p.json()["Parameter"]["Value"].as_str().unwrap()).unwrap();
    assert_eq!(config["greeting"], "hello from Parameter Store");
    let s = emu.get_secret("secretId=dev%2Fdemoapp%2Fdb");
    assert_eq!(s.status, 200, "{}", s.text());
    let db: serde_json::Value =
        serde_json::from_str(s.json()["SecretString"].as_str().unwrap()).unwrap();
    assert_eq!(db["host"], "127.0.0.1");
    assert_eq!(db["port"], 3307);
    assert_eq!(db["dbname"], "demoapp");
    assert_eq!(db["username"], "demoapp");
    assert!(db["password"].as_str().unwrap().len() >= 16);
}
