import Foundation
import HTTPTypes
import NIOCore

/// Works out the resident's own address when Baken runs behind a reverse proxy.
///
/// Only a request whose socket peer is one of the configured trusted proxies may name another
/// client address, in `Forwarded: for=…` (RFC 7239) or `X-Forwarded-For`. The address used is
/// the right-most one that is not itself a trusted proxy: the left part of the list is written
/// by the client and can say anything. With no trusted proxies (the default) the socket peer is
/// the client, whatever the headers say.
///
/// ```swift
/// let resolver = ClientAddress(trustedProxies: ["127.0.0.1", "10.0.0.0/8"])
/// resolver.resolve(peer: "127.0.0.1", headers: request.headers)  // "203.0.113.7"
/// ```
public struct ClientAddress: Sendable {
    /// The networks whose requests may carry a forwarded client address.
    public let trustedProxies: [Network]

    /// Creates a resolver from addresses or CIDR networks (`10.0.0.0/8`, `::1`).
    /// - Throws: ``InvalidNetwork`` for an entry that is neither.
    public init(trustedProxies: [String]) throws {
        self.trustedProxies = try trustedProxies.map { entry in
            guard let network = Network(entry) else { throw InvalidNetwork(entry: entry) }
            return network
        }
    }

    /// The client address for a request from `peer` with these headers.
    public func resolve(peer: String, headers: HTTPFields) -> String {
        guard isTrusted(peer) else { return peer }
        var hops: [String] = []
        if let forwarded = headers[.bakenForwarded] {
            hops = Self.forwardedFor(forwarded)
        } else if let list = headers[values: .bakenXForwardedFor].isEmpty ? nil : headers[values: .bakenXForwardedFor] {
            hops = list.flatMap { $0.split(separator: ",") }.map { Self.clean(String($0)) }
        }
        for hop in hops.reversed() {
            guard Network.parse(hop) != nil else { return peer }  // garbage in the chain: trust nothing after it
            if !isTrusted(hop) { return hop }
        }
        return hops.first.flatMap { Network.parse($0) != nil ? $0 : nil } ?? peer
    }

    /// Whether an address belongs to a trusted proxy.
    public func isTrusted(_ address: String) -> Bool {
        guard let bytes = Network.parse(address) else { return false }
        return trustedProxies.contains { $0.contains(bytes) }
    }

    /// The `for=` values of a `Forwarded` header, in order.
    static func forwardedFor(_ header: String) -> [String] {
        header.split(separator: ",").compactMap { element in
            for pair in element.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" else { continue }
                return clean(String(parts[1]))
            }
            return nil
        }
    }

    /// Strips quotes, brackets and a port: `"[2001:db8::1]:4711"` → `2001:db8::1`.
    static func clean(_ raw: String) -> String {
        var value = raw.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
        if value.hasPrefix("["), let end = value.firstIndex(of: "]") {
            return String(value[value.index(after: value.startIndex)..<end])
        }
        if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") { value = String(value[..<colon]) }
        return value
    }

    /// A trusted-proxy entry that is not an address or a network.
    public struct InvalidNetwork: Error, CustomStringConvertible {
        /// The entry as written.
        public var entry: String
        public var description: String { "trusted_proxies: '\(entry)' is not an IP address or a network like 10.0.0.0/8" }
    }

    /// An IPv4 or IPv6 network.
    public struct Network: Sendable, Hashable {
        /// The address bytes (4 or 16).
        public var bytes: [UInt8]
        /// The prefix length in bits.
        public var prefix: Int

        /// Parses `192.168.1.0/24`, `::1` or `127.0.0.1`.
        public init?(_ text: String) {
            let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", maxSplits: 1)
            guard let first = parts.first, let bytes = Network.parse(String(first)) else { return nil }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, prefix >= 0, prefix <= bytes.count * 8 else { return nil }
            self.bytes = bytes
            self.prefix = prefix
        }

        /// Whether an address (as bytes) is inside the network.
        public func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = prefix
            for (a, b) in zip(address, bytes) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != b & mask { return false }
                remaining -= bits
            }
            return true
        }

        /// The bytes of an IPv4 or IPv6 address, or nil.
        static func parse(_ text: String) -> [UInt8]? {
            guard !text.isEmpty, text.utf8.count <= 45, let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
            switch address {
            case .v4(let v4):
                return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
            case .v6(let v6):
                return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            default:
                return nil
            }
        }
    }
}

extension HTTPField.Name {
    static let bakenForwarded = Self("Forwarded")!
    static let bakenXForwardedFor = Self("X-Forwarded-For")!
}
