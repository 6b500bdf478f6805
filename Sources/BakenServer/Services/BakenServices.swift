import BakenDesk
import Logging
import Prometheus
import ServiceLifecycle

/// Everything a Baken server runs, in start order; `baken serve` and the tests' `TestServer`
/// both get theirs from ``buildServices(desk:endpoints:configuration:registry:logger:reloadFrom:onHTTPPort:onMetricsPort:)``.
public struct BakenServices: Sendable {
    /// The services, for a `ServiceGroup`. The sweeper is last, so on a graceful shutdown every
    /// client is told `shutting_down` before the listeners close.
    public let services: [any Service]
    /// The TCP listener, when `tcpPort` is not -1 (tests ask it for its bound port).
    public let lineServer: LineServer?
}

/// Builds the HTTP + WebSocket application, the `/metrics` listener, the TCP line server, the
/// knowledge reloader (when given the directories), the retention service (when the store
/// can purge), the webhook worker and the sweeper from one
/// configuration.
/// - Parameters:
///   - desk: The desk behind both transports.
///   - endpoints: Partners' webhook endpoints (events of other partners end as dead).
///   - configuration: Where to listen and what to serve.
///   - registry: The Prometheus registry `/metrics` shows.
///   - directories: Where the knowledge came from, to reload it on SIGHUP and on change (nil: never).
///   - onHTTPPort: Called with the bound HTTP port (useful with port 0).
///   - onMetricsPort: Called with the bound metrics port.
public func buildServices(
    desk: Desk, endpoints: [PartnerEndpoint], configuration: ServerConfiguration, registry: PrometheusCollectorRegistry,
    logger: Logger, reloadFrom directories: (knowledge: String, intents: String)? = nil,
    onHTTPPort: @escaping @Sendable (Int) -> Void = { _ in }, onMetricsPort: @escaping @Sendable (Int) -> Void = { _ in }
) -> BakenServices {
    var services: [any Service] = [
        PortReportingApplication(
            base: buildApplication(desk: desk, configuration: configuration, registry: registry, logger: logger), onPort: onHTTPPort)
    ]
    if configuration.metricsPort >= 0 {
        services.append(
            PortReportingApplication(
                base: buildMetricsApplication(desk: desk, configuration: configuration, registry: registry, logger: logger),
                onPort: onMetricsPort))
    }
    var lineServer: LineServer?
    if configuration.tcpPort >= 0 {
        let server = LineServer(desk: desk, host: configuration.host, port: configuration.tcpPort, logger: logger)
        services.append(server)
        lineServer = server
    }
    if let directories {
        services.append(KnowledgeReloader(desk: desk, knowledge: directories.knowledge, intents: directories.intents, logger: logger))
    }
    if let store = desk.store as? any PurgingStore {
        services.append(RetentionService(store: store, policy: configuration.retention, now: desk.now, logger: logger))
    }
    services.append(WebhookWorker(store: desk.store, endpoints: endpoints, desk: desk, logger: logger))
    if let bus = desk.bus {
        services.append(NodeLink(desk: desk, bus: bus, logger: logger))
    }
    services.append(DeskSweeper(desk: desk, interval: .milliseconds(Int64(configuration.sweepInterval * 1000))))
    return BakenServices(services: services, lineServer: lineServer)
}
