import HummingbirdWebSocket
import NIOWebSocket

/// RFC 6455 §5.1: a client masks every frame it sends, and a server that receives an unmasked
/// frame must close the connection. NIO's frame decoder does not check this and
/// HummingbirdWebSocket hands the handler frames already unmasked, so the check sits where the
/// raw frame is still visible: in a WebSocket extension that is always on (not negotiated, no
/// header). Extensions see data frames (text, binary, continuation) only; ping, pong and close
/// are answered by HummingbirdWebSocket before any extension runs.
struct MaskedFramesOnly: WebSocketExtension {
    var name: String { "baken-masked-frames-only" }

    func processReceivedFrame(_ frame: WebSocketFrame, context: WebSocketExtensionContext) async throws -> WebSocketFrame {
        guard frame.maskKey != nil else {
            // swift-websocket maps only its own errors and a few of NIO's to a close code; this
            // NIO error is the one it turns into 1002 (protocol error) — what the RFC asks.
            throw NIOWebSocketError.fragmentedControlFrame
        }
        return frame
    }

    func processFrameToSend(_ frame: WebSocketFrame, context: WebSocketExtensionContext) async throws -> WebSocketFrame {
        frame
    }

    func shutdown() async {}
}
