import BakenDesk
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import Prometheus

/// Builds the HTTP and WebSocket application. `baken serve` and the tests use this one function.
///
/// Routes: `GET /health`, the resident socket `/ws/chat`, the staff socket `/ws/staff`, and —
/// with `bench` only — `/ws/echo` (a bare echo, for the benchmark's baseline); the web pages
/// `GET /` (resident chat), `GET /staff` (staff console) and `GET /static/<file>` (see
/// ``WebPages``). WebSocket upgrades from a foreign `Origin` get 403. `/metrics` has a listener
/// of its own (``buildMetricsApplication(desk:configuration:registry:logger:)``).
public func buildApplication(
    desk: Desk, configuration: ServerConfiguration, registry: PrometheusCollectorRegistry = .init(),
    logger: Logger = Logger(label: "baken.http")
) -> some ApplicationProtocol {
    let router = Router(context: BakenRequestContext.self)
    let maxBytes = desk.configuration.maxFrameBytes
    let clientAddress = configuration.trustedProxies
    let origins = OriginPolicy(allowed: configuration.allowedOrigins)
    let upgrade: @Sendable (Request, BakenRequestContext) async throws -> RouterShouldUpgrade = { request, _ in
        guard origins.allows(request.headers[values: .origin], host: request.head.authority) else {
            throw HTTPError(.forbidden, message: "This page may not open the chat.")
        }
        return .upgrade([:])
    }

    let pages = WebPages(allowedOrigins: configuration.allowedOrigins)
    pages.addRoutes(to: router)
    InsightRoutes.add(to: router, desk: desk, pages: pages)
    router.head("/health") { _, _ in Response(status: .ok, headers: [.contentType: "application/json", .xContentTypeOptions: "nosniff"]) }
    router.get("/health") { _, _ in
        let knowledge = desk.knowledgeVersion
        let body = #"{"status":"ok","knowledge":{"version":"\#(knowledge.version)","loaded_at":"\#(knowledge.loadedAt.formatted(.iso8601))"}}"#
        return Response(
            status: .ok, headers: [.contentType: "application/json", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
    router.ws("/ws/chat", shouldUpgrade: upgrade) { inbound, outbound, context in
        try await WebSocketTransport.run(
            desk: desk, address: clientAddress.resolve(peer: context.requestContext.remoteAddress.ipText, headers: context.request.headers), kind: .resident, inbound: inbound, outbound: outbound,
            maxBytes: maxBytes)
    }
    router.ws("/ws/staff", shouldUpgrade: upgrade) { inbound, outbound, context in
        try await WebSocketTransport.run(
            desk: desk, address: clientAddress.resolve(peer: context.requestContext.remoteAddress.ipText, headers: context.request.headers), kind: .staff, inbound: inbound, outbound: outbound,
            maxBytes: maxBytes)
    }
    if configuration.bench {
        router.ws("/ws/echo", shouldUpgrade: upgrade) { inbound, outbound, _ in
            for try await message in inbound.messages(maxSize: maxBytes) {
                if case .text(let text) = message { try await outbound.write(.text(text)) }
            }
        }
    }
    let webSocketResponder = router.buildResponder()
    return Application(
        router: router,
        server: HTTPServerBuilder { responder in
            GuardedHTTP1WebSocketChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    configuration: .init(
                        maxFrameSize: configuration.webSocketFrameCeiling, extensions: [.nonNegotiatedExtension { MaskedFramesOnly() }],
                        autoPing: .enabled(timePeriod: .seconds(30)), validateUTF8: true)))
        },
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "baken"),
        logger: logger)
}

/// The `/metrics` listener: Prometheus text on its own port, loopback by default, so the
/// figures are not on the public port.
public func buildMetricsApplication(
    desk: Desk, configuration: ServerConfiguration, registry: PrometheusCollectorRegistry, logger: Logger = Logger(label: "baken.metrics")
) -> some ApplicationProtocol {
    let router = Router(context: BakenRequestContext.self)
    let connections = registry.makeGauge(name: "baken_open_connections", help: "Open resident connections.")
    let conversations = registry.makeGauge(name: "baken_live_conversations", help: "Conversations held in memory.")
    let staffAvailable = registry.makeGauge(
        name: "baken_staff_available", help: "Staff members signed in and available for chats, on this node or on another as this node last read them.")
    router.get("/metrics") { _, _ in
        connections.set(Double(await desk.connectionCount))
        conversations.set(Double(await desk.liveCount))
        staffAvailable.set(Double(await desk.staffAvailableCount))
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    return Application(
        router: router, configuration: .init(address: .hostname(configuration.metricsHost, port: configuration.metricsPort), serverName: "baken"),
        logger: logger)
}
