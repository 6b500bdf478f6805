import BakenDesk
import Foundation
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The plain TCP transport: the same protocol as newline-delimited JSON (usable with `nc`).
///
/// Lines longer than the desk's frame limit get a `too_large` error and the connection closes.
public final class LineServer: Service {
    private let desk: Desk
    private let host: String
    private let port: Int
    private let logger: Logger
    private let bound = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    /// Creates the listener; `port` 0 picks a free port (see ``boundPort()``).
    public init(desk: Desk, host: String, port: Int, logger: Logger = Logger(label: "baken.tcp")) {
        self.desk = desk
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// The port the listener is bound to, once it is.
    public func boundPort() async -> Int {
        if let port = bound.withLock({ $0.port }) { return port }
        return await withCheckedContinuation { continuation in
            let ready = bound.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    public func run() async throws {
        let maxBytes = desk.configuration.maxFrameBytes
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineBasedFrameDecoder(), maximumBufferSize: maxBytes))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let actualPort = server.channel.localAddress?.port ?? port
        let waiters = bound.withLock { state in
            state.port = actualPort
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: actualPort) }
        logger.info("TCP line protocol listening", metadata: ["host": "\(host)", "port": "\(actualPort)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { clients in
                    for try await client in clients {
                        group.addTask { await self.serve(client, maxBytes: maxBytes) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ client: NIOAsyncChannel<ByteBuffer, ByteBuffer>, maxBytes: Int) async {
        let address = client.channel.remoteAddress?.ipAddress ?? "unknown"
        let connection = Connection(address: address, now: desk.now())
        do {
            try await client.executeThenClose { inbound, outbound in
                guard await desk.open(connection) else {
                    try await Self.write(connection, to: outbound)
                    return
                }
                // As over WebSocket: the reader is a child task, the writer runs in this one.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            for try await var line in inbound {
                                guard let frame = LineFrame.frame(of: line.readBytes(length: line.readableBytes) ?? []) else { continue }
                                await self.desk.receive(frame, from: connection)
                            }
                        } catch is ByteToMessageDecoderError.PayloadTooLargeError {
                            await self.desk.receive(.tooLarge, from: connection)
                        } catch {
                            // Connection reset, or cancelled because the desk closed it.
                        }
                        await self.desk.disconnect(connection)
                        connection.close(.ended)  // the client went away: the writer sends what is queued, then ends
                    }
                    try await Self.write(connection, to: outbound)
                    // The desk closed the connection (writer done): stop reading.
                    group.cancelAll()
                    try await group.waitForAll()
                }
            }
        } catch {
            logger.debug("TCP connection ended", metadata: ["error": "\(error)"])
            await desk.disconnect(connection)
        }
    }

    private static func write(_ connection: Connection, to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        for await item in connection.outbound {
            switch item {
            case .line(let line):
                var buffer = ByteBuffer(string: line)
                buffer.writeInteger(UInt8(ascii: "\n"))
                try await outbound.write(buffer)
            case .lines(let lines):
                for line in lines {
                    var buffer = ByteBuffer(string: line)
                    buffer.writeInteger(UInt8(ascii: "\n"))
                    try await outbound.write(buffer)
                }
            case .close:
                outbound.finish()
                return
            }
        }
        outbound.finish()
    }
}
