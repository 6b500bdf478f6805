import HTTPTypes
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// A WebSocket client for tests, with the same API as ``LineTestClient``: one JSON object
/// per text frame.
///
/// ```swift
/// let client = try await WebSocketTestClient.connect(port: server.httpPort)
/// try await client.send(["type": "hello"])
/// let welcome = try await client.next()
/// ```
public final class WebSocketTestClient: Sendable {
    private enum Command: Sendable {
        case text(String)
        case frame(WebSocketFrame)
        case close
    }

    private struct State {
        var connected: CheckedContinuation<Void, any Error>?
        var connectResult: Result<Void, any Error>?
        var closeFrame: WebSocketCloseFrame?
    }

    private let inbox = Inbox()
    private let commands: AsyncStream<Command>.Continuation
    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// How long ``next(timeout:)`` waits by default.
    public let defaultTimeout: Duration

    private init(defaultTimeout: Duration, commands: AsyncStream<Command>.Continuation) {
        self.defaultTimeout = defaultTimeout
        self.commands = commands
    }

    /// Connects to `ws://host:port/path` and waits for the upgrade.
    /// - Parameter defaultTimeout: How long ``next(timeout:)`` waits when no timeout is given.
    public static func connect(
        host: String = "127.0.0.1", port: Int, path: String = "/ws/chat", headers: [String: String] = [:],
        defaultTimeout: Duration = .seconds(5)
    ) async throws -> WebSocketTestClient {
        let additionalHeaders = HTTPFields(headers.compactMap { name, value in HTTPField.Name(name).map { HTTPField(name: $0, value: value) } })
        let (stream, continuation) = AsyncStream.makeStream(of: Command.self)
        let client = WebSocketTestClient(defaultTimeout: defaultTimeout, commands: continuation)
        let inbox = client.inbox
        let logger = {
            var logger = Logger(label: "baken.test.ws")
            logger.logLevel = .critical
            return logger
        }()
        let url = "ws://\(host):\(port)\(path)"
        let handler: WebSocketDataHandler<WebSocketClient.Context> = { inbound, outbound, _ in
            client.connected(.success(()))
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await command in stream {
                        do {
                            switch command {
                            case .text(let text): try await outbound.write(.text(text))
                            case .frame(let frame): try await outbound.write(.custom(frame))
                            case .close:
                                try await outbound.close(.normalClosure, reason: nil)
                                return
                            }
                        } catch {
                            return
                        }
                    }
                }
                do {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        switch message {
                        case .text(let text): inbox.push(.text(text))
                        case .binary: inbox.push(.binary)
                        }
                    }
                } catch {
                    // The connection broke; the stream ends below.
                }
                group.cancelAll()
            }
        }
        client.task.withLock {
            $0 = Task {
                do {
                    let webSocket = WebSocketClient(url: url, configuration: .init(maxFrameSize: 1 << 20, additionalHeaders: additionalHeaders), logger: logger, handler: handler)
                    let frame = try await webSocket.run()
                    client.state.withLock { $0.closeFrame = frame }
                    client.connected(.failure(TestClientError.closed))
                } catch {
                    client.connected(.failure(TestClientError.connectFailed("\(error)")))
                }
                inbox.finish()
            }
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let ready = client.state.withLock { state -> Result<Void, any Error>? in
                if let result = state.connectResult { return result }
                state.connected = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
        return client
    }

    private func connected(_ result: Result<Void, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard state.connectResult == nil else { return nil }
            state.connectResult = result
            defer { state.connected = nil }
            return state.connected
        }
        waiter?.resume(with: result)
    }

    /// Sends one object as a JSON text frame.
    public func send(_ json: [String: Any]) async throws {
        commands.yield(.text(String(decoding: JSONLine.encode(json), as: UTF8.self)))
    }

    /// Sends bytes as one text frame, as they are (they need not be valid UTF-8).
    public func sendRaw(_ bytes: [UInt8]) {
        sendFrame(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: bytes)))
    }

    /// Sends bytes as one binary frame.
    public func sendBinary(_ bytes: [UInt8]) {
        sendFrame(WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: bytes)))
    }

    /// Sends any frame (fragments, odd opcodes); the client masks it.
    public func sendFrame(_ frame: WebSocketFrame) {
        commands.yield(.frame(frame))
    }

    /// The next text frame from the server as a JSON object.
    ///
    /// Throws ``TestClientError/timeout(_:)`` when nothing arrives in time and
    /// ``TestClientError/closed`` when the connection closed.
    public func next(timeout: Duration? = nil) async throws -> [String: Any] {
        try await JSONLine.next(from: inbox, timeout: timeout ?? defaultTimeout)
    }

    /// Waits until the connection closes; throws if a message arrives first.
    /// - Returns: The server's close frame, if it sent one.
    @discardableResult
    public func waitForClose(timeout: Duration? = nil) async throws -> WebSocketCloseFrame? {
        try await JSONLine.waitForClose(inbox, timeout: timeout ?? defaultTimeout)
        await task.withLock { $0 }?.value
        return state.withLock { $0.closeFrame }
    }

    /// Closes the connection normally and waits until it is done.
    public func close() async {
        commands.yield(.close)
        commands.finish()
        await task.withLock { $0 }?.value
    }

    deinit {
        commands.finish()
    }
}
