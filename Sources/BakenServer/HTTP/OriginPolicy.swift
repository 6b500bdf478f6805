/// Which web pages may open Baken's WebSockets: the server's own origin and the configured
/// library sites. A request without `Origin`, or with a `ws:`/`wss:` one (which browsers never
/// send), is not from a web page — a native or test client — and is let through: the check is
/// against other sites driving a visitor's browser.
struct OriginPolicy: Sendable {
    /// Allowed origins, lower-cased, without a trailing slash.
    let allowed: Set<String>

    init(allowed: [String]) {
        self.allowed = Set(allowed.map { Self.normalise($0) })
    }

    /// Whether a request with these `Origin` values to this host (`Host` / authority) may
    /// upgrade: every value must be acceptable.
    func allows(_ origins: [String], host: String?) -> Bool {
        origins.allSatisfy { allows($0, host: host) }
    }

    /// Whether one `Origin` value is acceptable.
    func allows(_ origin: String, host: String?) -> Bool {
        let normalised = Self.normalise(origin)
        if normalised.hasPrefix("ws://") || normalised.hasPrefix("wss://") { return true }
        if allowed.contains(normalised) { return true }
        guard let host = host?.lowercased() else { return false }
        // Same origin: the page was served by this server (through the proxy, with its Host).
        return normalised == "http://" + host || normalised == "https://" + host
    }

    static func normalise(_ origin: String) -> String {
        var value = origin.lowercased()
        while value.hasSuffix("/") { value.removeLast() }
        return value
    }
}
