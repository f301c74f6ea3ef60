//! The main loop: the editor's messages and the finished runs, one at a
//! time, on one thread that never runs a check itself.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, Completion, ExecuteCommand, GotoDefinition, HoverRequest, Request as _,
    ShowDocument, Shutdown,
};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, ExecuteCommandOptions,
    HoverProviderCapability, InitializeParams, InitializeResult, MessageType, OneOf,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url,
};

use super::diagnostics::{self, Entry};
use super::position::LineMap;
use super::snapshot::{Model, Pipeline, Snapshot};
use super::worker::Worker;
use super::{actions, completion, definition, hover, policy_buffer};
use crate::policy::{Policy, PolicyPlace, POLICY_FILE};

/// What the main loop waits for.
pub enum Event {
    Client(Message),
    /// A finished run and the number of the request it answers.
    Checked(u64, Box<Snapshot>),
    /// The client's stream ended.
    Disconnected,
}

/// Serves the protocol on stdin and stdout until the client says `exit`;
/// returns the exit code (0 after a `shutdown` request, 1 without one).
pub fn serve(pipeline: Arc<dyn Pipeline>) -> i32 {
    let (connection, io_threads) = Connection::stdio();
    let code = match start(&connection) {
        Ok(params) => run(connection, pipeline, &params),
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    };
    let _ = io_threads.join();
    code
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![":".to_string(), "\"".to_string()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![actions::SELECT_COMMAND.to_string()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

fn start(connection: &Connection) -> Result<InitializeParams, String> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("the client did not initialize: {e}"))?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "cargo-boundaries".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection
        .initialize_finish(id, result)
        .map_err(|e| format!("the client did not finish initializing: {e}"))?;
    Ok(params)
}

/// The folder the client opened, else the current one.
#[allow(deprecated)] // `root_uri`: older clients send only this
fn root_of(params: &InitializeParams) -> PathBuf {
    params
        .workspace_folders
        .iter()
        .flatten()
        .map(|f| &f.uri)
        .chain(params.root_uri.as_ref())
        .find_map(|uri| uri.to_file_path().ok())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

fn run(connection: Connection, pipeline: Arc<dyn Pipeline>, params: &InitializeParams) -> i32 {
    let (events, inbox) = mpsc::channel();
    let receiver = connection.receiver.clone();
    let forward = events.clone();
    let forwarded = std::thread::Builder::new()
        .name("boundaries-lsp-in".to_string())
        .spawn(move || {
            for message in receiver {
                if forward.send(Event::Client(message)).is_err() {
                    return;
                }
            }
            let _ = forward.send(Event::Disconnected);
        });
    if forwarded.is_err() {
        return 1;
    }
    let root = root_of(params);
    let worker = match Worker::start(pipeline, root.join("Cargo.toml"), events) {
        Ok(worker) => worker,
        Err(_) => return 1,
    };
    let show_document = params
        .capabilities
        .window
        .as_ref()
        .and_then(|w| w.show_document.as_ref())
        .is_some_and(|s| s.support);
    let mut server = Server {
        connection,
        worker,
        show_document,
        documents: HashMap::new(),
        model: None,
        checked: None,
        run_entries: BTreeMap::new(),
        policy: None,
        published: HashMap::new(),
        last_problems: Vec::new(),
        latest: 0,
        shutdown: false,
        next_request: 0,
    };
    server.check();
    while let Ok(event) = inbox.recv() {
        match event {
            Event::Client(Message::Notification(n)) if n.method == "exit" => break,
            Event::Client(message) => server.on_message(message),
            Event::Checked(generation, snapshot) => {
                if generation == server.latest {
                    server.on_snapshot(*snapshot);
                }
            }
            Event::Disconnected => break,
        }
    }
    if server.shutdown {
        0
    } else {
        1
    }
}

/// The policy buffer as last validated.
struct PolicyState {
    uri: Url,
    entries: Vec<Entry>,
    policy: Policy,
}

struct Server {
    connection: Connection,
    worker: Worker,
    /// Whether the client can be asked to select text.
    show_document: bool,
    /// The open documents' text.
    documents: HashMap<Url, String>,
    /// The last run's view of the workspace.
    model: Option<Model>,
    checked: Option<super::snapshot::Checked>,
    /// The last run's diagnostics, by file.
    run_entries: BTreeMap<Url, Vec<Entry>>,
    policy: Option<PolicyState>,
    /// What was last published for each file (to clear them when gone,
    /// and to send nothing when a run changes nothing there).
    published: HashMap<Url, Vec<lsp_types::Diagnostic>>,
    /// Messages about no file shown for the last run.
    last_problems: Vec<String>,
    /// The newest run asked for.
    latest: u64,
    shutdown: bool,
    next_request: u64,
}

impl Server {
    fn check(&mut self) {
        self.latest += 1;
        self.worker.request(self.latest);
    }

    fn send(&self, message: Message) {
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )));
    }

    fn on_message(&mut self, message: Message) {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let response = catch_unwind(AssertUnwindSafe(|| self.on_request(request)))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            "internal error while answering".to_string(),
                        )
                    });
                self.send(Message::Response(response));
            }
            Message::Notification(notification) => {
                let _ = catch_unwind(AssertUnwindSafe(|| self.on_notification(notification)));
            }
            // Answers to what the server asked (show a document): nothing
            // waits for them.
            Message::Response(_) => {}
        }
    }

    fn on_request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            Shutdown::METHOD => {
                self.shutdown = true;
                Ok(serde_json::Value::Null)
            }
            Completion::METHOD => parse::<Completion>(&request).map(|p| self.completion(p)),
            HoverRequest::METHOD => parse::<HoverRequest>(&request).map(|p| self.hover(p)),
            CodeActionRequest::METHOD => {
                parse::<CodeActionRequest>(&request).map(|p| self.code_actions(p))
            }
            GotoDefinition::METHOD => parse::<GotoDefinition>(&request).map(|p| self.definition(p)),
            ExecuteCommand::METHOD => parse::<ExecuteCommand>(&request).map(|p| self.execute(p)),
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("unsupported request `{}`", request.method),
                )
            }
        };
        match result {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        }
    }

    fn on_notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = notification_params::<DidOpenTextDocument>(&notification) {
                    let uri = p.text_document.uri;
                    self.documents.insert(uri.clone(), p.text_document.text);
                    if self.is_policy(&uri) {
                        self.validate_policy();
                    }
                    // Published again on open: a client may have dropped
                    // what it got for a file it did not show.
                    self.published.remove(&uri);
                    self.publish(&uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = notification_params::<DidChangeTextDocument>(&notification) {
                    let uri = p.text_document.uri;
                    // Full sync: the last change is the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        self.documents.insert(uri.clone(), change.text);
                    }
                    if self.is_policy(&uri) {
                        self.validate_policy();
                        self.publish(&uri);
                    }
                }
            }
            DidSaveTextDocument::METHOD => self.check(),
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = notification_params::<DidCloseTextDocument>(&notification) {
                    let uri = p.text_document.uri;
                    self.documents.remove(&uri);
                    if self.is_policy(&uri) {
                        self.validate_policy();
                        self.publish(&uri);
                    }
                }
            }
            _ => {}
        }
    }

    fn on_snapshot(&mut self, snapshot: Snapshot) {
        let entries = diagnostics::of_run(&snapshot);
        self.run_entries = entries
            .into_iter()
            .filter_map(|(path, entries)| Some((Url::from_file_path(path).ok()?, entries)))
            .collect();
        let problems: Vec<String> = snapshot
            .problems
            .iter()
            .filter(|p| p.location.is_none())
            .map(|p| match &p.help {
                Some(help) => format!("cargo boundaries: {}\nhelp: {help}", p.message),
                None => format!("cargo boundaries: {}", p.message),
            })
            .collect();
        if problems != self.last_problems {
            for message in &problems {
                self.notify::<ShowMessage>(ShowMessageParams {
                    typ: MessageType::ERROR,
                    message: message.clone(),
                });
            }
            self.last_problems = problems;
        }
        if snapshot.model.is_some() {
            self.model = snapshot.model;
        }
        self.checked = snapshot.checked;
        self.validate_policy();
        let mut uris: BTreeSet<Url> = self.run_entries.keys().cloned().collect();
        uris.extend(self.published.keys().cloned());
        uris.extend(self.policy.as_ref().map(|p| p.uri.clone()));
        for uri in uris {
            self.publish(&uri);
        }
    }

    /// Where the policy is: the file found by the last run, else
    /// `boundaries.toml` at the root (a policy being written).
    fn policy_place(&self) -> Option<(PathBuf, PolicyPlace)> {
        let model = self.model.as_ref()?;
        Some(
            model
                .policy
                .clone()
                .unwrap_or_else(|| (model.root.join(POLICY_FILE), PolicyPlace::File)),
        )
    }

    fn is_policy(&self, uri: &Url) -> bool {
        let (Some((path, _)), Ok(file)) = (self.policy_place(), uri.to_file_path()) else {
            return false;
        };
        same_file(&path, &file)
    }

    /// Validates the policy: its buffer when open, else its file.
    fn validate_policy(&mut self) {
        let (Some(model), Some((path, place))) = (&self.model, self.policy_place()) else {
            return;
        };
        let Ok(uri) = Url::from_file_path(&path) else {
            return;
        };
        let open = self
            .documents
            .iter()
            .find(|(u, _)| u.to_file_path().is_ok_and(|f| same_file(&f, &path)))
            .map(|(u, text)| (u.clone(), text.clone()));
        let (uri, text) = match open {
            Some(open) => open,
            None => match crate::policy::file::read_regular(&path) {
                Ok(text) => (uri, text),
                Err(_) => {
                    self.policy = None;
                    return;
                }
            },
        };
        let (policy, errors) = policy_buffer::validate(&text, &path, place, model);
        let entries = diagnostics::of_policy(&text, &errors);
        self.policy = Some(PolicyState {
            uri,
            entries,
            policy,
        });
    }

    fn publish(&mut self, uri: &Url) {
        let mut diagnostics: Vec<_> = self
            .entries(uri)
            .into_iter()
            .map(|e| e.diagnostic.clone())
            .collect();
        diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
        let before = self.published.get(uri);
        if before.map_or(diagnostics.is_empty(), |b| *b == diagnostics) {
            return;
        }
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: diagnostics.clone(),
            version: None,
        });
        if diagnostics.is_empty() {
            self.published.remove(uri);
        } else {
            self.published.insert(uri.clone(), diagnostics);
        }
    }

    /// Every entry of a file (the run's and the policy buffer's).
    fn entries(&self, uri: &Url) -> Vec<&Entry> {
        self.run_entries
            .get(uri)
            .into_iter()
            .flatten()
            .chain(
                self.policy
                    .iter()
                    .filter(|p| p.uri == *uri)
                    .flat_map(|p| &p.entries),
            )
            .collect()
    }

    /// The text of a document: the open buffer, else nothing.
    fn text(&self, uri: &Url) -> Option<&str> {
        self.documents.get(uri).map(String::as_str)
    }

    fn completion(&self, params: lsp_types::CompletionParams) -> serde_json::Value {
        let at = params.text_document_position;
        let uri = &at.text_document.uri;
        let (Some(text), Some(model), true) = (self.text(uri), &self.model, self.is_policy(uri))
        else {
            return serde_json::Value::Null;
        };
        let map = LineMap::new(text);
        let offset = map.offset(at.position);
        let components = self.components();
        let items = completion::complete(text, offset, &map, model, &components);
        serde_json::to_value(items).unwrap_or_default()
    }

    fn components(&self) -> Vec<String> {
        self.policy
            .iter()
            .flat_map(|p| p.policy.components.keys().cloned())
            .collect()
    }

    fn hover(&self, params: lsp_types::HoverParams) -> serde_json::Value {
        let at = params.text_document_position_params;
        let uri = &at.text_document.uri;
        let text = if self.is_policy(uri) {
            self.text(uri).and_then(|text| {
                let model = self.model.as_ref()?;
                let map = LineMap::new(text);
                let offset = map.offset(at.position);
                hover::in_policy(text, offset, model, self.policy.as_ref().map(|p| &p.policy))
            })
        } else {
            hover::on_diagnostic(&self.entries(uri), at.position)
        };
        match text {
            Some(text) => serde_json::to_value(hover::markdown(text)).unwrap_or_default(),
            None => serde_json::Value::Null,
        }
    }

    fn code_actions(&self, params: lsp_types::CodeActionParams) -> serde_json::Value {
        let uri = &params.text_document.uri;
        let baseline = self.checked.as_ref().and_then(|c| c.baseline.as_ref());
        let baseline_uri = baseline.and_then(|b| Url::from_file_path(&b.path).ok());
        let actions = actions::for_range(
            uri,
            params.range,
            &self.entries(uri),
            baseline_uri.as_ref(),
            self.show_document,
        );
        serde_json::to_value(actions).unwrap_or_default()
    }

    fn definition(&self, params: lsp_types::GotoDefinitionParams) -> serde_json::Value {
        let at = params.text_document_position_params;
        let uri = &at.text_document.uri;
        let (Some(text), Some(model), true) = (self.text(uri), &self.model, self.is_policy(uri))
        else {
            return serde_json::Value::Null;
        };
        let map = LineMap::new(text);
        let locations = definition::of_pattern(text, map.offset(at.position), model);
        if locations.is_empty() {
            return serde_json::Value::Null;
        }
        serde_json::to_value(lsp_types::GotoDefinitionResponse::Array(locations))
            .unwrap_or_default()
    }

    fn execute(&mut self, params: lsp_types::ExecuteCommandParams) -> serde_json::Value {
        if params.command == actions::SELECT_COMMAND {
            if let Some(show) = actions::selection(&params.arguments) {
                self.next_request += 1;
                let id = RequestId::from(format!("boundaries-{}", self.next_request));
                self.send(Message::Request(Request::new(
                    id,
                    ShowDocument::METHOD.to_string(),
                    show,
                )));
            }
        }
        serde_json::Value::Null
    }
}

fn parse<R: lsp_types::request::Request>(request: &Request) -> Result<R::Params, String> {
    serde_json::from_value(request.params.clone()).map_err(|e| format!("bad parameters: {e}"))
}

fn notification_params<N: lsp_types::notification::Notification>(
    notification: &Notification,
) -> Result<N::Params, serde_json::Error> {
    serde_json::from_value(notification.params.clone())
}

/// Whether two paths name one file (the editor's path may go through a
/// symlink the workspace root does not).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
}
