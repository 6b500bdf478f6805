import BakenDesk
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Prometheus

/// Builds the HTTP and WebSocket application. `baken serve` and the tests use this one function.
///
/// Routes: `GET /health`, `GET /metrics`, the resident socket `/ws/chat`, the staff socket
/// `/ws/staff`, and `/ws/echo`
/// (a bare echo, for the benchmark's baseline); the web pages `GET /` (resident chat),
/// `GET /staff` (staff console) and `GET /static/<file>` (see ``WebPages``).
public func buildApplication(
    desk: Desk, configuration: ServerConfiguration, registry: PrometheusCollectorRegistry = .init(),
    logger: Logger = Logger(label: "baken.http")
) -> some ApplicationProtocol {
    let router = Router(context: BakenRequestContext.self)
    let maxBytes = desk.configuration.maxFrameBytes
    let clientAddress = configuration.trustedProxies
    let connections = registry.makeGauge(name: "baken_open_connections", help: "Open resident connections.")
    let conversations = registry.makeGauge(name: "baken_live_conversations", help: "Conversations held in memory.")

    WebPages().addRoutes(to: router)
    router.get("/health") { _, _ in
        connections.set(Double(await desk.connectionCount))
        conversations.set(Double(await desk.liveCount))
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }
    router.get("/metrics") { _, _ in
        connections.set(Double(await desk.connectionCount))
        conversations.set(Double(await desk.liveCount))
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    router.ws("/ws/chat") { inbound, outbound, context in
        try await WebSocketTransport.run(
            desk: desk, address: clientAddress.resolve(peer: context.requestContext.remoteAddress.ipText, headers: context.request.headers), kind: .resident, inbound: inbound, outbound: outbound,
            maxBytes: maxBytes)
    }
    router.ws("/ws/staff") { inbound, outbound, context in
        try await WebSocketTransport.run(
            desk: desk, address: clientAddress.resolve(peer: context.requestContext.remoteAddress.ipText, headers: context.request.headers), kind: .staff, inbound: inbound, outbound: outbound,
            maxBytes: maxBytes)
    }
    router.ws("/ws/echo") { inbound, outbound, _ in
        for try await message in inbound.messages(maxSize: maxBytes) {
            if case .text(let text) = message { try await outbound.write(.text(text)) }
        }
    }
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: router,
            configuration: .init(
                ws: .init(maxFrameSize: configuration.webSocketFrameCeiling, autoPing: .enabled(timePeriod: .seconds(30)), validateUTF8: true))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "baken"),
        logger: logger)
}
