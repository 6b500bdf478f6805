import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// One client connection as a channel handler; it lives on its runner's event loop and is
/// only touched there.
final class SessionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private struct Pending {
        var sentAt: NIODeadline
        var inWindow: Bool
    }

    private let runner: LoopRunner
    private var context: ChannelHandlerContext?
    /// Sent and not yet answered, oldest first: the server answers one conversation in order.
    private var pending: [Pending] = []
    private var pendingHead = 0
    /// Fulfilled when the session can send: at once for echo, after the greeting for chat.
    private var ready: EventLoopPromise<Void>?
    private var framesBeforeReady = 0
    private(set) var isOpen = true

    init(runner: LoopRunner, ready: EventLoopPromise<Void>) {
        self.runner = runner
        self.ready = ready
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// Starts the session once the upgrade is complete (the HTTP handlers are gone). A session
    /// that is not ready within 10 s (no greeting) fails and closes, so a run never hangs.
    func begin() {
        guard let context else { return }
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(10)) {
            guard let ready = self.ready else { return }
            self.ready = nil
            ready.fail(ChannelError.connectTimeout(.seconds(10)))
            self.isOpen = false
            context.close(promise: nil)
        }
        switch runner.mode {
        case .echo: markReady()
        case .chat: write(#"{"type":"hello","lang":"nl"}"#, to: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Before the session was ready, the opener counts the failure (`connect:…`) once.
        if isOpen && ready == nil { runner.tally.count("connection_lost") }
        isOpen = false
        ready?.fail(ChannelError.ioOnClosedChannel)
        ready = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        runner.tally.count("error:\(type(of: error))")
        context.close(promise: nil)
    }

    /// Sends one message now.
    func send(_ text: String, window: Window) {
        guard isOpen, let context else { return }
        let now = NIODeadline.now()
        pending.append(Pending(sentAt: now, inWindow: window.contains(now)))
        runner.tally.sent += 1
        if window.contains(now) { runner.tally.sentInWindow += 1 }
        write(text, to: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let type = Self.messageType(of: frame.unmaskedData)
            if type == "error", runner.tally.errors["error", default: 0] < 3 { FileHandle.standardError.write(Data("server error: \(String(buffer: frame.unmaskedData))\n".utf8)) }
            received(type: type)
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            isOpen = false
            runner.tally.count("closed_by_server")
            context.close(promise: nil)
        default:
            break
        }
    }

    private func received(type: Substring) {
        if ready != nil {
            // chat: `welcome`, then the greeting `reply`
            framesBeforeReady += 1
            if type == "reply" { markReady() } else if type != "welcome" { runner.tally.count("unexpected_before_ready:\(type)") }
            return
        }
        switch (runner.mode, type) {
        case (.echo, _), (.chat, "reply"), (.chat, "queued"):
            complete()
        case (.chat, "ack"), (.chat, "pong"):
            break
        case (.chat, "error"):
            runner.tally.count("error")
            dropOldest()
        default:
            runner.tally.count("unexpected:\(type)")
        }
    }

    private func complete() {
        guard pendingHead < pending.count else { return runner.tally.count("unexpected_reply") }
        let entry = pending[pendingHead]
        dropOldest()
        let now = NIODeadline.now()
        runner.tally.completed += 1
        if runner.window?.contains(now) == true { runner.tally.answeredInWindow += 1 }
        if entry.inWindow { runner.tally.latencies.append(Int32(clamping: (now - entry.sentAt).nanoseconds / 1000)) }
    }

    private func dropOldest() {
        guard pendingHead < pending.count else { return }
        pendingHead += 1
        if pendingHead > 64 && pendingHead * 2 > pending.count {
            pending.removeFirst(pendingHead)
            pendingHead = 0
        }
    }

    private func markReady() {
        ready?.succeed(())
        ready = nil
    }

    private func write(_ text: String, to context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: buffer)
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    /// The value of the leading `"type"` key (the server writes it first), without parsing the JSON.
    static func messageType(of buffer: ByteBuffer) -> Substring {
        let prefix = #"{"type":""#
        guard let text = buffer.getString(at: buffer.readerIndex, length: min(buffer.readableBytes, 32)), text.hasPrefix(prefix) else {
            return "?"
        }
        let rest = text.dropFirst(prefix.count)
        return rest.prefix { $0 != "\"" }
    }
}

/// Opens sessions with a cap on how many connect at once.
struct SessionOpener: Sendable {
    let target: Target
    let mode: LoadCommand.Mode
    let concurrency: Int

    /// Opens `count` sessions spread over the runners; returns how many became ready.
    func open(_ count: Int, on runners: [LoopRunner]) async throws -> Int {
        var opened = 0
        var next = 0
        while next < count {
            let batch = next..<min(count, next + concurrency)
            opened += await withTaskGroup(of: Bool.self) { group in
                for index in batch {
                    let runner = runners[index % runners.count]
                    group.addTask { await self.openOne(on: runner) }
                }
                var ready = 0
                for await ok in group where ok { ready += 1 }
                return ready
            }
            next = batch.upperBound
        }
        return opened
    }

    private func openOne(on runner: LoopRunner) async -> Bool {
        let target = target
        let ready = runner.loop.makePromise(of: Void.self)
        do {
            let upgraded = try await ClientBootstrap(group: runner.loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: target.host, port: target.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(
                            maxFrameSize: 1 << 20,
                            upgradePipelineHandler: { channel, _ in
                                channel.eventLoop.makeCompletedFuture {
                                    let handler = SessionHandler(runner: runner, ready: ready)
                                    try channel.pipeline.syncOperations.addHandler(handler)
                                    runner.add(handler)
                                    // After this returns the upgrade handlers leave the pipeline.
                                    channel.eventLoop.assumeIsolated().execute { handler.begin() }
                                    return true
                                }
                            })
                        var headers = HTTPHeaders()
                        headers.add(name: "Host", value: "\(target.host):\(target.port)")
                        headers.add(name: "Content-Length", value: "0")
                        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.path, headers: headers)
                        let configuration = NIOTypedHTTPClientUpgradeConfiguration(
                            upgradeRequestHead: head, upgraders: [upgrader],
                            notUpgradingCompletionHandler: { channel in
                                channel.close(promise: nil)
                                return channel.eventLoop.makeSucceededFuture(false)
                            })
                        return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                            configuration: .init(upgradeConfiguration: configuration))
                    }
                }
                .get()
            guard upgraded else {
                ready.fail(ChannelError.inappropriateOperationForState)
                runner.loop.execute { runner.tally.count("upgrade_refused") }
                return false
            }
            try await ready.futureResult.get()
            return true
        } catch {
            ready.fail(error)
            runner.loop.execute { runner.tally.count("connect:\(type(of: error))") }
            return false
        }
    }
}
