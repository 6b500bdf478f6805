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

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, tcpPort: Int = 8081, webSocketFrameCeiling: Int = 1 << 20, sweepInterval: Double = 5,
        trustedProxies: ClientAddress = try! ClientAddress(trustedProxies: [])
    ) {
        self.trustedProxies = trustedProxies
        self.host = host
        self.port = port
        self.tcpPort = tcpPort
        self.webSocketFrameCeiling = webSocketFrameCeiling
        self.sweepInterval = sweepInterval
    }
}
