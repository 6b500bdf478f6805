import AsyncHTTPClient
import BakenDesk
import BakenEngine
import BakenServer
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Synchronization

/// A full Baken server in the test process, on free ports, built by the same
/// `buildServices` as `baken serve`: HTTP + WebSocket, `/metrics`, the TCP line protocol, the
/// webhook worker and the sweeper.
///
/// ```swift
/// let server = try await TestServer.start(store: SQLiteStore(path: path))
/// defer { Task { await server.stop() } }   // or call stop() at the end
/// let client = try await server.lineClient()
/// ```
public final class TestServer: Sendable {
    /// The desk behind both transports.
    public let desk: Desk
    /// The HTTP and WebSocket port.
    public let httpPort: Int
    /// The TCP line-protocol port.
    public let tcpPort: Int
    /// The `/metrics` port (loopback).
    public let metricsPort: Int
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(desk: Desk, httpPort: Int, tcpPort: Int, metricsPort: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.desk = desk
        self.httpPort = httpPort
        self.tcpPort = tcpPort
        self.metricsPort = metricsPort
        self.group = group
        self.task = task
    }

    /// Starts a server for `desk` and returns once both listeners are bound.
    ///
    /// As in `baken serve`, a ``DeskSweeper`` runs last, so on ``stop()`` every client is told
    /// `shutting_down` before the listeners close.
    /// - Parameter sweepInterval: How often the sweeper runs (long by default: tests that
    ///   need a sweep call `desk.sweep()` themselves).
    ///   - server: Listener settings (host and ports are always loopback and free ports).
    ///   - endpoints: Partners' webhook endpoints for the webhook worker.
    public static func start(
        desk: Desk, sweepInterval: Duration = .seconds(3600), server: ServerConfiguration = .init(), endpoints: [PartnerEndpoint] = []
    ) async throws -> TestServer {
        var logger = Logger(label: "baken.test.server")
        logger.logLevel = .critical
        var configuration = server
        (configuration.host, configuration.port, configuration.tcpPort, configuration.metricsPort) = ("127.0.0.1", 0, 0, 0)
        configuration.sweepInterval = Double(sweepInterval.nanoseconds) / 1e9
        let httpPort = PortBox()
        let metricsPort = PortBox()
        let built = buildServices(
            desk: desk, endpoints: endpoints, configuration: configuration, registry: PrometheusCollectorRegistry(), logger: logger,
            onHTTPPort: { httpPort.set($0) }, onMetricsPort: { metricsPort.set($0) })
        let group = ServiceGroup(
            configuration: .init(services: built.services.map { .init(service: $0) }, gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        let tcp = await built.lineServer!.boundPort()
        let http = await httpPort.wait()
        let metricsHTTP = await metricsPort.wait()
        return TestServer(desk: desk, httpPort: http, tcpPort: tcp, metricsPort: metricsHTTP, group: group, task: task)
    }

    /// Starts a server with a new desk on the shipped engine.
    /// - Parameters:
    ///   - store: Where conversations are stored.
    ///   - configuration: The desk's limits.
    ///   - now: The desk's clock.
    public static func start(
        store: any ConversationStore, configuration: DeskConfiguration = .init(),
        now: @escaping @Sendable () -> Date = { Date() }, server: ServerConfiguration = .init()
    ) async throws -> TestServer {
        var logger = Logger(label: "baken.test.desk")
        logger.logLevel = .critical
        let desk = Desk(engine: ShippedKnowledge.engine, store: store, configuration: configuration, now: now, logger: logger)
        return try await start(desk: desk, server: server)
    }

    /// A new TCP line-protocol client of this server.
    /// Waits up to 15 s for each message, as the WebSocket client does.
    public func lineClient() async throws -> LineTestClient {
        try await LineTestClient.connect(port: tcpPort, defaultTimeout: .seconds(15))
    }

    /// A new WebSocket client of this server's `/ws/chat`.
    /// Waits up to 15 s for each message: the whole suite runs in parallel on a small machine.
    public func webSocketClient(path: String = "/ws/chat", headers: [String: String] = [:]) async throws -> WebSocketTestClient {
        try await WebSocketTestClient.connect(port: httpPort, path: path, headers: headers, defaultTimeout: .seconds(15))
    }

    /// GETs `path` over HTTP (the app's port, or another) and returns the status code and the body as text.
    public func get(_ path: String, port: Int? = nil, headers: [String: String] = [:]) async throws -> (status: Int, body: String) {
        try await send(HTTPClientRequest(url: "http://127.0.0.1:\(port ?? httpPort)\(path)"), headers: headers)
    }

    /// `POST path` with `body`; the status and body of the answer.
    public func post(_ path: String, body: String, headers: [String: String] = [:]) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(httpPort)\(path)")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: body))
        return try await send(request, headers: ["Content-Type": "application/json"].merging(headers) { $1 })
    }

    private func send(_ request: HTTPClientRequest, headers: [String: String]) async throws -> (status: Int, body: String) {
        var request = request
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// Stops the server gracefully and waits until it is down.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// A one-shot port, set by the application once it is listening.
private final class PortBox: Sendable {
    private let state = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    func set(_ port: Int) {
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    func wait() async -> Int {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
