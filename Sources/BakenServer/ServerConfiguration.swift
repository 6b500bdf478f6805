import BakenDesk

/// Where Baken listens. Every value has a default that works with no flags and no config.
public struct ServerConfiguration: Sendable {
    /// Host for HTTP, WebSocket and TCP.
    public var host: String
    /// HTTP and WebSocket port (0 picks a free one, for tests).
    public var port: Int
    /// TCP line-protocol port (0 picks a free one; -1 turns TCP off).
    public var tcpPort: Int
    /// Largest WebSocket frame the library accepts before closing with 1009; frames above the
    /// desk's own limit but below this get a `too_large` error first.
    public var webSocketFrameCeiling: Int
    /// How often idle connections and conversations are swept, in seconds.
    public var sweepInterval: Double
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers name the real client
    /// (addresses or CIDR networks). Empty by default: then the socket peer is the client.
    public var trustedProxies: ClientAddress
    /// Origins (`https://www.bibliotheek.nl`) whose pages may open the chat's WebSockets, besides
    /// the server's own origin: the library sites that embed `widget.js`. Others get 403.
    public var allowedOrigins: [String]
    /// Serve the bare `/ws/echo` route, the load benchmark's baseline. Off in production.
    public var bench: Bool
    /// Port of the separate `/metrics` listener on `metricsHost` (0 picks a free one; -1 turns it off).
    public var metricsPort: Int
    /// Host of the `/metrics` listener: loopback unless an operator opens it on purpose.
    public var metricsHost: String
    /// How long personal data is kept; the retention service checks every hour.
    public var retention: RetentionPolicy

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, tcpPort: Int = 8081, webSocketFrameCeiling: Int = 1 << 20, sweepInterval: Double = 5,
        trustedProxies: ClientAddress = try! ClientAddress(trustedProxies: []), allowedOrigins: [String] = [], bench: Bool = false,
        metricsPort: Int = 9464, metricsHost: String = "127.0.0.1", retention: RetentionPolicy = RetentionPolicy()
    ) {
        self.retention = retention
        self.trustedProxies = trustedProxies
        self.allowedOrigins = allowedOrigins
        self.bench = bench
        self.metricsPort = metricsPort
        self.metricsHost = metricsHost
        self.host = host
        self.port = port
        self.tcpPort = tcpPort
        self.webSocketFrameCeiling = webSocketFrameCeiling
        self.sweepInterval = sweepInterval
    }
}
