import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore

/// Limits on a connection's first HTTP request head, enforced on the raw bytes before NIO's
/// HTTP decoder sees them.
///
/// Why here: HummingbirdWebSocket sets up NIO's upgrade pipeline with its error handling off, so
/// a request line or header block over NIO's 80 KB limit was neither answered nor closed — the
/// connection hung until the client gave up — and a client that sends its request a byte at a
/// time held a connection for as long as it liked. This handler sits first in the pipeline, reads
/// the bytes of the first request head as they arrive and answers
///
/// - **414** when the request line is longer than ``maxRequestLine`` bytes,
/// - **431** when the whole head (request line and headers) is longer than ``maxHead`` bytes,
/// - **408** when the head is not complete within ``deadline`` of the connection opening
///   (a connection that sent nothing at all is closed without an answer),
///
/// each with `Connection: close`, then closes. Once the head is complete it removes itself, so a
/// WebSocket's frames and a request's body never pass through it. Later requests on a kept-alive
/// connection are left to NIO's limits and Hummingbird's error handling (which close the
/// connection without a status line).
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static let maxRequestLine = 8 * 1024
    static let maxHead = 32 * 1024
    static let deadline = TimeAmount.seconds(10)

    private let maxRequestLine: Int
    private let maxHead: Int
    private let deadline: TimeAmount
    private var seen = 0
    private var requestLineEnded = false
    /// True right after a line break: a second one ends the head (CRLF CRLF, or bare LFs).
    private var atLineStart = false
    private var finished = false
    private var timer: Scheduled<Void>?

    init(maxRequestLine: Int = RequestHeadGuard.maxRequestLine, maxHead: Int = RequestHeadGuard.maxHead, deadline: TimeAmount = RequestHeadGuard.deadline) {
        self.maxRequestLine = maxRequestLine
        self.maxHead = maxHead
        self.deadline = deadline
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: deadline) {
            let (handler, context) = loopBound.value
            if handler.seen == 0 {
                // Nothing sent at all (a browser's pre-connected socket, or an idle attacker):
                // close quietly, as nginx does — a browser may retry a 408 on a fresh socket.
                handler.finished = true
                context.close(promise: nil)
            } else {
                handler.refuse(context: context, status: "408 Request Timeout", message: "The request did not arrive in time.")
            }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }  // refused: nothing more goes to the decoder
        let buffer = unwrapInboundIn(data)
        var headEnded = false
        buffer.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                seen += 1
                switch byte {
                case UInt8(ascii: "\n"):
                    requestLineEnded = true
                    if atLineStart && seen > 2 { headEnded = true; return }
                    atLineStart = true
                case UInt8(ascii: "\r"):
                    break
                default:
                    atLineStart = false
                }
                if !requestLineEnded && seen > maxRequestLine { return }
                if seen > maxHead { return }
            }
        }
        if headEnded {
            finished = true
            timer?.cancel()
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        } else if !requestLineEnded && seen > maxRequestLine {
            refuse(context: context, status: "414 URI Too Long", message: "The request line is too long.")
        } else if seen > maxHead {
            refuse(context: context, status: "431 Request Header Fields Too Large", message: "The request headers are too large.")
        } else {
            context.fireChannelRead(data)
        }
    }

    /// Answers with `status` straight onto the socket (this handler is first in the pipeline, so
    /// the bytes pass no HTTP encoder) and closes the connection.
    private func refuse(context: ChannelHandlerContext, status: String, message: String) {
        guard !finished else { return }
        finished = true
        timer?.cancel()
        let body = message + "\n"
        let head = "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        let channel = context.channel
        context.writeAndFlush(wrapInboundOut(ByteBuffer(string: head + body))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}

/// Hummingbird's HTTP/1 + WebSocket child channel with ``RequestHeadGuard`` first in its pipeline.
struct GuardedHTTP1WebSocketChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    let inner: HTTP1WebSocketUpgradeChannel

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(RequestHeadGuard(), position: .first)
        }.flatMap {
            inner.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}
