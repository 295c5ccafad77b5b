//! An in-test HTTP/1.1 server whose every answer is scripted, to misbehave on purpose:
//! slow, truncated, garbage, huge, closing mid-answer, or not listening yet.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with the n-th request (0-based).
#[derive(Clone, Debug)]
pub enum Action {
    /// A complete answer.
    Respond { status: u16, body: Vec<u8> },
    /// Wait, then answer.
    Delay(Duration, Box<Action>),
    /// Close the connection without answering.
    Close,
    /// Send the status line and headers (with a Content-Length), then close.
    HeadersThenClose,
    /// Declare `declared` bytes, send only the body given, then close.
    Truncated { declared: usize, body: Vec<u8> },
    /// A 200 whose body is `len` bytes, streamed without a Content-Length.
    HugeChunked(usize),
}

pub fn ok_parameter(value: &str) -> Action {
    Action::Respond {
        status: 200,
        body: format!(
            r#"{{"Parameter":{{"Name":"/p","Type":"String","Value":"{value}","Version":1,"ARN":null,"DataType":"text","LastModifiedDate":null,"Selector":null,"SourceResult":null}},"ResultMetadata":{{}}}}"#
        )
        .into_bytes(),
    }
}

pub fn status(status: u16, body: &str) -> Action {
    Action::Respond {
        status,
        body: body.as_bytes().to_vec(),
    }
}

pub type Script = Arc<dyn Fn(usize) -> Action + Send + Sync>;

pub struct FaultyServer {
    pub port: u16,
    pub requests: Arc<AtomicUsize>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultyServer {
    /// Listens now on a free port.
    pub fn start(script: impl Fn(usize) -> Action + Send + Sync + 'static) -> FaultyServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        Self::serve(listener, Arc::new(script))
    }

    /// Starts listening on `port` only after `delay` (the port refuses connections until then).
    pub fn start_later(
        port: u16,
        delay: Duration,
        script: impl Fn(usize) -> Action + Send + Sync + 'static,
    ) -> std::thread::JoinHandle<FaultyServer> {
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("bind later");
            Self::serve(listener, Arc::new(script))
        })
    }

    fn serve(listener: std::net::TcpListener, script: Script) -> FaultyServer {
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("listener");
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            // Like the emulator: with Nagle on, the body's write waits for
                            // the client's delayed ACK of the head (40 ms on a kept-alive
                            // connection), which time-bound scripts would mistake for the client.
                            let _ = stream.set_nodelay(true);
                            let script = script.clone();
                            let counter = counter.clone();
                            tokio::spawn(handle(stream, script, counter));
                        }
                    }
                }
            });
        });
        FaultyServer {
            port,
            requests,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn count(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Stops accepting and drops every connection (a server that dies).
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for FaultyServer {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") {
            return Some(String::from_utf8_lossy(&buf).into_owned());
        }
    }
}

async fn handle(mut stream: TcpStream, script: Script, counter: Arc<AtomicUsize>) {
    while read_request(&mut stream).await.is_some() {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let mut action = script(n);
        while let Action::Delay(d, next) = action {
            tokio::time::sleep(d).await;
            action = *next;
        }
        let keep_going = match action {
            Action::Respond { status, body } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                stream.write_all(head.as_bytes()).await.is_ok()
                    && stream.write_all(&body).await.is_ok()
            }
            Action::Close => false,
            Action::HeadersThenClose => {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 500\r\n\r\n")
                    .await;
                false
            }
            Action::Truncated { declared, body } => {
                let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {declared}\r\n\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                false
            }
            Action::HugeChunked(len) => {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                    .await;
                let piece = vec![b'x'; 64 * 1024];
                let mut sent = 0;
                while sent < len {
                    let n = piece.len().min(len - sent);
                    let frame = format!("{n:x}\r\n");
                    if stream.write_all(frame.as_bytes()).await.is_err()
                        || stream.write_all(&piece[..n]).await.is_err()
                        || stream.write_all(b"\r\n").await.is_err()
                    {
                        break;
                    }
                    sent += n;
                }
                let _ = stream.write_all(b"0\r\n\r\n").await;
                false
            }
            Action::Delay(..) => false,
        };
        let _ = stream.flush().await;
        if !keep_going {
            return;
        }
    }
}
