import Foundation
import NIOCore
import NIOExtras
import NIOPosix

/// A client of the TCP line protocol for tests: newline-delimited JSON over a real socket.
///
/// ```swift
/// let client = try await LineTestClient.connect(port: server.tcpPort)
/// try await client.send(["type": "hello"])
/// let welcome = try await client.next()
/// ```
public final class LineTestClient: Sendable {
    private enum Command: Sendable {
        case write([UInt8])
        case close
    }

    private let inbox = Inbox()
    private let commands: AsyncStream<Command>.Continuation
    private let task: Task<Void, Never>
    /// How long ``next(timeout:)`` waits by default.
    public let defaultTimeout: Duration

    private init(
        channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, defaultTimeout: Duration
    ) {
        let (stream, continuation) = AsyncStream.makeStream(of: Command.self)
        self.commands = continuation
        self.defaultTimeout = defaultTimeout
        let inbox = self.inbox
        task = Task {
            do {
                try await channel.executeThenClose { inbound, outbound in
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask {
                            do {
                                for try await var buffer in inbound {
                                    inbox.push(.text(buffer.readString(length: buffer.readableBytes) ?? ""))
                                }
                            } catch {
                                // Reset by the server: the stream simply ends.
                            }
                        }
                        group.addTask {
                            for await command in stream {
                                switch command {
                                case .write(let bytes):
                                    do { try await outbound.write(ByteBuffer(bytes: bytes)) } catch { return }
                                case .close:
                                    outbound.finish()
                                    return
                                }
                            }
                        }
                        // The reader ends when the server closes; then stop writing too.
                        await group.next()
                        group.cancelAll()
                    }
                }
            } catch {
                // The channel could not be closed cleanly; nothing to do in a test.
            }
            inbox.finish()
        }
    }

    /// Connects to `host:port`.
    /// - Parameter defaultTimeout: How long ``next(timeout:)`` waits when no timeout is given.
    public static func connect(host: String = "127.0.0.1", port: Int, defaultTimeout: Duration = .seconds(5)) async throws -> LineTestClient {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return LineTestClient(channel: channel, defaultTimeout: defaultTimeout)
    }

    /// Sends one object as a JSON line.
    public func send(_ json: [String: Any]) async throws {
        sendRaw(JSONLine.encode(json) + [UInt8(ascii: "\n")])
    }

    /// Sends bytes as they are (add the newline yourself).
    public func sendRaw(_ bytes: [UInt8]) {
        commands.yield(.write(bytes))
    }

    /// The next line from the server as a JSON object.
    ///
    /// Throws ``TestClientError/timeout(_:)`` when nothing arrives in time and
    /// ``TestClientError/closed`` when the server closed the connection.
    public func next(timeout: Duration? = nil) async throws -> [String: Any] {
        try await JSONLine.next(from: inbox, timeout: timeout ?? defaultTimeout)
    }

    /// Waits until the server closes the connection; throws if a line arrives first.
    public func waitForClose(timeout: Duration? = nil) async throws {
        try await JSONLine.waitForClose(inbox, timeout: timeout ?? defaultTimeout)
    }

    /// Closes the connection (half-close, then the socket) and waits until it is done.
    public func close() async {
        commands.yield(.close)
        commands.finish()
        await task.value
    }

    /// Drops the connection at once, as a network failure would.
    public func abort() async {
        task.cancel()
        commands.finish()
        await task.value
    }

    deinit {
        commands.finish()
        task.cancel()
    }
}
