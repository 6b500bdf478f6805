import Foundation

/// Where and how each partner receives referrals. Secrets come from the environment or a
/// file, never from the repository.
public struct PartnerEndpoint: Sendable, Hashable {
    public var partner: String
    public var url: String
    public var secret: String
    /// Allows `http://` for a receiver on this machine (tests); otherwise only `https://`.
    public var local: Bool
    /// Requests in flight to this partner at most.
    public var maxConcurrency: Int
    /// Seconds before an attempt counts as a timeout.
    public var timeout: TimeInterval

    public init(partner: String, url: String, secret: String, local: Bool = false, maxConcurrency: Int = 2, timeout: TimeInterval = 15) {
        self.partner = partner
        self.url = url
        self.secret = secret
        self.local = local
        self.maxConcurrency = maxConcurrency
        self.timeout = timeout
    }

    /// Whether the URL may be called: https, or http to loopback for a `local` partner.
    public var isAllowed: Bool {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return false }
        if components.scheme == "https" { return true }
        return local && components.scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host)
    }
}

/// A problem in the partners' webhook configuration.
public struct PartnerConfigurationError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}
